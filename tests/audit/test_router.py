"""GET /api/v1/audit and /audit/verifiering: the granskare's view of the kommun's log."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from app.audit.models import AuditHandelse
from tests.audit.chains import (
    AUDIT_URL,
    VERIFY_URL,
    chain,
    demo_kommun,
    grannkommun,
    search_all,
    user_id,
)
from tests.helpers import ACCOUNT_ROLES, Tokens, audit_since, last_audit_id

SKOLOR = "/api/v1/skolor"
ELEV = uuid.UUID("5a1e5a1e-0000-4000-8000-000000000001")


@pytest.mark.parametrize("account", ACCOUNT_ROLES)
@pytest.mark.parametrize("url", [AUDIT_URL, VERIFY_URL])
def test_only_granskare_reads_the_audit_log(
    url: str, account: str, client: TestClient, tokens: Tokens
) -> None:
    response = client.get(url, headers=tokens.headers(account))
    assert response.status_code == (200 if account == "granskare" else 403)


def _activity(client: TestClient, tokens: Tokens) -> None:
    """Rows of every kind in both kommuner: searches, a create, denials, a pupil's search."""
    client.get(SKOLOR, headers=tokens.headers("rektor"))
    client.get(SKOLOR, headers=tokens.headers("admin2"))
    client.get(f"{SKOLOR}/{uuid.uuid4()}", headers=tokens.headers("kurator"))
    client.post(
        SKOLOR,
        json={"namn": "Lindskolan", "skolenhetskod": "24681357"},
        headers=tokens.headers("admin"),
    )
    client.post(SKOLOR, json={}, headers=tokens.headers("kurator2"))
    client.get(AUDIT_URL, params={"elev": str(ELEV)}, headers=tokens.headers("granskare"))


def test_paging_walks_every_row_of_the_kommun_newest_first_without_repeats(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _activity(client, tokens)
    expected = [row.id for row in reversed(chain(db, demo_kommun(db)))]
    grann = {row.id for row in chain(db, grannkommun(db))}

    walked = [row["id"] for row in search_all(client, tokens.headers("granskare"), {}, limit=2)]

    assert walked == expected
    assert len(walked) == len(set(walked))
    assert not grann & set(walked)
    assert min(grann) < max(walked)  # the kommuner's rows interleave, so the filter matters


@dataclass(frozen=True)
class Filter:
    params: Callable[[Session, list[AuditHandelse]], dict[str, str]]
    matches: Callable[[Session, list[AuditHandelse], AuditHandelse], bool]


def _window(rows: list[AuditHandelse]) -> tuple[datetime, datetime]:
    """From the second distinct moment (included) to the last (excluded)."""
    moments = sorted({row.tidpunkt for row in rows})
    return moments[1], moments[-1]


def _rfc3339(moment: datetime, hours: int) -> str:
    return moment.astimezone(timezone(timedelta(hours=hours))).isoformat()


FILTERS = {
    "anvandare": Filter(
        lambda db, _rows: {"anvandare": str(user_id(db, "rektor"))},
        lambda db, _rows, row: row.aktor_id == user_id(db, "rektor"),
    ),
    "elev": Filter(
        lambda _db, _rows: {"elev": str(ELEV)},
        lambda _db, _rows, row: row.elev_id == ELEV,
    ),
    "fran and till in other zones than UTC": Filter(
        lambda _db, rows: {
            "fran": _rfc3339(_window(rows)[0], 2),
            "till": _rfc3339(_window(rows)[1], -5),
        },
        lambda _db, rows, row: _window(rows)[0] <= row.tidpunkt < _window(rows)[1],
    ),
    "atgard": Filter(
        lambda _db, _rows: {"atgard": "create"},
        lambda _db, _rows, row: row.atgard is Atgard.create,
    ),
    "utfall": Filter(
        lambda _db, _rows: {"utfall": "denied"},
        lambda _db, _rows, row: row.utfall is Utfall.denied,
    ),
    "atgard and utfall": Filter(
        lambda _db, _rows: {"atgard": "read", "utfall": "denied"},
        lambda _db, _rows, row: (row.atgard, row.utfall) == (Atgard.read, Utfall.denied),
    ),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_narrows_the_search_to_the_matching_rows(
    name: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    _activity(client, tokens)
    rows = chain(db, demo_kommun(db))
    search = FILTERS[name]
    expected = [row.id for row in reversed(rows) if search.matches(db, rows, row)]
    assert 0 < len(expected) < len(rows), "the filter must keep some rows and drop others"

    found = search_all(client, tokens.headers("granskare"), search.params(db, rows))

    assert [row["id"] for row in found] == expected


def test_another_kommuns_user_has_no_rows_in_the_search(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _activity(client, tokens)
    admin2 = user_id(db, "admin2")
    assert any(row.aktor_id == admin2 for row in chain(db, grannkommun(db)))

    found = search_all(client, tokens.headers("granskare"), {"anvandare": str(admin2)})

    assert found == []


@pytest.mark.parametrize("field", ["fran", "till"])
def test_times_without_a_timezone_are_refused(
    field: str, client: TestClient, tokens: Tokens
) -> None:
    response = client.get(
        AUDIT_URL, params={field: "2026-01-01T12:00:00"}, headers=tokens.headers("granskare")
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"plats": f"query.{field}", "meddelande": "Tidpunkten ska ha tidszon."}
    ]


def test_the_search_itself_is_audited(client: TestClient, tokens: Tokens, db: Session) -> None:
    before = last_audit_id(db)

    response = client.get(
        AUDIT_URL, params={"elev": str(ELEV), "atgard": "read"}, headers=tokens.headers("granskare")
    )

    assert response.status_code == 200
    [row] = audit_since(db, before)
    assert (row.aktor_id, row.roll, row.kommun_id) == (
        user_id(db, "granskare"),
        "granskare",
        demo_kommun(db),
    )
    assert (row.atgard, row.resurs_typ, row.elev_id, row.utfall) == (
        Atgard.search,
        "audit",
        ELEV,
        Utfall.allowed,
    )
    assert row.request_id == response.headers["X-Request-ID"]
