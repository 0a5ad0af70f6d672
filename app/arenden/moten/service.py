"""Meetings: the team calls them and writes agenda and minutes (T 7.3: "Skolsociala teamet
ansvarar för dagordning, minnesanteckningar och genomförande av mötet")."""

import uuid

from sqlalchemy.orm import Session

from app.arenden import repository
from app.arenden.models import Mote
from app.arenden.moten.schemas import (
    DeltagareIn,
    MoteCreate,
    MoteRead,
    MoteUpdate,
    deltagare_problem,
)
from app.arenden.rules import ARBETSFASER
from app.arenden.service import SynligtArende, audit, ensure_phase
from app.audit.chain import Atgard
from app.auth.principal import Principal
from app.core.errors import InvalidInput, NotFound
from app.core.time import today

RESURS = "arende_mote"


def _check(mote: Mote, deltagare: list[DeltagareIn] | None) -> None:
    if deltagare is not None and (problem := deltagare_problem(mote.typ, deltagare)):
        raise InvalidInput(problem, errors=[{"plats": "body.deltagare", "meddelande": problem}])
    if mote.minnesanteckningar is not None and mote.datum > today():
        raise InvalidInput(
            "Minnesanteckningar förs när mötet har hållits.",
            errors=[
                {
                    "plats": "body.minnesanteckningar",
                    "meddelande": "Mötets datum ligger i framtiden.",
                }
            ],
        )


def _participants(deltagare: list[DeltagareIn]) -> list[dict[str, object]]:
    return [d.model_dump(mode="json") for d in deltagare]


def list_moten(session: Session, synligt: SynligtArende) -> list[Mote]:
    audit(session, synligt, Atgard.read, resurs_typ=RESURS)
    return list(synligt.arende.moten)


def load(session: Session, synligt: SynligtArende, mote_id: uuid.UUID) -> Mote:
    mote = repository.get_mote(session, arende_id=synligt.arende.id, mote_id=mote_id)
    if mote is None:
        raise NotFound(RESURS, mote_id, elev_id=synligt.arende.elev_id)
    return mote


def create(
    session: Session, principal: Principal, synligt: SynligtArende, data: MoteCreate
) -> Mote:
    arende = synligt.arende
    ensure_phase(arende, ARBETSFASER, vad="Möten")
    mote = Mote(
        arende_id=arende.id,
        typ=data.typ,
        datum=data.datum,
        plats=data.plats,
        deltagare=_participants(data.deltagare),
        dagordning=data.dagordning,
        minnesanteckningar=data.minnesanteckningar,
        skapad_av=principal.id,
    )
    _check(mote, data.deltagare)
    arende.moten.append(mote)
    session.flush()
    audit(session, synligt, Atgard.create, resurs_typ=RESURS, resurs_id=mote.id)
    return mote


def update(session: Session, synligt: SynligtArende, mote: Mote, data: MoteUpdate) -> Mote:
    ensure_phase(synligt.arende, ARBETSFASER, vad="Möten")
    fields = data.model_fields_set
    mote.datum = data.datum or mote.datum
    for name in ("plats", "dagordning", "minnesanteckningar"):
        if name in fields:
            setattr(mote, name, getattr(data, name))
    if data.deltagare is not None:
        mote.deltagare = _participants(data.deltagare)
    _check(mote, data.deltagare)
    session.flush()
    audit(session, synligt, Atgard.update, resurs_typ=RESURS, resurs_id=mote.id)
    return mote


def mote_read(mote: Mote) -> MoteRead:
    return MoteRead.model_validate(
        {
            **{name: getattr(mote, name) for name in MoteRead.model_fields if name != "hallet"},
            "hallet": mote.minnesanteckningar is not None and mote.datum <= today(),
        }
    )
