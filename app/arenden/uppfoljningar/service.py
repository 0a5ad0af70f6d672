"""Follow-ups: held by the team with the parties, each goal of the plan evaluated (T 7.7:
"Uppföljning av insatser och de uppsatta målen görs regelbundet enligt överenskommelse i
ansvarsplaneringen"). A follow-up meets the plan's earliest open follow-up date; the case's next
due follow-up moves on."""

from datetime import date

from sqlalchemy.orm import Session

from app.arenden import fakta, franvaro, repository
from app.arenden.ansvarsplan.schemas import Planinnehall
from app.arenden.enums import Fas
from app.arenden.models import Arende, Uppfoljning
from app.arenden.service import SynligtArende, audit, ensure_phase
from app.arenden.timing import UPPFOLJANDE_FASER, nasta_uppfoljning
from app.arenden.uppfoljningar.schemas import (
    FranvaroandelRead,
    MalbedomningIn,
    MalbedomningRead,
    UppfoljningCreate,
    UppfoljningRead,
)
from app.audit.chain import Atgard
from app.auth.principal import Principal
from app.core.errors import InvalidInput
from app.core.time import SKOLTID, today, utcnow

RESURS = "uppfoljning"


def list_uppfoljningar(session: Session, synligt: SynligtArende) -> list[UppfoljningRead]:
    audit(session, synligt, Atgard.read, resurs_typ=RESURS)
    rows = repository.uppfoljningar_of(session, synligt.arende.id)
    return [uppfoljning_read(session, synligt, row) for row in rows]


def _period_start(session: Session, arende: Arende, earlier: list[Uppfoljning]) -> date:
    """Since the previous follow-up; the first looks back to when the plan began to be carried
    out."""
    if earlier:
        return earlier[-1].datum
    started = repository.first_entry_into(session, arende.id, Fas.genomforande)
    return today() if started is None else started.tidpunkt.astimezone(SKOLTID).date()


def _check_date(datum: date, period_fran: date) -> None:
    if datum > today():
        problem = "Uppföljningen registreras när den har hållits; datumet ligger i framtiden."
    elif datum < period_fran:
        problem = f"Ligger före perioden uppföljningen avser (från {period_fran})."
    else:
        return
    raise InvalidInput(problem, errors=[{"plats": "body.datum", "meddelande": problem}])


def _evaluations(plan: Planinnehall, resultat: list[MalbedomningIn]) -> list[dict[str, object]]:
    """Every goal of the plan evaluated once, and nothing else (T 7.7)."""
    goals = {mal.id: mal for mal in plan.mal}
    given = {bedomning.mal_id for bedomning in resultat}
    problems = [
        {"plats": f"body.resultat.{index}.mal_id", "meddelande": "Målet finns inte i planen."}
        for index, bedomning in enumerate(resultat)
        if bedomning.mal_id not in goals
    ] + [
        {"plats": "body.resultat", "meddelande": f"Målet {mal_id} är inte bedömt."}
        for mal_id in goals
        if mal_id not in given
    ]
    if problems:
        raise InvalidInput("Varje mål i ansvarsplanen bedöms en gång.", errors=problems)
    return [
        {
            "mal_id": str(bedomning.mal_id),
            "beskrivning": goals[bedomning.mal_id].beskrivning,
            "resultat": str(bedomning.resultat),
            "kommentar": bedomning.kommentar,
        }
        for bedomning in resultat
    ]


def create(
    session: Session, principal: Principal, synligt: SynligtArende, data: UppfoljningCreate
) -> UppfoljningRead:
    arende = synligt.arende
    ensure_phase(arende, UPPFOLJANDE_FASER, vad="Uppföljningar")
    stored, plan = fakta.plan_of(session, arende.id)
    earlier = repository.uppfoljningar_of(session, arende.id)
    period_fran = _period_start(session, arende, earlier)
    _check_date(data.datum, period_fran)
    row = Uppfoljning(
        arende_id=arende.id,
        datum=data.datum,
        period_fran=period_fran,
        avser_datum=arende.nasta_uppfoljning,
        plan_version=0 if stored is None else stored.version,
        resultat=_evaluations(plan, data.resultat),
        kommentar=data.kommentar,
        skapad=utcnow(),
        skapad_av=principal.id,
    )
    session.add(row)
    arende.nasta_uppfoljning = nasta_uppfoljning(
        plan.uppfoljningsdatum, [u.avser_datum for u in [*earlier, row]]
    )
    session.flush()
    audit(session, synligt, Atgard.create, resurs_typ=RESURS, resurs_id=row.id)
    return uppfoljning_read(session, synligt, row)


def uppfoljning_read(session: Session, synligt: SynligtArende, row: Uppfoljning) -> UppfoljningRead:
    andel = franvaro.andel_for_period(
        session, elev_id=synligt.arende.elev_id, fran=row.period_fran, till=row.datum
    )
    return UppfoljningRead(
        id=row.id,
        arende_id=row.arende_id,
        datum=row.datum,
        plan_version=row.plan_version,
        avser_datum=row.avser_datum,
        resultat=[MalbedomningRead.model_validate(item) for item in row.resultat],
        kommentar=row.kommentar,
        franvaro=FranvaroandelRead(
            period_fran=row.period_fran, period_till=row.datum, andel_procent=andel
        ),
        skapad_av=row.skapad_av,
        skapad=row.skapad,
    )
