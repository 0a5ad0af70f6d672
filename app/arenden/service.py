"""Cases: the school's application, loading within the caller's scope, lists, and audit.

A case is visible to whoever may see its pupil now (elever.access): the pupil's school, and the
skolsocialt team — its members from social services or the region only while a consent in force
names their organisation. Every allowed read and write is audited with the legal basis; a case
out of reach is 404 and a denied audit row.
"""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.arenden import fakta, franvaro, repository
from app.arenden.enums import Deltagarroll, Fas, Motestyp
from app.arenden.models import Arende, ArendeFas
from app.arenden.repository import ArendeFilter, Forsening
from app.arenden.rules import (
    ARBETSFASER,
    handlaggare_brister,
    samtycke_brister,
    uppstartsmoten_hallna,
)
from app.arenden.schemas import ArendeCreate, ArendeUpdate, FranvaroIn
from app.arenden.timing import Forfallo, nasta_forfallodatum
from app.arenden.vy import ArendeVy, Kontaktperson
from app.audit.chain import Atgard
from app.auth.principal import Principal
from app.core.errors import Conflict, Forbidden, GateNotMet, InvalidInput, NotFound
from app.core.time import today, utcnow
from app.elever import service as elever_service
from app.elever.access import SCHOOL_ROLES, basis_in_list, list_scope
from app.elever.models import Elev
from app.elever.service import SynligElev
from app.kit.pagination import PageParams
from app.samtycken import repository as samtycken_repository
from app.samtycken.rules import Bedomning
from app.samtycken.status import assess, assess_many

RESURS = "arende"
APPLICATION_TEXTS = (
    "orsak",
    "insatser_organisationsniva",
    "insatser_gruppniva",
    "insatser_individniva",
)
APPLICATION_FIELDS = frozenset({*APPLICATION_TEXTS, "franvaro"})
# What the school can change in answer to a request for completion (T 7.2).
_ANSWER_COLUMNS = (
    *APPLICATION_TEXTS,
    "franvaro_beskrivning",
    "franvaro_procent",
    "franvaro_fran",
    "franvaro_till",
    "samtycke_id",
)


@dataclass(frozen=True, slots=True)
class SynligtArende:
    """A case the caller may see now, with the pupil and the legal basis of the access."""

    arende: Arende
    synlig: SynligElev


def load(
    session: Session, principal: Principal, arende_id: uuid.UUID, *, for_write: bool = False
) -> SynligtArende:
    """The case if the caller may see its pupil now; otherwise 404, as if it did not exist.

    For a write the case row is locked until commit, so the writes to one case run one at a time.
    """
    arende = repository.get_in_kommun(
        session, kommun_id=principal.kommun_id, arende_id=arende_id, for_update=for_write
    )
    if arende is None:
        raise NotFound(RESURS, arende_id)
    try:
        synlig = elever_service.load(session, principal, arende.elev_id)
    except NotFound as exc:
        raise NotFound(RESURS, arende_id, elev_id=arende.elev_id) from exc
    return SynligtArende(arende, synlig)


def audit(
    session: Session,
    synligt: SynligtArende,
    atgard: Atgard,
    *,
    resurs_typ: str = RESURS,
    resurs_id: object | None = None,
) -> None:
    elever_service.audit(
        session,
        synligt.synlig,
        atgard,
        resurs_typ=resurs_typ,
        resurs_id=synligt.arende.id if resurs_id is None else resurs_id,
    )


def is_school(principal: Principal) -> bool:
    return principal.roll in SCHOOL_ROLES


def ensure_phase(arende: Arende, faser: Collection[Fas], *, vad: str) -> None:
    """409 unless the case is in one of the phases where the work happens."""
    if arende.fas in faser:
        return
    if arende.fas is Fas.avslutat:
        raise Conflict("Ärendet är avslutat och kan inte ändras.")
    names = ", ".join(fas for fas in Fas if fas in faser)
    raise Conflict(f"{vad} görs i faserna {names}; ärendet är i fasen {arende.fas}.")


def kontaktperson(arende: Arende, *, idag: date) -> Kontaktperson | None:
    """The contact person named at the latest start-up meeting with the school (T 7.3)."""
    for mote in reversed(arende.moten):
        if mote.typ is not Motestyp.uppstart_skola or mote.minnesanteckningar is None:
            continue
        if mote.datum > idag:
            continue
        for deltagare in mote.deltagare:
            if deltagare.get("kontaktperson"):
                return Kontaktperson(
                    namn=deltagare["namn"],
                    roll=Deltagarroll(deltagare["roll"]),
                    beskrivning=deltagare.get("beskrivning"),
                    mote_id=mote.id,
                )
    return None


