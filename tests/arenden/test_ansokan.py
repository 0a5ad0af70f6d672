"""The school's application (T 7.1) and its completion (T 7.2)."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from tests.arenden.flode import ARENDEN, byt, nytt_fall
from tests.factories import (
    ASEN,
    elev_i_databasen,
    elev_med_giltigt_samtycke,
    ny_ansokan,
    ny_elev,
    ny_vardnadshavare,
    nytt_samtycke,
    signera,
)
from tests.helpers import Tokens, audit_since, last_audit_id


def _body(elev_id: str, samtycke_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "elev_id": elev_id,
        "samtycke_id": samtycke_id,
        "orsak": "Ströfrånvaro",
        "insatser_organisationsniva": "Närvaroteam",
        "insatser_gruppniva": "Mindre grupp",
        "insatser_individniva": "Samtal med kurator",
        "franvaro": {"beskrivning": "Omkring 20 %"},
        **fields,
    }


def _apply(client: TestClient, tokens: Tokens, body: dict[str, Any], konto: str = "kurator") -> Any:
    return client.post(ARENDEN, json=body, headers=tokens.headers(konto))


def test_the_school_applies_for_its_pupil_with_a_valid_consent(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, samtycke, _ = elev_med_giltigt_samtycke(client, tokens, db)
    before = last_audit_id(db)

    response = _apply(client, tokens, _body(elev["id"], samtycke["id"]), konto="rektor")

    assert response.status_code == 201, response.text
    arende = response.json()
    assert (arende["fas"], arende["elev_id"], arende["samtycke_id"]) == (
        "ansokan",
        elev["id"],
        samtycke["id"],
    )
    assert arende["skola_id"] == arende["ansokande_skola_id"] == elev["skola_id"]
    assert arende["insatser_gruppniva"] == "Mindre grupp"
    assert arende["franvaro"] == {
        "kalla": "skolans_uppgift",
        "beskrivning": "Omkring 20 %",
        "andel_procent": None,
        "period_fran": None,
        "period_till": None,
    }
    assert (arende["samtycke_status"], arende["samtycke_tacker_arendet"]) == ("giltigt", True)
    assert arende["handlaggare_id"] is arende["nasta_forfallodatum"] is arende["avslut"] is None
    assert response.headers["ETag"] == f'"{arende["version"]}"'
    [row] = audit_since(db, before)
    assert (row.atgard, row.resurs_typ, row.elev_id, row.rattslig_grund) == (
        Atgard.create,
        "arende",
        uuid.UUID(elev["id"]),
        "egen_skola",
    )


def test_an_application_without_a_consent_in_force_names_what_is_missing(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    signed = ny_vardnadshavare(client, tokens, elev["id"])
    unsigned = ny_vardnadshavare(client, tokens, elev["id"])
    samtycke = nytt_samtycke(client, tokens, elev["id"], parter=("skola", "region"))
    signera(client, tokens, samtycke["id"], vardnadshavare_id=signed["id"])

    response = _apply(client, tokens, _body(elev["id"], samtycke["id"]))

    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "https://samverka.se/problem/villkor-ej-uppfyllt"
    assert problem["errors"] == [
        {
            "plats": "body.samtycke_id",
            "meddelande": f"Signatur saknas från en vårdnadshavare med vårdnad ({unsigned['id']}).",
        },
        {"plats": "body.samtycke_id", "meddelande": "Samtycket omfattar inte socialtjanst."},
    ]
    listed = client.get(ARENDEN, headers=tokens.headers("kurator"), params={"limit": 500})
    assert elev["id"] not in {row["elev_id"] for row in listed.json()["data"]}


def test_a_withdrawn_consent_cannot_carry_an_application(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, samtycke, guardians = elev_med_giltigt_samtycke(client, tokens, db)
    client.post(
        f"/api/v1/samtycken/{samtycke['id']}/aterkallelse",
        json={"undertecknare": "vardnadshavare", "vardnadshavare_id": guardians[0]["id"]},
        headers=tokens.headers("kurator"),
    )

    response = _apply(client, tokens, _body(elev["id"], samtycke["id"]))

    assert response.status_code == 409
    assert [e["meddelande"] for e in response.json()["errors"]] == ["Samtycket är återkallat."]


def test_the_consent_must_be_the_pupils_own(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    _, someone_elses, _ = elev_med_giltigt_samtycke(client, tokens, db)

    for samtycke_id in (someone_elses["id"], str(uuid.uuid4())):
        response = _apply(client, tokens, _body(elev["id"], samtycke_id))
        assert response.status_code == 422
        assert response.json()["errors"][0]["plats"] == "body.samtycke_id"


def test_a_pupil_of_another_school_is_not_found_and_the_attempt_is_denied(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elsewhere = elev_i_databasen(db, ASEN)
    before = last_audit_id(db)

    response = _apply(client, tokens, _body(elsewhere["id"], str(uuid.uuid4())))

    assert response.status_code == 404
    [denied] = audit_since(db, before)
    assert (denied.utfall, denied.elev_id) == (Utfall.denied, uuid.UUID(elsewhere["id"]))


@pytest.mark.parametrize("konto", ["team-skola", "team-soc"])
def test_the_team_does_not_apply(
    client: TestClient, tokens: Tokens, db: Session, konto: str
) -> None:
    elev, samtycke, _ = elev_med_giltigt_samtycke(client, tokens, db)
    assert _apply(client, tokens, _body(elev["id"], samtycke["id"]), konto=konto).status_code == 403


def test_a_pupil_has_one_open_case_at_a_time(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = nytt_fall(client, tokens, db)
    again = _body(fall.elev["id"], fall.samtycke["id"])
    assert _apply(client, tokens, again).status_code == 409

    client.post(
        f"{fall.url}/avslut",
        json={"orsak": "tackar_nej", "vidmakthallandeplan": {"beskrivning": "Skolan fortsätter."}},
        headers=tokens.headers("kurator"),
    )
    assert _apply(client, tokens, again).status_code == 201


@pytest.mark.parametrize(
    ("change", "plats"),
    [
        ({"orsak": ""}, "body.orsak"),
        ({"insatser_gruppniva": "x" * 4001}, "body.insatser_gruppniva"),
        ({"franvaro": {"beskrivning": "x", "andel_procent": 101}}, "body.franvaro.andel_procent"),
        ({"fas": "uppstart"}, "body.fas"),
        ({"handlaggare_id": str(uuid.uuid4())}, "body.handlaggare_id"),
        ({"version": 3}, "body.version"),
    ],
)
def test_application_bodies_are_validated_and_server_fields_refused(
    client: TestClient, tokens: Tokens, db: Session, change: dict[str, Any], plats: str
) -> None:
    body = _body(str(uuid.uuid4()), str(uuid.uuid4()), **change)
    response = _apply(client, tokens, body)
    assert response.status_code == 422
    assert plats in [error["plats"] for error in response.json()["errors"]]


def test_the_school_changes_its_application_only_while_it_is_in_ansokan(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = nytt_fall(client, tokens, db)
    headers = {**tokens.headers("kurator"), "If-Match": f'"{fall.arende["version"]}"'}

    changed = client.patch(fall.url, json={"orsak": "Långvarig frånvaro"}, headers=headers)
    assert changed.status_code == 200
    assert changed.json()["orsak"] == "Långvarig frånvaro"
    assert changed.json()["komplettering"] is None

    byt(client, tokens, fall, "beredning")
    late = client.patch(
        fall.url,
        json={"orsak": "Något annat"},
        headers={**headers, "If-Match": f'"{fall.arende["version"]}"'},
    )
    assert late.status_code == 409


def test_the_team_does_not_write_the_schools_application(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = nytt_fall(client, tokens, db)
    response = client.patch(
        fall.url,
        json={"orsak": "Teamets text"},
        headers={**tokens.headers("team-skola"), "If-Match": f'"{fall.arende["version"]}"'},
    )
    assert response.status_code == 403
    assert client.get(fall.url, headers=tokens.headers("kurator")).json()["orsak"] != "Teamets text"


def test_the_school_may_replace_the_consent_with_another_valid_one(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = nytt_fall(client, tokens, db)
    newer = nytt_samtycke(client, tokens, fall.elev["id"])
    etag = f'"{fall.arende["version"]}"'
    headers = {**tokens.headers("kurator"), "If-Match": etag}

    refused = client.patch(fall.url, json={"samtycke_id": newer["id"]}, headers=headers)
    assert refused.status_code == 409
    for guardian in fall.vardnadshavare:
        signera(client, tokens, newer["id"], vardnadshavare_id=guardian["id"])
    accepted = client.patch(fall.url, json={"samtycke_id": newer["id"]}, headers=headers)
    assert accepted.status_code == 200
    assert accepted.json()["samtycke_id"] == newer["id"]


def test_a_new_application_is_listed_for_the_school_and_the_team(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, samtycke, _ = elev_med_giltigt_samtycke(client, tokens, db)
    arende = ny_ansokan(client, tokens, elev["id"], samtycke["id"])
    for konto in ("kurator", "rektor", "team-skola", "team-soc"):
        listed = client.get(
            ARENDEN, headers=tokens.headers(konto), params={"fas": "ansokan", "limit": 500}
        )
        assert arende["id"] in {row["id"] for row in listed.json()["data"]}, konto
