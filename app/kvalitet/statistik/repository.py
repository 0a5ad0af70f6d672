"""The SQL of the quality statistics. Each statement starts from one kommun and aggregates on the
database — counts with GROUP BY over the rows of underlag.py, percentiles with window functions
(percentil.py) — so no rows behind a figure are loaded into Python."""

import re
import uuid
from collections.abc import Collection
from typing import Any, NamedTuple

from sqlalchemy import (
    CTE,
    ColumnElement,
    Float,
    Select,
    String,
    Uuid,
    cast,
    distinct,
    extract,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from app.arenden.enums import Avslutsorsak, Fas
from app.arenden.models import Arende, ArendeFas
from app.avvikelser.models import Avvikelse
from app.kvalitet import franvaro
from app.kvalitet.figurer import ANSOKAN_TILL_AVSLUT
from app.kvalitet.period import Period, i_perioden
from app.kvalitet.statistik.percentil import MEDIAN, P90, percentiler
from app.skolor.models import Skola

SEKUNDER_PER_DAG = 86_400
# A SELECT of any columns.
Rader = Select[*tuple[Any, ...]]
_KONSTANT = re.compile(r"[a-z_]+")


class Raknat(NamedTuple):
    figur: str
    grupp: str
    skola_id: uuid.UUID | None
    antal: int
    elever: int


class Percentilrad(NamedTuple):
    grupp: str
    elever: int
    median: float | None
    p90: float | None


def konstant(text: str) -> ColumnElement[str]:
    """A fixed word of the figure vocabulary as a SQL literal (never user input)."""
    if not _KONSTANT.fullmatch(text):
        raise ValueError(text)
    return literal_column(f"'{text}'", String)


def omfang_villkor(kolumn: Any, skolor: Collection[uuid.UUID] | None) -> list[ColumnElement[bool]]:
    return [] if skolor is None else [kolumn.in_(set(skolor))]


def _dagar(dialekt: str, slut: Any, start: Any) -> ColumnElement[float]:
    if dialekt == "postgresql":
        return cast(extract("epoch", slut - start) / SEKUNDER_PER_DAG, Float)
    return cast(func.julianday(slut) - func.julianday(start), Float)


def kommunens_skolor(session: Session, kommun_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.scalars(select(Skola.id).where(Skola.kommun_id == kommun_id)))


def rakna(
    session: Session, grund: CTE, *, omfang: Collection[uuid.UUID] | None
) -> list[tuple[str, Raknat]]:
    """Counts and distinct pupils per figure and group, in one statement over the counted rows:
    per school (`skola`), for the whole kommun (`kommun`) and, when `omfang` names schools, over
    those (`omfang`)."""
    antal = (func.count().label("antal"), func.count(distinct(grund.c.elev_id)).label("elever"))
    ingen_skola = cast(null(), Uuid).label("skola_id")
    delar: list[Rader] = [
        select(konstant("skola"), grund.c.figur, grund.c.grupp, grund.c.skola_id, *antal).group_by(
            grund.c.figur, grund.c.grupp, grund.c.skola_id
        ),
        select(konstant("kommun"), grund.c.figur, grund.c.grupp, ingen_skola, *antal).group_by(
            grund.c.figur, grund.c.grupp
        ),
    ]
    if omfang is not None:
        delar.append(
            select(konstant("omfang"), grund.c.figur, grund.c.grupp, ingen_skola, *antal)
            .where(*omfang_villkor(grund.c.skola_id, omfang))
            .group_by(grund.c.figur, grund.c.grupp)
        )
    rows = session.execute(union_all(*delar))
    return [(row[0], Raknat(row[1], row[2], row[3], row[4], row[5])) for row in rows]


def _i_faser(
    kommun_id: uuid.UUID, period: Period, skolor: Collection[uuid.UUID] | None, dialekt: str
) -> Rader:
    """Days of each stay in a phase that ended in the period: from entering the phase to the
    next phase change."""
    nasta = func.lead(ArendeFas.tidpunkt, type_=ArendeFas.tidpunkt.type).over(
        partition_by=ArendeFas.arende_id, order_by=(ArendeFas.tidpunkt, ArendeFas.id)
    )
    vistelser = (
        select(
            cast(ArendeFas.till, String).label("grupp"),
            Arende.elev_id,
            ArendeFas.tidpunkt.label("start"),
            nasta.label("slut"),
        )
        .join(Arende, Arende.id == ArendeFas.arende_id)
        .where(Arende.kommun_id == kommun_id, *omfang_villkor(Arende.ansokande_skola_id, skolor))
        .subquery("vistelser")
    )
    return select(
        vistelser.c.grupp,
        vistelser.c.elev_id,
        _dagar(dialekt, vistelser.c.slut, vistelser.c.start).label("varde"),
    ).where(vistelser.c.grupp != Fas.avslutat.value, i_perioden(vistelser.c.slut, period))


def _till_avslut(
    kommun_id: uuid.UUID, period: Period, skolor: Collection[uuid.UUID] | None, dialekt: str
) -> Rader:
    """Days from the application to closure of the cases closed in the period, rejections left
    out."""
    ansokt = (
        select(func.min(ArendeFas.tidpunkt))
        .where(ArendeFas.arende_id == Arende.id)
        .scalar_subquery()
    )
    return select(
        konstant(ANSOKAN_TILL_AVSLUT).label("grupp"),
        Arende.elev_id,
        _dagar(dialekt, Arende.avslutat, ansokt).label("varde"),
    ).where(
        Arende.kommun_id == kommun_id,
        Arende.avslutsorsak != Avslutsorsak.ej_beviljad,
        i_perioden(Arende.avslutat, period),
        *omfang_villkor(Arende.ansokande_skola_id, skolor),
    )


def ledtider(
    session: Session,
    *,
    kommun_id: uuid.UUID,
    period: Period,
    skolor: Collection[uuid.UUID] | None,
    dialekt: str,
) -> list[Percentilrad]:
    """Median and 90th percentile of the days in each phase and from application to closure."""
    varden = union_all(
        _i_faser(kommun_id, period, skolor, dialekt),
        _till_avslut(kommun_id, period, skolor, dialekt),
    ).subquery("varden")
    rows = session.execute(percentiler(varden, (MEDIAN, P90)))
    return [Percentilrad._make(row) for row in rows]


def franvaroforandring(
    session: Session,
    *,
    kommun_id: uuid.UUID,
    period: Period,
    skolor: Collection[uuid.UUID] | None,
) -> list[Percentilrad] | None:
    """The median change in absence share of the cases closed in the period; None until absence
    data exists (franvaro.py)."""
    rader = franvaro.franvaroforandring(session, kommun_id=kommun_id, period=period)
    if rader is None:
        return None
    forandringar = rader.subquery("forandringar")
    varden = (
        select(
            konstant(ANSOKAN_TILL_AVSLUT).label("grupp"),
            forandringar.c.elev_id,
            forandringar.c.varde,
        )
        .where(forandringar.c.varde.is_not(None), *omfang_villkor(forandringar.c.skola_id, skolor))
        .subquery("varden")
    )
    rows = session.execute(percentiler(varden, (MEDIAN,)))
    return [Percentilrad(row[0], row[1], row[2], None) for row in rows]


def avvikelser_per_status(
    session: Session,
    *,
    kommun_id: uuid.UUID,
    period: Period,
    skolor: Collection[uuid.UUID] | None,
) -> dict[str, int]:
    """Deviation reports whose event falls in the period, by status now. A report about the
    kommun as a whole (no school) counts only kommun-wide."""
    status = cast(Avvikelse.status, String)
    rows = session.execute(
        select(status, func.count())
        .where(
            Avvikelse.kommun_id == kommun_id,
            Avvikelse.datum >= period.fran,
            Avvikelse.datum <= period.till,
            *omfang_villkor(Avvikelse.skola_id, skolor),
        )
        .group_by(status)
    )
    return {str(row[0]): int(row[1]) for row in rows}
