"""The server's memory for one absence batch of the largest size the API takes.

With `--sqlite` a new SQLite file, or the PostgreSQL database named (it is **emptied**), is
migrated and seeded as in bench/franvaro_import.py, with fewer pupils (each of them with many
lessons, so that one batch of `--poster` records names only known pupils and lessons). Then
`samverka serve` (one process) is started, the lessons are sent, and one small batch warms the
intake up. After that two batches of `--poster` SS 12000 Attendance records are sent, each
`--rundor` times (new, then all unchanged): one as the bench writes them (about 350 bytes a
record) and one padded with a field the intake ignores (`meta`) to just under the body limit
(`SAMVERKA_MAX_IMPORT_BODY_BYTES`). For each call the server process's resident memory before it
and its peak during it are printed (Linux: VmRSS and VmHWM in /proc/PID/status; the peak is
reset before each call through /proc/PID/clear_refs). The figures are for reading: see
docs/performance.md.

    .venv/bin/python -m bench.import_minne --sqlite
    .venv/bin/python -m bench.import_minne \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/samverka_bench
"""

import argparse
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pydantic_core

from app.core.config import Settings
from app.core.time import SKOLTID
from bench.franvaro_import import API, client_token, seed_kommun
from bench.franvaro_seed import Termin, attendance, calendar_event
from bench.server import free_port, prepare, served, server_env, wait_ready

MB = 1024 * 1024


def _memory(pid: int) -> dict[str, int]:
    """The process's VmRSS and VmHWM in bytes."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) * 1024
    return found


def _reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def _padded(items: list[dict[str, Any]], limit: int) -> bytes:
    """The batch with every record padded alike, so that the body ends just under `limit`."""
    plain = len(pydantic_core.to_json(items))
    # Room for the padding field's own name and quotes, and a margin under the limit.
    per_record = (limit - 64 * 1024 - plain) // len(items) - len(',"meta":{"note":""}')
    if per_record <= 0:
        raise SystemExit("batchen är redan större än gränsen; ange färre --poster")
    filler = "x" * per_record
    return pydantic_core.to_json([{**item, "meta": {"note": filler}} for item in items])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", help="postgresql+psycopg://… (töms!)")
    parser.add_argument("--sqlite", action="store_true", help="en ny SQLite-fil")
    parser.add_argument("--poster", type=int, default=50_000, help="poster i batchen")
    parser.add_argument("--pupils", type=int, default=1_000)
    parser.add_argument(
        "--rundor", type=int, default=2, help="sändningar per batch (den första ny, resten igen)"
    )
    args = parser.parse_args()
    if args.sqlite == bool(args.database_url):
        raise SystemExit("ange antingen --database-url postgresql+psycopg://… eller --sqlite")
    tmp = tempfile.TemporaryDirectory()
    database_url = args.database_url or f"sqlite:///{tmp.name}/samverka.db"
    port = free_port()
    env = server_env(database_url, port)
    limit = Settings().max_import_body_bytes
    prepare(env, database_url)
    seed_kommun(database_url, skolor=4, elever=args.pupils)
    per_elev = -(-2 * args.poster // args.pupils) + 1
    termin = Termin(args.pupils, per_elev, datetime.now(SKOLTID).date())
    lektioner = [calendar_event(lektion) for row in termin.lektioner() for lektion in row]
    poster = [attendance(p) for p in termin.poster_i_ordning()]
    warm_up = poster[: args.pupils]
    first, second = (
        poster[args.pupils + n * args.poster : args.pupils + (n + 1) * args.poster] for n in (0, 1)
    )
    bodies = {
        "som i importmätningen": pydantic_core.to_json(first),
        "utfylld till gränsen": _padded(second, limit),
    }
    with (
        served(env) as server,
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as client,
    ):
        wait_ready(client)
        headers = {"Authorization": f"Bearer {client_token(client)}"}
        for start in range(0, len(lektioner), 50_000):
            client.post(
                f"{API}/import/ss12000/calendarEvents",
                json=lektioner[start : start + 50_000],
                headers=headers,
            ).raise_for_status()
        path = f"{API}/import/ss12000/attendances"
        client.post(path, json=warm_up, headers=headers).raise_for_status()
        print(f"gräns för anropskroppen {limit / MB:.0f} MiB, {args.poster} poster per batch")
        for label, body in bodies.items():
            for n in range(args.rundor):
                round_ = "ny" if n == 0 else f"igen {n}"
                before = _memory(server.pid)["VmRSS"]
                _reset_peak(server.pid)
                response = client.post(
                    path,
                    content=body,
                    headers={**headers, "Content-Type": "application/json"},
                )
                response.raise_for_status()
                answer = response.json()
                peak = _memory(server.pid)["VmHWM"]
                print(
                    f"{label:22} {round_:7} {len(body) / MB:6.1f} MiB: "
                    f"före {before / MB:6.0f} MiB, topp {peak / MB:6.0f} MiB, "
                    f"ökning {(peak - before) / MB:5.0f} MiB   (skapade {answer['skapade']}, "
                    f"oförändrade {answer['oforandrade']}, avvisade {answer['avvisade']})",
                    flush=True,
                )
    tmp.cleanup()


if __name__ == "__main__":
    main()
