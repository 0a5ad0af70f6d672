"""Reading absence: one pupil's records, sums and tier; the early-warning list; the thresholds."""

import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, cast, select, text, tuple_
from sqlalchemy.orm import Session, lazyload

from app.audit.chain import Atgard
from app.auth.principal import Principal
from app.core.errors import InvalidInput
from app.core.time import SKOLTID, today
from app.elever import service as elever_service
from app.elever.access import basis_in_list, list_scope
from app.elever.models import Arskurs, Elev
from app.elever.repository import ElevFilter, filtered
from app.franvaro import narvaro, repository
from app.franvaro.models import Franvarovecka, Narvarogranser, Narvarolage
from app.franvaro.rules import (
    VECKOR_PER_FONSTER,
    Fonster,
    Granser,
    Minuter,
    Narvaroniva,
    bedom,
    procent,
    trend,
    vecka,
)
from app.franvaro.schemas import (
    AnmalanRead,
    ElevensFranvaro,
    FranvaropostRead,
    GranserRead,
    NarvarogranserRead,
    NarvarogranserUpdate,
    Narvarovarning,
    NivaRead,
    Summa,
    VarningElev,
    Veckosumma,
)
from app.kit.pagination import PageParams, bad_cursor, cursor_int

RESURS = "franvaro"
MAX_DAGAR = 400


def _summa(m: Minuter) -> dict[str, Any]:
    return {
        "schemalagda_minuter": m.schemalagd,
        "giltig_franvaro_minuter": m.giltig,
        "ogiltig_franvaro_minuter": m.ogiltig,
        "franvaro_procent": procent(m.franvaro, m.schemalagd),
        "giltig_procent": procent(m.giltig, m.schemalagd),
        "ogiltig_procent": procent(m.ogiltig, m.schemalagd),
    }


def _window_sums(session: Session, elev_id: uuid.UUID, fonster: Fonster) -> tuple[Minuter, Minuter]:
    a, b = Minuter(), Minuter()
    rows = session.execute(
        select(
            Franvarovecka.vecka,
            Franvarovecka.schemalagd,
            Franvarovecka.giltig,
            Franvarovecka.ogiltig,
        ).where(
            Franvarovecka.elev_id == elev_id,
            Franvarovecka.vecka >= fonster.b_fran,
            Franvarovecka.vecka <= fonster.per_vecka,
        )
    )
    for week, s, g, o in rows:
        if fonster.del_av(week) == "a":
            a = a + Minuter(s, g, o)
        else:
            b = b + Minuter(s, g, o)
    return a, b


def _granser_read(granser: Granser) -> GranserRead:
    return GranserRead(gul_procent=float(granser.gul), orange_procent=float(granser.orange))


def niva_for(session: Session, elev: Elev, per: date) -> NivaRead:
    """The pupil's tier over the eight weeks through `per`'s week, and the eight before."""
    granser = narvaro.granser_for(session, elev.kommun_id)
    fonster = Fonster.per(per)
    a, b = _window_sums(session, elev.id, fonster)
    nu, forut = bedom(a, granser), bedom(b, granser)
    return NivaRead(
        niva=nu.niva,
        skal=list(nu.skal),
        andel_procent=procent(a.franvaro, a.schemalagd),
        fran=fonster.a_fran,
        till=fonster.per_vecka + timedelta(days=6),
        foregaende_niva=forut.niva,
        trend=trend(nu.niva, forut.niva),
        granser=_granser_read(granser),
    )


def elevens_franvaro(
    session: Session, principal: Principal, elev_id: uuid.UUID, fran: date | None, till: date | None
) -> ElevensFranvaro:
    synlig = elever_service.load(session, principal, elev_id)
    till = till or today()
    fran = fran or Fonster.per(till).a_fran
    if fran > till:
        raise InvalidInput(
            "Perioden slutar före den börjar.",
            errors=[{"plats": "query.fran", "meddelande": "Ligger efter till."}],
        )
    if (till - fran).days > MAX_DAGAR:
        raise InvalidInput(
            f"Perioden får vara högst {MAX_DAGAR} dagar.",
            errors=[{"plats": "query.fran", "meddelande": f"Högst {MAX_DAGAR} dagar före till."}],
        )
    elev = synlig.elev
    poster = repository.records_of(session, elev_id=elev.id, fran=fran, till=till)
    total = Minuter()
    veckor: dict[date, Minuter] = defaultdict(Minuter)
    for post in poster:
        minuter = Minuter(post.schemalagd, post.giltig, post.ogiltig)
        total = total + minuter
        veckor[vecka(post.datum)] = veckor[vecka(post.datum)] + minuter
    anmalningar = [
        a
        for a in repository.notices_of(session, elev_id=elev.id)
        if a.start.astimezone(SKOLTID).date() <= till and a.slut.astimezone(SKOLTID).date() >= fran
    ]
    elever_service.audit(session, synlig, Atgard.read, resurs_typ=RESURS)
    return ElevensFranvaro(
        elev_id=elev.id,
        fran=fran,
        till=till,
        summa=Summa(**_summa(total)),
        veckor=[Veckosumma(vecka=w, **_summa(m)) for w, m in sorted(veckor.items())],
        poster=[
            FranvaropostRead(
                datum=p.datum,
                schemalagda_minuter=p.schemalagd,
                giltig_franvaro_minuter=p.giltig,
                ogiltig_franvaro_minuter=p.ogiltig,
                orsak=p.orsak,
                kalla=p.kalla,
                kall_post_id=p.extern_id,
            )
            for p in poster
        ],
        anmalningar=[
            AnmalanRead(typ=a.typ, start=a.start, slut=a.slut, kalla=a.kalla) for a in anmalningar
        ],
        narvaroniva=niva_for(session, elev, till),
    )


