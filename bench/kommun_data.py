"""Schools and pupils for benchmarks, seeded into Demo kommun with COPY: reusable by any
benchmark that needs a large kommun (the quality statistics; absence records)."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

Connection = psycopg.Connection[Any]
Rad = tuple[Any, ...]


@dataclass(frozen=True)
class Kommun:
    kommun_id: uuid.UUID
    skolor: list[uuid.UUID]
    kurator_id: uuid.UUID
    team_id: uuid.UUID


def _luhn(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 - index % 2)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def personnummer(n: int) -> str:
    """The n:th of a run of valid, distinct 12-digit numbers for pupils born from 2010."""
    born = date(2010, 1, 1) + timedelta(days=n // 900)
    body = f"{born:%y%m%d}{n % 900 + 1:03d}"
    return f"{born:%Y}{body[2:]}{_luhn(body)}"


def copy_rows(connection: Connection, table: str, columns: str, rows: Iterable[Rad]) -> int:
    """COPY the rows into the table's named columns; returns how many."""
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
            count += 1
    return count


def demo_kommun(connection: Connection) -> Kommun:
    """Demo kommun as seed-demo left it: its schools and the accounts the data is written by."""
    row = connection.execute("SELECT id FROM kommuner WHERE namn = 'Demo kommun'").fetchone()
    if row is None:
        raise SystemExit("Demo kommun saknas: kör samverka seed-demo först")
    kommun_id = row[0]
    users = dict(
        connection.execute(
            "SELECT anvandarnamn, id FROM anvandare WHERE kommun_id = %s", (kommun_id,)
        ).fetchall()
    )
    skolor = connection.execute(
        "SELECT id FROM skolor WHERE kommun_id = %s ORDER BY skolenhetskod", (kommun_id,)
    ).fetchall()
    return Kommun(kommun_id, [r[0] for r in skolor], users["kurator"], users["team-skola"])


def skolor(connection: Connection, kommun: Kommun, *, antal: int) -> list[uuid.UUID]:
    now = datetime.now(UTC)
    new = [uuid.uuid4() for _ in range(max(antal - len(kommun.skolor), 0))]
    rows = [
        (sid, kommun.kommun_id, f"Mätskola {i}", f"{70000000 + i:08d}", now, now, 1)
        for i, sid in enumerate(new)
    ]
    copy_rows(
        connection, "skolor", "id, kommun_id, namn, skolenhetskod, skapad, andrad, version", rows
    )
    return kommun.skolor + new


def _elev(kommun: Kommun, n: int, *, elev_id: uuid.UUID, skola_id: uuid.UUID, now: datetime) -> Rad:
    return (
        *(elev_id, kommun.kommun_id, skola_id, personnummer(n), "personnummer"),
        *("Elev", f"Nummer{n}", f"elev nummer{n}", str(1 + n % 9), "grundskola", "ingen"),
        *(now, now, 1),
    )


def elever(
    connection: Connection, kommun: Kommun, skolor: list[uuid.UUID], *, antal: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    now = datetime.now(UTC)
    elever = [(uuid.uuid4(), skolor[i % len(skolor)]) for i in range(antal)]
    copy_rows(
        connection,
        "elever",
        "id, kommun_id, skola_id, personnummer, identitetstyp, fornamn, efternamn, sokbart_namn,"
        " arskurs, skolform, skyddad_identitet, skapad, andrad, version",
        (_elev(kommun, n, elev_id=e, skola_id=s, now=now) for n, (e, s) in enumerate(elever)),
    )
    return elever
