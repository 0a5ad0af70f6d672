"""The per-request session: one transaction with its audit, committed after the endpoint."""

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from app.audit import writer
from app.audit.denials import denial_for
from app.audit.trail import AuditEntry, trail_of
from app.core.config import Settings
from app.core.logging import request_id_var

logger = logging.getLogger(__name__)

_AFTER_ROLLBACK = "after_rollback"


def on_rollback(session: Session, action: Callable[[Session], None]) -> None:
    """Runs `action` in a transaction of its own if the request fails (e.g. a failed login)."""
    session.info.setdefault(_AFTER_ROLLBACK, []).append(action)


def connection_slots(settings: Settings) -> int:
    """How many requests may hold a database connection at once: never more than the pool has."""
    return 1 if settings.is_sqlite else settings.db_pool_size + settings.db_max_overflow


async def _connection_slot(request: Request) -> AsyncIterator[None]:
    # Waiting here takes no worker thread. Without it, a pool smaller than the thread pool
    # deadlocks under load: every thread blocks on the pool while the requests that hold the
    # connections wait for a thread to finish in.
    state = request.app.state
    if getattr(state, "db_slots", None) is None:
        state.db_slots = anyio.CapacityLimiter(connection_slots(state.settings))
    async with state.db_slots:
        yield


def get_session(
    request: Request, _slot: Annotated[None, Depends(_connection_slot, scope="function")]
) -> Iterator[Session]:
    with request.app.state.sessionmaker() as session:
        trail = trail_of(session)
        trail.request_id = request_id_var.get()
        try:
            yield session
        except Exception as exc:
            session.rollback()
            denied = denial_for(exc, trail, method=request.method, path=request.url.path)
            actions = session.info.pop(_AFTER_ROLLBACK, [])
            if denied or actions:
                _write_in_own_transaction(
                    session, denied, actions=actions, request_id=trail.request_id
                )
            raise
        else:
            writer.append(session, trail.take(), request_id=trail.request_id)
            session.commit()


def _write_in_own_transaction(
    session: Session,
    entries: list[AuditEntry],
    *,
    actions: list[Callable[[Session], None]],
    request_id: str | None,
) -> None:
    try:
        for action in actions:
            action(session)
        writer.append(session, entries, request_id=request_id)
        session.commit()
    except Exception:
        session.rollback()
        logger.exception("kunde inte spara det som ska överleva en misslyckad begäran")
        raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction outside any request (command line, setup): audit entries, then commit."""
    with factory() as session, session.begin():
        yield session
        writer.append(session, trail_of(session).take(), request_id=None)
