"""schemathesis against the app's own OpenAPI document, as every kind of caller (issue 2).

The schema is loaded from the session app, and every request goes through that app inside the
test's rolled-back transaction (the `db` fixture): what the requests write, failed logins counted
by the throttle included, is gone afterwards. Each generated example also runs in a savepoint of
its own, so every example meets the demo data and nothing else, whatever ran before it.

- Every operation anonymously, and every operation a demo account's role may call once per demo
  account and once as the demo integration client (the authorisation matrix holds the 403s of
  the others): EXAMPLES generated cases, valid and invalid. schemathesis' coverage cases
  (boundary and missing values, wrong types, undocumented methods, malformed bodies; their number
  follows from the schema) probe the request's shape, so each operation gets them once, from one
  caller who may call it (`coverage_caller`).
- Chains of operations per signed-in caller, where schemathesis feeds ids from one answer into the
  next request, so answers about existing objects are checked too.
- A successful login by each grant, which no generated credentials reach.

Every answer must be no 5xx, carry a status code and media type the document lists, match the
documented schema, refuse data the document calls invalid, accept data it calls valid, and be
problem+json when it is an error.

The run is deterministic (derandomised generation, no example database, no deadline) and EXAMPLES
is small (5), so the time grows with the number of operations and not much else. To search harder:

    SAMVERKA_SCHEMATHESIS_EXAMPLES=300 .venv/bin/pytest tests/test_schemathesis.py
    SAMVERKA_SCHEMATHESIS_RANDOM=1 .venv/bin/pytest tests/test_schemathesis.py   # new cases per run
"""

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote, urlsplit

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import strategies as st
from schemathesis.generation.meta import TestPhase
from schemathesis.schemas import BaseSchema
from sqlalchemy import Connection

from app.core.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, VALIDATION_DETAIL
from app.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD
from app.kit.problem import Problem
from app.main import OPENAPI_URL
from tests.auth.access import ACCESS, PUBLIC
from tests.helpers import ACCOUNT_ROLES, INTEGRATION, TOKEN_URL, Tokens

ApiCase = schemathesis.Case[Any]

EXAMPLES = int(os.environ.get("SAMVERKA_SCHEMATHESIS_EXAMPLES", "5"))
DETERMINISTIC = not os.environ.get("SAMVERKA_SCHEMATHESIS_RANDOM")

# Dates and times are drawn from the years the document allows (its pattern beside format date
# and date-time: 1900–2100). schemathesis' own span years 1–9999, and filtering them by the
# pattern throws away so many that hypothesis gives up.
_DAGAR = st.dates(date(1900, 1, 2), date(2100, 12, 30))
_ZONER = st.sampled_from([UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-14))])
schemathesis.openapi.format("date", _DAGAR.map(date.isoformat))
schemathesis.openapi.format(
    "date-time",
    st.builds(datetime.combine, _DAGAR, st.times(), _ZONER).map(datetime.isoformat),
)

# RFC 3986 characters only: what a problem's `instance` (a URI reference) may consist of.
URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")

ANONYMOUS = "anonym"
CALLERS = (
    ANONYMOUS,
    "admin",
    "rektor",
    "kurator",
    "team-skola",
    "team-soc",
    "styrgrupp",
    "granskare",
    INTEGRATION,
)

# schemathesis' defaults, plus what no schema can rule out: a 412 for an If-Match that names another
# version, and a 422 for rules the document cannot state (an opaque cursor must be one the server
# issued, schools must belong to the caller's kommun, a role needs a fitting organisation). Such a
# 422 never comes from request validation itself: `valid_data_passes_request_validation` holds that.
VALID_DATA_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "429"]
BATCH_PATHS = r"^/api/v1/(import/ss12000/|franvaro$)"
# schemathesis' defaults, plus 428 Precondition Required (RFC 6585) for a change without If-Match.
MISSING_HEADER_STATUSES = ["400", "401", "403", "406", "415", "422", "428"]


@pytest.fixture(scope="session")
def api_schema(app: FastAPI) -> BaseSchema:
    config = schemathesis.Config.from_dict(
        {
            "generation": {
                "deterministic": DETERMINISTIC,
                "max-examples": EXAMPLES,
                "database": "none",
            },
            "checks": {
                "positive_data_acceptance": {"expected-statuses": VALID_DATA_STATUSES},
                "missing_required_header": {"expected-statuses": MISSING_HEADER_STATUSES},
            },
            # A batch import checks each record by itself and answers 200 with the rejected
            # ones and why (API.md): a bad record inside the array is not a bad request.
            "operations": [
                {
                    "include-path-regex": BATCH_PATHS,
                    "checks": {"negative_data_rejection": {"enabled": False}},
                }
            ],
        }
    )
    return schemathesis.openapi.from_asgi(OPENAPI_URL, app, config=config)


def operations_for(app: FastAPI, account: str) -> list[str]:
    """The operation ids the account's role may call (tests/auth/access.py)."""
    allowed = {key for key, roles in ACCESS.items() if ACCOUNT_ROLES[account] in roles} | PUBLIC
    return sorted(
        operation["operationId"]
        for path, operations in app.openapi()["paths"].items()
        for method, operation in operations.items()
        if (method.upper(), path) in allowed
    )


def schema_for(api_schema: BaseSchema, app: FastAPI, account: str) -> BaseSchema:
    """Anonymously every operation (each answers 401 but the token endpoint); signed in, the
    operations the caller's role may call. Every other answer to a signed-in caller is 403 before
    anything else, which the authorisation matrix (tests/auth/test_matrix.py) holds."""
    if account == ANONYMOUS:
        return api_schema
    return api_schema.include(operation_id=operations_for(app, account))


