"""Token attacks, each against every protected route (from the app's routes, as in the matrix).

Every attack starts from a real token of an account the route admits, so the token unaltered is
accepted (checked per route) and the 401 comes from the attack alone. The full list runs against
every route: each refused request is cheap, as it ends before the handler (about 500
requests, a few seconds on SQLite).
"""

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.auth.roles import Roll
from app.auth.tokens import MAX_TOKEN_BYTES
from app.core.config import Settings
from app.demo import DEMO_USERS
from tests.auth import forge
from tests.auth.endpoints import Endpoint, account_for, expected_roles, protected_endpoints
from tests.helpers import ACCOUNT_ROLES, INTEGRATION, Tokens, bearer

# An attack turns a real token and the service's secret into an Authorization header (or none).
Attack = Callable[[str, str], str | None]

DEMO_KOMMUN_ACCOUNTS = frozenset({user.anvandarnamn for user in DEMO_USERS} | {INTEGRATION})
OTHER_SECRET = "en-helt-annan-hemlighet-som-tjansten-inte-har-0123"


def _claims(change: dict[str, Any]) -> Attack:
    return lambda token, secret: (
        "Bearer " + forge.signed({**forge.claims_of(token), **change}, secret)
    )


def _without(claim: str) -> Attack:
    def attack(token: str, secret: str) -> str:
        claims = forge.claims_of(token)
        del claims[claim]
        return "Bearer " + forge.signed(claims, secret)

    return attack


def _header(extra: dict[str, Any]) -> Attack:
    return lambda token, secret: (
        "Bearer " + forge.signed(forge.claims_of(token), secret, headers=extra)
    )


def _oversized(token: str, secret: str) -> str:
    padding = "x" * MAX_TOKEN_BYTES
    forged = forge.signed({**forge.claims_of(token), "fyllnad": padding}, secret)
    assert len(forged) > MAX_TOKEN_BYTES
    return "Bearer " + forged


def _two_segments(token: str, _secret: str) -> str:
    header, payload, _signature = token.split(".")
    return f"Bearer {header}.{payload}"


def _alg_none(token: str, _secret: str) -> str:
    return "Bearer " + forge.hand_built({"alg": "none", "typ": "JWT"}, forge.claims_of(token), None)


def _rs256_header(token: str, secret: str) -> str:
    # Key confusion: an RS256 header over an HMAC made with the shared secret.
    return "Bearer " + forge.hand_built(
        {"alg": "RS256", "typ": "JWT"}, forge.claims_of(token), secret
    )


ATTACKS: dict[str, Attack] = {
    "missing header": lambda _token, _secret: None,
    "empty bearer": lambda _token, _secret: "Bearer ",
    "basic scheme": lambda token, _secret: f"Basic {token}",
    "no scheme": lambda token, _secret: token,
    "garbage": lambda _token, _secret: "Bearer inte-en-token",
    "two segments": _two_segments,
    "bad base64": lambda _token, _secret: "Bearer ***.!!!.???",
    "alg none": _alg_none,
    "HS512 with the right secret": lambda token, secret: (
        "Bearer " + forge.signed(forge.claims_of(token), secret, algorithm="HS512")
    ),
    "RS256 header": _rs256_header,
    "bad signature": lambda token, _secret: (
        "Bearer " + forge.signed(forge.claims_of(token), OTHER_SECRET)
    ),
    "tampered payload": lambda token, _secret: "Bearer " + forge.tampered(token),
    "expired": lambda token, secret: "Bearer " + forge.expired(token, secret),
    "nbf in the future": _claims({"nbf": forge.now() + forge.HOUR}),
    **{f"missing {claim}": _without(claim) for claim in ("exp", "aud", "iss", "sub", "jti", "iat")},
    "wrong aud": _claims({"aud": "en-annan-tjanst"}),
    "wrong iss": _claims({"iss": "nagon-annan"}),
    "crit header": _header({"crit": ["exp"]}),
    "jku header": _header({"jku": "https://angripare.example/nycklar.json"}),
    "x5u header": _header({"x5u": "https://angripare.example/cert.pem"}),
    "x5c header": _header({"x5c": ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]}),
    "jwk header": _header({"jwk": {"kty": "oct", "k": forge.b64url(OTHER_SECRET.encode())}}),
    "oversized": _oversized,
    "unknown user": _claims({"sub": f"anvandare:{uuid.uuid4()}"}),
    "unknown client": _claims({"sub": f"klient:{uuid.uuid4()}"}),
    "subject without a kind": _claims({"sub": str(uuid.uuid4())}),
}