def varningar(
    session: Session,
    principal: Principal,
    *,
    skola_id: uuid.UUID | None,
    niva: Narvaroniva | None,
    arskurs: Arskurs | None,
    page: PageParams,
) -> list[tuple[Narvarovarning, list[Any]]]:
    """Pupils of the caller's scope at gul or orange, those who rose a tier first, then by tier
    and share; the pupils listed are audited one by one."""
    scope = list_scope(session, principal, idag=today())
    if scope is None:
        return []
    granser = narvaro.granser_for(session, principal.kommun_id)
    narvaro.ensure_current(session, principal.kommun_id, Fonster.per(today()))
    if skola_id is not None or (scope.skolor is not None and len(scope.skolor) == 1):
        _serial(session)
    uttryck = narvaro.uttryck(granser)
    stigit = cast(uttryck.niva > uttryck.forra_niva, Integer)
    n = Narvarolage
    query = (
        filtered(
            ElevFilter(
                kommun_id=principal.kommun_id,
                skolor=scope.skolor,
                ids=None if scope.samtycken is None else frozenset(scope.samtycken),
                utan_skyddad_identitet=scope.utan_skyddad_identitet,
                med_arende=scope.med_arende,
                skola_id=skola_id,
                arskurs=arskurs,
            )
        )
        .join(n, n.elev_id == Elev.id)
        # The list shows no source ids: not loaded with every pupil, as Elev loads them by default.
        .options(lazyload(Elev.externa_id))
        .add_columns(n, stigit.label("stigit"), uttryck.niva.label("steg"), uttryck.promille)
        .where(uttryck.niva >= Narvaroniva.gul.steg)
    )
    if niva is not None:
        query = query.where(uttryck.niva == niva.steg)
    if page.after:
        position = _position(page)
        query = query.where(
            tuple_(-stigit, -uttryck.niva, -uttryck.promille, n.elev_id)
            > tuple_(-position[0], -position[1], -position[2], position[3])
        )
    query = query.order_by(
        stigit.desc(), uttryck.niva.desc(), uttryck.promille.desc(), n.elev_id
    ).limit(page.limit + 1)
    result: list[tuple[Narvarovarning, list[Any]]] = []
    for elev, lage, rose, steg, promille in session.execute(query):
        a, b = narvaro.minuter(lage)
        nu, forut = bedom(a, granser), bedom(b, granser)
        varning = Narvarovarning(
            elev=VarningElev.model_validate(elev),
            niva=nu.niva,
            foregaende_niva=forut.niva,
            trend=trend(nu.niva, forut.niva),
            stigit=nu.niva.steg > forut.niva.steg,
            andel_procent=procent(a.franvaro, a.schemalagd),
            foregaende_andel_procent=procent(b.franvaro, b.schemalagd),
            ogiltig_franvaro_minuter=a.ogiltig,
        )
        result.append((varning, [rose, steg, promille, str(elev.id)]))
        if len(result) <= page.limit:
            synlig = elever_service.SynligElev(elev, basis_in_list(principal, elev, scope))
            elever_service.audit(session, synlig, Atgard.search, resurs_typ="narvarovarning")
    return result


def _serial(session: Session) -> None:
    """No parallel workers for the rest of the transaction (PostgreSQL). For one school's list,
    a few thousand pupils, the planner may still start one: at the bench's full size the query
    took 8–9 ms without a worker and 10–14 ms with one, and 25 ms with one on a connection that
    had just stored absence batches (docs/performance.md)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def _position(page: PageParams) -> tuple[int, int, int, uuid.UUID]:
    after = page.after or []
    if len(after) != 4:
        raise bad_cursor()
    stigit, steg, promille, elev_id = after
    try:
        elev = uuid.UUID(str(elev_id))
    except ValueError:
        raise bad_cursor() from None
    return cursor_int(stigit), cursor_int(steg), cursor_int(promille), elev


def granser(session: Session, principal: Principal) -> tuple[NarvarogranserRead, int]:
    row = session.get(Narvarogranser, principal.kommun_id)
    g = narvaro.granser_for(session, principal.kommun_id)
    read = NarvarogranserRead(
        gul_procent=float(g.gul), orange_procent=float(g.orange), veckor=VECKOR_PER_FONSTER
    )
    return read, 0 if row is None else row.version


def set_granser(
    session: Session, principal: Principal, data: NarvarogranserUpdate
) -> Narvarogranser:
    gul, orange = Decimal(str(data.gul_procent)), Decimal(str(data.orange_procent))
    row = session.get(Narvarogranser, principal.kommun_id)
    if row is None:
        row = Narvarogranser(kommun_id=principal.kommun_id, gul_procent=gul, orange_procent=orange)
        session.add(row)
    else:
        row.gul_procent, row.orange_procent = gul, orange
    session.flush()
    return row
