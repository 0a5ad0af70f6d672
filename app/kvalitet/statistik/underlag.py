"""The rows behind the pupil-based count figures: one row per counted thing — a case, a phase
change, an intervention, a goal's latest evaluation, a report of concern — as (figur, grupp,
skola_id, elev_id), all of them one UNION ALL for repository.rakna to aggregate on the database.

Cases, interventions and goal evaluations belong to the school that applied
(arenden.ansokande_skola_id): the school whose work the follow-up is about, even if the pupil has
moved since. Reports of concern belong to the pupil's school when the report was made.
"""

import uuid
from typing import Any

from sqlalchemy import CTE, ColumnElement, String, cast, func, or_, select, true, union_all
from sqlalchemy.orm import Session

from app.arenden.enums import Avslutsorsak, Fas, Insatsstatus
from app.arenden.models import Arende, ArendeFas, Insats, Uppfoljning
from app.kvalitet import franvaro
from app.kvalitet.figurer import ANTAL, Figur, Periodgrupp
from app.kvalitet.period import Period, i_perioden
from app.kvalitet.statistik.repository import Rader, konstant
from app.orosanmalningar.models import Orosanmalan


def _arenderad(figur: Figur, grupp: ColumnElement[str]) -> Rader:
    return select(
        konstant(figur).label("figur"),
        grupp.label("grupp"),
        Arende.ansokande_skola_id.label("skola_id"),
        Arende.elev_id.label("elev_id"),
    )


def _per_fas(kommun_id: uuid.UUID) -> Rader:
    return _arenderad(Figur.arenden_per_fas, cast(Arende.fas, String)).where(
        Arende.kommun_id == kommun_id
    )


def _i_perioden_rader(kommun_id: uuid.UUID, period: Period) -> list[Rader]:
    def fasbyte(grupp: Periodgrupp, villkor: ColumnElement[bool]) -> Rader:
        return (
            _arenderad(Figur.arenden_i_perioden, konstant(grupp))
            .join(ArendeFas, ArendeFas.arende_id == Arende.id)
            .where(Arende.kommun_id == kommun_id, villkor, i_perioden(ArendeFas.tidpunkt, period))
        )

    def avslut(grupp: Periodgrupp, villkor: ColumnElement[bool]) -> Rader:
        return _arenderad(Figur.arenden_i_perioden, konstant(grupp)).where(
            Arende.kommun_id == kommun_id, villkor, i_perioden(Arende.avslutat, period)
        )

    return [
        fasbyte(Periodgrupp.nya, ArendeFas.fran.is_(None)),
        fasbyte(Periodgrupp.beviljade, ArendeFas.till == Fas.uppstart),
        avslut(Periodgrupp.avslagna, Arende.avslutsorsak == Avslutsorsak.ej_beviljad),
        avslut(Periodgrupp.avslutade, Arende.avslutsorsak != Avslutsorsak.ej_beviljad),
    ]


def _avslutsorsaker(kommun_id: uuid.UUID, period: Period) -> Rader:
    return _arenderad(Figur.avslutsorsaker, cast(Arende.avslutsorsak, String)).where(
        Arende.kommun_id == kommun_id,
        Arende.avslutsorsak.is_not(None),
        i_perioden(Arende.avslutat, period),
    )


def _insatser(kommun_id: uuid.UUID, period: Period) -> Rader:
    return (
        _arenderad(Figur.insatser_per_typ, cast(Insats.insatstyp, String))
        .join(Insats, Insats.arende_id == Arende.id)
        .where(
            Arende.kommun_id == kommun_id,
            Insats.status != Insatsstatus.planerad,
            Insats.startdatum <= period.till,
            or_(Insats.slutdatum.is_(None), Insats.slutdatum >= period.fran),
        )
    )


