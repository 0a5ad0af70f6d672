"""Documentation entries (S 8): drafts its author's alone, signing, signed entries never changed
(409, and the database refuses), corrections as new entries with the chain in the list; read and
written by student health and principal at the pupil's school."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.anteckningar.models import Anteckning
from app.audit.chain import Atgard
from tests.arenden.flode import nytt_fall
from tests.factories import ASEN, elev_i_databasen, elev_med_arende, ny_elev, skola_id
from tests.helpers import Tokens, audit_since, last_audit_id

ELEVER = "/api/v1/elever"


def _url(elev_id: str, anteckning_id: str | None = None) -> str:
    base = f"{ELEVER}/{elev_id}/anteckningar"
    return base if anteckning_id is None else f"{base}/{anteckning_id}"


def _skriv(
    client: TestClient, tokens: Tokens, elev_id: str, konto: str = "kurator", **fields: Any
) -> dict[str, Any]:
    body = {"text": "Samtal med eleven om morgonrutiner.", **fields}
    response = client.post(_url(elev_id), json=body, headers=tokens.headers(konto))
    assert response.status_code == 201, response.text
    anteckning: dict[str, Any] = response.json()
    return anteckning


def _signera(
    client: TestClient, tokens: Tokens, anteckning: dict[str, Any], konto: str = "kurator"
) -> Any:
    url = f"{_url(anteckning['elev_id'], anteckning['id'])}/signering"
    headers = {**tokens.headers(konto), "If-Match": f'"{anteckning["version"]}"'}
    return client.post(url, headers=headers)


def _patch(
    client: TestClient,
    tokens: Tokens,
    anteckning: dict[str, Any],
    konto: str = "kurator",
    **body: Any,
) -> Any:
    url = _url(anteckning["elev_id"], anteckning["id"])
    headers = {**tokens.headers(konto), "If-Match": f'"{anteckning["version"]}"'}
    return client.patch(url, json=body, headers=headers)


def _lista(client: TestClient, tokens: Tokens, elev_id: str, konto: str = "kurator") -> list[Any]:
    response = client.get(_url(elev_id), headers=tokens.headers(konto))
    assert response.status_code == 200, response.text
    rows: list[Any] = response.json()["data"]
    return rows


def test_a_draft_is_changed_signed_and_then_never_changed_again(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    utkast = _skriv(client, tokens, elev["id"])
    assert (utkast["status"], utkast["signerad"], utkast["forfattare_namn"]) == (
        "utkast",
        None,
        "Kim Kurator",
    )
    andrad = _patch(client, tokens, utkast, text="Samtal om sömn och morgonrutiner.").json()
    signerad = _signera(client, tokens, andrad)
    assert signerad.status_code == 200
    assert signerad.json()["status"] == "signerad"
    assert signerad.json()["signerad"] is not None

    after = signerad.json()
    assert _patch(client, tokens, after, text="Ändrad efteråt.").status_code == 409
    assert _signera(client, tokens, after).status_code == 409
    stored = client.get(_url(elev["id"], after["id"]), headers=tokens.headers("kurator")).json()
    assert stored["text"] == "Samtal om sömn och morgonrutiner."
    assert stored["version"] == after["version"]


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_the_database_refuses_to_change_a_signed_entry_but_not_a_draft(
    statement: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    signerad = _signera(client, tokens, _skriv(client, tokens, elev["id"])).json()
    utkast = _skriv(client, tokens, elev["id"])

    def change(anteckning_id: str) -> Any:
        where = Anteckning.id == uuid.UUID(anteckning_id)
        if statement == "update":
            return db.execute(update(Anteckning).where(where).values(text="Ändrad i databasen."))
        return db.execute(delete(Anteckning).where(where))

    with pytest.raises(DBAPIError), db.begin_nested():
        change(signerad["id"])
    with db.begin_nested():
        assert change(utkast["id"]).rowcount == 1


def test_a_draft_is_its_authors_alone_until_signed(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    utkast = _skriv(client, tokens, elev["id"])

    assert _lista(client, tokens, elev["id"], "rektor") == []
    url = _url(elev["id"], utkast["id"])
    assert client.get(url, headers=tokens.headers("rektor")).status_code == 404
    assert _patch(client, tokens, utkast, "rektor", text="Rektors text.").status_code == 404
    assert _signera(client, tokens, utkast, "rektor").status_code == 404

    _signera(client, tokens, utkast)
    assert [row["id"] for row in _lista(client, tokens, elev["id"], "rektor")] == [utkast["id"]]


def test_a_correction_is_a_new_entry_and_the_list_shows_the_chain(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    forsta = _signera(
        client, tokens, _skriv(client, tokens, elev["id"], text="Mötet var 3/10.")
    ).json()
    rattelse = _skriv(
        client, tokens, elev["id"], "rektor", text="Rättelse: 4/10.", rattar_id=forsta["id"]
    )

    by_id = {row["id"]: row for row in _lista(client, tokens, elev["id"], "rektor")}
    assert by_id[forsta["id"]]["rattad_av"] == [rattelse["id"]]
    assert by_id[forsta["id"]]["rattad"] is False, "an unsigned correction corrects nothing yet"
    assert by_id[forsta["id"]]["text"] == "Mötet var 3/10."
    assert [row["id"] for row in _lista(client, tokens, elev["id"], "kurator")] == [forsta["id"]]

    rattelse = _signera(client, tokens, rattelse, "rektor").json()
    andra = _skriv(
        client, tokens, elev["id"], text="Rättelse igen: 5/10.", rattar_id=rattelse["id"]
    )
    _signera(client, tokens, andra)

    chain = _lista(client, tokens, elev["id"], "kurator")
    assert [(r["id"], r["rattar_id"], r["rattad_av"], r["rattad"]) for r in chain] == [
        (forsta["id"], None, [rattelse["id"]], True),
        (rattelse["id"], forsta["id"], [andra["id"]], True),
        (andra["id"], rattelse["id"], [], False),
    ]


def test_only_a_signed_entry_of_the_pupil_is_corrected(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    annan = ny_elev(client, tokens, db)
    utkast = _skriv(client, tokens, elev["id"])
    annans = _signera(client, tokens, _skriv(client, tokens, annan["id"])).json()

    draft = client.post(
        _url(elev["id"]),
        json={"text": "x", "rattar_id": utkast["id"]},
        headers=tokens.headers("kurator"),
    )
    other = client.post(
        _url(elev["id"]),
        json={"text": "x", "rattar_id": annans["id"]},
        headers=tokens.headers("kurator"),
    )
    assert draft.status_code == 409
    assert other.status_code == 422
    assert other.json()["errors"][0]["plats"] == "body.rattar_id"


def test_an_entry_links_to_the_pupils_own_case_only(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = nytt_fall(client, tokens, db)
    annat = nytt_fall(client, tokens, db)
    kopplad = _skriv(client, tokens, fall.elev["id"], arende_id=fall.id)
    assert kopplad["arende_id"] == fall.id
    wrong = client.post(
        _url(fall.elev["id"]),
        json={"text": "x", "arende_id": annat.id},
        headers=tokens.headers("kurator"),
    )
    assert wrong.status_code == 422
    lossad = _patch(client, tokens, kopplad, arende_id=None).json()
    assert lossad["arende_id"] is None


def test_the_team_is_refused_even_with_a_case_and_consent(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, _, _ = elev_med_arende(client, tokens, db)
    _signera(client, tokens, _skriv(client, tokens, elev["id"]))
    for konto in ("team-skola", "team-soc"):
        assert client.get(_url(elev["id"]), headers=tokens.headers(konto)).status_code == 403


def test_another_school_and_another_kommun_get_404(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    _signera(client, tokens, _skriv(client, tokens, elev["id"]))
    asen_elev = elev_i_databasen(db, ASEN)

    assert client.get(_url(elev["id"]), headers=tokens.headers("kurator2")).status_code == 404
    assert client.get(_url(asen_elev["id"]), headers=tokens.headers("kurator")).status_code == 404
    response = client.post(
        _url(asen_elev["id"]), json={"text": "x"}, headers=tokens.headers("rektor")
    )
    assert response.status_code == 404


def test_the_entries_follow_the_pupil_to_a_new_school(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    _signera(client, tokens, _skriv(client, tokens, elev["id"]))
    etag = client.get(f"{ELEVER}/{elev['id']}", headers=tokens.headers("kurator")).headers["ETag"]
    moved = client.patch(
        f"{ELEVER}/{elev['id']}",
        json={"skola_id": str(skola_id(db, ASEN))},
        headers={**tokens.headers("kurator"), "If-Match": etag},
    )
    assert moved.status_code == 200
    assert client.get(_url(elev["id"]), headers=tokens.headers("kurator")).status_code == 404


def test_writes_and_reads_are_audited_with_the_pupil_and_basis(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    before = last_audit_id(db)
    anteckning = _skriv(client, tokens, elev["id"])
    _signera(client, tokens, anteckning)
    _lista(client, tokens, elev["id"])

    rows = audit_since(db, before)
    assert [(r.atgard, r.resurs_typ, str(r.elev_id), r.rattslig_grund) for r in rows] == [
        (Atgard.create, "anteckning", elev["id"], "egen_skola"),
        (Atgard.update, "anteckning", elev["id"], "egen_skola"),
        (Atgard.read, "anteckning", elev["id"], "egen_skola"),
    ]


def test_changes_and_signing_need_the_current_etag(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    utkast = _skriv(client, tokens, elev["id"])
    url = _url(elev["id"], utkast["id"])
    assert (
        client.patch(url, json={"text": "y"}, headers=tokens.headers("kurator")).status_code == 428
    )
    assert client.post(f"{url}/signering", headers=tokens.headers("kurator")).status_code == 428
    stale = {**tokens.headers("kurator"), "If-Match": '"7"'}
    assert client.post(f"{url}/signering", headers=stale).status_code == 412
