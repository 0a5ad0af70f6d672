"""Seeds a large kommun for the quality statistics benchmark straight into PostgreSQL with COPY.

Demo kommun gets more schools and pupils (kommun_data.py), and cases in every phase with their
full phase history, interventions, follow-ups with goal evaluations, closures with maintenance
plans, reports of concern and deviation reports. Dates spread over the two years before today, so a
one-year period holds about half of what happened. Nothing goes through the API or the audit log.
"""

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import psycopg

from app.arenden.enums import Avslutsorsak, Fas, Insatsstatus, Insatstyp, Malresultat
from bench import kommun_data
from bench.kommun_data import Connection, Kommun, Rad, copy_rows

ORDNING = (
    Fas.ansokan,
    Fas.beredning,
    Fas.uppstart,
    Fas.kartlaggning,
    Fas.ansvarsplanering,
    Fas.genomforande,
    Fas.uppfoljning,
)
# How the cases are spread over the phases they are in now.
FASANDEL = {
    Fas.ansokan: 5,
    Fas.beredning: 5,
    Fas.uppstart: 7,
    Fas.kartlaggning: 8,
    Fas.ansvarsplanering: 8,
    Fas.genomforande: 20,
    Fas.uppfoljning: 10,
    Fas.avslutat: 37,
}
AVSLUT = (
    Avslutsorsak.behov_upphort,
    Avslutsorsak.behov_upphort,
    Avslutsorsak.tackar_nej,
    Avslutsorsak.flyttar,
    Avslutsorsak.andra_insatser,
    Avslutsorsak.ej_beviljad,
)
AVVIKELSESTATUS = ("registrerad", "rapporterad_bus", "besvarad", "avslutad")
VERKSAMHETER = ("socialtjanst", "bup", "barnmedicin", "habilitering", "annan")


@dataclass
class Antal:
    skolor: int = 0
    elever: int = 0
    arenden: int = 0
    fasbyten: int = 0
    insatser: int = 0
    uppfoljningar: int = 0
    orosanmalningar: int = 0
    avvikelser: int = 0
    per_fas: dict[str, int] = field(default_factory=dict)


@dataclass
class Fall:
    arende_id: uuid.UUID
    elev_id: uuid.UUID
    skola_id: uuid.UUID
    samtycke_id: uuid.UUID
    fas: Fas
    faser: list[tuple[Fas | None, Fas, datetime]]
    avslutsorsak: Avslutsorsak | None
    start: date


def _at(dag: date) -> datetime:
    return datetime.combine(dag, time(9, 30), tzinfo=UTC)


def _historik(
    slump: random.Random, fas: Fas, start: date, orsak: Avslutsorsak | None
) -> list[tuple[Fas | None, Fas, datetime]]:
    """The phases a case went through to reach `fas`, each lasting some days."""
    if orsak is Avslutsorsak.ej_beviljad:
        steps = [Fas.ansokan, Fas.beredning, Fas.avslutat]
    elif fas is Fas.avslutat:
        steps = [*ORDNING[: slump.randint(2, len(ORDNING))], Fas.avslutat]
    else:
        steps = list(ORDNING[: ORDNING.index(fas) + 1])
    found: list[tuple[Fas | None, Fas, datetime]] = []
    dag, fran = start, None
    for step in steps:
        found.append((fran, step, _at(dag)))
        langst = 40 if step is Fas.genomforande else 12
        dag += timedelta(days=slump.randint(1, langst))
        fran = step
    return found


def _fall(
    slump: random.Random, elever: list[tuple[uuid.UUID, uuid.UUID]], antal: int, idag: date
) -> list[Fall]:
    faser, vikter = list(FASANDEL), list(FASANDEL.values())
    found = []
    for elev_id, skola_id in slump.sample(elever, antal):
        fas = slump.choices(faser, vikter)[0]
        orsak = slump.choice(AVSLUT) if fas is Fas.avslutat else None
        dagar = slump.randint(200, 730) if fas is Fas.avslutat else slump.randint(5, 400)
        start = idag - timedelta(days=dagar)
        historik = _historik(slump, fas, start, orsak)
        found.append(
            Fall(uuid.uuid4(), elev_id, skola_id, uuid.uuid4(), fas, historik, orsak, start)
        )
    return found


