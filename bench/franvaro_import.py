"""Absence intake at the size of a large kommun, through HTTP, against the database's own load.

**Empties** the PostgreSQL database named (use one meant for benchmarks), or with `--sqlite` uses
a new SQLite file; migrates it and loads the demo data. Then it seeds Demo kommun straight into
the tables (no API, no audit log): schools, pupils, each with the source's person id
(ElevExterntId), an integration client bound to every school, and a principal (`rektor-alla`,
password `demo`) with every school. The term (bench/franvaro_seed.py: classes of 25, lessons over
the last 20 weeks, most pupils present) is turned into request bodies before any clock starts.

With `samverka serve` on a free port it sends, as the integration client over HTTP, every
CalendarEvent and then every Attendance in batches (`--batch`, from `--samtidighet` concurrent
connections), times the first sending (all new) and the whole term again (all unchanged), and
checks every answer's counts. On PostgreSQL it then loads the same rows with the database's own
means: COPY into a temporary table and one `INSERT … ON CONFLICT` into a scratch copy of
franvaroposter (same indexes and foreign keys), once new and once unchanged. Last it times
`GET /api/v1/narvarovarningar` (first page) for the whole kommun and for one school. The figures
are for reading: see docs/performance.md.

    .venv/bin/python -m bench.franvaro_import \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/samverka_bench
    .venv/bin/python -m bench.franvaro_import --sqlite
"""

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import psycopg
import pydantic_core
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.orm import Session

from app.anvandare.models import Anvandare, anvandare_skolor
from app.auth.passwords import hash_secret
from app.auth.roles import Organisation, Roll
from app.core.ids import new_id
from app.core.time import SKOLTID
from app.elever.models import Arskurs, Elev, ElevExterntId
from app.franvaro.models import Franvaropost, Franvarovecka
from app.integrationer.models import Integration, integration_skolor
from app.kommuner.models import Kommun
from app.skolor.models import Skola
from bench.franvaro_seed import KLASS, Termin, attendance, calendar_event, copy_text
from bench.kommun_data import personnummer
from bench.server import free_port, prepare, served, server_env, wait_ready

API = "/api/v1"
KLIENT_ID = "bench-franvaro"
HEMLIGHET = "bench-franvaro-hemlighet"
ALLA = "rektor-alla"
ARSKURSER = list(Arskurs)


@dataclass
class Kommunen:
    kommun_id: uuid.UUID
    skolor: list[uuid.UUID]
    elever: list[uuid.UUID] = field(default_factory=list)


