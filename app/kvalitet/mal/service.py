"""The quality cycle (S 9; T 4.1): goals per school or for the team and period, their outcome,
analysis and improvement actions, and an action carried into the next period's goal.

Who: the principal sets and follows up the goals of their schools (S 3: "Rektorn är ytterst
ansvarig för skolans systematiska kvalitetsarbete"); the school's student health staff — the
counsellor reports to the principal (S 9) — read them. The steering group sets the team's goals
(T 4.1: "Att tydliggöra mål och prioriteringar") and reads every goal of the kommun; the team
reads its own goals. Goals hold aggregates and analysis, never a pupil's data.
"""

import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.principal import Principal
from app.auth.roles import Roll
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.core.time import utcnow
from app.kit.pagination import PageParams
from app.kvalitet import tidsram
from app.kvalitet.mal import repository
from app.kvalitet.mal.indikatorer import BERAKNADE, Indikator
from app.kvalitet.mal.models import Forbattringsatgard, Kvalitetsmal, Malniva, Utfallskalla
from app.kvalitet.mal.repository import MalFilter, Malsynlighet
from app.kvalitet.mal.schemas import MalCreate, MalUpdate, MalVy, NastaMalCreate
from app.kvalitet.period import Period
from app.kvalitet.statistik import service as statistik_service
from app.kvalitet.statistik.resultat import Omfang
from app.skolor import service as skolor_service

RESURS = "kvalitetsmal"
GRUND = "kvalitetsuppfoljning"


def synlighet(principal: Principal) -> Malsynlighet:
    if principal.roll is Roll.styrgrupp:
        return Malsynlighet(principal.kommun_id, skolor=None, team=True)
    if principal.roll is Roll.skolsocialt_team:
        return Malsynlighet(principal.kommun_id, skolor=frozenset(), team=True)
    return Malsynlighet(principal.kommun_id, skolor=principal.skolor, team=False)


def _audit(session: Session, atgard: Atgard, mal_id: uuid.UUID | None = None) -> None:
    record(session, atgard=atgard, resurs_typ=RESURS, resurs_id=mal_id, rattslig_grund=GRUND)


def _ensure_may_write(principal: Principal, niva: Malniva, skola_id: uuid.UUID | None) -> None:
    if niva is Malniva.team and principal.roll is not Roll.styrgrupp:
        raise Forbidden("Teamets mål sätts av styrgruppen (T 4.1).")
    if niva is Malniva.skola and not (
        principal.roll is Roll.rektor and skola_id in principal.skolor
    ):
        raise Forbidden("Skolans mål sätts av rektor på skolan (S 3).")


def load(
    session: Session, principal: Principal, mal_id: uuid.UUID, *, for_write: bool = False
) -> Kvalitetsmal:
    """The goal if the caller may see it (404 otherwise); for a write also may change it (403)."""
    mal = repository.get_visible(session, synlighet(principal), mal_id, for_update=for_write)
    if mal is None:
        raise NotFound(RESURS, mal_id)
    if for_write:
        _ensure_may_write(principal, mal.niva, mal.skola_id)
    return mal


def vyer(session: Session, rows: list[Kvalitetsmal]) -> list[MalVy]:
    sources = repository.sources_of(session, [row.id for row in rows])
    return [MalVy(row, sources.get(row.id)) for row in rows]


def read(session: Session, principal: Principal, mal_id: uuid.UUID) -> MalVy:
    mal = load(session, principal, mal_id)
    _audit(session, Atgard.read, mal.id)
    return vyer(session, [mal])[0]


def list_mal(
    session: Session, principal: Principal, filter_: MalFilter, page: PageParams
) -> list[MalVy]:
    _audit(session, Atgard.search)
    return vyer(session, repository.list_visible(session, synlighet(principal), filter_, page))


def _fel(plats: str, meddelande: str) -> dict[str, str]:
    return {"plats": f"body.{plats}", "meddelande": meddelande}


