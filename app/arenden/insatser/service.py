"""Interventions: the team records what is carried out, by whom and when (T 7.6)."""

import uuid

from sqlalchemy.orm import Session

from app.arenden import repository
from app.arenden.enums import Insatsstatus
from app.arenden.insatser.schemas import InsatsCreate, InsatsUpdate
from app.arenden.models import Insats
from app.arenden.rules import ARBETSFASER
from app.arenden.service import SynligtArende, audit, ensure_phase
from app.audit.chain import Atgard
from app.auth.principal import Principal
from app.core.errors import InvalidInput, NotFound

RESURS = "insats"
AVSLUTADE = frozenset({Insatsstatus.avslutad, Insatsstatus.avbruten})


def _check(insats: Insats) -> None:
    problems = []
    if insats.slutdatum is not None and insats.slutdatum < insats.startdatum:
        problems.append({"plats": "body.slutdatum", "meddelande": "Ligger före startdatum."})
    if insats.status in AVSLUTADE and insats.slutdatum is None:
        problems.append(
            {"plats": "body.slutdatum", "meddelande": "En avslutad insats har ett slutdatum."}
        )
    if problems:
        raise InvalidInput("Insatsens tider stämmer inte.", errors=problems)


def list_insatser(session: Session, synligt: SynligtArende) -> list[Insats]:
    audit(session, synligt, Atgard.read, resurs_typ=RESURS)
    return repository.insatser_of(session, synligt.arende.id)


def load(session: Session, synligt: SynligtArende, insats_id: uuid.UUID) -> Insats:
    insats = repository.get_insats(session, arende_id=synligt.arende.id, insats_id=insats_id)
    if insats is None:
        raise NotFound(RESURS, insats_id, elev_id=synligt.arende.elev_id)
    return insats


def create(
    session: Session, principal: Principal, synligt: SynligtArende, data: InsatsCreate
) -> Insats:
    ensure_phase(synligt.arende, ARBETSFASER, vad="Insatser")
    insats = Insats(arende_id=synligt.arende.id, skapad_av=principal.id, **data.model_dump())
    _check(insats)
    session.add(insats)
    session.flush()
    audit(session, synligt, Atgard.create, resurs_typ=RESURS, resurs_id=insats.id)
    return insats


def update(session: Session, synligt: SynligtArende, insats: Insats, data: InsatsUpdate) -> Insats:
    ensure_phase(synligt.arende, ARBETSFASER, vad="Insatser")
    fields = data.model_fields_set
    for name in ("beskrivning", "ansvarig_namn", "slutdatum"):
        if name in fields:
            setattr(insats, name, getattr(data, name))
    insats.ansvarig = data.ansvarig or insats.ansvarig
    insats.startdatum = data.startdatum or insats.startdatum
    insats.status = data.status or insats.status
    _check(insats)
    session.flush()
    audit(session, synligt, Atgard.update, resurs_typ=RESURS, resurs_id=insats.id)
    return insats
