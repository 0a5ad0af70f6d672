"""Deviation reports over HTTP: registering, reading within the caller's scope, lists with
filters and paging, content changes while registered, status steps with If-Match, and isolation
between schools and kommuner."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.anvandare.models import Anvandare
from app.audit.chain import Atgard, Utfall
from app.core.time import today
from app.skolor.models import Skola
from tests.factories import ASEN, EKBACKEN, skola_id
from tests.helpers import Tokens, audit_since, from_today, last_audit_id

AVVIKELSER = "/api/v1/avvikelser"


def _body(**changes: Any) -> dict[str, Any]:
    return {
        "datum": (today() - timedelta(days=10)).isoformat(),
        "beskrivning": "Remiss till BUP utan svar i tre månader trots påminnelser.",
        "berorda_verksamheter": ["skola", "bup"],
        "kan_ej_losas_lokalt": True,
        "principiell": False,
        **changes,
    }


def _ny(
    client: TestClient, tokens: Tokens, konto: str = "kurator", **changes: Any
) -> dict[str, Any]:
    response = client.post(AVVIKELSER, json=_body(**changes), headers=tokens.headers(konto))
    assert response.status_code == 201, response.text
    avvikelse: dict[str, Any] = response.json()
    return avvikelse


def _patch(
    client: TestClient, tokens: Tokens, avvikelse: dict[str, Any], konto: str, **body: Any
) -> Any:
    url = f"{AVVIKELSER}/{avvikelse['id']}"
    etag = client.get(url, headers=tokens.headers(konto)).headers.get("ETag", '"0"')
    return client.patch(url, json=body, headers={**tokens.headers(konto), "If-Match": etag})


def _ids(client: TestClient, tokens: Tokens, konto: str, **params: Any) -> list[str]:
    page = client.get(AVVIKELSER, params={"limit": 500, **params}, headers=tokens.headers(konto))
    assert page.status_code == 200, page.text
    return [row["id"] for row in page.json()["data"]]


def test_a_school_registers_a_report_for_its_school_audited(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    before = last_audit_id(db)
    avvikelse = _ny(client, tokens)

    assert avvikelse["status"] == "registrerad"
    assert avvikelse["mojliga_statusar"] == ["rapporterad_bus", "avslutad"]
    assert avvikelse["rapporterande_verksamhet"] == "skola"
    assert avvikelse["berorda_verksamheter"] == ["bup", "skola"]
    assert avvikelse["skola_id"] == str(skola_id(db, EKBACKEN))
    [row] = audit_since(db, before)
    assert (row.atgard, row.resurs_typ, row.resurs_id, row.elev_id) == (
        Atgard.create,
        "avvikelse",
        avvikelse["id"],
        None,
    )


@pytest.mark.parametrize(
    ("changes", "plats"),
    [
        ({"berorda_verksamheter": ["bup", "socialtjanst"]}, "body.berorda_verksamheter"),
        ({"berorda_verksamheter": ["skola", "skola"]}, "body.berorda_verksamheter"),
        ({"kan_ej_losas_lokalt": False, "principiell": False}, "body.kan_ej_losas_lokalt"),
        ({"datum": timedelta(days=1)}, "body.datum"),
        ({"rapporterande_verksamhet": "bup"}, "body.rapporterande_verksamhet"),
        ({"skola_id": "00000000-0000-4000-8000-000000000000"}, "body.skola_id"),
    ],
)
def test_a_report_that_does_not_meet_the_requirements_is_422(
    changes: dict[str, Any], plats: str, client: TestClient, tokens: Tokens
) -> None:
    response = client.post(
        AVVIKELSER, json=_body(**from_today(changes)), headers=tokens.headers("kurator")
    )
    assert response.status_code == 422
    assert plats in [fel["plats"] for fel in response.json()["errors"]]


def test_social_services_report_as_socialtjanst_and_may_leave_out_the_school(
    client: TestClient, tokens: Tokens
) -> None:
    avvikelse = _ny(
        client, tokens, "team-soc", berorda_verksamheter=["socialtjanst", "bup", "skola"]
    )
    assert (avvikelse["rapporterande_verksamhet"], avvikelse["skola_id"]) == (
        "socialtjanst",
        None,
    )


def test_the_team_sees_all_the_school_its_own_and_another_kommun_nothing(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    egen = _ny(client, tokens)
    team = _ny(client, tokens, "team-skola")
    asen = _ny(client, tokens, "team-skola", skola_id=str(skola_id(db, ASEN)))

    assert set(_ids(client, tokens, "team-soc")) >= {egen["id"], team["id"], asen["id"]}
    assert set(_ids(client, tokens, "rektor")) == {egen["id"]}
    assert set(_ids(client, tokens, "kurator2")) == set()
    before = last_audit_id(db)
    for konto, hidden in (("rektor", asen), ("kurator", team), ("kurator2", egen)):
        response = client.get(f"{AVVIKELSER}/{hidden['id']}", headers=tokens.headers(konto))
        assert response.status_code == 404, konto
    denied = audit_since(db, before)
    assert [(r.utfall, r.resurs_typ) for r in denied] == [(Utfall.denied, "avvikelse")] * 3


def test_lists_filter_by_status_dates_agency_and_school_and_page(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    gammal = _ny(client, tokens, datum=(today() - timedelta(days=100)).isoformat())
    soc = _ny(client, tokens, berorda_verksamheter=["skola", "socialtjanst"])
    asen = _ny(client, tokens, "team-skola", skola_id=str(skola_id(db, ASEN)))
    rapporterad = _ny(client, tokens, "rektor")
    assert (
        _patch(client, tokens, rapporterad, "rektor", status="rapporterad_bus").status_code == 200
    )
    team = "team-skola"

    assert set(_ids(client, tokens, team, status="rapporterad_bus")) == {rapporterad["id"]}
    assert gammal["id"] not in _ids(
        client, tokens, team, fran=(today() - timedelta(days=50)).isoformat()
    )
    assert _ids(client, tokens, team, till=(today() - timedelta(days=50)).isoformat()) == [
        gammal["id"]
    ]
    assert _ids(client, tokens, team, verksamhet="socialtjanst") == [soc["id"]]
    assert _ids(client, tokens, team, skola=str(skola_id(db, ASEN))) == [asen["id"]]
    first = client.get(AVVIKELSER, params={"limit": 2}, headers=tokens.headers(team)).json()
    second = client.get(
        AVVIKELSER,
        params={"limit": 2, "cursor": first["nasta_cursor"]},
        headers=tokens.headers(team),
    ).json()
    assert [r["id"] for r in first["data"] + second["data"]] == [
        gammal["id"],
        soc["id"],
        asen["id"],
        rapporterad["id"],
    ]
    assert second["nasta_cursor"] is None


def test_the_statuses_step_forward_with_their_dates_and_the_response(
    client: TestClient, tokens: Tokens
) -> None:
    avvikelse = _ny(client, tokens)
    dag = today().isoformat()

    rapporterad = _patch(client, tokens, avvikelse, "rektor", status="rapporterad_bus")
    assert (rapporterad.json()["status"], rapporterad.json()["rapporterad_bus"]) == (
        "rapporterad_bus",
        dag,
    )
    utan_svar = _patch(client, tokens, avvikelse, "rektor", status="besvarad")
    assert utan_svar.status_code == 409
    assert utan_svar.json()["errors"][0]["plats"] == "body.svar"
    besvarad = _patch(
        client, tokens, avvikelse, "team-skola", status="besvarad", svar="BUS tar upp frågan."
    )
    assert (besvarad.json()["svar"], besvarad.json()["besvarad"]) == ("BUS tar upp frågan.", dag)
    avslutad = _patch(client, tokens, avvikelse, "rektor", status="avslutad")
    assert avslutad.json()["status"] == "avslutad"
    assert avslutad.json()["mojliga_statusar"] == []
    tillbaka = _patch(client, tokens, avvikelse, "rektor", status="registrerad")
    assert tillbaka.status_code == 409


def test_a_registered_report_may_be_closed_with_a_note_but_not_skip_to_besvarad(
    client: TestClient, tokens: Tokens
) -> None:
    avvikelse = _ny(client, tokens)
    skip = _patch(client, tokens, avvikelse, "rektor", status="besvarad", svar="Svar")
    assert skip.status_code == 409
    stangd = _patch(
        client, tokens, avvikelse, "rektor", status="avslutad", avslutskommentar="Löst lokalt."
    )
    assert (stangd.status_code, stangd.json()["avslutskommentar"]) == (200, "Löst lokalt.")


def test_content_changes_only_while_registered_and_by_reporter_principal_or_team(
    client: TestClient, tokens: Tokens
) -> None:
    avvikelse = _ny(client, tokens, "rektor")
    by_kurator = _patch(client, tokens, avvikelse, "kurator", beskrivning="Ny text.")
    assert by_kurator.status_code == 403
    by_team = _patch(client, tokens, avvikelse, "team-skola", principiell=True)
    assert (by_team.status_code, by_team.json()["principiell"]) == (200, True)
    assert _patch(client, tokens, avvikelse, "rektor", status="rapporterad_bus").status_code == 200
    after = _patch(client, tokens, avvikelse, "rektor", beskrivning="Ändrad efteråt.")
    assert after.status_code == 409


def test_student_health_staff_register_but_do_not_move_reports_to_bus(
    client: TestClient, tokens: Tokens
) -> None:
    avvikelse = _ny(client, tokens)
    assert _patch(client, tokens, avvikelse, "kurator", beskrivning="Tydligare.").status_code == 200
    assert _patch(client, tokens, avvikelse, "kurator", status="rapporterad_bus").status_code == 403


def test_a_principal_of_another_school_neither_sees_nor_moves_it(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    avvikelse = _ny(client, tokens)
    asen = db.get(Skola, skola_id(db, ASEN))
    assert asen is not None
    rektor = db.scalars(select(Anvandare).where(Anvandare.anvandarnamn == "rektor")).one()
    rektor.skolor = [asen]
    db.flush()
    assert _patch(client, tokens, avvikelse, "rektor", status="rapporterad_bus").status_code == 404


def test_a_change_needs_the_current_etag(client: TestClient, tokens: Tokens) -> None:
    avvikelse = _ny(client, tokens)
    url = f"{AVVIKELSER}/{avvikelse['id']}"
    missing = client.patch(url, json={"principiell": True}, headers=tokens.headers("kurator"))
    stale = client.patch(
        url, json={"principiell": True}, headers={**tokens.headers("kurator"), "If-Match": '"9"'}
    )
    assert (missing.status_code, stale.status_code) == (428, 412)


def test_fields_of_another_step_are_refused(client: TestClient, tokens: Tokens) -> None:
    avvikelse = _ny(client, tokens)
    response = _patch(client, tokens, avvikelse, "rektor", status="rapporterad_bus", svar="Svar")
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == "body.svar"
