"""Who may see a pupil, on what legal basis, and whether their contact data.

School staff see the pupils of their own schools. The skolsocialt team sees the pupils who have
a case with the team, across the kommun's schools; its members from outside the school authority
(social services, region) only while a consent in force names their organisation (OSL 12 kap. 2 §,
T 4.2, 7.1; DOMAIN.md: "Team members of either organisation see only pupils who have a case with
the team"). Contact data of a pupil with protected identity reaches only the pupil's own school's
student health and principal.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.arenden import repository as arenden_repository
from app.auth.principal import Principal
from app.auth.roles import Roll
from app.elever.models import Elev, SkyddadIdentitet
from app.samtycken.models import Part
from app.samtycken.status import in_force_for, pupils_in_force_for

GRUND_EGEN_SKOLA = "egen_skola"
GRUND_SKOLSOCIALT_TEAM = "skolsocialt_team"

SCHOOL_ROLES = frozenset({Roll.elevhalsa, Roll.rektor})


def consent_basis(samtycke_id: uuid.UUID) -> str:
    return f"samtycke:{samtycke_id}"


@dataclass(frozen=True, slots=True)
class Atkomst:
    """An allowed access: the legal basis the audit row records, and whether the caller may see
    the contact data of people with protected identity."""

    grund: str
    ser_skyddade: bool = False
    samtycke_id: uuid.UUID | None = None

    def visar_kontaktuppgifter(self, *markeringar: SkyddadIdentitet) -> bool:
        """Contact data is shown when no one involved is protected, or to those who may."""
        return self.ser_skyddade or all(m is SkyddadIdentitet.ingen for m in markeringar)


def access_to(session: Session, principal: Principal, elev: Elev, *, idag: date) -> Atkomst | None:
    if elev.kommun_id != principal.kommun_id:
        return None
    if principal.roll in SCHOOL_ROLES:
        if elev.skola_id in principal.skolor:
            return Atkomst(GRUND_EGEN_SKOLA, ser_skyddade=True)
        return None
    if principal.roll is not Roll.skolsocialt_team:
        return None
    if not arenden_repository.has_case(session, elev.id):
        return None
    if not principal.is_external:
        return Atkomst(GRUND_SKOLSOCIALT_TEAM)
    samtycke = in_force_for(
        session, elev_id=elev.id, part=Part(str(principal.organisation)), idag=idag
    )
    if samtycke is None:
        return None
    return Atkomst(consent_basis(samtycke.id), samtycke_id=samtycke.id)


@dataclass(frozen=True, slots=True)
class ListScope:
    """The rows a pupil list may start from; None means no limit of that kind. For a party
    outside the school authority, `samtycken` maps each visible pupil to its consent;
    `med_arende` limits the list to pupils with a case at the team."""

    skolor: frozenset[uuid.UUID] | None
    samtycken: Mapping[uuid.UUID, uuid.UUID] | None
    utan_skyddad_identitet: bool
    med_arende: bool = False


def list_scope(session: Session, principal: Principal, *, idag: date) -> ListScope | None:
    """None: the caller sees no pupils at all. Protected pupils stay out of others' bulk lists."""
    if principal.roll in SCHOOL_ROLES:
        return ListScope(skolor=principal.skolor, samtycken=None, utan_skyddad_identitet=False)
    if principal.roll is not Roll.skolsocialt_team:
        return None
    if not principal.is_external:
        return ListScope(skolor=None, samtycken=None, utan_skyddad_identitet=True, med_arende=True)
    samtycken = pupils_in_force_for(
        session,
        kommun_id=principal.kommun_id,
        part=Part(str(principal.organisation)),
        idag=idag,
    )
    return ListScope(skolor=None, samtycken=samtycken, utan_skyddad_identitet=True, med_arende=True)


def basis_in_list(principal: Principal, elev: Elev, scope: ListScope) -> Atkomst:
    """The basis for a pupil that a list already limited to the caller's scope returned."""
    if principal.roll in SCHOOL_ROLES:
        return Atkomst(GRUND_EGEN_SKOLA, ser_skyddade=True)
    if scope.samtycken is None:
        return Atkomst(GRUND_SKOLSOCIALT_TEAM)
    samtycke_id = scope.samtycken[elev.id]
    return Atkomst(consent_basis(samtycke_id), samtycke_id=samtycke_id)
