"""The CSV export: the same values as the JSON, parsed back with the csv module; and which
Accept headers get CSV."""

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.kvalitet.statistik.export import RUBRIKER, vill_ha_csv
from tests.factories import EKBACKEN, skola_id
from tests.helpers import Tokens
from tests.kvalitet.data import AR_2025, STATISTIK, Bygge

Nyckel = tuple[str, str, str]


def _json_values(body: dict[str, object]) -> dict[Nyckel, tuple[float | None, str | None]]:
    found: dict[Nyckel, tuple[float | None, str | None]] = {}
    for figur, block in body.items():
        if not isinstance(block, dict) or "varden" not in block:
            continue
        for v in block["varden"]:
            found[(figur, v["grupp"], v["matt"])] = (v["varde"], v["saknas"])
    return found


def _csv_values(
    text: str,
) -> tuple[list[dict[str, str]], dict[Nyckel, tuple[float | None, str | None]]]:
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    values = {
        (row["Figur"], row["Grupp"], row["Mått"]): (
            float(row["Värde"]) if row["Värde"] else None,
            row["Anmärkning"] or None,
        )
        for row in rows
    }
    return rows, values


@pytest.mark.parametrize(("konto", "skola"), [("styrgrupp", None), ("rektor", EKBACKEN)])
def test_the_csv_holds_exactly_the_figures_of_the_json(
    konto: str, skola: str | None, client: TestClient, tokens: Tokens, db: Session, kommunen: Bygge
) -> None:
    params = {**AR_2025} | ({"skola": str(skola_id(db, skola))} if skola else {})
    as_json = client.get(STATISTIK, params=params, headers=tokens.headers(konto))
    as_csv = client.get(
        STATISTIK, params=params, headers={**tokens.headers(konto), "Accept": "text/csv"}
    )

    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["vary"] == "Accept"
    assert as_csv.content.decode("utf-8").splitlines()[0] == ",".join(RUBRIKER)
    rows, values = _csv_values(as_csv.content.decode("utf-8"))
    assert values == _json_values(as_json.json())
    assert len(rows) == len(values)
    assert {(r["Kommunkod"], r["Period från"], r["Period till"]) for r in rows} == {
        ("9901", "2025-01-01", "2025-12-31")
    }
    assert {r["Skolenhetskoder"] for r in rows} == {skola or ""}
    assert any(value is not None for value, _ in values.values())
    assert any(saknas == "undertryckt" for _, saknas in values.values())


@pytest.mark.parametrize(
    ("accept", "csv_wanted"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("text/csv", True),
        ("text/csv; charset=utf-8", True),
        ("text/*", True),
        ("text/csv, */*", True),
        ("application/json, text/csv", False),
        ("application/json;q=0.5, text/csv", True),
        ("text/csv;q=0.2, application/json;q=0.8", False),
        ("text/csv;q=0", False),
        ("text/html,application/xhtml+xml,*/*;q=0.8", False),
        ("image/png", False),
        ("text/csv;q=nej", False),
    ],
)
def test_csv_is_chosen_only_when_the_accept_header_prefers_it(
    accept: str | None, csv_wanted: bool
) -> None:
    assert vill_ha_csv(accept) is csv_wanted


def test_an_accept_header_for_neither_gets_json(client: TestClient, tokens: Tokens) -> None:
    response = client.get(STATISTIK, headers={**tokens.headers("admin"), "Accept": "image/png"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
