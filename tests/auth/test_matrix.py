"""The authorisation matrix: every route under /api/v1 × every demo account × bad tokens.

Routes come from the app; the expected access from tests/auth/access.py. A role outside a route's
entry gets 403; a role inside it gets past authentication and authorisation (no 401, no 403) and
the handler answers without a server error, whatever it then finds.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.auth.roles import Roll
from app.core.config import Settings
from tests.auth import forge
from tests.auth.access import ACCESS, PUBLIC
from tests.auth.endpoints import (
    Endpoint,
    account_for,
    api_endpoints,
    expected_roles,
    protected_endpoints,
)
from tests.helpers import ACCOUNT_ROLES, Tokens, bearer

PROBLEM_JSON = "application/problem+json"


def _problems_with(response: httpx.Response, label: str) -> list[str]:
    if response.status_code >= 400 and response.headers.get("content-type") != PROBLEM_JSON:
        return [f"{label}: {response.status_code} is not problem+json"]
    return []


def test_every_route_has_an_entry_in_the_expected_access_table(app: FastAPI) -> None:
    routes = {endpoint.key for endpoint in api_endpoints(app)}
    table = set(ACCESS) | PUBLIC

    missing = sorted(routes - table)
    stale = sorted(table - routes)
    assert not missing, (
        f"routes without an entry in the expected-access table: {missing}; "
        "add each to tests/auth/access.py with the roles that may call it"
    )
    assert not stale, f"entries in tests/auth/access.py for routes the app no longer has: {stale}"
    assert not set(ACCESS) & PUBLIC, "a route is either public or in ACCESS, not both"


def test_the_demo_accounts_cover_every_role() -> None:
    assert set(ACCOUNT_ROLES.values()) == set(Roll)


@pytest.mark.parametrize("endpoint", protected_endpoints(), ids=str)
def test_a_call_without_a_valid_token_is_401(
    endpoint: Endpoint, client: TestClient, tokens: Tokens, settings: Settings
) -> None:
    token = tokens[account_for(expected_roles(endpoint))]
    attempts = {
        "no token": {},
        "expired token": bearer(forge.expired(token, settings.jwt_secret)),
        "tampered token": bearer(forge.tampered(token)),
    }
    problems = []
    for label, headers in attempts.items():
        response = endpoint.call(client, headers)
        if response.status_code != 401:
            problems.append(f"{label}: expected 401, got {response.status_code}")
        elif response.headers.get("www-authenticate") != "Bearer":
            problems.append(f"{label}: 401 without WWW-Authenticate: Bearer")
        problems += _problems_with(response, label)
    assert not problems, f"{endpoint}:\n" + "\n".join(problems)


@pytest.mark.parametrize("endpoint", protected_endpoints(), ids=str)
def test_each_account_gets_403_outside_the_routes_entry_and_through_inside_it(
    endpoint: Endpoint, client: TestClient, tokens: Tokens
) -> None:
    allowed = expected_roles(endpoint)
    problems = []
    for account, roll in ACCOUNT_ROLES.items():
        response = endpoint.call(client, tokens.headers(account))
        status = response.status_code
        label = f"{account} ({roll})"
        if roll not in allowed and status != 403:
            problems.append(f"{label}: not in the entry, expected 403, got {status}")
        if roll in allowed and (status in (401, 403) or status >= 500):
            problems.append(f"{label}: in the entry, got {status}: {response.text[:200]}")
        problems += _problems_with(response, label)
    assert not problems, f"{endpoint}:\n" + "\n".join(problems)


@dataclass(frozen=True)
class BadInput:
    body: Any = None
    invalid_params: bool = False
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)


# Inputs that fail validation in every way a request can: body, path, query and headers.
# Unparseable JSON is not among them: FastAPI parses the body before any dependency runs, so it
# is 422 for every caller, which says nothing about the route's policy or data.
BAD_INPUTS = {
    "unknown field": BadInput(body={"okant_falt": 1}),
    "list as body": BadInput(body=[]),
    "text as body": BadInput(body="inte ett objekt"),
    "invalid path parameters": BadInput(invalid_params=True),
    "invalid paging": BadInput(query={"limit": "0", "cursor": "!"}),
    "oversized If-Match": BadInput(headers={"If-Match": "x" * 500}),
    "all at once": BadInput(
        body={"okant_falt": 1},
        invalid_params=True,
        query={"limit": "-1"},
        headers={"If-Match": "x" * 500},
    ),
}


def _with_an_account_outside_the_entry() -> list[Endpoint]:
    return [
        endpoint
        for endpoint in protected_endpoints()
        if set(ACCOUNT_ROLES.values()) - ACCESS.get(endpoint.key, frozenset())
    ]


@pytest.mark.parametrize("endpoint", _with_an_account_outside_the_entry(), ids=str)
def test_a_role_without_the_scope_gets_403_before_validation(
    endpoint: Endpoint, client: TestClient, tokens: Tokens
) -> None:
    allowed = expected_roles(endpoint)
    outside = [account for account, roll in ACCOUNT_ROLES.items() if roll not in allowed]
    problems = []
    for account in outside:
        for label, bad in BAD_INPUTS.items():
            response = endpoint.call(
                client,
                {**tokens.headers(account), **bad.headers},
                body=bad.body,
                invalid_params=bad.invalid_params,
                query=bad.query,
            )
            # A path routed by type names no resource when the value has another type.
            expected = 404 if bad.invalid_params and endpoint.typed_path else 403
            if response.status_code != expected:
                problems.append(
                    f"{account}, {label}: expected {expected}, got {response.status_code}"
                )
    assert not problems, f"{endpoint}:\n" + "\n".join(problems)
