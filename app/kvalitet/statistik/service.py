"""Quality statistics for the steering group (T 4.1: "efterfråga resultat", "statistik kring
frånvaro och typer av insatser", "redovisning i Stratsys"), for principals about their own schools
(S 3: "Rektorn är ytterst ansvarig för skolans systematiska kvalitetsarbete") and for the
administrator who reports into the kommun's quality system.

Who sees what: the steering group and the administrator the whole kommun or any one school of it;
a principal their own schools together, or one of them — another school is 404, as if it did not
exist, with a denied audit row. Every figure is an aggregate: pupil-based values resting on fewer
than five pupils are withheld (celler.py), so no answer holds one pupil's data.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.principal import Principal
from app.auth.roles import Roll
from app.core.errors import InvalidInput, NotFound
from app.core.time import today, utcnow
from app.kommuner import repository as kommuner_repository
from app.kvalitet import tidsram
from app.kvalitet.figurer import (
    FIGURER,
    MINSTA_ANTAL_ELEVER,
    Figur,
    Figurdef,
    Matt,
    Saknas,
)
from app.kvalitet.period import Period
from app.kvalitet.statistik import celler, export, repository, underlag
from app.kvalitet.statistik.repository import Percentilrad
from app.kvalitet.statistik.resultat import Figurvarde, Omfang, Statistik
from app.skolor import repository as skolor_repository
from app.skolor import service as skolor_service

RESURS = "kvalitetsstatistik"
GRUND = "kvalitetsuppfoljning"
LASARET_BORJAR = (7, 1)


def lasarets_start(dag: date) -> date:
    """1 July of the school year the day belongs to."""
    month, day = LASARET_BORJAR
    year = dag.year if (dag.month, dag.day) >= LASARET_BORJAR else dag.year - 1
    return date(year, month, day)


def period_av(fran: date | None, till: date | None) -> Period:
    """Through today, from the start of the school year, unless given; 422 if reversed."""
    if problems := tidsram.fel({"query.fran": fran, "query.till": till}):
        raise InvalidInput("Perioden ligger utanför det som går att följa upp.", errors=problems)
    slut = till or today()
    start = fran or lasarets_start(slut)
    if start > slut:
        raise InvalidInput(
            "Perioden börjar efter att den slutar.",
            errors=[{"plats": "query.fran", "meddelande": "Ligger efter till."}],
        )
    return Period(start, slut)


def omfang_for(session: Session, principal: Principal, skola_id: uuid.UUID | None) -> Omfang:
    if principal.roll is Roll.rektor:
        if skola_id is None:
            return Omfang(None, principal.skolor)
        if skola_id not in principal.skolor:
            raise NotFound("skola", skola_id)
        return Omfang(skola_id, frozenset({skola_id}))
    if skola_id is None:
        return Omfang(None, None)
    skola = skolor_service.load(session, principal, skola_id)
    return Omfang(skola.id, frozenset({skola.id}))


def _antal(definition: Figurdef, antal: dict[tuple[str, str], int | None]) -> list[Figurvarde]:
    return [
        Figurvarde(
            definition.figur,
            grupp,
            Matt.antal,
            value := antal.get((str(definition.figur), grupp)),
            None if value is not None else Saknas.undertryckt,
        )
        for grupp in definition.grupper
    ]


def _percentiler(definition: Figurdef, rader: list[Percentilrad] | None) -> list[Figurvarde]:
    by_group = {rad.grupp: rad for rad in rader or ()}
    found = []
    for grupp in definition.grupper:
        rad = by_group.get(grupp)
        for matt in definition.matt:
            value = None if rad is None else (rad.p90 if matt is Matt.p90_dagar else rad.median)
            if rader is None:
                saknas: Saknas | None = Saknas.ingen_franvarodata
            elif rad is None or rad.elever < MINSTA_ANTAL_ELEVER or value is None:
                saknas = Saknas.undertryckt
            else:
                saknas = None
            shown = None if saknas is not None or value is None else round(value, 2)
            found.append(Figurvarde(definition.figur, grupp, matt, shown, saknas))
    return found


def _utan_data(definition: Figurdef) -> list[Figurvarde]:
    return [
        Figurvarde(definition.figur, grupp, matt, None, Saknas.ingen_franvarodata)
        for grupp in definition.grupper
        for matt in definition.matt
    ]


@dataclass(frozen=True, slots=True)
class _Underlag:
    """What the database answered, before it is laid out figure by figure."""

    raknade: frozenset[Figur]
    antal: dict[tuple[str, str], int | None]
    ledtider: list[Percentilrad]
    forandring: list[Percentilrad] | None
    avvikelser: dict[str, int]


def _antal_i_omfanget(
    session: Session, *, kommun_id: uuid.UUID, period: Period, omfang: Omfang, dialekt: str
) -> tuple[frozenset[Figur], dict[tuple[str, str], int | None]]:
    grund, raknade = underlag.raknade_rader(
        session, kommun_id=kommun_id, period=period, dialekt=dialekt
    )
    flera = omfang.skolor is not None and len(omfang.skolor) != 1
    rader = repository.rakna(session, grund, omfang=omfang.skolor if flera else None)
    antal = celler.synliga(
        figurer=raknade,
        skolor=repository.kommunens_skolor(session, kommun_id),
        per_skola=[rad for niva, rad in rader if niva == "skola"],
        i_kommunen=[rad for niva, rad in rader if niva == "kommun"],
        omfang=omfang.skolor,
        i_omfanget=[rad for niva, rad in rader if niva == "omfang"],
    )
    return raknade, antal


def _figur(definition: Figurdef, underlag: _Underlag) -> list[Figurvarde]:
    if definition.figur in underlag.raknade:
        return _antal(definition, underlag.antal)
    if definition.figur is Figur.ledtider:
        return _percentiler(definition, underlag.ledtider)
    if definition.figur is Figur.franvaroforandring:
        return _percentiler(definition, underlag.forandring)
    if definition.figur is Figur.avvikelser_per_status:
        return [
            Figurvarde(definition.figur, grupp, Matt.antal, underlag.avvikelser.get(grupp, 0), None)
            for grupp in definition.grupper
        ]
    return _utan_data(definition)


def berakna(session: Session, *, kommun_id: uuid.UUID, period: Period, omfang: Omfang) -> Statistik:
    """Every figure for the scope and period, computed on the database, suppressed."""
    dialekt = session.get_bind().dialect.name
    raknade, antal = _antal_i_omfanget(
        session, kommun_id=kommun_id, period=period, omfang=omfang, dialekt=dialekt
    )
    skolor = omfang.skolor
    underlag = _Underlag(
        raknade=raknade,
        antal=antal,
        ledtider=repository.ledtider(
            session, kommun_id=kommun_id, period=period, skolor=skolor, dialekt=dialekt
        ),
        forandring=repository.franvaroforandring(
            session, kommun_id=kommun_id, period=period, skolor=skolor
        ),
        avvikelser=repository.avvikelser_per_status(
            session, kommun_id=kommun_id, period=period, skolor=skolor
        ),
    )
    varden = tuple(v for definition in FIGURER for v in _figur(definition, underlag))
    return Statistik(kommun_id, omfang, period, utcnow(), varden)


def read(
    session: Session,
    principal: Principal,
    *,
    period: Period,
    skola_id: uuid.UUID | None,
    export: bool,
) -> Statistik:
    """The statistics for the caller's scope, audited as a read or an export (no pupil named)."""
    omfang = omfang_for(session, principal, skola_id)
    statistik = berakna(session, kommun_id=principal.kommun_id, period=period, omfang=omfang)
    record(
        session,
        atgard=Atgard.export if export else Atgard.read,
        resurs_typ=RESURS,
        resurs_id=omfang.skola_id,
        rattslig_grund=GRUND,
    )
    return statistik


def csv(session: Session, statistik: Statistik) -> str:
    """The statistics as the CSV export, with the kommun's code and the scope's school codes."""
    kommun = kommuner_repository.get(session, statistik.kommun_id)
    skolor = skolor_repository.many_in_kommun(
        session, kommun_id=statistik.kommun_id, skola_ids=statistik.omfang.skolor or ()
    )
    return export.som_csv(
        statistik,
        kommunkod=None if kommun is None else kommun.kommunkod,
        skolenhetskoder=[skola.skolenhetskod for skola in skolor],
    )
