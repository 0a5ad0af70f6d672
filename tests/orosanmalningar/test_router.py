"""Reports of concern: registered by whoever knows the pupil, never gated on consent (T 5),
audited on the duty to report, never changed afterwards; read by the pupil's school for the
school authority's reports and by each reporter for their own."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from app.core.time import today
from app.orosanmalningar.models import Orosanmalan
from tests.factories import ASEN, elev_i_databasen, elev_med_arende, ny_elev
from tests.helpers import Tokens, audit_since, last_audit_id

ELEVER = "/api/v1/elever"


def _url(elev_id: str) -> str:
    return f"{ELEVER}/{elev_id}/orosanmalningar"


def _body(**changes: Any) -> dict[str, Any]:
    return {
        "datum": today().isoformat(),
        "mottagande_socialtjanst": "Socialtjänsten, mottagningsgruppen barn och unga",
        "oro": "Eleven berättar att det inte finns mat hemma och att pappan slår.",
        **changes,
    }


def _anmal(client: TestClient, tokens: Tokens, elev_id: str, konto: str) -> Any:
    return client.post(_url(elev_id), json=_body(), headers=tokens.headers(konto))


def _listed(client: TestClient, tokens: Tokens, elev_id: str, konto: str) -> set[str]:
    response = client.get(_url(elev_id), headers=tokens.headers(konto))
    assert response.status_code == 200, response.text
    return {row["id"] for row in response.json()["data"]}


def _withdraw_consent(
    client: TestClient, tokens: Tokens, samtycke: dict[str, Any], guardian: dict[str, Any]
) -> None:
    response = client.post(
        f"/api/v1/samtycken/{samtycke['id']}/aterkallelse",
        json={"undertecknare": "vardnadshavare", "vardnadshavare_id": guardian["id"]},
        headers=tokens.headers("kurator"),
    )
    assert response.status_code == 201, response.text


def test_school_staff_register_a_report_for_a_pupil_without_any_consent(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    before = last_audit_id(db)

    response = _anmal(client, tokens, elev["id"], "kurator")

    assert response.status_code == 201, response.text
    anmalan = response.json()
    assert (anmalan["anmalare_namn"], anmalan["anmalare_roll"]) == ("Kim Kurator", "elevhalsa")
    assert anmalan["oro"] == _body()["oro"]
    [row] = audit_since(db, before)
    assert (row.atgard, row.resurs_typ, row.resurs_id, str(row.elev_id), row.rattslig_grund) == (
        Atgard.create,
        "orosanmalan",
        anmalan["id"],
        elev["id"],
        "anmalningsplikt",
    )


def test_social_services_in_the_team_report_after_the_consent_is_withdrawn(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, samtycke, guardians = elev_med_arende(client, tokens, db)
    _withdraw_consent(client, tokens, samtycke, guardians[0])
    assert (
        client.get(f"{ELEVER}/{elev['id']}", headers=tokens.headers("team-soc")).status_code == 404
    )
    before = last_audit_id(db)

    response = _anmal(client, tokens, elev["id"], "team-soc")

    assert response.status_code == 201, response.text
    assert response.json()["anmalare_organisation"] == "socialtjanst"
    [row] = audit_since(db, before)
    assert (row.organisation, row.rattslig_grund, row.utfall) == (
        "socialtjanst",
        "anmalningsplikt",
        Utfall.allowed,
    )
    assert _listed(client, tokens, elev["id"], "team-soc") == {response.json()["id"]}


@pytest.mark.parametrize("konto", ["team-skola", "team-soc", "kurator2"])
def test_someone_who_does_not_know_the_pupil_gets_404_and_a_denied_row(
    konto: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    before = last_audit_id(db)

    assert _anmal(client, tokens, elev["id"], konto).status_code == 404
    assert client.get(_url(elev["id"]), headers=tokens.headers(konto)).status_code == 404
    # Another kommun's pupil is not even looked up, so no pupil is named there.
    elev_id = None if konto == "kurator2" else uuid.UUID(elev["id"])
    denied = audit_since(db, before)
    assert [(r.utfall, r.elev_id, r.rattslig_grund) for r in denied] == [
        (Utfall.denied, elev_id, None)
    ] * 2


def test_staff_of_another_school_get_404(client: TestClient, tokens: Tokens, db: Session) -> None:
    elev = elev_i_databasen(db, ASEN)
    assert _anmal(client, tokens, elev["id"], "kurator").status_code == 404
    assert _anmal(client, tokens, elev["id"], "rektor").status_code == 404


def test_the_school_reads_the_school_authoritys_reports_each_reporter_their_own(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, _, _ = elev_med_arende(client, tokens, db)
    ids = {konto: _anmal(client, tokens, elev["id"], konto).json()["id"] for konto in (
        "kurator", "team-skola", "team-soc"
    )}  # fmt: skip

    for konto in ("kurator", "rektor"):
        assert _listed(client, tokens, elev["id"], konto) == {ids["kurator"], ids["team-skola"]}
    assert _listed(client, tokens, elev["id"], "team-skola") == {ids["team-skola"]}
    assert _listed(client, tokens, elev["id"], "team-soc") == {ids["team-soc"]}
    one = client.get(f"{_url(elev['id'])}/{ids['team-soc']}", headers=tokens.headers("rektor"))
    assert one.status_code == 404
    own = client.get(f"{_url(elev['id'])}/{ids['team-soc']}", headers=tokens.headers("team-soc"))
    assert own.status_code == 200
    assert own.json()["anmalare_namn"] == "Sam Socialsekreterare"


def test_reading_is_audited_with_its_basis(client: TestClient, tokens: Tokens, db: Session) -> None:
    elev, _, _ = elev_med_arende(client, tokens, db)
    _anmal(client, tokens, elev["id"], "team-soc")
    before = last_audit_id(db)

    _listed(client, tokens, elev["id"], "rektor")
    _listed(client, tokens, elev["id"], "team-soc")

    rows = audit_since(db, before)
    assert [(r.atgard, r.resurs_typ, r.rattslig_grund) for r in rows] == [
        (Atgard.read, "orosanmalan", "egen_skola"),
        (Atgard.read, "orosanmalan", "anmalningsplikt"),
    ]


def test_a_report_dated_in_the_future_is_422(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    body = _body(datum=(today() + timedelta(days=1)).isoformat())
    response = client.post(_url(elev["id"]), json=body, headers=tokens.headers("kurator"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == "body.datum"


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
def test_a_registered_report_has_no_route_that_changes_it(
    method: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    anmalan = _anmal(client, tokens, elev["id"], "kurator").json()
    url = f"{_url(elev['id'])}/{anmalan['id']}"

    response = client.request(
        method, url, json={"oro": "Ändrad."}, headers={**tokens.headers("kurator"), "If-Match": "*"}
    )

    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(url, headers=tokens.headers("kurator")).json()["oro"] == anmalan["oro"]


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_the_database_refuses_to_change_or_remove_a_registered_report(
    statement: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    anmalan_id = uuid.UUID(_anmal(client, tokens, elev["id"], "kurator").json()["id"])
    change = (
        update(Orosanmalan).values(oro="Ändrad i efterhand.")
        if statement == "update"
        else delete(Orosanmalan)
    )

    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(change.where(Orosanmalan.id == anmalan_id))

    db.expire_all()
    stored = db.get(Orosanmalan, anmalan_id)
    assert stored is not None
    assert stored.oro == _body()["oro"]
