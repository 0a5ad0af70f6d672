"""Who is calling: a person (användare) or a machine client (integration), as stored now."""

import uuid
from dataclasses import dataclass
from enum import StrEnum

from app.audit.trail import Actor
from app.auth.roles import EXTERNAL_ORGANISATIONS, ROLE_SCOPES, Organisation, Roll


class AktorTyp(StrEnum):
    anvandare = "anvandare"
    klient = "klient"
    system = "system"  # the command line, run by whoever operates the service


SYSTEM_ID = uuid.UUID(int=0)


@dataclass(frozen=True, slots=True)
class Principal:
    aktor_typ: AktorTyp
    id: uuid.UUID
    kommun_id: uuid.UUID
    roll: Roll
    organisation: Organisation | None
    skolor: frozenset[uuid.UUID]
    scopes: frozenset[str]

    @property
    def subject(self) -> str:
        return f"{self.aktor_typ}:{self.id}"

    @property
    def is_external(self) -> bool:
        """Outside the school authority: sees pupils only under valid consent (OSL 12:2, T 4.2)."""
        return self.organisation in EXTERNAL_ORGANISATIONS

    def as_actor(self) -> Actor:
        return Actor(
            kommun_id=self.kommun_id,
            aktor_typ=str(self.aktor_typ),
            aktor_id=self.id,
            roll=str(self.roll),
            organisation=None if self.organisation is None else str(self.organisation),
        )


def parse_subject(subject: object) -> tuple[AktorTyp, uuid.UUID] | None:
    if not isinstance(subject, str) or ":" not in subject:
        return None
    kind, _, raw_id = subject.partition(":")
    try:
        return AktorTyp(kind), uuid.UUID(raw_id)
    except ValueError:
        return None


def system_principal(kommun_id: uuid.UUID) -> Principal:
    """The operator at the command line, acting as administrator of one kommun."""
    return Principal(
        aktor_typ=AktorTyp.system,
        id=SYSTEM_ID,
        kommun_id=kommun_id,
        roll=Roll.admin,
        organisation=None,
        skolor=frozenset(),
        scopes=ROLE_SCOPES[Roll.admin],
    )
