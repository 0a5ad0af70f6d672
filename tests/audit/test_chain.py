"""The audit chain: written with the change it records, denials kept, linked per kommun,
append-only in the database, and tampering named by the verification."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.anvandare.models import Anvandare
from app.audit.chain import CONTENT_FIELDS, GENESIS_HASH, Atgard, Utfall, content_hash, link_hash
from app.audit.models import AuditHandelse, AuditKedja
from app.audit.verify import verify_chain
from app.skolor.models import Skola
from tests.audit.chains import (
    VERIFY_URL,
    append_only_lifted,
    chain,
    demo_kommun,
    grannkommun,
    user_id,
)
from tests.helpers import Tokens, audit_since, last_audit_id

SKOLOR = "/api/v1/skolor"
ANVANDARE = "/api/v1/anvandare"
NEW_SCHOOL = {"namn": "Lindskolan", "skolenhetskod": "24681357"}


def _school_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Skola)) or 0


def _school_of(client: TestClient, tokens: Tokens, account: str) -> str:
    skola_id: str = client.get(SKOLOR, headers=tokens.headers(account)).json()["data"][0]["id"]
    return skola_id


def test_a_change_and_its_audit_row_are_committed_together(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    before = last_audit_id(db)

    response = client.post(SKOLOR, json=NEW_SCHOOL, headers=tokens.headers("admin"))

    assert response.status_code == 201
    [row] = audit_since(db, before)
    assert (row.atgard, row.resurs_typ, row.resurs_id, row.utfall) == (
        Atgard.create,
        "skola",
        response.json()["id"],
        Utfall.allowed,
    )
    assert row.request_id == response.headers["X-Request-ID"]
    assert db.get(Skola, uuid.UUID(response.json()["id"])) is not None


@pytest.fixture
def audit_inserts_fail(tokens: Tokens, connection: Connection) -> None:
    """Makes every insert into audit_logg fail, inside the test's transaction only.

    Asks for the tokens first, so that logging in (which is audited) happens before.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "CREATE FUNCTION test_audit_sparr() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION 'granskningsloggen är spärrad i testet'; END; $$"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER test_audit_sparr BEFORE INSERT ON audit_logg "
                "FOR EACH ROW EXECUTE FUNCTION test_audit_sparr()"
            )
        )
    else:
        connection.execute(
            text(
                "CREATE TRIGGER test_audit_sparr BEFORE INSERT ON audit_logg "
                "BEGIN SELECT RAISE(ABORT, 'granskningsloggen är spärrad i testet'); END"
            )
        )


@pytest.mark.usefixtures("audit_inserts_fail")
def test_a_change_whose_audit_row_cannot_be_written_is_not_kept(
    app: FastAPI, db: Session, tokens: Tokens
) -> None:
    schools = _school_count(db)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(SKOLOR, json=NEW_SCHOOL, headers=tokens.headers("admin"))

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert _school_count(db) == schools


@dataclass(frozen=True)
class Failing:
    account: str
    method: str
    url: Callable[[TestClient, Tokens, Session], str]
    body: dict[str, object] | None
    status: int


def _kurator_url(client: TestClient, tokens: Tokens, db: Session) -> str:
    return f"{ANVANDARE}/{user_id(db, 'kurator')}"


FAILING = {
    "duplicate skolenhetskod": Failing(
        "admin", "POST", lambda *_: SKOLOR, {"namn": "Kopia", "skolenhetskod": "12345678"}, 409
    ),
    "invalid body": Failing(
        "admin", "POST", lambda *_: SKOLOR, {"namn": "", "skolenhetskod": "1"}, 422
    ),
    # The name change is flushed before the unknown school is found; the rollback undoes it.
    "change flushed, then refused": Failing(
        "admin",
        "PATCH",
        _kurator_url,
        {"namn": "Ändrat namn", "skolor": [str(uuid.uuid4())]},
        422,
    ),
}


