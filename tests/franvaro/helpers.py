"""Sending absence as the demo integration, and native records to send."""

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import INTEGRATION, Tokens

FRANVARO = "/api/v1/franvaro"
SS12000 = "/api/v1/import/ss12000"


def post(
    elev_id: str,
    kall_post_id: str,
    datum: date,
    *,
    schemalagd: int = 60,
    giltig: int = 0,
    ogiltig: int = 0,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "kall_post_id": kall_post_id,
        "elev_id": elev_id,
        "datum": datum.isoformat(),
        "schemalagda_minuter": schemalagd,
        "giltig_franvaro_minuter": giltig,
        "ogiltig_franvaro_minuter": ogiltig,
        **extra,
    }


def skicka(
    client: TestClient,
    tokens: Tokens,
    poster: Any,
    *,
    url: str = FRANVARO,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    response = client.post(
        url, json=poster, headers={**tokens.headers(INTEGRATION), **(headers or {})}
    )
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body
