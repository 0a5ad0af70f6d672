"""Small helpers the tests share: logging in, reading audit rows, building headers, and waiting
for another connection to block on a lock."""

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app.audit.models import AuditHandelse
from app.auth.roles import Roll
from app.core.time import today
from app.demo import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_PASSWORD,
    DEMO_USERS,
    GRANN_USERS,
)

TOKEN_URL = "/api/v1/auth/token"
INTEGRATION = "demo-integration"

# Every demo account (both kommuner) and the demo integration client, with its role.
ACCOUNT_ROLES: dict[str, Roll] = {
    **{user.anvandarnamn: user.roll for user in (*DEMO_USERS, *GRANN_USERS)},
    INTEGRATION: Roll.integration,
}


@dataclass(frozen=True)
class Tokens:
    by_account: dict[str, str]

    def __getitem__(self, account: str) -> str:
        return self.by_account[account]

    def headers(self, account: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.by_account[account]}"}


def password_login(client: TestClient, anvandarnamn: str, losenord: str = DEMO_PASSWORD) -> str:
    response = client.post(
        TOKEN_URL,
        data={"grant_type": "password", "username": anvandarnamn, "password": losenord},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def client_login(client: TestClient, klient_id: str, hemlighet: str) -> str:
    response = client.post(
        TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": klient_id,
            "client_secret": hemlighet,
        },
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def login_all(client: TestClient) -> Tokens:
    tokens = {user.anvandarnamn: password_login(client, user.anvandarnamn) for user in DEMO_USERS}
    tokens |= {user.anvandarnamn: password_login(client, user.anvandarnamn) for user in GRANN_USERS}
    tokens[INTEGRATION] = client_login(client, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    return Tokens(tokens)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def audit_rows(db: Session, **filters: object) -> list[AuditHandelse]:
    query = select(AuditHandelse).order_by(AuditHandelse.id)
    for name, value in filters.items():
        query = query.where(getattr(AuditHandelse, name) == value)
    return list(db.scalars(query))


def last_audit_id(db: Session) -> int:
    return db.scalar(select(func.coalesce(func.max(AuditHandelse.id), 0))) or 0


def audit_since(db: Session, after_id: int) -> list[AuditHandelse]:
    return list(
        db.scalars(
            select(AuditHandelse).where(AuditHandelse.id > after_id).order_by(AuditHandelse.id)
        )
    )


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


def from_today(changes: dict[str, Any]) -> dict[str, Any]:
    """A test's changes with each timedelta made a date from today, when the test runs: a date
    made when the tests are collected is a day off in a run that passes midnight."""
    return {
        key: (today() + value).isoformat() if isinstance(value, timedelta) else value
        for key, value in changes.items()
    }


# How long a test waits for another connection to block on a lock, or to finish after it.
LOCK_WAIT_SECONDS = 10


def _waiting_on_a_lock(engine: Engine) -> bool:
    with engine.connect() as connection:
        waiting = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return bool(waiting)


def started_until_blocked(
    engine: Engine, target: Callable[[], None], what: str
) -> threading.Thread:
    """`target` started in a thread, once a connection waits on a lock (PostgreSQL): the
    thread's, while the caller holds what it waits for."""
    thread = threading.Thread(target=target)
    thread.start()
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while not _waiting_on_a_lock(engine):
        assert thread.is_alive(), f"{what} finished without waiting for the first"
        assert time.monotonic() < deadline, f"{what} never waited on a lock"
        time.sleep(0.01)
    return thread