def seed_kommun(database_url: str, *, skolor: int, elever: int) -> Kommunen:
    """Schools, pupils (in school order, KLASS at a time), their source ids, the integration
    client and the principal who sees every school, with the ORM's bulk inserts."""
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        kommun_id = session.scalars(select(Kommun.id).where(Kommun.namn == "Demo kommun")).one()
        befintliga = list(
            session.scalars(
                select(Skola.id).where(Skola.kommun_id == kommun_id).order_by(Skola.skolenhetskod)
            )
        )
        nya = [uuid.uuid4() for _ in range(max(skolor - len(befintliga), 0))]
        if nya:
            session.execute(
                insert(Skola),
                [
                    {
                        "id": s,
                        "kommun_id": kommun_id,
                        "namn": f"Mätskola {i}",
                        "skolenhetskod": f"{70000000 + i:08d}",
                        "version": 1,
                    }
                    for i, s in enumerate(nya)
                ],
            )
        kommunen = Kommunen(kommun_id, befintliga + nya)
        per_skola = -(-elever // len(kommunen.skolor))
        per_skola = -(-per_skola // KLASS) * KLASS
        rows = []
        for n in range(elever):
            elev_id = uuid.uuid4()
            kommunen.elever.append(elev_id)
            rows.append(
                {
                    "id": elev_id,
                    "kommun_id": kommun_id,
                    "skola_id": kommunen.skolor[n // per_skola],
                    "personnummer": personnummer(n),
                    "identitetstyp": "personnummer",
                    "fornamn": "Elev",
                    "efternamn": f"Nummer{n}",
                    "sokbart_namn": f"elev nummer{n}",
                    "arskurs": ARSKURSER[1 + n // KLASS % 9],
                    "skolform": "grundskola",
                    "skyddad_identitet": "ingen",
                    "version": 1,
                }
            )
        session.execute(insert(Elev), rows)
        session.execute(
            insert(ElevExterntId),
            [
                {"kommun_id": kommun_id, "kalla": KLIENT_ID, "extern_id": extern, "elev_id": e}
                for extern, e in zip(
                    (f"e0000000-0000-4000-8000-{n:012x}" for n in range(elever)),
                    kommunen.elever,
                    strict=True,
                )
            ],
        )
        integration_id, anvandare_id = uuid.uuid4(), uuid.uuid4()
        session.execute(
            insert(Integration),
            [
                {
                    "id": integration_id,
                    "kommun_id": kommun_id,
                    "namn": "Mätning: närvarosystem",
                    "klient_id": KLIENT_ID,
                    "hemlighet_hash": hash_secret(HEMLIGHET),
                    "version": 1,
                }
            ],
        )
        session.execute(
            insert(Anvandare),
            [
                {
                    "id": anvandare_id,
                    "kommun_id": kommun_id,
                    "anvandarnamn": ALLA,
                    "namn": "Rektor för alla skolor",
                    "roll": Roll.rektor,
                    "organisation": Organisation.skola,
                    "losenord_hash": hash_secret("demo"),
                    "version": 1,
                }
            ],
        )
        session.execute(
            insert(integration_skolor),
            [{"integration_id": integration_id, "skola_id": s} for s in kommunen.skolor],
        )
        session.execute(
            insert(anvandare_skolor),
            [{"anvandare_id": anvandare_id, "skola_id": s} for s in kommunen.skolor],
        )
        session.execute(text("ANALYZE"))
    engine.dispose()
    return kommunen


def _bodies(items: list[dict[str, Any]], size: int) -> list[bytes]:
    return [pydantic_core.to_json(items[i : i + size]) for i in range(0, len(items), size)]


@dataclass
class Svar:
    mottagna: int = 0
    skapade: int = 0
    uppdaterade: int = 0
    oforandrade: int = 0
    avvisade: int = 0
    anmarkningar: int = 0
    sekunder: list[float] = field(default_factory=list)

    def add(self, answer: dict[str, Any], seconds: float) -> None:
        for name in ("mottagna", "skapade", "uppdaterade", "oforandrade", "avvisade"):
            setattr(self, name, getattr(self, name) + answer[name])
        self.anmarkningar += len(answer["anmarkningar"])
        self.sekunder.append(seconds)


async def _send(
    base_url: str, path: str, bodies: list[bytes], token: str, samtidighet: int
) -> tuple[Svar, float]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    svar = Svar()
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            started = time.perf_counter()
            response = await client.post(path, content=body, headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code} {response.text[:500]}")
            svar.add(response.json(), time.perf_counter() - started)

    limits = httpx.Limits(max_connections=samtidighet, max_keepalive_connections=samtidighet)
    async with httpx.AsyncClient(base_url=base_url, timeout=600, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(samtidighet)))
        return svar, time.perf_counter() - started


def _token(client: httpx.Client, **form: str) -> str:
    response = client.post(f"{API}/auth/token", data=form)
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def _user_token(client: httpx.Client, anvandarnamn: str) -> str:
    return _token(client, grant_type="password", username=anvandarnamn, password="demo")  # noqa: S106 - the demo password


def client_token(client: httpx.Client) -> str:
    return _token(
        client, grant_type="client_credentials", client_id=KLIENT_ID, client_secret=HEMLIGHET
    )


def _rate(label: str, svar: Svar, seconds: float) -> str:
    per_batch = statistics.median(svar.sekunder) * 1000
    return (
        f"{label:<34} {svar.mottagna:>9} poster på {seconds:7.1f} s = "
        f"{svar.mottagna / seconds:9.0f} poster/s   (median {per_batch:.0f} ms per batch; "
        f"skapade {svar.skapade}, uppdaterade {svar.uppdaterade}, "
        f"oförändrade {svar.oforandrade}, avvisade {svar.avvisade}, "
        f"anmärkningar {svar.anmarkningar})"
    )


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def _time_get(
    client: httpx.Client, path: str, token: str, runs: int, params: dict[str, str] | None = None
) -> tuple[list[float], int]:
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):
        client.get(path, headers=headers, params=params).raise_for_status()
    found = []
    rows = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, headers=headers, params=params)
        found.append(time.perf_counter() - started)
        response.raise_for_status()
        rows = len(response.json()["data"])
    return found, rows


def _row(label: str, seconds: list[float], rows: int) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{label:<44} median {statistics.median(ms):7.1f} ms   p95 {_percentile(ms, 0.95):7.1f}"
        f"   min {min(ms):7.1f}   max {max(ms):7.1f}   ({len(ms)} körningar, {rows} rader)"
    )


