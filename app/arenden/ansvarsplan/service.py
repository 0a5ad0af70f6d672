"""The plan (T 7.5), versioned: every save is a new version and the earlier ones stay readable,
so a revision after a follow-up (T 7.7) never loses what was agreed before.

While the case is in ansvarsplanering the plan may be a draft; once the plan is being carried
out (genomforande, uppfoljning) a revision must keep it complete.
"""

from sqlalchemy.orm import Session

from app.anvandare import repository as anvandare_repository
from app.arenden import fakta, repository
from app.arenden.ansvarsplan.schemas import (
    AnsvarsplanPut,
    AnsvarsplanRead,
    MalRead,
    Planinnehall,
    PlanversionRead,
)
from app.arenden.enums import Fas
from app.arenden.models import Ansvarsplan
from app.arenden.rules import plan_brister
from app.arenden.service import SynligtArende, audit, ensure_phase
from app.arenden.timing import UPPFOLJANDE_FASER, nasta_uppfoljning
from app.audit.chain import Atgard
from app.auth.principal import Principal
from app.core.errors import GateNotMet, InvalidInput, NotFound
from app.core.ids import new_id
from app.core.time import utcnow
from app.kit.etag import check_if_match
from app.kit.problem import ProblemFel

RESURS = "ansvarsplan"
FASER = frozenset({Fas.ansvarsplanering, *UPPFOLJANDE_FASER})


def read(session: Session, synligt: SynligtArende, version: int | None) -> AnsvarsplanRead:
    """The latest version, or the one asked for (404 if the plan has no such version)."""
    stored, innehall = fakta.plan_of(session, synligt.arende.id, version)
    if version is not None and stored is None:
        raise NotFound(RESURS, f"{synligt.arende.id}/{version}", elev_id=synligt.arende.elev_id)
    latest = stored if version is None else repository.plan(session, synligt.arende.id)
    audit(session, synligt, Atgard.read, resurs_typ=RESURS, resurs_id=stored and stored.id)
    return plan_read(synligt, stored, innehall, senaste=0 if latest is None else latest.version)


def versions(
    session: Session, principal: Principal, synligt: SynligtArende
) -> list[PlanversionRead]:
    audit(session, synligt, Atgard.read, resurs_typ=RESURS)
    rows = repository.plan_versions(session, synligt.arende.id)
    namn = anvandare_repository.names_in_kommun(
        session, kommun_id=principal.kommun_id, anvandare_ids={row.skapad_av for row in rows}
    )
    return [
        PlanversionRead(
            version=row.version,
            skapad=row.skapad,
            skapad_av=row.skapad_av,
            skapad_av_namn=namn.get(row.skapad_av),
        )
        for row in rows
    ]


def _content(data: AnsvarsplanPut, before: Planinnehall) -> Planinnehall:
    """The new version's content; a goal keeps its id across versions, a new goal gets one."""
    known = {mal.id for mal in before.mal}
    unknown = [
        {
            "plats": f"body.mal.{index}.id",
            "meddelande": "Okänt mål: ange målets id i förra versionen, eller inget id för ett "
            "nytt mål.",
        }
        for index, mal in enumerate(data.mal)
        if mal.id is not None and mal.id not in known
    ]
    if unknown:
        raise InvalidInput("Ansvarsplanen anger mål som inte finns.", errors=unknown)
    return Planinnehall.model_validate(
        {
            **data.model_dump(exclude={"mal"}),
            "mal": [
                MalRead(
                    id=mal.id or new_id(),
                    beskrivning=mal.beskrivning,
                    matt=mal.matt,
                    maldatum=mal.maldatum,
                )
                for mal in data.mal
            ],
        }
    )


def put(
    session: Session,
    principal: Principal,
    synligt: SynligtArende,
    data: AnsvarsplanPut,
    *,
    if_match: str | None,
) -> AnsvarsplanRead:
    """Saves a new version (If-Match: the latest version's ETag, "0" for the first)."""
    arende = synligt.arende
    previous, before = fakta.plan_of(session, arende.id)
    check_if_match(if_match, 0 if previous is None else previous.version)
    ensure_phase(arende, FASER, vad="Ansvarsplanen")
    innehall = _content(data, before)
    if arende.fas in UPPFOLJANDE_FASER and (found := plan_brister(fakta.planuppgift(innehall))):
        raise GateNotMet(
            "Planen genomförs och ska förbli komplett (T 7.5).",
            errors=[brist.som_fel() for brist in found],
        )
    plan = Ansvarsplan(
        arende_id=arende.id,
        version=1 if previous is None else previous.version + 1,
        innehall=innehall.model_dump(mode="json"),
        skapad=utcnow(),
        skapad_av=principal.id,
    )
    session.add(plan)
    arende.nasta_uppfoljning = nasta_uppfoljning(
        innehall.uppfoljningsdatum,
        [u.avser_datum for u in repository.uppfoljningar_of(session, arende.id)],
    )
    session.flush()
    atgard = Atgard.create if previous is None else Atgard.update
    audit(session, synligt, atgard, resurs_typ=RESURS, resurs_id=plan.id)
    return plan_read(synligt, plan, innehall, senaste=plan.version)


def plan_read(
    synligt: SynligtArende, stored: Ansvarsplan | None, innehall: Planinnehall, *, senaste: int
) -> AnsvarsplanRead:
    brister = plan_brister(fakta.planuppgift(innehall))
    return AnsvarsplanRead(
        **innehall.model_dump(),
        arende_id=synligt.arende.id,
        version=0 if stored is None else stored.version,
        senaste_version=senaste,
        komplett=not brister,
        brister=[ProblemFel(plats=b.plats, meddelande=b.meddelande) for b in brister],
        skapad=None if stored is None else stored.skapad,
        skapad_av=None if stored is None else stored.skapad_av,
    )
