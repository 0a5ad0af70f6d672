import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from tests.helpers import Tokens, audit_since, last_audit_id

URL = "/api/v1/skolor"


def test_every_role_in_the_kommun_lists_its_own_schools_only(
    client: TestClient, tokens: Tokens
) -> None:
    response = client.get(URL, headers=tokens.headers("kurator"))
    assert response.status_code == 200
    koder = sorted(skola["skolenhetskod"] for skola in response.json()["data"])
    assert koder == ["12345678", "87654321"]

    grann = client.get(URL, headers=tokens.headers("kurator2")).json()["data"]
    assert [skola["skolenhetskod"] for skola in grann] == ["11223344"]


def test_admin_creates_a_school_and_the_read_is_audited(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    before = last_audit_id(db)
    created = client.post(
        URL,
        json={"namn": "Nya skolan", "skolenhetskod": "55555555"},
        headers=tokens.headers("admin"),
    )
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] == '"1"'
    skola_id = created.json()["id"]

    fetched = client.get(f"{URL}/{skola_id}", headers=tokens.headers("rektor"))
    assert fetched.status_code == 200
    assert fetched.json()["namn"] == "Nya skolan"

    rows = audit_since(db, before)
    assert [(row.atgard, row.resurs_typ, row.resurs_id, row.utfall) for row in rows] == [
        (Atgard.create, "skola", skola_id, Utfall.allowed),
        (Atgard.read, "skola", skola_id, Utfall.allowed),
    ]
    assert rows[0].roll == "admin"
    assert rows[1].roll == "rektor"


def test_duplicate_skolenhetskod_is_a_conflict(client: TestClient, tokens: Tokens) -> None:
    response = client.post(
        URL, json={"namn": "Kopia", "skolenhetskod": "12345678"}, headers=tokens.headers("admin")
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "12345678" in response.json()["detail"]


@pytest.mark.parametrize("kod", ["1234", "１２３４５６７８"])
def test_skolenhetskod_must_be_eight_digits(client: TestClient, tokens: Tokens, kod: str) -> None:
    response = client.post(
        URL, json={"namn": "Fel", "skolenhetskod": kod}, headers=tokens.headers("admin")
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == [{"plats": "body.skolenhetskod", "meddelande": "Texten har fel format."}]


def test_patch_needs_if_match_and_refuses_a_stale_one(client: TestClient, tokens: Tokens) -> None:
    admin = tokens.headers("admin")
    skola = client.get(URL, headers=admin).json()["data"][0]
    url = f"{URL}/{skola['id']}"

    missing = client.patch(url, json={"namn": "Nytt namn"}, headers=admin)
    assert missing.status_code == 428

    etag = client.get(url, headers=admin).headers["ETag"]
    updated = client.patch(url, json={"namn": "Nytt namn"}, headers={**admin, "If-Match": etag})
    assert updated.status_code == 200
    assert updated.json()["namn"] == "Nytt namn"
    assert updated.headers["ETag"] != etag

    stale = client.patch(url, json={"namn": "Annat"}, headers={**admin, "If-Match": etag})
    assert stale.status_code == 412
    assert client.get(url, headers=admin).json()["namn"] == "Nytt namn"


def test_a_school_of_another_kommun_does_not_exist_for_the_caller(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    grann_skola = client.get(URL, headers=tokens.headers("admin2")).json()["data"][0]
    before = last_audit_id(db)

    response = client.get(f"{URL}/{grann_skola['id']}", headers=tokens.headers("admin"))

    assert response.status_code == 404
    [row] = audit_since(db, before)
    assert (row.utfall, row.resurs_typ, row.resurs_id) == (
        Utfall.denied,
        "skola",
        grann_skola["id"],
    )


def test_list_pages_with_an_opaque_cursor(client: TestClient, tokens: Tokens) -> None:
    admin = tokens.headers("admin")
    first = client.get(URL, params={"limit": 1}, headers=admin).json()
    assert len(first["data"]) == 1
    assert first["nasta_cursor"]
    second = client.get(URL, params={"limit": 1, "cursor": first["nasta_cursor"]}, headers=admin)
    assert second.json()["nasta_cursor"] is None
    assert second.json()["data"][0]["id"] != first["data"][0]["id"]

    bad = client.get(URL, params={"cursor": "inte-en-cursor"}, headers=admin)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["plats"] == "query.cursor"


def test_a_blank_if_match_counts_as_missing(client: TestClient, tokens: Tokens) -> None:
    admin = tokens.headers("admin")
    skola = client.get(URL, headers=admin).json()["data"][0]
    response = client.patch(
        f"{URL}/{skola['id']}", json={"namn": "Nytt namn"}, headers={**admin, "If-Match": " "}
    )
    assert response.status_code == 428
