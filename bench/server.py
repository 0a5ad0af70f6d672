"""What the benchmarks share: a database made ready with the demo data, a free port, the
environment for `samverka`, the server in the background, and waiting until it answers /readyz."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SAMVERKA = str(Path(sys.executable).with_name("samverka"))
READY_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(database_url: str, port: int) -> dict[str, str]:
    """The environment for the `samverka` commands and the server: the database, quiet logs and
    the port to serve on."""
    return {
        **os.environ,
        "SAMVERKA_DATABASE_URL": database_url,
        "SAMVERKA_LOG_LEVEL": "WARNING",
        "PORT": str(port),
    }


@contextmanager
def served(env: dict[str, str], *, workers: int = 1) -> Iterator["subprocess.Popen[bytes]"]:
    """`samverka serve` in the background, its output discarded, stopped when the block ends."""
    server = subprocess.Popen(  # noqa: S603 - the project's own command
        [SAMVERKA, "serve", "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=10)


def prepare(env: dict[str, str], database_url: str) -> None:
    """Empties a PostgreSQL database (never a SQLite file: the caller makes a new one), then
    migrates it and loads the demo data."""
    if database_url.startswith("postgresql"):
        subprocess.run(  # noqa: S603 - fixed arguments, local database named by the operator
            [sys.executable, "-m", "bench.reset_postgres", database_url], check=True, env=env
        )
    subprocess.run([SAMVERKA, "migrate"], check=True, env=env, capture_output=True)  # noqa: S603
    subprocess.run([SAMVERKA, "seed-demo"], check=True, env=env, capture_output=True)  # noqa: S603


def wait_ready(client: httpx.Client) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"tjänsten blev inte redo inom {READY_SECONDS} s")