def coverage_caller(method: str, path: str) -> str:
    """The one caller whose requests get an operation's coverage cases: the first demo caller
    whose role may call it, else (public and operational routes) the anonymous one. The coverage
    cases probe the request's shape, which the role does not change; the generated examples run
    for every caller."""
    roles = ACCESS.get((method.upper(), path), frozenset())
    return next((c for c in CALLERS if c != ANONYMOUS and ACCOUNT_ROLES[c] in roles), ANONYMOUS)


def runs_for(case: ApiCase, caller_name: str) -> bool:
    if case.meta is None or case.meta.phase.name is not TestPhase.COVERAGE:
        return True
    return caller_name == coverage_caller(case.operation.method, case.operation.path)


@pytest.fixture(params=CALLERS)
def caller_name(request: pytest.FixtureRequest) -> str:
    account: str = request.param
    return account


@pytest.fixture
def caller(caller_name: str, tokens: Tokens) -> dict[str, str]:
    """The Authorization header of one kind of caller; none for the anonymous one."""
    return {} if caller_name == ANONYMOUS else tokens.headers(caller_name)


@pytest.fixture
def caller_schema(api_schema: BaseSchema, app: FastAPI, caller_name: str) -> BaseSchema:
    return schema_for(api_schema, app, caller_name)


schema = schemathesis.pytest.from_fixture("caller_schema")


@pytest.fixture
def schemathesis_node_id(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32's fixture-loaded schemas read and rename `item._nodeid`, which pytest 9.2
    # replaced by a structured `item._id`. The plain attribute keeps the loader working; reports
    # still name each operation through the subtest label.
    request.node._nodeid = request.node.nodeid


def _documented_media_types(case: ApiCase, status: int) -> set[str] | None:
    if case.method.lower() != case.operation.method.lower():
        return None
    operation = case.operation.schema.raw_schema["paths"][case.operation.path]
    response = operation[case.operation.method.lower()]["responses"].get(str(status))
    return None if response is None else set(response.get("content", {}))


def errors_are_problem_json(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: ApiCase
) -> None:
    """Every error is RFC 9457 problem+json, undocumented ones (405 for a method the path lacks)
    too, unless the operation documents that status with a body of its own (GET /readyz: 503)."""
    documented = _documented_media_types(case, response.status_code)
    if response.status_code < 400 or (documented and PROBLEM_MEDIA_TYPE not in documented):
        return
    assert response.headers.get("content-type") == [PROBLEM_MEDIA_TYPE], response.headers
    problem = Problem.model_validate(json.loads(response.content))
    assert problem.status == response.status_code
    assert problem.type.startswith(PROBLEM_BASE)
    assert URI_REFERENCE.fullmatch(problem.instance), problem.instance
    assert unquote(problem.instance) == unquote(urlsplit(response.request.url).path)


def valid_data_passes_request_validation(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: ApiCase
) -> None:
    """Data the document calls valid is never refused by request validation: when it is, the
    document promises more than the request models accept."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if response.status_code == 422:
        assert json.loads(response.content)["detail"] != VALIDATION_DETAIL, response.content


@contextmanager
def example_rolled_back(connection: Connection) -> Iterator[None]:
    """Undoes one example's requests, so that every example starts from the demo data."""
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()


CHECKS: list[schemathesis.CheckFunction] = [
    errors_are_problem_json,
    valid_data_passes_request_validation,
]


@schema.parametrize()
@pytest.mark.usefixtures("schemathesis_node_id", "db")
def test_every_operation_keeps_its_contract_for_every_caller(
    case: ApiCase, caller_name: str, caller: dict[str, str], connection: Connection
) -> None:
    if not runs_for(case, caller_name):
        return
    with example_rolled_back(connection):
        case.call_and_validate(headers=caller, additional_checks=CHECKS)


STATEFUL = hypothesis.settings(
    max_examples=EXAMPLES,
    stateful_step_count=5,
    derandomize=DETERMINISTIC,
    database=None,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@pytest.mark.usefixtures("db")
# The integration client's operations take no ids from one another's answers: nothing to chain.
@pytest.mark.parametrize("account", [c for c in CALLERS if c not in {ANONYMOUS, INTEGRATION}])
def test_chained_operations_keep_their_contract_for_every_caller(
    api_schema: BaseSchema, app: FastAPI, tokens: Tokens, account: str, connection: Connection
) -> None:
    headers = tokens.headers(account)

    class Caller(schema_for(api_schema, app, account).as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # Hypothesis draws each chain's steps from what earlier answers returned, so every
            # chain must meet the same data.
            self.example = connection.begin_nested()
            super().setup()

        def teardown(self) -> None:
            super().teardown()
            self.example.rollback()

        def get_call_kwargs(self, case: ApiCase) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(
            self,
            response: schemathesis.Response,
            case: ApiCase,
            additional_checks: list[schemathesis.CheckFunction] | None = None,
            **kwargs: Any,
        ) -> None:
            super().validate_response(response, case, additional_checks=CHECKS, **kwargs)

    Caller.run(settings=STATEFUL)


@pytest.mark.usefixtures("db")
@pytest.mark.parametrize(
    "form",
    [
        {"grant_type": "password", "username": "kurator", "password": DEMO_PASSWORD},
        {
            "grant_type": "client_credentials",
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
        },
    ],
    ids=["password", "client_credentials"],
)
def test_a_successful_login_keeps_its_contract(
    api_schema: BaseSchema, form: dict[str, Any]
) -> None:
    token = api_schema[TOKEN_URL]["POST"]
    case = token.Case(body=form, media_type="application/x-www-form-urlencoded")
    response = case.call_and_validate(additional_checks=CHECKS)
    assert response.status_code == 200
