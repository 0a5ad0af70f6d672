"""The status of stored consents, and which consent (if any) lets a party see a pupil now."""

import uuid
from collections.abc import Collection
from datetime import date

from sqlalchemy.orm import Session

from app.elever import repository as elever_repository
from app.samtycken import repository
from app.samtycken.models import Part, Samtycke, Undertecknare
from app.samtycken.rules import (
    Bedomning,
    SamtyckeStatus,
    Signerare,
    Underlag,
    bedom,
    vardnadshavare,
)


def underlag_for(samtycke: Samtycke, custodians: frozenset[uuid.UUID]) -> Underlag:
    return Underlag(
        parter=frozenset(Part(part) for part in samtycke.parter),
        giltig_fran=samtycke.giltig_fran,
        giltig_till=samtycke.giltig_till,
        vardnadshavare_med_vardnad=custodians,
        elevens_signatur_kravs=samtycke.elevens_signatur_kravs,
        signerat_av=frozenset(
            Signerare(Undertecknare(signatur.undertecknare), signatur.vardnadshavare_id)
            for signatur in samtycke.signaturer
        ),
        aterkallelser=tuple(
            None if withdrawal.parter is None else frozenset(Part(p) for p in withdrawal.parter)
            for withdrawal in samtycke.aterkallelser
        ),
    )


def assess(session: Session, samtycke: Samtycke, *, idag: date) -> Bedomning:
    custodians = elever_repository.custodians_of(session, [samtycke.elev_id])
    return bedom(underlag_for(samtycke, custodians[samtycke.elev_id]), idag=idag)


def assess_many(
    session: Session, samtycke_ids: Collection[uuid.UUID], *, idag: date
) -> dict[uuid.UUID, Bedomning]:
    """The status of each named consent, in three queries however many there are."""
    samtycken = repository.many_by_ids(session, samtycke_ids)
    custodians = elever_repository.custodians_of(session, {s.elev_id for s in samtycken})
    return {s.id: bedom(underlag_for(s, custodians[s.elev_id]), idag=idag) for s in samtycken}


def in_force_for(
    session: Session, *, elev_id: uuid.UUID, part: Part, idag: date
) -> Samtycke | None:
    """The pupil's newest consent that is `giltigt` for the party today."""
    samtycken = repository.for_elev(session, elev_id)
    if not samtycken:
        return None
    custodians = elever_repository.custodians_of(session, [elev_id])[elev_id]
    for samtycke in samtycken:
        if bedom(underlag_for(samtycke, custodians), idag=idag).tacker(part):
            return samtycke
    return None


def pupils_in_force_for(
    session: Session, *, kommun_id: uuid.UUID, part: Part, idag: date
) -> dict[uuid.UUID, uuid.UUID]:
    """The kommun's pupils that a consent in force lets the party see today, each with the
    newest such consent."""
    candidates = repository.within_period(session, kommun_id=kommun_id, idag=idag)
    custodians = elever_repository.custodians_of(session, {s.elev_id for s in candidates})
    found: dict[uuid.UUID, uuid.UUID] = {}
    for samtycke in sorted(candidates, key=lambda candidate: candidate.id):
        if bedom(underlag_for(samtycke, custodians[samtycke.elev_id]), idag=idag).tacker(part):
            found[samtycke.elev_id] = samtycke.id
    return found


def awaits_signature_of(
    session: Session, *, elev_id: uuid.UUID, vardnadshavare_id: uuid.UUID, idag: date
) -> bool:
    """Whether one of the pupil's consents waits for the guardian's signature (joint custody
    needs both; DOMAIN.md: Consent)."""
    custodians = elever_repository.custodians_of(session, [elev_id])[elev_id]
    wanted = vardnadshavare(vardnadshavare_id)
    for samtycke in repository.for_elev(session, elev_id):
        bedomning = bedom(underlag_for(samtycke, custodians), idag=idag)
        waiting = bedomning.status is SamtyckeStatus.vantar_signatur
        if waiting and wanted in bedomning.saknade_signaturer:
            return True
    return False
