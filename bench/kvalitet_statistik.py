"""The quality statistics at the size of a large kommun, on PostgreSQL, through HTTP.

**Empties** the PostgreSQL database named (use one meant for benchmarks), migrates it, loads the
demo data and seeds Demo kommun straight into the tables with COPY (bench/kommun_data.py,
bench/kvalitet_data.py): 100 000 pupils over 40 schools and 3 000 cases in every phase with
history, interventions, follow-ups, closures, reports of concern and deviations. Then it starts
`samverka serve` and times `GET /api/v1/kvalitetsuppfoljning/statistik` over one year — as the
steering group for the whole kommun (JSON and CSV) and as a principal for their school —
printing the median, minimum and maximum of several runs after a warm-up. The figures are for
reading: see docs/performance.md.

Absence: `--franvaroposter` (default 5 000 000) seeds a term of lesson-level records for every
pupil with `bench.franvaro_seed.seed`, with the week sums and the tier state the intake keeps,
and the early-warning list `GET /api/v1/narvarovarningar` is timed for a school (`kurator`) and
for the skolsocialt team (`team-skola`: every pupil of the kommun with a case).

    .venv/bin/python -m bench.kvalitet_statistik \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/samverka_bench_kvalitet
"""

import argparse
import statistics
import time
from datetime import date, timedelta

import httpx

from bench import franvaro_seed
from bench.kvalitet_data import Antal, seed
from bench.server import free_port, prepare, served, server_env, wait_ready

STATISTIK = "/api/v1/kvalitetsuppfoljning/statistik"
VARNINGAR = "/api/v1/narvarovarningar"


def _seed_absence(libpq_url: str, poster: int) -> str:
    if poster <= 0:
        return "inga (--franvaroposter 0)"
    started = time.perf_counter()
    antal = franvaro_seed.seed(libpq_url, poster=poster)
    return f"{antal} poster på {time.perf_counter() - started:.0f} s"


def _token(client: httpx.Client, anvandarnamn: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": anvandarnamn, "password": "demo"},
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _time(client: httpx.Client, path: str, headers: dict[str, str], runs: int) -> list[float]:
    params = {"fran": (date.today() - timedelta(days=365)).isoformat()}
    for _ in range(2):
        client.get(path, params=params, headers=headers).raise_for_status()
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, params=params, headers=headers)
        found.append(time.perf_counter() - started)
        response.raise_for_status()
    return found


def _row(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{label:<44} median {statistics.median(ms):7.1f} ms   "
        f"min {min(ms):7.1f}   max {max(ms):7.1f}   ({len(ms)} körningar)"
    )


def _measure(base_url: str, runs: int) -> None:
    with httpx.Client(base_url=base_url, timeout=120) as client:
        wait_ready(client)
        styrgrupp, rektor = _token(client, "styrgrupp"), _token(client, "rektor")
        csv = {**styrgrupp, "Accept": "text/csv"}
        print(
            _row(
                "statistik, styrgrupp, hela kommunen, JSON",
                _time(client, STATISTIK, styrgrupp, runs),
            )
        )
        print(_row("statistik, styrgrupp, hela kommunen, CSV", _time(client, STATISTIK, csv, runs)))
        print(_row("statistik, rektor, egen skola, JSON", _time(client, STATISTIK, rektor, runs)))
        kurator = _token(client, "kurator")
        print(_row("tidiga varningar, kurator", _time(client, VARNINGAR, kurator, runs)))
        team = _token(client, "team-skola")
        print(_row("tidiga varningar, team-skola", _time(client, VARNINGAR, team, runs)))


def _print_data(antal: Antal, franvaro: str, seconds: float) -> None:
    print(
        f"seedat på {seconds:.0f} s: {antal.skolor} skolor, {antal.elever} elever, "
        f"{antal.arenden} ärenden, {antal.fasbyten} fasbyten, {antal.insatser} insatser, "
        f"{antal.uppfoljningar} uppföljningar, {antal.orosanmalningar} orosanmälningar, "
        f"{antal.avvikelser} avvikelser"
    )
    print("ärenden per fas: " + ", ".join(f"{k} {v}" for k, v in sorted(antal.per_fas.items())))
    print(f"frånvaroposter: {franvaro}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="postgresql+psycopg://… (töms!)")
    parser.add_argument("--elever", type=int, default=100_000)
    parser.add_argument("--skolor", type=int, default=40)
    parser.add_argument("--arenden", type=int, default=3_000)
    parser.add_argument("--franvaroposter", type=int, default=5_000_000)
    parser.add_argument("--korningar", type=int, default=9)
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("mätningen körs mot PostgreSQL")
    libpq_url = args.database_url.replace("+psycopg", "")
    port = free_port()
    env = server_env(args.database_url, port)
    prepare(env, args.database_url)
    started = time.perf_counter()
    antal = seed(
        libpq_url, antal_skolor=args.skolor, antal_elever=args.elever, arenden=args.arenden
    )
    franvaro = _seed_absence(libpq_url, args.franvaroposter)
    _print_data(antal, franvaro, time.perf_counter() - started)
    with served(env):
        _measure(f"http://127.0.0.1:{port}", args.korningar)


if __name__ == "__main__":
    main()