def _samtycke(kommun: Kommun, f: Fall, now: datetime) -> Rad:
    return (
        *(f.samtycke_id, kommun.kommun_id, f.elev_id, '["skola", "socialtjanst"]'),
        *("Samverkan kring närvaro", "Närvaro och insatser"),
        *(f.start, f.start + timedelta(days=800), False, kommun.kurator_id, now, now, 1),
    )


def _arende(kommun: Kommun, f: Fall) -> Rad:
    avslutat = f.faser[-1][2] if f.fas is Fas.avslutat else None
    beviljat = next((t.date() for _, till, t in f.faser if till is Fas.uppstart), None)
    plan = "Mentorn följer närvaron." if avslutat and f.avslutsorsak is not AVSLUT[-1] else None
    orsak = None if f.avslutsorsak is None else f.avslutsorsak.value
    return (
        *(f.arende_id, kommun.kommun_id, f.elev_id, f.skola_id, kommun.kurator_id, f.fas.value),
        *("Frånvaro", "Närvaroteam", "Grupp", "Samtal", "En fjärdedel av lektionerna", 25.0),
        *(f.samtycke_id, kommun.team_id if beviljat else None, beviljat, orsak, avslutat, plan),
        *(_at(f.start), f.faser[-1][2], 1),
    )


def _arenden(connection: Connection, kommun: Kommun, fall: list[Fall]) -> int:
    now = datetime.now(UTC)
    copy_rows(
        connection,
        "samtycken",
        "id, kommun_id, elev_id, parter, syfte, omfattning, giltig_fran, giltig_till,"
        " elevens_signatur_kravs, registrerad_av, skapad, andrad, version",
        (_samtycke(kommun, f, now) for f in fall),
    )
    copy_rows(
        connection,
        "arenden",
        "id, kommun_id, elev_id, ansokande_skola_id, ansokt_av, fas, orsak,"
        " insatser_organisationsniva, insatser_gruppniva, insatser_individniva,"
        " franvaro_beskrivning, franvaro_procent, samtycke_id, handlaggare_id, beviljat,"
        " avslutsorsak, avslutat, vidmakthallande_plan, skapad, andrad, version",
        (_arende(kommun, f) for f in fall),
    )
    faser = [
        (uuid.uuid4(), f.arende_id, fran and fran.value, till.value, tid, kommun.team_id)
        for f in fall
        for fran, till, tid in f.faser
    ]
    return copy_rows(
        connection, "arende_faser", "id, arende_id, fran, till, tidpunkt, utford_av", faser
    )


def _insatser(slump: random.Random, kommun: Kommun, f: Fall, start: date) -> list[Rad]:
    now = datetime.now(UTC)
    found = []
    for _ in range(slump.randint(1, 4)):
        borjan = start + timedelta(days=slump.randint(0, 10))
        status = slump.choice(list(Insatsstatus))
        klar = status in (Insatsstatus.avslutad, Insatsstatus.avbruten)
        slut = borjan + timedelta(days=30) if klar else None
        typ = slump.choice(list(Insatstyp)).value
        found.append(
            (
                uuid.uuid4(),
                f.arende_id,
                typ,
                "skolsocialt_team",
                borjan,
                slut,
                status.value,
                kommun.team_id,
                now,
                now,
                1,
            )
        )
    return found


def _uppfoljningar(slump: random.Random, kommun: Kommun, f: Fall, start: date) -> list[Rad]:
    mal = [str(uuid.uuid4()) for _ in range(slump.randint(1, 3))]
    found = []
    for index in range(slump.randint(1, 3)):
        datum = start + timedelta(days=14 * (index + 1))
        resultat = [
            {"mal_id": m, "beskrivning": "Mål", "resultat": slump.choice(list(Malresultat))}
            for m in mal
        ]
        found.append(
            (
                uuid.uuid4(),
                f.arende_id,
                datum,
                datum - timedelta(days=14),
                1,
                json.dumps(resultat),
                _at(datum),
                kommun.team_id,
            )
        )
    return found