@pytest.mark.parametrize("case", FAILING)
def test_a_failed_request_leaves_neither_its_change_nor_an_allowed_row(
    case: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    failing = FAILING[case]
    url = failing.url(client, tokens, db)
    users = {row.id: (row.namn, row.version) for row in db.scalars(select(Anvandare))}
    schools = _school_count(db)
    before = last_audit_id(db)

    response = client.request(
        failing.method,
        url,
        json=failing.body,
        headers={**tokens.headers(failing.account), "If-Match": "*"},
    )

    assert response.status_code == failing.status, response.text
    assert audit_since(db, before) == []
    assert _school_count(db) == schools
    db.expire_all()
    assert {row.id: (row.namn, row.version) for row in db.scalars(select(Anvandare))} == users


@dataclass(frozen=True)
class Denied:
    account: str
    method: str
    url: Callable[[TestClient, Tokens, Session], str]
    body: dict[str, str] | None
    status: int
    atgard: Atgard
    resurs_typ: str
    names_resource: bool  # a 404 from a scoped lookup names what was looked up; a 403 cannot


def _grann_school_url(client: TestClient, tokens: Tokens, _db: Session) -> str:
    return f"{SKOLOR}/{_school_of(client, tokens, 'admin2')}"


DENIED = {
    "another kommun's school": Denied(
        "admin", "GET", _grann_school_url, None, 404, Atgard.read, "skola", True
    ),
    "another kommun's user, changed": Denied(
        "admin2", "PATCH", _kurator_url, {"namn": "X"}, 404, Atgard.update, "anvandare", True
    ),
    "missing scope to create": Denied(
        "kurator", "POST", lambda *_: SKOLOR, NEW_SCHOOL, 403, Atgard.create, "skolor", False
    ),
    "missing scope to read": Denied(
        "team-soc", "GET", _kurator_url, None, 403, Atgard.read, "anvandare", False
    ),
}


@pytest.mark.parametrize("case", DENIED)
def test_a_denied_access_is_recorded_in_a_transaction_of_its_own(
    case: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    denied = DENIED[case]
    url = denied.url(client, tokens, db)
    me = client.get("/api/v1/auth/me", headers=tokens.headers(denied.account)).json()
    before = last_audit_id(db)

    response = client.request(
        denied.method,
        url,
        json=denied.body,
        headers={**tokens.headers(denied.account), "If-Match": '"1"'},
    )

    assert response.status_code == denied.status
    [row] = audit_since(db, before)
    assert row.utfall is Utfall.denied
    assert (row.kommun_id, row.aktor_typ, row.aktor_id) == (
        uuid.UUID(me["kommun_id"]),
        "anvandare",
        uuid.UUID(me["id"]),
    )
    assert (row.roll, row.organisation) == (me["roll"], me["organisation"])
    resurs_id = url.rsplit("/", 1)[1] if denied.names_resource else None
    assert (row.atgard, row.resurs_typ, row.resurs_id) == (
        denied.atgard,
        denied.resurs_typ,
        resurs_id,
    )
    assert row.request_id == response.headers["X-Request-ID"]
    assert verify_chain(db, row.kommun_id).hel


def _assert_linked(db: Session, kommun: uuid.UUID) -> list[AuditHandelse]:
    rows = chain(db, kommun)
    assert [row.lopnummer for row in rows] == list(range(1, len(rows) + 1))
    previous = GENESIS_HASH
    for row in rows:
        assert row.foregaende_hash == previous, row.lopnummer
        fields = {name: getattr(row, name) for name in CONTENT_FIELDS}
        assert row.hash == link_hash(previous, content_hash(fields)), row.lopnummer
        previous = row.hash
    head = db.get(AuditKedja, kommun, populate_existing=True)
    assert head is not None
    assert (head.lopnummer, head.senaste_hash) == (len(rows), previous)
    return rows


def test_each_kommun_has_its_own_gapless_chain_linked_row_by_row(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    before = last_audit_id(db)
    calls: list[tuple[str, str, str, dict[str, str] | None]] = [
        ("admin", "GET", SKOLOR, None),
        ("admin2", "GET", SKOLOR, None),
        ("kurator2", "POST", SKOLOR, NEW_SCHOOL),  # 403, denied
        ("admin", "POST", SKOLOR, NEW_SCHOOL),
        ("admin2", "POST", SKOLOR, NEW_SCHOOL),  # 409, nothing
        ("kurator", "GET", f"{SKOLOR}/{uuid.uuid4()}", None),  # 404, denied
        ("admin2", "GET", ANVANDARE, None),
        ("granskare", "GET", VERIFY_URL, None),
    ]
    responses: list[httpx.Response] = [
        client.request(method, url, json=body, headers=tokens.headers(account))
        for account, method, url, body in calls
    ]
    assert [response.status_code for response in responses] == [
        200,
        200,
        403,
        201,
        409,
        404,
        200,
        200,
    ]

    demo, grann = demo_kommun(db), grannkommun(db)
    _assert_linked(db, demo)
    _assert_linked(db, grann)
    # Rows of the two kommuner interleave in the table, yet each joins its own chain.
    assert [row.kommun_id for row in audit_since(db, before)] == [
        demo,
        grann,
        grann,
        demo,
        demo,
        grann,
        demo,
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_logg SET roll = 'granskare' WHERE id = :id",
        "DELETE FROM audit_logg WHERE id = :id",
    ],
    ids=["UPDATE", "DELETE"],
)
def test_the_database_refuses_to_change_or_remove_an_audit_row(
    statement: str, connection: Connection, db: Session
) -> None:
    row = chain(db, demo_kommun(db))[1]

    with pytest.raises(DBAPIError, match="endast för tillägg"), connection.begin_nested():
        connection.execute(text(statement), {"id": row.id})

    [after] = [candidate for candidate in chain(db, row.kommun_id) if candidate.id == row.id]
    assert (after.roll, after.hash) == (row.roll, row.hash)


def test_postgresql_refuses_to_truncate_the_audit_log(connection: Connection, db: Session) -> None:
    if connection.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    count = len(chain(db, demo_kommun(db)))

    with pytest.raises(DBAPIError, match="endast för tillägg"), connection.begin_nested():
        connection.execute(text("TRUNCATE audit_logg"))

    assert len(chain(db, demo_kommun(db))) == count


def test_verification_of_an_untouched_chain_is_whole_with_its_row_count(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    client.get(SKOLOR, headers=tokens.headers("rektor"))
    rows = chain(db, demo_kommun(db))

    response = client.get(VERIFY_URL, headers=tokens.headers("granskare"))

    assert response.status_code == 200
    assert response.json() == {
        "kommun_id": str(demo_kommun(db)),
        "hel": True,
        "antal_rader": len(rows),
        "forsta_brott": None,
    }


def _set(connection: Connection, row: AuditHandelse, **values: object) -> None:
    connection.execute(update(AuditHandelse).where(AuditHandelse.id == row.id).values(**values))


def _remove(connection: Connection, row: AuditHandelse) -> None:
    connection.execute(delete(AuditHandelse).where(AuditHandelse.id == row.id))


def _rehashed(connection: Connection, rows: list[AuditHandelse]) -> None:
    """A forger who changes a row and recomputes its own hash: the next row no longer fits."""
    row = rows[3]
    fields = {name: getattr(row, name) for name in CONTENT_FIELDS} | {"resurs_typ": "forfalskad"}
    forged = link_hash(row.foregaende_hash, content_hash(fields))
    _set(connection, row, resurs_typ="forfalskad", hash=forged)


Brott = tuple[int | None, int, str]


@dataclass(frozen=True)
class Tampering:
    change: Callable[[Connection, list[AuditHandelse]], None]
    named: Callable[[list[AuditHandelse]], Brott]


CONTENT = "radens innehåll stämmer inte med dess hash"
LINK = "föregående hash stämmer inte med raden före"

TAMPERING = {
    "content changed": Tampering(
        lambda connection, rows: _set(connection, rows[3], resurs_typ="forfalskad"),
        lambda rows: (rows[3].id, rows[3].lopnummer, CONTENT),
    ),
    "actor changed": Tampering(
        lambda connection, rows: _set(connection, rows[3], aktor_id=uuid.uuid4()),
        lambda rows: (rows[3].id, rows[3].lopnummer, CONTENT),
    ),
    "content changed and rehashed": Tampering(
        _rehashed,
        lambda rows: (rows[4].id, rows[4].lopnummer, LINK),
    ),
    "foregaende_hash changed": Tampering(
        lambda connection, rows: _set(connection, rows[3], foregaende_hash="1" * 64),
        lambda rows: (rows[3].id, rows[3].lopnummer, LINK),
    ),
    "row deleted": Tampering(
        lambda connection, rows: _remove(connection, rows[3]),
        lambda rows: (
            rows[4].id,
            rows[4].lopnummer,
            f"löpnummer {rows[3].lopnummer} saknas (raden har {rows[4].lopnummer})",
        ),
    ),
    "last row deleted": Tampering(
        lambda connection, rows: _remove(connection, rows[-1]),
        lambda rows: (
            None,
            rows[-1].lopnummer,
            "rader i slutet av kedjan saknas eller har ändrats",
        ),
    ),
}


@pytest.mark.parametrize("case", TAMPERING)
def test_verification_names_the_row_altered_behind_the_apps_back(
    case: str, client: TestClient, tokens: Tokens, db: Session, connection: Connection
) -> None:
    tampering = TAMPERING[case]
    rows = chain(db, demo_kommun(db))
    assert len(rows) > 5
    with append_only_lifted(connection):
        tampering.change(connection, rows)

    response = client.get(VERIFY_URL, headers=tokens.headers("granskare"))

    assert response.status_code == 200
    body = response.json()
    assert body["hel"] is False
    rad_id, lopnummer, orsak = tampering.named(rows)
    assert body["forsta_brott"] == {"rad_id": rad_id, "lopnummer": lopnummer, "orsak": orsak}
    assert verify_chain(db, grannkommun(db)).hel
