"""`samverka verify-audit` on a fresh SQLite database, as an operator runs it."""

import re
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from app.demo import DEMO_KOMMUN

ROOT = Path(__file__).resolve().parents[2]


def _samverka(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter with fixed arguments
        [sys.executable, "-m", "app.cli", *args],
        env={"SAMVERKA_DATABASE_URL": f"sqlite:///{database}", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("cli") / "samverka.db"
    for command in ("migrate", "seed-demo"):
        result = _samverka(command, database=database)
        assert result.returncode == 0, result.stderr[-2000:]
    return database


def _copy(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
    return target


def _demo_kommun_id(database: Path) -> str:
    with closing(sqlite3.connect(database)) as connection:
        (kommun_id,) = connection.execute(
            "SELECT id FROM kommuner WHERE namn = ?", (DEMO_KOMMUN,)
        ).fetchone()
    return str(uuid.UUID(kommun_id))  # SQLite keeps the 32 hex digits only


def test_verify_audit_reports_every_chain_whole(seeded: Path, tmp_path: Path) -> None:
    database = _copy(seeded, tmp_path / "hel.db")

    result = _samverka("verify-audit", database=database)

    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2, result.stdout
    assert all(re.search(r": hel \(\d+ rader\)$", line) for line in lines), result.stdout


def test_verify_audit_exits_1_and_names_a_row_altered_in_the_file(
    seeded: Path, tmp_path: Path
) -> None:
    database = _copy(seeded, tmp_path / "andrad.db")
    with closing(sqlite3.connect(database)) as connection:
        kommun_id = _demo_kommun_id(database)
        (rad_id,) = connection.execute(
            "SELECT id FROM audit_logg WHERE kommun_id = ? AND lopnummer = 3",
            (uuid.UUID(kommun_id).hex,),
        ).fetchone()
        connection.execute("DROP TRIGGER audit_logg_ingen_update")
        connection.execute(
            "UPDATE audit_logg SET resurs_typ = 'forfalskad' WHERE id = ?", (rad_id,)
        )
        connection.commit()

    result = _samverka("verify-audit", database=database)

    assert result.returncode == 1
    broken = [line for line in result.stdout.splitlines() if "BRUTEN" in line]
    assert broken == [
        f"{kommun_id}: BRUTEN vid löpnummer 3 (rad {rad_id}): "
        "radens innehåll stämmer inte med dess hash"
    ]
    assert sum(": hel (" in line for line in result.stdout.splitlines()) == 1