def forfallo(arende: Arende, *, idag: date, uppstart_dagar: int) -> Forfallo | None:
    return nasta_forfallodatum(
        fas=arende.fas,
        beviljat=arende.beviljat,
        uppstartsmoten_hallna=uppstartsmoten_hallna(fakta.motesuppgifter(arende), idag=idag),
        nasta_uppfoljning=arende.nasta_uppfoljning,
        uppstart_dagar=uppstart_dagar,
        idag=idag,
    )


def vyer(
    session: Session, rows: Collection[tuple[Arende, Elev]], *, uppstart_dagar: int
) -> list[ArendeVy]:
    idag = today()
    bedomningar = assess_many(session, {arende.samtycke_id for arende, _ in rows}, idag=idag)
    sammanfattningar = franvaro.sammanfattningar_for_ansokan(
        session, [arende for arende, _ in rows]
    )
    return [
        ArendeVy(
            arende=arende,
            elev=elev,
            samtycke=bedomningar[arende.samtycke_id],
            forfallo=forfallo(arende, idag=idag, uppstart_dagar=uppstart_dagar),
            kontaktperson=kontaktperson(arende, idag=idag),
            franvaro=sammanfattning,
        )
        for (arende, elev), sammanfattning in zip(rows, sammanfattningar, strict=True)
    ]


def vy(session: Session, synligt: SynligtArende, *, uppstart_dagar: int) -> ArendeVy:
    [found] = vyer(session, [(synligt.arende, synligt.synlig.elev)], uppstart_dagar=uppstart_dagar)
    return found


def read(
    session: Session, principal: Principal, arende_id: uuid.UUID, *, uppstart_dagar: int
) -> ArendeVy:
    synligt = load(session, principal, arende_id)
    audit(session, synligt, Atgard.read)
    return vy(session, synligt, uppstart_dagar=uppstart_dagar)


def list_arenden(
    session: Session,
    principal: Principal,
    filter_: ArendeFilter,
    page: PageParams,
    *,
    uppstart_dagar: int,
) -> list[ArendeVy]:
    """The cases within the caller's scope, each listed case audited with its legal basis."""
    idag = today()
    scope = list_scope(session, principal, idag=idag)
    if scope is None:
        return []
    scoped = ArendeFilter(
        kommun_id=principal.kommun_id,
        skolor=scope.skolor,
        elever=None if scope.samtycken is None else frozenset(scope.samtycken),
        fas=filter_.fas,
        skola_id=filter_.skola_id,
        handlaggare_id=filter_.handlaggare_id,
        forsenade=filter_.forsenade,
        forsening=Forsening(idag=idag, uppstart_senast=idag - timedelta(days=uppstart_dagar)),
    )
    rows = repository.list_filtered(session, scoped, page)
    for arende, elev in rows[: page.limit]:
        synlig = SynligElev(elev, basis_in_list(principal, elev, scope))
        audit(session, SynligtArende(arende, synlig), Atgard.search)
    return vyer(session, rows, uppstart_dagar=uppstart_dagar)


def check_consent(
    session: Session, principal: Principal, *, elev_id: uuid.UUID, samtycke_id: uuid.UUID
) -> Bedomning:
    """The named consent of the pupil, in force and naming school and social services (T 4.2,
    7.1): 422 when it is not the pupil's, 409 listing what it lacks."""
    plats = "body.samtycke_id"
    samtycke = samtycken_repository.get_in_kommun(
        session, kommun_id=principal.kommun_id, samtycke_id=samtycke_id
    )
    if samtycke is None or samtycke.elev_id != elev_id:
        raise InvalidInput(
            "Samtycket hör inte till eleven.",
            errors=[{"plats": plats, "meddelande": "Okänt samtycke för eleven."}],
        )
    bedomning = assess(session, samtycke, idag=today())
    if found := samtycke_brister(bedomning, plats=plats):
        raise GateNotMet(
            "Ärendet kräver ett giltigt samtycke som omfattar skola och socialtjänst (T 4.2, 7.1).",
            errors=[brist.som_fel() for brist in found],
        )
    return bedomning