def _check(mal: Kvalitetsmal) -> None:
    """What a goal must hold: a period in order, a described manual indicator, target and
    direction together, and an entered outcome only for a manual indicator."""
    problems = tidsram.fel(
        {"body.period_fran": mal.period_fran, "body.period_till": mal.period_till}
    )
    if mal.period_till < mal.period_fran:
        problems.append(_fel("period_till", "Ligger före period_fran."))
    if mal.indikator is Indikator.manuell and not mal.indikator_beskrivning:
        problems.append(_fel("indikator_beskrivning", "Beskriv den manuella indikatorn."))
    if (mal.malvarde is None) != (mal.riktning is None):
        problems.append(_fel("riktning", "Målvärde och riktning anges tillsammans."))
    if mal.utfall_kalla is Utfallskalla.manuell and mal.indikator is not Indikator.manuell:
        problems.append(
            _fel("utfall", "En beräknad indikators utfall fylls i ur statistiken (POST …/utfall).")
        )
    if problems:
        raise InvalidInput("Målet är inte fullständigt.", errors=problems)


def _skola(session: Session, principal: Principal, data: MalCreate) -> uuid.UUID | None:
    if data.niva is Malniva.team:
        if data.skola_id is not None:
            raise InvalidInput(
                "Teamets mål gäller ingen enskild skola.",
                errors=[_fel("skola_id", "Anges bara för niva skola.")],
            )
        return None
    if data.skola_id is None:
        raise InvalidInput("Ange skolan.", errors=[_fel("skola_id", "Krävs för niva skola.")])
    return skolor_service.resolve_many(session, principal, [data.skola_id], field="skola_id")[0].id


def _atgarder(texter: list[str]) -> list[Forbattringsatgard]:
    return [
        Forbattringsatgard(ordning=index, beskrivning=text) for index, text in enumerate(texter)
    ]


def _new(principal: Principal, data: MalCreate, skola_id: uuid.UUID | None) -> Kvalitetsmal:
    return Kvalitetsmal(
        kommun_id=principal.kommun_id,
        niva=data.niva,
        skola_id=skola_id,
        period_fran=data.period_fran,
        period_till=data.period_till,
        mal=data.mal,
        indikator=data.indikator,
        indikator_beskrivning=data.indikator_beskrivning,
        malvarde=data.malvarde,
        riktning=data.riktning,
        utfall=data.utfall,
        utfall_kalla=None if data.utfall is None else Utfallskalla.manuell,
        analys=data.analys,
        skapad_av=principal.id,
        andrad_av=principal.id,
        atgarder=_atgarder(data.forbattringsatgarder),
    )


def create(session: Session, principal: Principal, data: MalCreate) -> MalVy:
    skola_id = _skola(session, principal, data)
    _ensure_may_write(principal, data.niva, skola_id)
    mal = _new(principal, data, skola_id)
    _check(mal)
    session.add(mal)
    session.flush()
    _audit(session, Atgard.create, mal.id)
    return vyer(session, [mal])[0]


def _replace_atgarder(mal: Kvalitetsmal, items: list[tuple[uuid.UUID | None, str]]) -> None:
    current = {atgard.id: atgard for atgard in mal.atgarder}
    seen: set[uuid.UUID] = set()
    problems = []
    for index, (aid, _) in enumerate(items):
        if aid is None:
            continue
        if aid not in current or aid in seen:
            problems.append(_fel(f"forbattringsatgarder.{index}.id", "Okänd eller upprepad."))
        seen.add(aid)
    if problems:
        raise InvalidInput("Varje befintlig åtgärd anges högst en gång.", errors=problems)
    kept = {aid for aid, _ in items if aid is not None}
    if any(a.overford_till_mal_id for aid, a in current.items() if aid not in kept):
        raise Conflict("En åtgärd som förts över till ett nytt mål tas inte bort.")
    updated = []
    for index, (aid, text) in enumerate(items):
        atgard = current[aid] if aid is not None else Forbattringsatgard(beskrivning=text)
        atgard.ordning, atgard.beskrivning = index, text
        updated.append(atgard)
    mal.atgarder = updated


