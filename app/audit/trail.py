"""The request's audit trail: entries collected while a request runs, written just before commit.

Entries are appended to the kommun's chain in the same transaction as the change they record, so
neither exists without the other. Denied attempts survive a rolled-back request: they are written
in a transaction of their own.
"""

import uuid
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall

_INFO_KEY = "audit_trail"


@dataclass(frozen=True, slots=True)
class Actor:
    kommun_id: uuid.UUID
    aktor_typ: str
    aktor_id: uuid.UUID
    roll: str
    organisation: str | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    actor: Actor
    atgard: Atgard
    resurs_typ: str
    resurs_id: str | None
    elev_id: uuid.UUID | None
    rattslig_grund: str | None
    utfall: Utfall


@dataclass(slots=True)
class AuditTrail:
    request_id: str | None = None
    actor: Actor | None = None
    entries: list[AuditEntry] = field(default_factory=list)

    def take(self, utfall: Utfall | None = None) -> list[AuditEntry]:
        """Removes and returns the pending entries (only those with the given outcome, if named)."""
        taken = [entry for entry in self.entries if utfall is None or entry.utfall is utfall]
        self.entries.clear()
        return taken


def trail_of(session: Session) -> AuditTrail:
    trail = session.info.get(_INFO_KEY)
    if trail is None:
        trail = AuditTrail()
        session.info[_INFO_KEY] = trail
    return cast(AuditTrail, trail)


def record(
    session: Session,
    *,
    atgard: Atgard,
    resurs_typ: str,
    resurs_id: object | None = None,
    elev_id: uuid.UUID | None = None,
    rattslig_grund: str | None = None,
    utfall: Utfall = Utfall.allowed,
    actor: Actor | None = None,
) -> None:
    """Notes an audited event by the request's actor (or the one named); written at commit."""
    trail = trail_of(session)
    who = actor or trail.actor
    if who is None:
        raise RuntimeError("audit entry without an actor")
    trail.entries.append(
        AuditEntry(
            actor=who,
            atgard=atgard,
            resurs_typ=resurs_typ,
            resurs_id=None if resurs_id is None else str(resurs_id),
            elev_id=elev_id,
            rattslig_grund=rattslig_grund,
            utfall=utfall,
        )
    )
