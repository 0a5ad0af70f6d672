"""Appends audit entries to their kommun's hash chain."""

import uuid
from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.audit.chain import GENESIS_HASH, row_hash
from app.audit.models import AuditHandelse, AuditKedja
from app.audit.trail import AuditEntry
from app.core.time import utcnow


def _locked_head(session: Session, kommun_id: uuid.UUID) -> AuditKedja:
    """The chain's head row, locked until commit; created (race-free) for a kommun's first row."""
    locked = select(AuditKedja).where(AuditKedja.kommun_id == kommun_id).with_for_update()
    head = session.execute(locked).scalar_one_or_none()
    if head is None:
        dialect = session.get_bind().dialect.name
        upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            upsert(AuditKedja)
            .values(kommun_id=kommun_id, lopnummer=0, senaste_hash=GENESIS_HASH)
            .on_conflict_do_nothing(index_elements=["kommun_id"])
        )
        head = session.execute(locked).scalar_one()
    return head


def append(session: Session, entries: Sequence[AuditEntry], *, request_id: str | None) -> None:
    """Writes the entries, chain by chain, holding each chain head's row lock until commit."""
    if not entries:
        return
    now = utcnow()
    # One lock order for every transaction, so two requests never wait on each other in a circle.
    for kommun_id in sorted({entry.actor.kommun_id for entry in entries}):
        head = _locked_head(session, kommun_id)
        rows = []
        for entry in entries:
            if entry.actor.kommun_id != kommun_id:
                continue
            fields: dict[str, object] = {
                "kommun_id": kommun_id,
                "lopnummer": head.lopnummer + 1,
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
                "foregaende_hash": head.senaste_hash,
            }
            fields["hash"] = row_hash(fields)
            head.lopnummer += 1
            head.senaste_hash = str(fields["hash"])
            rows.append(fields)
        session.execute(insert(AuditHandelse), rows)
    session.flush()
