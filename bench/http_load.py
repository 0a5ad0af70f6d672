"""Load on the running service over loopback: authenticated reads at a given concurrency.

Starts `samverka serve` on a free local port against a fresh database (SQLite file by default,
or PostgreSQL with --database-url), loads the demo data, logs in, and sends a bounded number of
requests from C concurrent connections. Prints requests per second and latency percentiles. The
figures are for reading, not for asserting: see docs/performance.md.

    .venv/bin/python -m bench.http_load --requests 4000 --concurrency 64
    .venv/bin/python -m bench.http_load --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
"""

import argparse
import asyncio
import statistics
import tempfile
import time

import httpx

from bench.server import free_port, prepare, served, server_env, wait_ready

PATHS = ("/api/v1/auth/me", "/api/v1/skolor")


async def _load(base_url: str, requests: int, concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.Client(base_url=base_url) as ready:
        wait_ready(ready)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        login = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": "kurator", "password": "demo"},
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        latencies: list[float] = []
        statuses: dict[int | str, int] = {}
        queue: asyncio.Queue[str] = asyncio.Queue()
        for index in range(requests):
            queue.put_nowait(PATHS[index % len(PATHS)])

        async def worker() -> None:
            while not queue.empty():
                path = queue.get_nowait()
                started = time.perf_counter()
                try:
                    response = await client.get(path, headers=headers)
                except httpx.TransportError as exc:
                    # Counted with the statuses, so that one dropped connection is a figure in
                    # the report rather than the end of the run.
                    name = type(exc).__name__
                    statuses[name] = statuses.get(name, 0) + 1
                    continue
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started

    quantiles = statistics.quantiles(latencies, n=100)
    print(f"anrop            {requests} ({', '.join(f'{k}: {v}' for k, v in statuses.items())})")
    print(f"samtidighet      {concurrency}")
    print(f"tid              {elapsed:.2f} s")
    print(f"anrop/s          {requests / elapsed:.0f}")
    print(
        f"latens p50/p95/p99  {quantiles[49] * 1000:.1f} / {quantiles[94] * 1000:.1f} / "
        f"{quantiles[98] * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--database-url", help="standard: en ny SQLite-fil i en temporär katalog")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.db"
        port = free_port()
        env = server_env(database_url, port)
        prepare(env, database_url)
        with served(env):
            print(f"databas          {database_url.split('://')[0]}")
            asyncio.run(_load(f"http://127.0.0.1:{port}", args.requests, args.concurrency))


if __name__ == "__main__":
    main()