def _base_token(endpoint: Endpoint, tokens: Tokens) -> str:
    return tokens[account_for(expected_roles(endpoint))]


def _assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers.get("www-authenticate") == "Bearer"
    assert response.headers.get("content-type") == "application/problem+json"


@pytest.mark.parametrize("endpoint", protected_endpoints(), ids=str)
def test_the_unaltered_token_the_attacks_start_from_is_accepted(
    endpoint: Endpoint, client: TestClient, tokens: Tokens
) -> None:
    response = endpoint.call(client, {"Authorization": f"Bearer {_base_token(endpoint, tokens)}"})
    assert response.status_code not in (401, 403), response.text


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("endpoint", protected_endpoints(), ids=str)
def test_an_attacked_token_is_refused_with_401(
    endpoint: Endpoint, attack: str, client: TestClient, tokens: Tokens, settings: Settings
) -> None:
    authorization = ATTACKS[attack](_base_token(endpoint, tokens), settings.jwt_secret)
    headers = {} if authorization is None else {"Authorization": authorization}

    response = endpoint.call(client, headers)

    _assert_refused(response)


def _deactivate(client: TestClient, tokens: Tokens, account: str) -> None:
    """Ends the account through the admin API: a person is deactivated, a client removed."""
    admin = tokens.headers("admin")
    if ACCOUNT_ROLES[account] is Roll.integration:
        listed = client.get("/api/v1/integrationer", headers=admin).json()["data"]
        target = next(row for row in listed if row["klient_id"] == INTEGRATION)
        url, change = f"/api/v1/integrationer/{target['id']}", None
    else:
        listed = client.get("/api/v1/anvandare", headers=admin).json()["data"]
        target = next(row for row in listed if row["anvandarnamn"] == account)
        url, change = f"/api/v1/anvandare/{target['id']}", {"aktiv": False}
    etag = client.get(url, headers=admin).headers["ETag"]
    method = "DELETE" if change is None else "PATCH"
    response = client.request(method, url, json=change, headers={**admin, "If-Match": etag})
    assert response.status_code in (200, 204), response.text


@pytest.mark.parametrize("endpoint", protected_endpoints(), ids=str)
def test_an_old_token_of_a_deactivated_account_is_refused_with_401(
    endpoint: Endpoint, client: TestClient, tokens: Tokens
) -> None:
    account = account_for(expected_roles(endpoint))
    assert account in DEMO_KOMMUN_ACCOUNTS, "the demo admin must be able to deactivate it"
    headers = tokens.headers(account)
    assert endpoint.call(client, headers).status_code not in (401, 403)

    _deactivate(client, tokens, account)
    response = endpoint.call(client, headers)

    _assert_refused(response)


@pytest.mark.parametrize("endpoint", protected_endpoints(), ids=str)
def test_a_token_naming_the_system_actor_is_refused_even_with_a_real_clients_id(
    endpoint: Endpoint, client: TestClient, tokens: Tokens, settings: Settings
) -> None:
    claims = forge.claims_of(tokens[INTEGRATION])
    kind, _, client_id = claims["sub"].partition(":")
    assert kind == "klient"
    forged = forge.signed({**claims, "sub": f"system:{client_id}"}, settings.jwt_secret)

    _assert_refused(endpoint.call(client, bearer(forged)))
