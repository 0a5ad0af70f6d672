"""A term of lesson-level attendance for a large kommun: generated here, sent through the API
by bench/franvaro_import.py, or seeded straight into the tables by `seed`
(bench/kvalitet_statistik.py).

The pupils sit in classes of KLASS, in school order. Every class has the same number of lessons,
spread over the school days (Monday to Friday) of the last VECKOR weeks through today, never in the
future. A lesson is one SS 12000 CalendarEvent (40, 55 or 60 minutes); each pupil of the class has
one Attendance for it. Most pupils are present at nearly every lesson; each pupil has a profile
(PROFILER) that sets how often they are absent and how much of it is invalid, so the kommun has
pupils at every tier. The same seed gives the same term.

`seed` writes the records with COPY and then the week sums and the tier state (models.py) from
them in SQL, as the intake would have left them (intake.py): records per source and id, a week
sum per pupil and Monday, and a state row per pupil over the two eight-week windows.
"""

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import psycopg

from app.core.time import SKOLTID
from app.franvaro.rules import Fonster

KLASS = 25
VECKOR = 20
LANGDER = (40, 55, 60)
# (share of pupils, chance of being absent from a lesson, share of that absence that is invalid)
PROFILER = ((0.70, 0.03, 0.0), (0.15, 0.08, 0.1), (0.10, 0.15, 0.3), (0.05, 0.30, 0.5))
SEED_KALLA = "bench-seed"


@dataclass(frozen=True, slots=True)
class Lektion:
    """One class's lesson: a CalendarEvent."""

    id: str
    datum: date
    start: datetime
    minuter: int


@dataclass(frozen=True, slots=True)
class Post:
    """One pupil's attendance at one lesson, as sent and as stored."""

    id: str
    elev: int
    lektion: Lektion
    narvaro: int
    giltig: int
    ogiltig: int
    orsak: str | None


def skoldagar(idag: date, veckor: int = VECKOR) -> list[date]:
    first = idag - timedelta(weeks=veckor) + timedelta(days=1)
    days = (first + timedelta(days=n) for n in range((idag - first).days + 1))
    return [d for d in days if d.weekday() < 5]


def handelse_id(klass: int, lektion: int) -> str:
    return f"ce000000-0000-4000-8000-{klass:06x}{lektion:06x}"


def narvaro_id(elev: int, lektion: int) -> str:
    return f"a0000000-0000-4000-8000-{elev:06x}{lektion:06x}"


def elev_extern_id(elev: int) -> str:
    return f"e0000000-0000-4000-8000-{elev:012x}"