def _apply(mal: Kvalitetsmal, data: MalUpdate) -> None:
    for name in ("mal", "indikator_beskrivning", "malvarde", "riktning", "analys"):
        if name in data.model_fields_set:
            setattr(mal, name, getattr(data, name))
    if data.indikator is not None and data.indikator is not mal.indikator:
        mal.indikator = data.indikator
        mal.utfall = mal.utfall_kalla = mal.utfall_saknas = mal.utfall_beraknat = None
    if "utfall" in data.model_fields_set:
        mal.utfall = data.utfall
        mal.utfall_kalla = None if data.utfall is None else Utfallskalla.manuell
        mal.utfall_saknas = mal.utfall_beraknat = None
    if data.forbattringsatgarder is not None:
        _replace_atgarder(mal, [(item.id, item.beskrivning) for item in data.forbattringsatgarder])


def update(session: Session, principal: Principal, mal: Kvalitetsmal, data: MalUpdate) -> MalVy:
    if "mal" in data.model_fields_set and data.mal is None:
        raise InvalidInput("Målet behöver en text.", errors=[_fel("mal", "Får inte vara null.")])
    _apply(mal, data)
    _check(mal)
    mal.andrad_av = principal.id
    session.flush()
    _audit(session, Atgard.update, mal.id)
    return vyer(session, [mal])[0]


def compute_outcome(session: Session, principal: Principal, mal: Kvalitetsmal) -> MalVy:
    """Fills the outcome of a computed indicator from the statistics for the goal's school (the
    whole kommun for the team) and period, as they stand now, suppression included."""
    ref = BERAKNADE.get(mal.indikator)
    if ref is None:
        raise Conflict("En manuell indikators utfall anges med PATCH.")
    omfang = (
        Omfang(None, None)
        if mal.skola_id is None
        else Omfang(mal.skola_id, frozenset({mal.skola_id}))
    )
    statistik = statistik_service.berakna(
        session,
        kommun_id=mal.kommun_id,
        period=Period(mal.period_fran, mal.period_till),
        omfang=omfang,
    )
    found = statistik.hitta(ref.figur, ref.grupp, ref.matt)
    mal.utfall = None if found is None or found.varde is None else float(found.varde)
    mal.utfall_saknas = None if found is None else found.saknas
    mal.utfall_kalla, mal.utfall_beraknat = Utfallskalla.statistik, utcnow()
    mal.andrad_av = principal.id
    session.flush()
    _audit(session, Atgard.update, mal.id)
    return vyer(session, [mal])[0]


def carry_over(
    session: Session,
    principal: Principal,
    kalla: Kvalitetsmal,
    *,
    atgard_id: uuid.UUID,
    data: NastaMalCreate,
) -> MalVy:
    """The next period's goal from one improvement action, keeping the link both ways (S 9)."""
    atgard = next((a for a in kalla.atgarder if a.id == atgard_id), None)
    if atgard is None:
        raise NotFound("forbattringsatgard", atgard_id)
    if atgard.overford_till_mal_id is not None:
        raise Conflict("Åtgärden är redan förd till ett mål för nästa period.")
    given = {"body.period_fran": data.period_fran, "body.period_till": data.period_till}
    if problems := tidsram.fel(given):
        raise InvalidInput("Perioden ligger utanför det som går att följa upp.", errors=problems)
    langd = kalla.period_till - kalla.period_fran
    fran = data.period_fran or kalla.period_till + timedelta(days=1)
    if fran <= kalla.period_till:
        raise InvalidInput(
            "Nästa periods mål börjar efter det tidigare målets period.",
            errors=[_fel("period_fran", f"Ska ligga efter {kalla.period_till}.")],
        )
    ny = MalCreate(
        niva=kalla.niva,
        skola_id=kalla.skola_id,
        period_fran=fran,
        period_till=data.period_till or min(fran + langd, tidsram.SENAST),
        mal=data.mal or atgard.beskrivning,
        indikator=data.indikator or kalla.indikator,
        indikator_beskrivning=data.indikator_beskrivning or kalla.indikator_beskrivning,
        malvarde=data.malvarde if data.malvarde is not None else kalla.malvarde,
        riktning=data.riktning or kalla.riktning,
    )
    vy = create(session, principal, ny)
    atgard.overford_till_mal_id = vy.mal.id
    session.flush()
    _audit(session, Atgard.update, kalla.id)
    return MalVy(vy.mal, atgard)