def _sums_agree(database_url: str) -> str:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        poster = connection.execute(
            select(
                func.count(),
                func.sum(Franvaropost.schemalagd),
                func.sum(Franvaropost.giltig),
                func.sum(Franvaropost.ogiltig),
            )
        ).one()
        veckor = connection.execute(
            select(
                func.sum(Franvarovecka.schemalagd),
                func.sum(Franvarovecka.giltig),
                func.sum(Franvarovecka.ogiltig),
            )
        ).one()
    engine.dispose()
    same = tuple(poster[1:]) == tuple(veckor)
    return f"{poster[0]} poster lagrade; veckosummorna {'stämmer' if same else 'STÄMMER INTE'}"


_COLUMNS = "id, extern_id, elev_id, datum, schemalagd, giltig, ogiltig, orsak"


def _database_load(libpq_url: str, kommun_id: uuid.UUID, copy_data: bytes) -> list[str]:
    """The same rows with the database's own means: COPY into a temporary table and one
    INSERT … ON CONFLICT into a scratch copy of franvaroposter, new and then unchanged."""
    found = []
    with psycopg.connect(libpq_url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS franvaroposter_kopia")
        connection.execute("CREATE TABLE franvaroposter_kopia (LIKE franvaroposter INCLUDING ALL)")
        connection.execute(
            "ALTER TABLE franvaroposter_kopia"
            " ADD FOREIGN KEY (kommun_id) REFERENCES kommuner (id),"
            " ADD FOREIGN KEY (elev_id) REFERENCES elever (id) ON DELETE CASCADE"
        )
        for label in ("nya", "oförändrade"):
            started = time.perf_counter()
            with connection.transaction():
                connection.execute(
                    "CREATE TEMP TABLE ny_franvaro (id uuid, extern_id varchar(100), elev_id uuid,"
                    " datum date, schemalagd int, giltig int, ogiltig int, orsak varchar(200))"
                    " ON COMMIT DROP"
                )
                with connection.cursor().copy(f"COPY ny_franvaro ({_COLUMNS}) FROM STDIN") as cp:
                    view = memoryview(copy_data)
                    for start in range(0, len(view), 1 << 20):
                        cp.write(view[start : start + (1 << 20)])
                copied = time.perf_counter()
                result = connection.execute(
                    "INSERT INTO franvaroposter_kopia (id, kommun_id, kalla, extern_id, elev_id,"
                    " datum, schemalagd, giltig, ogiltig, orsak, mottagen)"
                    " SELECT n.id, %s, %s, n.extern_id, n.elev_id, n.datum,"
                    " n.schemalagd, n.giltig, n.ogiltig, n.orsak, now() FROM ny_franvaro AS n"
                    " ON CONFLICT (kalla, extern_id) DO UPDATE SET elev_id = excluded.elev_id,"
                    " datum = excluded.datum, schemalagd = excluded.schemalagd,"
                    " giltig = excluded.giltig, ogiltig = excluded.ogiltig,"
                    " orsak = excluded.orsak, mottagen = excluded.mottagen"
                    " WHERE (franvaroposter_kopia.elev_id, franvaroposter_kopia.datum,"
                    " franvaroposter_kopia.schemalagd, franvaroposter_kopia.giltig,"
                    " franvaroposter_kopia.ogiltig, franvaroposter_kopia.orsak)"
                    " IS DISTINCT FROM (excluded.elev_id, excluded.datum, excluded.schemalagd,"
                    " excluded.giltig, excluded.ogiltig, excluded.orsak)",
                    (kommun_id, KLIENT_ID),
                )
                written = result.rowcount
            done = time.perf_counter()
            rows = copy_data.count(b"\n")
            found.append(
                f"databasens egen laddning, {label:<12} {rows:>9} poster på {done - started:7.1f} s"
                f" = {rows / (done - started):9.0f} poster/s   (COPY {copied - started:.1f} s,"
                f" INSERT … ON CONFLICT {done - copied:.1f} s, {written} rader skrivna)"
            )
            connection.execute("VACUUM ANALYZE franvaroposter_kopia")
        connection.execute("DROP TABLE franvaroposter_kopia")
        # Written to disk now, not while the early warnings are timed after it.
        connection.execute("CHECKPOINT")
    return found


def _sqlite_rows(copy_data: bytes) -> list[tuple[object, ...]]:
    """The COPY rows as SQLite stores them (ids as 32 hex digits, as SQLAlchemy's Uuid does)."""
    rows: list[tuple[object, ...]] = []
    for line in copy_data.decode().splitlines():
        id_, extern_id, elev_id, datum, s, g, o, orsak = line.split("\t")
        rows.append(
            (
                *(uuid.UUID(id_).hex, extern_id, uuid.UUID(elev_id).hex, datum),
                *(int(s), int(g), int(o), None if orsak == "\\N" else orsak),
            )
        )
    return rows


def _database_load_sqlite(
    path: str, kommun_id: uuid.UUID, rows: list[tuple[object, ...]]
) -> list[str]:
    """SQLite's own idempotent load of the same rows: executemany into a temporary table and one
    INSERT … ON CONFLICT into a scratch copy of franvaroposter (same indexes and foreign keys)."""
    found = []
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    schema = connection.execute(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'franvaroposter' AND sql IS NOT NULL"
    ).fetchall()
    connection.execute("DROP TABLE IF EXISTS franvaroposter_kopia")
    for kind, sql in sorted(schema, key=lambda row: row[0] != "table"):
        if kind == "table":
            connection.execute(sql.replace("franvaroposter", "franvaroposter_kopia", 1))
        else:
            connection.execute(sql.replace("franvaroposter", "franvaroposter_kopia"))
    k = "franvaroposter_kopia"
    for label in ("nya", "oförändrade"):
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "CREATE TEMP TABLE ny_franvaro (id, extern_id, elev_id, datum, schemalagd, giltig,"
            " ogiltig, orsak)"
        )
        connection.executemany("INSERT INTO ny_franvaro VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        copied = time.perf_counter()
        written = connection.execute(
            f"INSERT INTO {k} (id, kommun_id, kalla, extern_id, elev_id, datum, schemalagd,"
            " giltig, ogiltig, orsak, mottagen) SELECT id, ?, ?, extern_id, elev_id, datum,"
            " schemalagd, giltig, ogiltig, orsak, ? FROM ny_franvaro WHERE true"
            " ON CONFLICT (kalla, extern_id) DO UPDATE SET elev_id = excluded.elev_id,"
            " datum = excluded.datum, schemalagd = excluded.schemalagd,"
            " giltig = excluded.giltig, ogiltig = excluded.ogiltig, orsak = excluded.orsak,"
            f" mottagen = excluded.mottagen WHERE ({k}.elev_id, {k}.datum, {k}.schemalagd,"
            f" {k}.giltig, {k}.ogiltig, {k}.orsak) IS NOT (excluded.elev_id, excluded.datum,"
            " excluded.schemalagd, excluded.giltig, excluded.ogiltig, excluded.orsak)",
            (kommun_id.hex, KLIENT_ID, datetime.now(SKOLTID).isoformat()),
        ).rowcount
        connection.execute("DROP TABLE ny_franvaro")
        connection.execute("COMMIT")
        done = time.perf_counter()
        found.append(
            f"databasens egen laddning, {label:<12} {len(rows):>9} poster på"
            f" {done - started:7.1f} s = {len(rows) / (done - started):9.0f} poster/s"
            f"   (executemany {copied - started:.1f} s, INSERT … ON CONFLICT {done - copied:.1f} s,"
            f" {written} rader skrivna)"
        )
    connection.execute("DROP TABLE franvaroposter_kopia")
    connection.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", help="postgresql+psycopg://… (töms!)")
    parser.add_argument("--sqlite", action="store_true", help="en ny SQLite-fil, 1/10 storlek")
    parser.add_argument("--pupils", type=int)
    parser.add_argument("--records", type=int)
    parser.add_argument("--skolor", type=int, default=40)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--samtidighet", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="samverka serve --workers")
    parser.add_argument("--korningar", type=int, default=21)
    args = parser.parse_args()
    if args.sqlite == bool(args.database_url):
        raise SystemExit("ange antingen --database-url postgresql+psycopg://… eller --sqlite")
    scale = 10 if args.sqlite else 1
    pupils = args.pupils or 100_000 // scale
    records = args.records or 5_000_000 // scale
    tmp = tempfile.TemporaryDirectory()
    database_url = args.database_url or f"sqlite:///{tmp.name}/samverka.db"
    port = free_port()
    env = server_env(database_url, port)
    started = time.perf_counter()
    prepare(env, database_url)
    kommunen = seed_kommun(database_url, skolor=args.skolor, elever=pupils)
    idag = datetime.now(SKOLTID).date()
    termin = Termin(pupils, max(records // pupils, 1), idag)
    print(
        f"seedat på {time.perf_counter() - started:.0f} s: {len(kommunen.skolor)} skolor, "
        f"{pupils} elever i klasser om {KLASS}, {termin.per_elev} lektioner per elev "
        f"({termin.poster} poster) under 20 veckor fram till {idag}"
    )
    started = time.perf_counter()
    lektioner = [calendar_event(lektion) for row in termin.lektioner() for lektion in row]
    handelser = _bodies(lektioner, args.batch)
    poster = list(termin.poster_i_ordning())
    narvaro = [
        pydantic_core.to_json([attendance(p) for p in poster[i : i + args.batch]])
        for i in range(0, len(poster), args.batch)
    ]
    # Ids as the intake makes them (UUID version 7, in time order), made before the clock starts.
    copy_data = "".join(
        f"{new_id()}\t{line}" for line in copy_text(iter(poster), kommunen.elever)
    ).encode()
    del poster
    mb = sum(len(b) for b in narvaro) / len(narvaro) / 1e6
    print(
        f"{len(lektioner)} CalendarEvent i {len(handelser)} batcher, {termin.poster} Attendance "
        f"i {len(narvaro)} batcher om {args.batch} ({mb:.1f} MB per batch), "
        f"byggda på {time.perf_counter() - started:.0f} s"
    )
    _run_server(args, env, port, kommunen, database_url, handelser, narvaro, copy_data)
    tmp.cleanup()


def _run_server(
    args: argparse.Namespace,
    env: dict[str, str],
    port: int,
    kommunen: Kommunen,
    database_url: str,
    handelser: list[bytes],
    narvaro: list[bytes],
    copy_data: bytes,
) -> None:
    base_url = f"http://127.0.0.1:{port}"
    with served(env, workers=args.workers), httpx.Client(base_url=base_url, timeout=120) as client:
        wait_ready(client)
        token = client_token(client)
        svar, seconds = asyncio.run(
            _send(
                base_url,
                f"{API}/import/ss12000/calendarEvents",
                handelser,
                token,
                args.samtidighet,
            )
        )
        print(_rate("CalendarEvent, nya", svar, seconds))
        path = f"{API}/import/ss12000/attendances"
        for label in ("Attendance, första sändningen", "Attendance, hela terminen igen"):
            token = client_token(client)
            svar, seconds = asyncio.run(_send(base_url, path, narvaro, token, args.samtidighet))
            print(_rate(label, svar, seconds), flush=True)
        print(_sums_agree(database_url))
        if database_url.startswith("postgresql"):
            libpq_url = database_url.replace("+psycopg", "")
            lines = _database_load(libpq_url, kommunen.kommun_id, copy_data)
        else:
            path = database_url.removeprefix("sqlite:///")
            rows = _sqlite_rows(copy_data)
            lines = _database_load_sqlite(path, kommunen.kommun_id, rows)
        for line in lines:
            print(line, flush=True)
        alla = _user_token(client, ALLA)
        kurator = _user_token(client, "kurator")
        path = f"{API}/narvarovarningar"
        print(
            _row(
                "tidiga varningar, hela kommunen",
                *_time_get(client, path, alla, args.korningar),
            )
        )
        skola = {"skola": str(kommunen.skolor[0])}
        print(
            _row(
                "tidiga varningar, en skola (?skola=)",
                *_time_get(client, path, alla, args.korningar, skola),
            )
        )
        print(
            _row(
                "tidiga varningar, kurator (egen skola)",
                *_time_get(client, path, kurator, args.korningar),
            )
        )


if __name__ == "__main__":
    main()