def _arbete(
    connection: Connection, kommun: Kommun, fall: list[Fall], slump: random.Random
) -> tuple[int, int]:
    """Interventions and follow-ups of the cases that reached genomforande."""
    insatser: list[Rad] = []
    uppfoljningar: list[Rad] = []
    for f in fall:
        start = next((t.date() for _, till, t in f.faser if till is Fas.genomforande), None)
        if start is not None:
            insatser += _insatser(slump, kommun, f, start)
            uppfoljningar += _uppfoljningar(slump, kommun, f, start)
    return (
        copy_rows(
            connection,
            "insatser",
            "id, arende_id, insatstyp, ansvarig, startdatum, slutdatum, status, skapad_av,"
            " skapad, andrad, version",
            insatser,
        ),
        copy_rows(
            connection,
            "uppfoljningar",
            "id, arende_id, datum, period_fran, plan_version, resultat, skapad, skapad_av",
            uppfoljningar,
        ),
    )


def _orosanmalningar(
    connection: Connection,
    kommun: Kommun,
    elever: list[tuple[uuid.UUID, uuid.UUID]],
    *,
    slump: random.Random,
    idag: date,
) -> int:
    now = datetime.now(UTC)
    rows = [
        (
            uuid.uuid4(),
            kommun.kommun_id,
            elev_id,
            skola_id,
            kommun.kurator_id,
            "elevhalsa",
            "skola",
            idag - timedelta(days=slump.randint(0, 730)),
            "Mottagningen",
            "Oro.",
            now,
        )
        for elev_id, skola_id in slump.sample(elever, len(elever) // 60)
    ]
    return copy_rows(
        connection,
        "orosanmalningar",
        "id, kommun_id, elev_id, skola_id, anmald_av, anmalare_roll, anmalare_organisation,"
        " datum, mottagande_socialtjanst, oro, registrerad",
        rows,
    )


def _avvikelser(
    connection: Connection, kommun: Kommun, skolor: list[uuid.UUID], slump: random.Random
) -> int:
    now, idag = datetime.now(UTC), date.today()
    rows = [
        (
            uuid.uuid4(),
            kommun.kommun_id,
            slump.choice([*skolor, None]),
            kommun.kurator_id,
            "skola",
            idag - timedelta(days=slump.randint(0, 730)),
            "Remiss utan svar.",
            True,
            False,
            slump.choice(AVVIKELSESTATUS),
            now,
            now,
            1,
        )
        for _ in range(300)
    ]
    copy_rows(
        connection,
        "avvikelser",
        "id, kommun_id, skola_id, rapporterad_av, rapporterande_verksamhet, datum, beskrivning,"
        " kan_ej_losas_lokalt, principiell, status, skapad, andrad, version",
        rows,
    )
    berorda = [(row[0], v) for row in rows for v in ("skola", slump.choice(VERKSAMHETER))]
    copy_rows(connection, "avvikelse_verksamheter", "avvikelse_id, verksamhet", berorda)
    return len(rows)


def seed(
    url: str, *, antal_skolor: int, antal_elever: int, arenden: int, slumpfro: int = 20261125
) -> Antal:
    """Seeds the database at `url` (a libpq URL) and returns what it added."""
    slump = random.Random(slumpfro)
    idag = date.today()
    antal = Antal()
    with psycopg.connect(url) as connection:
        kommun = kommun_data.demo_kommun(connection)
        alla_skolor = kommun_data.skolor(connection, kommun, antal=antal_skolor)
        alla_elever = kommun_data.elever(connection, kommun, alla_skolor, antal=antal_elever)
        fall = _fall(slump, alla_elever, arenden, idag)
        antal.fasbyten = _arenden(connection, kommun, fall)
        antal.insatser, antal.uppfoljningar = _arbete(connection, kommun, fall, slump)
        antal.orosanmalningar = _orosanmalningar(
            connection, kommun, alla_elever, slump=slump, idag=idag
        )
        antal.avvikelser = _avvikelser(connection, kommun, alla_skolor, slump)
        connection.execute("ANALYZE")
    antal.skolor, antal.elever, antal.arenden = len(alla_skolor), len(alla_elever), len(fall)
    for f in fall:
        antal.per_fas[f.fas.value] = antal.per_fas.get(f.fas.value, 0) + 1
    return antal