def _json_element(dialekt: str) -> tuple[Any, Any, Any]:
    """The elements of uppfoljningar.resultat as a table, and how to read mal_id and resultat."""
    if dialekt == "postgresql":
        element = func.json_array_elements(Uppfoljning.resultat).table_valued("value")
        element = element.render_derived()
        return (
            element,
            element.c.value.op("->>", return_type=String)("mal_id"),
            element.c.value.op("->>", return_type=String)("resultat"),
        )
    element = func.json_each(Uppfoljning.resultat).table_valued("value")
    return (
        element,
        func.json_extract(element.c.value, "$.mal_id", type_=String),
        func.json_extract(element.c.value, "$.resultat", type_=String),
    )


def _malbedomningar(kommun_id: uuid.UUID, period: Period, dialekt: str) -> Rader:
    """Each goal of each case by its latest evaluation among the follow-ups held in the period."""
    element, mal_id, resultat = _json_element(dialekt)
    senaste = func.row_number().over(
        partition_by=(Uppfoljning.arende_id, mal_id),
        order_by=(Uppfoljning.datum.desc(), Uppfoljning.skapad.desc(), Uppfoljning.id.desc()),
    )
    bedomningar = (
        select(Uppfoljning.arende_id, resultat.label("resultat"), senaste.label("ordning"))
        .select_from(Uppfoljning)
        .join(Arende, Arende.id == Uppfoljning.arende_id)
        .join(element, true())
        .where(
            Arende.kommun_id == kommun_id,
            Uppfoljning.datum >= period.fran,
            Uppfoljning.datum <= period.till,
        )
        .subquery("bedomningar")
    )
    return (
        _arenderad(Figur.malbedomningar, bedomningar.c.resultat)
        .join(bedomningar, bedomningar.c.arende_id == Arende.id)
        .where(bedomningar.c.ordning == 1)
    )


def _orosanmalningar(kommun_id: uuid.UUID, period: Period) -> Rader:
    return select(
        konstant(Figur.orosanmalningar).label("figur"),
        konstant(ANTAL).label("grupp"),
        Orosanmalan.skola_id.label("skola_id"),
        Orosanmalan.elev_id.label("elev_id"),
    ).where(
        Orosanmalan.kommun_id == kommun_id,
        Orosanmalan.datum >= period.fran,
        Orosanmalan.datum <= period.till,
    )


def _narvaronivaer(session: Session, kommun_id: uuid.UUID, period: Period) -> Rader | None:
    rader = franvaro.elever_per_narvaroniva(session, kommun_id=kommun_id, per=period.till)
    if rader is None:
        return None
    nivaer = rader.subquery("narvaronivaer")
    return select(
        konstant(Figur.elever_per_narvaroniva).label("figur"),
        cast(nivaer.c.grupp, String).label("grupp"),
        nivaer.c.skola_id,
        nivaer.c.elev_id,
    )


def raknade_rader(
    session: Session, *, kommun_id: uuid.UUID, period: Period, dialekt: str
) -> tuple[CTE, frozenset[Figur]]:
    """Every counted thing of the pupil-based count figures as (figur, grupp, skola_id, elev_id),
    and which figures it holds (the absence figure only once absence data exists)."""
    delar = [
        _per_fas(kommun_id),
        *_i_perioden_rader(kommun_id, period),
        _avslutsorsaker(kommun_id, period),
        _insatser(kommun_id, period),
        _malbedomningar(kommun_id, period, dialekt),
        _orosanmalningar(kommun_id, period),
    ]
    figurer = {
        Figur.arenden_per_fas,
        Figur.arenden_i_perioden,
        Figur.avslutsorsaker,
        Figur.insatser_per_typ,
        Figur.malbedomningar,
        Figur.orosanmalningar,
    }
    if (nivaer := _narvaronivaer(session, kommun_id, period)) is not None:
        delar.append(nivaer)
        figurer.add(Figur.elever_per_narvaroniva)
    return union_all(*delar).cte("grund"), frozenset(figurer)
