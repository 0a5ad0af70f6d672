"""Walks a kommun's audit chain and names the first row that does not hold."""

import uuid
from dataclasses import dataclass

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.audit.chain import CONTENT_FIELDS, GENESIS_HASH, content_hash, link_hash
from app.audit.models import AuditHandelse, AuditKedja

BATCH = 5_000


@dataclass(frozen=True, slots=True)
class Brott:
    rad_id: int | None
    lopnummer: int
    orsak: str


@dataclass(frozen=True, slots=True)
class Verifiering:
    kommun_id: uuid.UUID
    antal_rader: int
    forsta_brott: Brott | None

    @property
    def hel(self) -> bool:
        return self.forsta_brott is None


_COLUMNS = [
    getattr(AuditHandelse, name)
    for name in ("id", "lopnummer", "foregaende_hash", "hash", *CONTENT_FIELDS)
    if name != "kommun_id"
]


def _check_row(
    row: Row[tuple[object, ...]], kommun_id: uuid.UUID, expected_lopnummer: int, previous_hash: str
) -> str | None:
    if row.lopnummer != expected_lopnummer:
        return f"löpnummer {expected_lopnummer} saknas (raden har {row.lopnummer})"
    if row.foregaende_hash != previous_hash:
        return "föregående hash stämmer inte med raden före"
    fields = {**row._mapping, "kommun_id": kommun_id}
    if link_hash(previous_hash, content_hash(fields)) != row.hash:
        return "radens innehåll stämmer inte med dess hash"
    return None


def verify_chain(session: Session, kommun_id: uuid.UUID) -> Verifiering:
    # The head first: rows appended while we walk lie beyond it and are left for the next check.
    head = session.execute(
        select(AuditKedja.lopnummer, AuditKedja.senaste_hash).where(
            AuditKedja.kommun_id == kommun_id
        )
    ).first()
    last = head.lopnummer if head else 0
    previous_hash, position = GENESIS_HASH, 0
    while position < last:
        # Plain rows, not ORM objects: a long chain must not fill the session's identity map.
        rows = session.execute(
            select(*_COLUMNS)
            .where(
                AuditHandelse.kommun_id == kommun_id,
                AuditHandelse.lopnummer > position,
                AuditHandelse.lopnummer <= last,
            )
            .order_by(AuditHandelse.lopnummer)
            .limit(BATCH)
        ).all()
        for row in rows:
            problem = _check_row(row, kommun_id, position + 1, previous_hash)
            if problem:
                return Verifiering(kommun_id, position, Brott(row.id, row.lopnummer, problem))
            previous_hash, position = row.hash, row.lopnummer
        if not rows:
            break
    if head is not None and (position, previous_hash) != (head.lopnummer, head.senaste_hash):
        brott = Brott(None, position + 1, "rader i slutet av kedjan saknas eller har ändrats")
        return Verifiering(kommun_id, position, brott)
    return Verifiering(kommun_id, position, None)


def all_chains(session: Session) -> list[uuid.UUID]:
    return list(session.scalars(select(AuditKedja.kommun_id).order_by(AuditKedja.kommun_id)))
