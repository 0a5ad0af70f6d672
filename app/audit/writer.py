"""Appends audit entries to their kommun's hash chain, in the transaction of the change."""

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from app.audit.chain import CONTENT_FIELDS, GENESIS_HASH, canonical, content_hash, link_hash
from app.audit.models import AuditHandelse, AuditKedja
from app.audit.trail import AuditEntry
from app.core.time import utcnow

# PostgreSQL: lock the head, link and insert the rows, move the head — one statement, so the
# chain's lock is never held while Python waits for its turn (the migration defines it).
_PG_APPEND = text("SELECT audit_tillagg(CAST(:kommun_id AS uuid), CAST(:rader AS jsonb))")


def _rows(entries: Sequence[AuditEntry], *, request_id: str | None) -> list[dict[str, object]]:
    now = utcnow()
    rows = []
    for entry in entries:
        row: dict[str, object] = {
            "kommun_id": entry.actor.kommun_id,
            "tidpunkt": now,
            "aktor_typ": entry.actor.aktor_typ,
            "aktor_id": entry.actor.aktor_id,
            "roll": entry.actor.roll,
            "organisation": entry.actor.organisation,
            "atgard": entry.atgard,
            "resurs_typ": entry.resurs_typ,
            "resurs_id": entry.resurs_id,
            "elev_id": entry.elev_id,
            "rattslig_grund": entry.rattslig_grund,
            "utfall": entry.utfall,
            "request_id": request_id,
        }
        row["innehall_hash"] = content_hash(row)
        rows.append(row)
    return rows


def _append_postgresql(
    session: Session, kommun_id: uuid.UUID, rows: list[dict[str, object]]
) -> None:
    payload = [
        {name: canonical(row[name]) for name in (*CONTENT_FIELDS, "innehall_hash")} for row in rows
    ]
    session.execute(_PG_APPEND, {"kommun_id": str(kommun_id), "rader": json.dumps(payload)})


def _append_sqlite(session: Session, kommun_id: uuid.UUID, rows: list[dict[str, object]]) -> None:
    # The transaction already holds SQLite's write lock (BEGIN IMMEDIATE): no one else appends.
    head = session.execute(
        select(AuditKedja).where(AuditKedja.kommun_id == kommun_id)
    ).scalar_one_or_none()
    if head is None:
        head = AuditKedja(kommun_id=kommun_id, lopnummer=0, senaste_hash=GENESIS_HASH)
        session.add(head)
    for row in rows:
        previous = head.senaste_hash
        head.lopnummer += 1
        head.senaste_hash = link_hash(previous, str(row.pop("innehall_hash")))
        row.update(lopnummer=head.lopnummer, foregaende_hash=previous, hash=head.senaste_hash)
    session.execute(insert(AuditHandelse), rows)
    session.flush()


def append(session: Session, entries: Sequence[AuditEntry], *, request_id: str | None) -> None:
    """Writes the entries as the transaction's last statements, chain by chain."""
    if not entries:
        return
    session.flush()  # the change itself first, so the chain's lock is taken as late as possible
    by_kommun: dict[uuid.UUID, list[AuditEntry]] = defaultdict(list)
    for entry in entries:
        by_kommun[entry.actor.kommun_id].append(entry)
    on_postgresql = session.get_bind().dialect.name == "postgresql"
    # One lock order for every transaction, so two requests never wait on each other in a circle.
    for kommun_id in sorted(by_kommun):
        rows = _rows(by_kommun[kommun_id], request_id=request_id)
        if on_postgresql:
            _append_postgresql(session, kommun_id, rows)
        else:
            _append_sqlite(session, kommun_id, rows)
