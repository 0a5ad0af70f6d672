"""The facts the phase gates look at, gathered from the database; rules.py judges them."""

import uuid
from datetime import date

from sqlalchemy.orm import Session

from app.anvandare import repository as anvandare_repository
from app.arenden import repository
from app.arenden.ansvarsplan.schemas import Planinnehall
from app.arenden.enums import Ansvarspart, Fas
from app.arenden.lage import (
    Arendelage,
    Handlaggarlage,
    Malsuppgift,
    Motesuppgift,
    Planuppgift,
    Tidsplanpost,
)
from app.arenden.models import Ansvarsplan, Arende
from app.auth.roles import EXTERNAL_ORGANISATIONS, Roll
from app.samtycken.models import Part
from app.samtycken.rules import Bedomning, SamtyckeStatus
from app.samtycken.status import assess_many


def samtycke(session: Session, arende: Arende, *, idag: date) -> Bedomning:
    """The status of the consent the case rests on, today."""
    return assess_many(session, [arende.samtycke_id], idag=idag)[arende.samtycke_id]


def motesuppgifter(arende: Arende) -> tuple[Motesuppgift, ...]:
    return tuple(
        Motesuppgift(
            typ=mote.typ,
            datum=mote.datum,
            har_minnesanteckningar=mote.minnesanteckningar is not None,
            kontaktperson_utsedd=any(d.get("kontaktperson") for d in mote.deltagare),
        )
        for mote in arende.moten
    )


def plan_of(
    session: Session, arende_id: uuid.UUID, version: int | None = None
) -> tuple[Ansvarsplan | None, Planinnehall]:
    stored = repository.plan(session, arende_id, version)
    innehall = Planinnehall() if stored is None else Planinnehall.model_validate(stored.innehall)
    return stored, innehall


def planuppgift(innehall: Planinnehall) -> Planuppgift:
    ansvar = innehall.ansvar
    texts = {
        Ansvarspart.elev_och_vardnadshavare: ansvar.elev_och_vardnadshavare,
        Ansvarspart.skola: ansvar.skola,
        Ansvarspart.skolsocialt_team: ansvar.skolsocialt_team,
        Ansvarspart.ovriga_aktorer: ansvar.ovriga_aktorer,
    }
    return Planuppgift(
        nulage=bool(innehall.nulage),
        mal=tuple(
            Malsuppgift(matt=bool(mal.matt), maldatum=mal.maldatum is not None)
            for mal in innehall.mal
        ),
        ansvar=frozenset(part for part, text in texts.items() if text),
        planerade_insatser=tuple(
            Tidsplanpost(post.startdatum, post.slutdatum) for post in innehall.planerade_insatser
        ),
        uppfoljningsdatum=tuple(innehall.uppfoljningsdatum),
        uppfoljningsmetod=bool(innehall.uppfoljningsmetod),
    )


def handlaggarlage(
    session: Session, *, kommun_id: uuid.UUID, anvandare_id: uuid.UUID, bedomning: Bedomning
) -> Handlaggarlage:
    """Whether the user can be the case's handläggare: an active member of the kommun's team
    who may see the pupil (social services and region only under the consent, T 4.2)."""
    user = anvandare_repository.get_in_kommun(
        session, kommun_id=kommun_id, anvandare_id=anvandare_id
    )
    if user is None:
        return Handlaggarlage(i_kommunen=False)
    covered = user.organisation not in EXTERNAL_ORGANISATIONS or (
        bedomning.status is SamtyckeStatus.giltigt and Part(user.organisation) in bedomning.parter
    )
    return Handlaggarlage(
        i_kommunen=True,
        aktiv=user.aktiv,
        i_teamet=user.roll is Roll.skolsocialt_team,
        omfattas_av_samtycke=covered,
    )


def _followed_up_since_implementation(session: Session, arende: Arende) -> bool:
    entered = repository.last_entry_into(session, arende.id, Fas.genomforande)
    if entered is None:
        return False
    return any(
        uppfoljning.skapad >= entered.tidpunkt
        for uppfoljning in repository.uppfoljningar_of(session, arende.id)
    )


def arendelage(session: Session, arende: Arende, *, idag: date) -> Arendelage:
    kartlaggning = repository.kartlaggning_of(session, arende.id)
    _, plan = plan_of(session, arende.id)
    return Arendelage(
        fas=arende.fas,
        idag=idag,
        samtycke=samtycke(session, arende, idag=idag),
        komplettering_obesvarad=(
            arende.komplettering_begard is not None and arende.komplettering_besvarad is None
        ),
        moten=motesuppgifter(arende),
        kartlaggning_dokumenterad=kartlaggning is not None and bool(kartlaggning.sammanfattning),
        plan=planuppgift(plan),
        uppfoljning_sedan_genomforande=_followed_up_since_implementation(session, arende),
    )
