"""The access log: one line per request, with the path and never the query string or a body."""

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.middleware import access_log
from tests.factories import ny_elev
from tests.helpers import Tokens


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_each_request_is_logged_with_its_path_and_without_its_query_or_body(
    client: TestClient, tokens: Tokens, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    elev = ny_elev(client, tokens, db, efternamn="Loggström")
    caplog.set_level(logging.INFO, logger=access_log.name)
    logged = _Lines()
    access_log.addHandler(logged)
    try:
        client.get(f"/api/v1/elever/{elev['id']}", headers=tokens.headers("kurator"))
        client.get("/api/v1/elever", params={"arskurs": "7"}, headers=tokens.headers("kurator"))
        client.post(
            "/api/v1/elever/sok",
            json={"personnummer": elev["personnummer"]},
            headers=tokens.headers("kurator"),
        )
    finally:
        access_log.removeHandler(logged)

    assert [line.rsplit(" ", 2)[0] for line in logged.lines] == [
        f"GET /api/v1/elever/{elev['id']} 200",
        "GET /api/v1/elever 200",
        "POST /api/v1/elever/sok 200",
    ]
    text = "\n".join(logged.lines)
    assert "arskurs" not in text
    assert elev["personnummer"] not in text
    assert "Loggström" not in text
