"""Sending absence as the demo integration, and native records to send."""

import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.demo import DEMO_CLIENT_ID
from app.elever.models import Elev, ElevExterntId
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


def kall_id(db: Session, elev_id: str, extern_id: str, kalla: str = DEMO_CLIENT_ID) -> None:
    """The pupil's id in the source, as the roster import would have stored it."""
    elev = db.get(Elev, uuid.UUID(elev_id))
    assert elev is not None
    db.add(
        ElevExterntId(kommun_id=elev.kommun_id, kalla=kalla, extern_id=extern_id, elev_id=elev.id)
    )
    db.flush()


def utan_elev_id(record: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A native record naming its pupil some other way than by Samverka's id."""
    return {**{k: v for k, v in record.items() if k != "elev_id"}, **extra}
