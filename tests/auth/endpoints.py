"""The app's routes under /api/v1 as the authorisation tests call them.

Routes are read from `app.routes` (through FastAPI's route contexts, which resolve included
routers), so a route added to the app is called here without any change to this module.
"""

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import Any

import httpx
from fastapi import FastAPI, params
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from app.auth.roles import Roll
from app.core.config import Settings
from app.kit import API_PREFIX
from app.main import create_app
from tests.auth.access import ACCESS, PUBLIC, Route
from tests.helpers import ACCOUNT_ROLES

WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
WITH_IF_MATCH = frozenset({"PUT", "PATCH", "DELETE"})

# Accounts tried first when a test needs one caller the route admits: own kommun, people first.
PREFERRED_ACCOUNTS = (
    "admin",
    "granskare",
    "rektor",
    "kurator",
    "team-skola",
    "team-soc",
    "styrgrupp",
    "demo-integration",
    "admin2",
    "kurator2",
)


def example_value(annotation: Any) -> str:
    """A valid value of a path parameter's type, so the handler gets past validation."""
    if annotation is uuid.UUID:
        return str(uuid.uuid4())
    if annotation is int:
        return "1"
    if annotation is str:
        return "x"
    if annotation is date:
        return date.today().isoformat()
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return str(next(iter(annotation)).value)
    raise TypeError(
        f"no example value for a path parameter of type {annotation!r}: "
        "add one to example_value in tests/auth/endpoints.py"
    )


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    path_params: tuple[tuple[str, Any], ...]
    # The template routes by type (`{elev_id:uuid}`): a value of another type matches no route.
    typed_path: bool = False

    @property
    def key(self) -> Route:
        return (self.method, self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, *, invalid_params: bool = False) -> str:
        values = {
            name: "inte-ett-giltigt-varde" if invalid_params else example_value(annotation)
            for name, annotation in self.path_params
        }
        return self.path.format(**values)

    def call(
        self,
        client: TestClient,
        headers: Mapping[str, str] | None = None,
        *,
        body: Any = None,
        invalid_params: bool = False,
        query: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Calls the route as deep as generic input reaches: `{}` as body, `If-Match: "1"`."""
        sent = {"If-Match": '"1"'} if self.method in WITH_IF_MATCH else {}
        sent.update(headers or {})
        json_body = ({} if body is None else body) if self.method in WITH_BODY else None
        response: httpx.Response = client.request(
            self.method,
            self.url(invalid_params=invalid_params),
            headers=sent,
            json=json_body,
            params=dict(query or {}),
        )
        return response


_CONVERTOR = re.compile(r":\w+\}")


def api_endpoints(app: FastAPI) -> list[Endpoint]:
    found: dict[Route, Endpoint] = {}
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute) or context.path is None:
            continue
        # The template as the document shows it: `{elev_id:uuid}` is `{elev_id}`.
        path = _CONVERTOR.sub("}", context.path)
        typed_path = path != context.path
        if not path.startswith(f"{API_PREFIX}/"):
            continue
        path_params = tuple(
            sorted(
                {
                    (field.name, field.field_info.annotation)
                    for field in get_flat_params(context.dependant)
                    if isinstance(field.field_info, params.Path)
                },
                key=lambda item: item[0],
            )
        )
        for method in sorted(context.methods or ()):
            found[(method, path)] = Endpoint(method, path, path_params, typed_path)
    return sorted(found.values(), key=lambda endpoint: (endpoint.path, endpoint.method))


@lru_cache(maxsize=1)
def collected_endpoints() -> tuple[Endpoint, ...]:
    """The routes at collection time, for parametrising (the app is the one the tests run)."""
    return tuple(api_endpoints(create_app(Settings(database_url="sqlite://"))))


def protected_endpoints() -> list[Endpoint]:
    """Every route but the public ones; a route missing from the table counts as protected."""
    return [endpoint for endpoint in collected_endpoints() if endpoint.key not in PUBLIC]


def expected_roles(endpoint: Endpoint) -> frozenset[Roll]:
    try:
        return ACCESS[endpoint.key]
    except KeyError:
        raise AssertionError(
            f"{endpoint} has no entry in the expected-access table: add it to tests/auth/access.py"
        ) from None


def account_for(roles: frozenset[Roll]) -> str:
    """A demo account whose role the route admits (or any account, if it admits none)."""
    for account in PREFERRED_ACCOUNTS:
        if ACCOUNT_ROLES[account] in roles:
            return account
    return PREFERRED_ACCOUNTS[0]
