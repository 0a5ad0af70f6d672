"""Helpers for the audit tests: reading chains, and changing audit_logg behind the app's back."""

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from app.anvandare.models import Anvandare
from app.audit.models import AuditHandelse
from app.demo import DEMO_KOMMUN, GRANNKOMMUN
from app.kommuner.models import Kommun

AUDIT_URL = "/api/v1/audit"
VERIFY_URL = "/api/v1/audit/verifiering"
PG_TRIGGER = "audit_logg_endast_tillagg"


def kommun_id(db: Session, namn: str) -> uuid.UUID:
    return db.scalars(select(Kommun.id).where(Kommun.namn == namn)).one()


def demo_kommun(db: Session) -> uuid.UUID:
    return kommun_id(db, DEMO_KOMMUN)


def grannkommun(db: Session) -> uuid.UUID:
    return kommun_id(db, GRANNKOMMUN)


def user_id(db: Session, anvandarnamn: str) -> uuid.UUID:
    return db.scalars(select(Anvandare.id).where(Anvandare.anvandarnamn == anvandarnamn)).one()


def chain(db: Session, kommun: uuid.UUID) -> list[AuditHandelse]:
    """The kommun's rows as the database holds them now, in chain order."""
    return list(
        db.scalars(
            select(AuditHandelse)
            .where(AuditHandelse.kommun_id == kommun)
            .order_by(AuditHandelse.lopnummer)
            .execution_options(populate_existing=True)
        )
    )


@contextmanager
def append_only_lifted(connection: Connection) -> Iterator[None]:
    """Lets a test UPDATE and DELETE audit_logg rows inside its own transaction.

    The guard is restored afterwards; the test's transaction is rolled back at the end anyway.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"ALTER TABLE audit_logg DISABLE TRIGGER {PG_TRIGGER}"))
        yield
        connection.execute(text(f"ALTER TABLE audit_logg ENABLE TRIGGER {PG_TRIGGER}"))
        return
    triggers = connection.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"),
        {"table": "audit_logg"},
    ).all()
    assert triggers, "audit_logg has no triggers to lift"
    for name, _sql in triggers:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        connection.execute(text(sql))


def search_all(
    client: TestClient, headers: Mapping[str, str], params: Mapping[str, str], *, limit: int = 3
) -> list[dict[str, Any]]:
    """Every row GET /audit returns for the filters, following nasta_cursor to the end."""
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page_params = {**params, "limit": str(limit), **({"cursor": cursor} if cursor else {})}
        response = client.get(AUDIT_URL, params=page_params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        rows += body["data"]
        cursor = body["nasta_cursor"]
        if cursor is None:
            return rows