@dataclass
class Termin:
    """The term of `elever` pupils with `per_elev` lessons each (pupil n is index n)."""

    elever: int
    per_elev: int
    idag: date
    slumpfro: int = 20261123

    @property
    def klasser(self) -> int:
        return -(-self.elever // KLASS)

    @property
    def poster(self) -> int:
        return self.elever * self.per_elev

    def lektioner(self) -> list[list[Lektion]]:
        """Per lesson number, each class's lesson (dates in order)."""
        dagar = skoldagar(self.idag)
        found = []
        for j in range(self.per_elev):
            dag = dagar[j * len(dagar) // self.per_elev]
            row = []
            for k in range(self.klasser):
                start = datetime.combine(dag, time(8, 0), tzinfo=SKOLTID) + timedelta(
                    minutes=65 * ((j + k) % 5)
                )
                row.append(Lektion(handelse_id(k, j), dag, start, LANGDER[(j + k) % 3]))
            found.append(row)
        return found

    def profiler(self) -> list[tuple[float, float]]:
        slump = random.Random(self.slumpfro)
        vikter = [p[0] for p in PROFILER]
        return [(p[1], p[2]) for p in slump.choices(PROFILER, vikter, k=self.elever)]

    def poster_i_ordning(self) -> Iterator[Post]:
        """Every record, lesson by lesson (as a school system would send a term day by day)."""
        slump = random.Random(self.slumpfro + 1)
        profiler = self.profiler()
        for j, row in enumerate(self.lektioner()):
            for n in range(self.elever):
                lektion = row[n // KLASS]
                takt, ogiltig_andel = profiler[n]
                u = slump.random()
                m = lektion.minuter
                if u < takt:
                    if slump.random() < ogiltig_andel:
                        yield Post(narvaro_id(n, j), n, lektion, 0, 0, m, None)
                    else:
                        yield Post(narvaro_id(n, j), n, lektion, 0, m, 0, "Sjukdom")
                elif ogiltig_andel and u < takt + 0.02:
                    yield Post(narvaro_id(n, j), n, lektion, m - 10, 0, 10, None)
                else:
                    yield Post(narvaro_id(n, j), n, lektion, m, 0, 0, None)


def calendar_event(lektion: Lektion) -> dict[str, Any]:
    return {
        "id": lektion.id,
        "startTime": lektion.start.isoformat(),
        "endTime": (lektion.start + timedelta(minutes=lektion.minuter)).isoformat(),
        "teachingLengthStudent": lektion.minuter,
        "cancelled": False,
    }


def attendance(post: Post) -> dict[str, Any]:
    """SS 12000 Attendance as the shared test data writes it (without `meta`)."""
    reported = datetime.combine(post.lektion.datum, time(16, 0), tzinfo=SKOLTID)
    return {
        "id": post.id,
        "calendarEvent": {"id": post.lektion.id},
        "student": {"id": elev_extern_id(post.elev)},
        "isReported": True,
        "attendanceMinutes": post.narvaro,
        "validAbsenceMinutes": post.giltig,
        "invalidAbsenceMinutes": post.ogiltig,
        "otherAttendanceMinutes": 0,
        "absenceReason": post.orsak or "",
        "reportedTimestamp": reported.isoformat(),
    }


def copy_text(posts: Iterator[Post], elev_ids: list[uuid.UUID]) -> Iterator[str]:
    """Lines for `COPY … (extern_id, elev_id, datum, schemalagd, giltig, ogiltig, orsak)`."""
    for p in posts:
        orsak = p.orsak or "\\N"
        yield (
            f"{p.id}\t{elev_ids[p.elev]}\t{p.lektion.datum}\t{p.lektion.minuter}\t"
            f"{p.giltig}\t{p.ogiltig}\t{orsak}\n"
        )


WEEK_SUMS = """
INSERT INTO franvaroveckor (elev_id, vecka, kommun_id, schemalagd, giltig, ogiltig)
SELECT elev_id, CAST(date_trunc('week', datum) AS date), kommun_id,
       sum(schemalagd), sum(giltig), sum(ogiltig)
FROM franvaroposter WHERE kommun_id = %(kommun_id)s
GROUP BY elev_id, CAST(date_trunc('week', datum) AS date), kommun_id
ON CONFLICT (elev_id, vecka) DO UPDATE SET schemalagd = excluded.schemalagd,
    giltig = excluded.giltig, ogiltig = excluded.ogiltig
"""

WINDOW_SUMS = """
INSERT INTO narvarolagen (elev_id, kommun_id, vecka, a_schemalagd, a_giltig, a_ogiltig,
                          b_schemalagd, b_giltig, b_ogiltig)
SELECT elev_id, kommun_id, %(per)s,
       sum(CASE WHEN vecka >= %(a_fran)s THEN schemalagd ELSE 0 END),
       sum(CASE WHEN vecka >= %(a_fran)s THEN giltig ELSE 0 END),
       sum(CASE WHEN vecka >= %(a_fran)s THEN ogiltig ELSE 0 END),
       sum(CASE WHEN vecka < %(a_fran)s THEN schemalagd ELSE 0 END),
       sum(CASE WHEN vecka < %(a_fran)s THEN giltig ELSE 0 END),
       sum(CASE WHEN vecka < %(a_fran)s THEN ogiltig ELSE 0 END)
FROM franvaroveckor
WHERE kommun_id = %(kommun_id)s AND vecka >= %(b_fran)s AND vecka <= %(per)s
GROUP BY elev_id, kommun_id
"""


def summera(connection: "psycopg.Connection[Any]", kommun_id: uuid.UUID, idag: date) -> None:
    """The week sums and the tier state of the kommun, from its records (as intake.py keeps
    them)."""
    fonster = Fonster.per(idag)
    connection.execute("DELETE FROM franvaroveckor WHERE kommun_id = %s", (kommun_id,))
    connection.execute(WEEK_SUMS, {"kommun_id": kommun_id})
    connection.execute("DELETE FROM narvarolagen WHERE kommun_id = %s", (kommun_id,))
    connection.execute(
        WINDOW_SUMS,
        {
            "kommun_id": kommun_id,
            "per": fonster.per_vecka,
            "a_fran": fonster.a_fran,
            "b_fran": fonster.b_fran,
        },
    )
    # Marked as computed for this week, so that the first reader uses these rows rather than
    # computing them again (narvaro.ensure_current).
    connection.execute(
        "INSERT INTO narvaroberakningar (kommun_id, vecka) VALUES (%(kommun_id)s, %(per)s)"
        " ON CONFLICT (kommun_id) DO UPDATE SET vecka = excluded.vecka",
        {"kommun_id": kommun_id, "per": fonster.per_vecka},
    )


def seed(url: str, *, poster: int, idag: date | None = None) -> int:
    """Seeds about `poster` records for every pupil of Demo kommun (a libpq URL), with COPY,
    and their week sums and tier state; returns how many records."""
    idag = idag or datetime.now(SKOLTID).date()
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT id FROM kommuner WHERE namn = 'Demo kommun'").fetchone()
        if row is None:
            raise SystemExit("Demo kommun saknas: kör samverka seed-demo först")
        kommun_id = row[0]
        elev_ids = [
            r[0]
            for r in connection.execute(
                "SELECT id FROM elever WHERE kommun_id = %s ORDER BY skola_id, id", (kommun_id,)
            )
        ]
        termin = Termin(len(elev_ids), max(poster // max(len(elev_ids), 1), 1), idag)
        mottagen = datetime.now(SKOLTID)
        columns = "extern_id, elev_id, datum, schemalagd, giltig, ogiltig, orsak"
        connection.execute(f"CREATE TEMP TABLE ny_franvaro ({columns.replace(',', ' text,')} text)")
        with connection.cursor().copy(f"COPY ny_franvaro ({columns}) FROM STDIN") as cp:
            chunk: list[str] = []
            for line in copy_text(termin.poster_i_ordning(), elev_ids):
                chunk.append(line)
                if len(chunk) == 10_000:
                    cp.write("".join(chunk))
                    chunk = []
            cp.write("".join(chunk))
        connection.execute(
            "INSERT INTO franvaroposter (id, kommun_id, kalla, extern_id, elev_id, datum,"
            " schemalagd, giltig, ogiltig, orsak, mottagen)"
            " SELECT gen_random_uuid(), %s, %s, extern_id, CAST(elev_id AS uuid),"
            " CAST(datum AS date), CAST(schemalagd AS int), CAST(giltig AS int),"
            " CAST(ogiltig AS int), orsak, %s FROM ny_franvaro",
            (kommun_id, SEED_KALLA, mottagen),
        )
        summera(connection, kommun_id, idag)
        connection.execute("ANALYZE franvaroposter")
        connection.execute("ANALYZE franvaroveckor")
        connection.execute("ANALYZE narvarolagen")
    return termin.poster
