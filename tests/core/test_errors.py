"""Every error is RFC 9457 problem+json with Swedish text and no internals."""

import base64
import logging
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.core.config import Settings
from app.core.errors import install_error_handlers
from app.elever import service as elever_service
from tests.factories import ny_elev
from tests.helpers import Tokens


def _assert_problem(response_json: dict[str, object], status: int) -> None:
    assert set(response_json) >= {"type", "title", "status", "detail", "instance"}
    assert response_json["status"] == status
    assert str(response_json["type"]).startswith("https://samverka.se/problem/")


def test_unknown_route_is_a_problem(client: TestClient) -> None:
    response = client.get("/api/v1/finns-inte")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    _assert_problem(response.json(), 404)
    assert response.json()["instance"] == "/api/v1/finns-inte"


def test_the_instance_is_the_request_path_as_a_uri_reference(client: TestClient) -> None:
    response = client.get("/api/v1/finns inte/Åsa%0A")
    assert response.status_code == 404
    assert response.json()["instance"] == "/api/v1/finns%20inte/%C3%85sa%0A"


def test_wrong_method_is_a_problem(client: TestClient) -> None:
    response = client.delete("/api/v1/skolor")
    assert response.status_code == 405
    assert response.json()["title"] == "Metoden är inte tillåten"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/skolor", "GET, POST"),
        ("OPTIONS", f"/api/v1/skolor/{uuid.UUID(int=1)}", "GET, PATCH"),
        ("PUT", f"/api/v1/integrationer/{uuid.UUID(int=1)}", "DELETE, GET"),
    ],
)
def test_wrong_method_names_every_method_the_path_supports(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    assert response.headers["content-type"] == "application/problem+json"


def test_validation_errors_name_each_field_in_swedish_without_echoing_input(
    client: TestClient, tokens: Tokens
) -> None:
    response = client.post(
        "/api/v1/skolor",
        json={"namn": "x" * 201, "skolenhetskod": "hemligt-varde"},
        headers=tokens.headers("admin"),
    )
    assert response.status_code == 422
    body = response.json()
    _assert_problem(body, 422)
    assert body["errors"] == [
        {"plats": "body.namn", "meddelande": "Texten är för lång (högst 200 tecken)."},
        {"plats": "body.skolenhetskod", "meddelande": "Texten har fel format."},
    ]
    assert "hemligt-varde" not in response.text


def test_malformed_json_is_a_problem(client: TestClient, tokens: Tokens) -> None:
    response = client.post(
        "/api/v1/skolor",
        content=b"{inte json",
        headers={**tokens.headers("admin"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["meddelande"] == "Innehållet är inte giltig JSON."


def test_a_json_body_that_is_not_utf8_is_malformed_json(client: TestClient, tokens: Tokens) -> None:
    response = client.post(
        "/api/v1/skolor",
        content='{"namn": "Åsens skola", "skolenhetskod": "55555555"}'.encode("latin-1"),
        headers={**tokens.headers("admin"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"plats": "body", "meddelande": "Innehållet är inte giltig JSON."}
    ]


@pytest.mark.parametrize(
    ("url", "request_kwargs", "platser"),
    [
        (
            "/api/v1/skolor",
            {"json": {"namn": "a\x00b", "skolenhetskod": "55555555"}},
            ["body.namn"],
        ),
        (
            "/api/v1/auth/token",
            {"data": {"grant_type": "password", "username": "a\x00b", "password": "x"}},
            ["body.username"],
        ),
        (
            "/api/v1/auth/token",
            {"data": {"grant_type": "client_credentials"}},
            ["body.client_id", "body.client_secret"],
        ),
    ],
    ids=["json", "form", "basic-auth"],
)
def test_text_with_a_nul_character_is_refused_on_every_database(
    client: TestClient,
    tokens: Tokens,
    url: str,
    request_kwargs: dict[str, Any],
    platser: list[str],
) -> None:
    basic = base64.b64encode(b"demo-integration\x00:demo-secret").decode()
    headers = (
        tokens.headers("admin") if url.endswith("skolor") else {"Authorization": f"Basic {basic}"}
    )
    response = client.post(url, headers=headers, **request_kwargs)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["plats"] for error in response.json()["errors"]] == platser


def test_bad_path_parameter_is_a_problem(client: TestClient, tokens: Tokens) -> None:
    response = client.get("/api/v1/skolor/inte-ett-uuid", headers=tokens.headers("admin"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"plats": "path.skola_id", "meddelande": "Ska vara ett UUID."}
    ]


def test_a_body_over_the_cap_is_refused_with_413(
    client: TestClient, tokens: Tokens, settings: Settings
) -> None:
    oversized = b'{"namn": "' + b"x" * settings.max_body_bytes + b'"}'
    response = client.post(
        "/api/v1/skolor",
        content=oversized,
        headers={**tokens.headers("admin"), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    _assert_problem(response.json(), 413)


def test_a_chunked_body_over_the_cap_is_refused_with_413(
    client: TestClient, tokens: Tokens, settings: Settings
) -> None:
    chunk = b"x" * 65536

    def chunks() -> object:
        yield b'{"namn": "'
        for _ in range(settings.max_body_bytes // len(chunk) + 1):
            yield chunk
        yield b'"}'

    response = client.post(
        "/api/v1/skolor",
        content=chunks(),
        headers={**tokens.headers("admin"), "Content-Type": "application/json"},
    )
    assert "content-length" not in {key.lower() for key in response.request.headers}
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/api/v1/skolor", "/healthz"])
def test_every_answer_carries_a_request_id_and_api_answers_are_not_cached(
    client: TestClient, path: str
) -> None:
    response = client.get(path, headers={"X-Request-ID": "spar-123"})
    assert response.headers["X-Request-ID"] == "spar-123"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if path.startswith("/api/"):
        assert response.headers["Cache-Control"] == "no-store"


def test_an_unsafe_request_id_is_replaced(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "a b\tc<script>"})
    assert response.headers["X-Request-ID"] != "a b\tc<script>"
    assert len(response.headers["X-Request-ID"]) == 32


def test_a_chunked_body_under_the_cap_reaches_the_endpoint(
    client: TestClient, tokens: Tokens
) -> None:
    def chunks() -> object:
        yield '{"namn": "Strömmad skola", '.encode()
        yield b'"skolenhetskod": "44444444"}'

    response = client.post(
        "/api/v1/skolor",
        content=chunks(),
        headers={**tokens.headers("admin"), "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["namn"] == "Strömmad skola"


NUMMER, NAMN = "201601051004", "Alva Ek"


def test_an_unexpected_error_is_logged_where_it_happened_without_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/fel")
    def fel() -> None:
        raise ValueError(f"duplicate key (personnummer)=({NUMMER}) {NAMN}")

    errors = logging.getLogger("app.core.errors")
    caplog.set_level(logging.ERROR, logger=errors.name)
    errors.addHandler(caplog.handler)
    try:
        response = TestClient(app, raise_server_exceptions=False).get("/fel")
    finally:
        errors.removeHandler(caplog.handler)

    assert response.status_code == 500
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ValueError" in logged
    assert "in fel" in logged
    assert "201601051004" not in logged
    assert "Alva" not in logged
    assert "201601051004" not in response.text


def test_an_unexpected_error_in_the_app_is_answered_and_not_raised_on_to_the_server(
    client: TestClient, tokens: Tokens, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server would log the exception with its message; the test client would raise it."""
    elev = ny_elev(client, tokens, db)

    def fails(*_args: object, **_kwargs: object) -> None:
        raise ValueError(f"duplicate key (personnummer)=({NUMMER}) {NAMN}")

    monkeypatch.setattr(elever_service, "read", fails)
    response = client.get(f"/api/v1/elever/{elev['id']}", headers=tokens.headers("kurator"))

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["X-Request-ID"]
    assert NUMMER not in response.text


def test_a_row_changed_by_another_transaction_is_412() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/krock")
    def krock() -> None:
        raise StaleDataError("UPDATE statement on table 'x' expected to update 1 row(s)")

    response = TestClient(app).get("/krock")

    assert response.status_code == 412
    assert response.headers["content-type"] == "application/problem+json"
    _assert_problem(response.json(), 412)
    assert "UPDATE" not in response.text


def test_a_unique_key_taken_between_the_check_and_the_write_is_409_not_500(
    client: TestClient, tokens: Tokens, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As when a concurrent request registers the same personnummer after this one checked it.
    elev = ny_elev(client, tokens, db)
    monkeypatch.setattr(elever_service, "_ensure_personnummer_free", lambda *args, **kwargs: None)

    response = client.post(
        "/api/v1/elever",
        json={
            "personnummer": elev["personnummer"],
            "fornamn": "Samma",
            "efternamn": "Nummer",
            "skola_id": elev["skola_id"],
            "arskurs": "7",
        },
        headers=tokens.headers("kurator"),
    )

    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/konflikt")
