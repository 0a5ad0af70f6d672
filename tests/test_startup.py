"""The service as an ASGI server loads it: `app.main:app` in a fresh interpreter."""

import subprocess
import sys
from pathlib import Path

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
