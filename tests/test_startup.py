"""The service as an ASGI server loads it: `app.main:app` in a fresh interpreter, and
`samverka serve` with several worker processes."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LOGIN = """
from fastapi.testclient import TestClient
from app.main import app
with TestClient(app) as client:
    response = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "kurator", "password": "demo"},
    )
    print(response.status_code)
"""


def _python(code: list[str], database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter with fixed arguments
        [sys.executable, *code],
        env={"SAMVERKA_DATABASE_URL": database_url, "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )


def test_app_main_app_writes_through_every_mapping_when_imported_on_its_own(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    for command in ("migrate", "seed-demo"):
        assert _python(["-m", "app.cli", command], url).returncode == 0

    # A login writes audit rows that refer to the kommun: only a fully mapped schema can.
    result = _python(["-c", LOGIN], url)

    assert result.stdout.strip() == "200", result.stderr[-2000:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_with_several_workers_answers_on_its_port(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'workers.db'}"
    for command in ("migrate", "seed-demo"):
        assert _python(["-m", "app.cli", command], url).returncode == 0
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - this interpreter with fixed arguments
        [sys.executable, "-m", "app.cli", "serve", "--workers", "2", "--port", str(port)],
        env={"SAMVERKA_DATABASE_URL": url, "PATH": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        answers: list[int] = []
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            while time.monotonic() < deadline and not answers:
                try:
                    answers.append(client.get("/readyz").status_code)
                except httpx.TransportError:
                    time.sleep(0.2)
            token = client.post(
                "/api/v1/auth/token",
                data={"grant_type": "password", "username": "kurator", "password": "demo"},
            )
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)

    assert answers == [200], errors[-2000:]
    assert token.status_code == 200
    assert server.returncode == 0, errors[-2000:]


def test_serve_refuses_fewer_than_one_worker(tmp_path: Path) -> None:
    result = _python(["-m", "app.cli", "serve", "--workers", "0"], f"sqlite:///{tmp_path}/x.db")

    assert result.returncode == 1
    assert "--workers ska vara minst 1." in result.stderr
