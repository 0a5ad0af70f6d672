import base64

import pytest
from fastapi.testclient import TestClient
from jose import jwt
from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from app.auth.roles import ROLE_SCOPES, Roll
from app.core.config import Settings
from tests.helpers import TOKEN_URL, Tokens, audit_since, bearer, last_audit_id, password_login

ME = "/api/v1/auth/me"


def _claims(token: str, settings: Settings) -> dict[str, object]:
    claims: dict[str, object] = jwt.decode(
        token, settings.jwt_secret, algorithms=["HS256"], audience=settings.jwt_audience
    )
    return claims


def test_password_grant_returns_a_bearer_token_with_the_account_claims(
    client: TestClient, settings: Settings
) -> None:
    response = client.post(
        TOKEN_URL, data={"grant_type": "password", "username": "team-soc", "password": "demo"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.jwt_lifetime_minutes * 60
    claims = _claims(body["access_token"], settings)
    assert claims["roll"] == "skolsocialt_team"
    assert claims["organisation"] == "socialtjanst"
    assert set(str(claims["scope"]).split()) == ROLE_SCOPES[Roll.skolsocialt_team]
    assert str(claims["sub"]).startswith("anvandare:")
    for claim in ("exp", "iat", "iss", "aud", "jti", "kommun", "skolor"):
        assert claim in claims


def test_requested_scopes_narrow_the_token(client: TestClient) -> None:
    token = client.post(
        TOKEN_URL,
        data={
            "grant_type": "password",
            "username": "admin",
            "password": "demo",
            "scope": "admin:read elever:read",
        },
    ).json()
    assert token["scope"] == "admin:read"

    headers = bearer(token["access_token"])
    assert client.get("/api/v1/anvandare", headers=headers).status_code == 200
    forbidden = client.post(
        "/api/v1/skolor", json={"namn": "X", "skolenhetskod": "99999999"}, headers=headers
    )
    assert forbidden.status_code == 403


@pytest.mark.parametrize(
    ("username", "password"), [("admin", "fel-losenord"), ("ingen-sadan", "demo")]
)
def test_wrong_password_and_unknown_account_answer_alike(
    client: TestClient, username: str, password: str
) -> None:
    response = client.post(
        TOKEN_URL, data={"grant_type": "password", "username": username, "password": password}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "Fel inloggningsuppgifter."


def test_missing_credentials_are_named(client: TestClient) -> None:
    response = client.post(TOKEN_URL, data={"grant_type": "password", "username": "admin"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"plats": "body.password", "meddelande": "Fältet saknas."}]
    unknown_grant = client.post(TOKEN_URL, data={"grant_type": "implicit"})
    assert unknown_grant.status_code == 422


def test_client_credentials_in_the_form_or_as_http_basic(
    client: TestClient, settings: Settings
) -> None:
    form = client.post(
        TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": "demo-integration",
            "client_secret": "demo-secret",
        },
    )
    assert form.status_code == 200
    assert form.json()["scope"] == "franvaro:write"
    assert _claims(form.json()["access_token"], settings)["roll"] == "integration"

    basic = base64.b64encode(b"demo-integration:demo-secret").decode()
    via_header = client.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert via_header.status_code == 200

    wrong = client.post(
        TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": "demo-integration",
            "client_secret": "fel",
        },
    )
    assert wrong.status_code == 401


def test_repeated_failures_for_one_account_are_refused_with_429(
    client: TestClient, settings: Settings
) -> None:
    wrong = {"grant_type": "password", "username": "styrgrupp", "password": "fel"}
    statuses = [
        client.post(TOKEN_URL, data=wrong).status_code
        for _ in range(settings.login_max_failures_account)
    ]
    assert statuses == [401] * settings.login_max_failures_account

    # Even the right password is refused while the account is throttled.
    right = client.post(TOKEN_URL, data={**wrong, "password": "demo"})
    assert right.status_code == 429
    assert int(right.headers["Retry-After"]) == settings.login_window_seconds
    assert right.json()["type"].endswith("/for-manga-forsok")

    # Other accounts are unaffected.
    assert password_login(client, "granskare")


def test_failed_login_is_audited_as_denied_and_success_as_allowed(
    client: TestClient, db: Session
) -> None:
    before = last_audit_id(db)
    client.post(TOKEN_URL, data={"grant_type": "password", "username": "rektor", "password": "x"})
    password_login(client, "rektor")

    rows = audit_since(db, before)
    assert [(row.atgard, row.utfall, row.roll) for row in rows] == [
        (Atgard.login, Utfall.denied, "rektor"),
        (Atgard.login, Utfall.allowed, "rektor"),
    ]


def test_me_describes_the_caller_from_the_database(client: TestClient, tokens: Tokens) -> None:
    me = client.get(ME, headers=tokens.headers("kurator"))
    assert me.status_code == 200
    body = me.json()
    assert body["anvandarnamn"] == "kurator"
    assert body["roll"] == "elevhalsa"
    assert len(body["skolor"]) == 1
    assert "elever:read" in body["scopes"]

    integration = client.get(ME, headers=tokens.headers("demo-integration")).json()
    assert integration["typ"] == "klient"
    assert integration["roll"] == "integration"
    assert len(integration["skolor"]) == 2


def _user_id(client: TestClient, tokens: Tokens, anvandarnamn: str) -> str:
    users = client.get("/api/v1/anvandare", headers=tokens.headers("admin")).json()["data"]
    return next(str(user["id"]) for user in users if user["anvandarnamn"] == anvandarnamn)


def test_deactivating_a_user_takes_effect_on_their_next_request(
    client: TestClient, tokens: Tokens
) -> None:
    token = password_login(client, "kurator")
    assert client.get(ME, headers=bearer(token)).status_code == 200
    url = f"/api/v1/anvandare/{_user_id(client, tokens, 'kurator')}"
    etag = client.get(url, headers=tokens.headers("admin")).headers["ETag"]

    response = client.patch(
        url, json={"aktiv": False}, headers={**tokens.headers("admin"), "If-Match": etag}
    )

    assert response.status_code == 200
    assert client.get(ME, headers=bearer(token)).status_code == 401
    refused = client.post(
        TOKEN_URL, data={"grant_type": "password", "username": "kurator", "password": "demo"}
    )
    assert refused.status_code == 401


def test_a_changed_role_applies_to_tokens_already_issued(
    client: TestClient, tokens: Tokens
) -> None:
    token = password_login(client, "styrgrupp")
    url = f"/api/v1/anvandare/{_user_id(client, tokens, 'styrgrupp')}"
    etag = client.get(url, headers=tokens.headers("admin")).headers["ETag"]
    client.patch(
        url, json={"roll": "granskare"}, headers={**tokens.headers("admin"), "If-Match": etag}
    )

    # The token says styrgrupp, the database says granskare: the database wins, and the token's
    # scopes cap what the new role may do, so nothing is widened.
    assert client.get(ME, headers=bearer(token)).json()["roll"] == "granskare"
    assert client.get("/api/v1/audit", headers=bearer(token)).status_code == 403