def _set_franvaro(arende: Arende, data: FranvaroIn) -> None:
    arende.franvaro_beskrivning = data.beskrivning
    arende.franvaro_procent = data.andel_procent
    arende.franvaro_fran = data.period_fran
    arende.franvaro_till = data.period_till


def apply_for(
    session: Session, principal: Principal, data: ArendeCreate, *, uppstart_dagar: int
) -> ArendeVy:
    """The school applies for the team's support for a pupil of the school (T 7.1)."""
    synlig = elever_service.load(session, principal, data.elev_id)
    repository.lock_elev(session, synlig.elev.id)
    if repository.open_case_of(session, synlig.elev.id) is not None:
        raise Conflict("Eleven har redan ett öppet ärende hos det skolsociala teamet.")
    check_consent(session, principal, elev_id=synlig.elev.id, samtycke_id=data.samtycke_id)
    arende = Arende(
        kommun_id=principal.kommun_id,
        elev_id=synlig.elev.id,
        ansokande_skola_id=synlig.elev.skola_id,
        ansokt_av=principal.id,
        fas=Fas.ansokan,
        orsak=data.orsak,
        insatser_organisationsniva=data.insatser_organisationsniva,
        insatser_gruppniva=data.insatser_gruppniva,
        insatser_individniva=data.insatser_individniva,
        samtycke_id=data.samtycke_id,
        moten=[],
    )
    _set_franvaro(arende, data.franvaro)
    session.add(arende)
    session.flush()
    session.add(
        ArendeFas(arende_id=arende.id, till=Fas.ansokan, tidpunkt=utcnow(), utford_av=principal.id)
    )
    session.flush()
    synligt = SynligtArende(arende, synlig)
    audit(session, synligt, Atgard.create)
    return vy(session, synligt, uppstart_dagar=uppstart_dagar)


def _answerable(arende: Arende) -> tuple[object, ...]:
    return tuple(getattr(arende, name) for name in _ANSWER_COLUMNS)


def _update_application(principal: Principal, arende: Arende, data: ArendeUpdate) -> None:
    if not is_school(principal):
        raise Forbidden("Ansökan ändras av skolan.")
    if arende.fas is not Fas.ansokan:
        raise Conflict("Ansökan ändras bara medan ärendet är i fasen ansokan.")
    for name in APPLICATION_TEXTS:
        if (value := getattr(data, name)) is not None:
            setattr(arende, name, value)
    if data.franvaro is not None:
        _set_franvaro(arende, data.franvaro)


def _reassign(
    session: Session, principal: Principal, arende: Arende, handlaggare_id: uuid.UUID
) -> None:
    if is_school(principal):
        raise Forbidden("Handläggaren utses av det skolsociala teamet.")
    if arende.fas not in ARBETSFASER:
        raise Conflict(
            "En handläggare utses när ansökan beviljas (POST …/faser med till uppstart) och "
            "byts medan teamet arbetar med ärendet."
        )
    lage = fakta.handlaggarlage(
        session,
        kommun_id=principal.kommun_id,
        anvandare_id=handlaggare_id,
        bedomning=fakta.samtycke(session, arende, idag=today()),
    )
    if found := handlaggare_brister(lage):
        raise GateNotMet(
            "Handläggaren kan inte utses.", errors=[brist.som_fel() for brist in found]
        )
    arende.handlaggare_id = handlaggare_id


def update(
    session: Session,
    principal: Principal,
    synligt: SynligtArende,
    data: ArendeUpdate,
    *,
    uppstart_dagar: int,
) -> ArendeVy:
    arende = synligt.arende
    ensure_phase(arende, set(Fas) - {Fas.avslutat}, vad="Ändringar")
    application = _answerable(arende)
    if data.model_fields_set & APPLICATION_FIELDS:
        _update_application(principal, arende, data)
    if data.samtycke_id is not None:
        check_consent(session, principal, elev_id=arende.elev_id, samtycke_id=data.samtycke_id)
        arende.samtycke_id = data.samtycke_id
    if data.handlaggare_id is not None:
        _reassign(session, principal, arende, data.handlaggare_id)
    asked = arende.komplettering_begard and not arende.komplettering_besvarad
    if asked and is_school(principal) and _answerable(arende) != application:
        # T 7.2: the school's change after a request for completion is its answer; a PATCH
        # that changes nothing in the application is not.
        arende.komplettering_besvarad = utcnow()
    session.flush()
    audit(session, synligt, Atgard.update)
    return vy(session, synligt, uppstart_dagar=uppstart_dagar)
