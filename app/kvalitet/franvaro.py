"""Where the quality statistics meet absence data: the two figures that rest on stored absence.

Both read the pupils' week sums (franvaroveckor, kept by the absence intake), never the
records, and return a SELECT that the statistics aggregate on the database like every other
figure. Until the kommun has any absence data both answer None, and the statistics show the
figures as null with `saknas: "ingen_franvarodata"`.

A window is eight weeks through the week of a date (app.franvaro.rules.Fonster), keyed by the
weeks' Mondays.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from app.arenden.enums import Avslutsorsak
from app.arenden.models import Arende, ArendeFas
from app.core.time import today
from app.elever.models import Elev
from app.franvaro.models import Franvarovecka, Narvarolage
from app.franvaro.narvaro import ensure_current, granser_for, niva_sql
from app.franvaro.rules import VECKOR_PER_FONSTER, Fonster, Granser, Narvaroniva
from app.kvalitet.figurer import Saknas
from app.kvalitet.period import Period, i_perioden

SAKNAS = Saknas.ingen_franvarodata
_FONSTER_DAGAR = 7 * (VECKOR_PER_FONSTER - 1)


def _has_absence(session: Session, kommun_id: uuid.UUID) -> bool:
    return (
        session.scalar(
            select(Franvarovecka.elev_id).where(Franvarovecka.kommun_id == kommun_id).limit(1)
        )
        is not None
    )


def elever_per_narvaroniva(
    session: Session, *, kommun_id: uuid.UUID, per: date
) -> Select[tuple[str, uuid.UUID, uuid.UUID]] | None:
    """The kommun's pupils with scheduled time in the eight weeks through `per`'s week, by tier
    (T 2; the kommun's thresholds): columns `grupp` (gron, gul, orange), `skola_id`, `elev_id`.
    For this week, from the pupils' state rows; for an earlier week, from the week sums."""
    if not _has_absence(session, kommun_id):
        return None
    fonster = Fonster.per(per)
    granser = granser_for(session, kommun_id)
    if fonster.per_vecka == Fonster.per(today()).per_vecka:
        # This week's window is what the pupils' state rows hold: one row per pupil.
        ensure_current(session, kommun_id, fonster)
        n = Narvarolage
        return _by_tier(
            select(
                n.elev_id, n.a_schemalagd.label("s"), n.a_giltig.label("g"), n.a_ogiltig.label("o")
            )
            .where(n.kommun_id == kommun_id, n.a_schemalagd > 0)
            .subquery("lagen"),
            granser,
        )
    v = Franvarovecka
    sums = (
        select(
            v.elev_id,
            func.sum(v.schemalagd).label("s"),
            func.sum(v.giltig).label("g"),
            func.sum(v.ogiltig).label("o"),
        )
        .where(v.kommun_id == kommun_id, v.vecka >= fonster.a_fran, v.vecka <= fonster.per_vecka)
        .group_by(v.elev_id)
        .having(func.sum(v.schemalagd) > 0)
        .subquery("veckosummor")
    )
    return _by_tier(sums, granser)


def _by_tier(sums: Subquery, granser: Granser) -> Select[tuple[str, uuid.UUID, uuid.UUID]]:
    """(grupp, skola_id, elev_id) for per-pupil sums in the columns s, g and o."""
    steg = niva_sql(sums.c.s, sums.c.g, sums.c.o, granser)
    grupp = case(
        *((steg == niva.steg, literal(niva.value, String)) for niva in Narvaroniva),
        else_=literal(Narvaroniva.gron.value, String),
    )
    return select(grupp.label("grupp"), Elev.skola_id.label("skola_id"), sums.c.elev_id).join(
        Elev, Elev.id == sums.c.elev_id
    )


def _dag(dialekt: str, tidpunkt: Any) -> Any:
    """A timestamp's school day (Europe/Stockholm on PostgreSQL; SQLite keeps no zones, so its
    UTC day, which differs only in the night's first hours)."""
    if dialekt == "postgresql":
        return cast(func.timezone("Europe/Stockholm", tidpunkt), Date)
    return func.date(tidpunkt)


def _mandag(dialekt: str, dag: Any) -> Any:
    if dialekt == "postgresql":
        return cast(func.date_trunc("week", dag), Date)
    return func.date(dag, "weekday 0", "-6 days")


def _dagar_fore(dialekt: str, dag: Any, dagar: int) -> Any:
    if dialekt == "postgresql":
        return dag - cast(literal(dagar), Integer)
    return func.date(dag, f"-{dagar} days")


def franvaroforandring(
    session: Session, *, kommun_id: uuid.UUID, period: Period
) -> Select[tuple[uuid.UUID, uuid.UUID, float]] | None:
    """For each case closed in the period (rejections, `ej_beviljad`, excluded):
    the absence share over the eight weeks through the week of closure minus the share over the
    eight weeks through the week of the application (its first phase row), in percentage points
    (negative: less absence). Columns `skola_id` (the applying school), `elev_id`, `varde`;
    cases whose pupil has no scheduled time in either window are left out."""
    if not _has_absence(session, kommun_id):
        return None
    dialekt = session.get_bind().dialect.name
    ansokan = (
        select(func.min(ArendeFas.tidpunkt))
        .where(ArendeFas.arende_id == Arende.id, ArendeFas.fran.is_(None))
        .scalar_subquery()
    )
    fore_till = _mandag(dialekt, _dag(dialekt, ansokan))
    efter_till = _mandag(dialekt, _dag(dialekt, Arende.avslutat))
    arenden = (
        select(
            Arende.id,
            Arende.elev_id,
            Arende.ansokande_skola_id,
            fore_till.label("fore_till"),
            _dagar_fore(dialekt, fore_till, _FONSTER_DAGAR).label("fore_fran"),
            efter_till.label("efter_till"),
            _dagar_fore(dialekt, efter_till, _FONSTER_DAGAR).label("efter_fran"),
        )
        .where(
            Arende.kommun_id == kommun_id,
            i_perioden(Arende.avslutat, period),
            Arende.avslutsorsak != Avslutsorsak.ej_beviljad,
        )
        .subquery("avslutade")
    )
    v = Franvarovecka
    fore = and_(v.vecka >= arenden.c.fore_fran, v.vecka <= arenden.c.fore_till)
    efter = and_(v.vecka >= arenden.c.efter_fran, v.vecka <= arenden.c.efter_till)

    def summa(villkor: Any, kolumn: Any) -> Any:
        return func.sum(case((villkor, kolumn), else_=0))

    def andel(villkor: Any) -> Any:
        franvaro = summa(villkor, v.giltig + v.ogiltig)
        return 100.0 * franvaro / summa(villkor, v.schemalagd)

    return (
        select(
            arenden.c.ansokande_skola_id.label("skola_id"),
            arenden.c.elev_id,
            (andel(efter) - andel(fore)).label("varde"),
        )
        .join(v, v.elev_id == arenden.c.elev_id)
        .where(v.vecka >= arenden.c.fore_fran, v.vecka <= arenden.c.efter_till)
        .group_by(arenden.c.id, arenden.c.ansokande_skola_id, arenden.c.elev_id)
        .having(summa(fore, v.schemalagd) > 0, summa(efter, v.schemalagd) > 0)
    )
