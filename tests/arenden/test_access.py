"""Who sees a case: the pupil's school, the team — social services only under the consent — and
nobody in another kommun. A case out of reach is 404 with a denied audit row; a withdrawn
consent flags the case, ends social services' access at the next request, and the case can
still be closed with tackar_nej."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from tests.arenden.flode import (
    ARENDEN,
    VIDMAKTHALLANDE,
    Fall,
    anvandar_id,
    fall_i_fas,
    hamta,
    nytt_fall,
)
from tests.factories import ASEN, skola_id
from tests.helpers import Tokens, audit_since, last_audit_id

PARTS = ("", "/faser", "/moten", "/kartlaggning", "/ansvarsplan", "/insatser", "/uppfoljningar")


def _listed(client: TestClient, tokens: Tokens, konto: str) -> set[str]:
    page = client.get(ARENDEN, headers=tokens.headers(konto), params={"limit": 500}).json()
    return {row["id"] for row in page["data"]}


def _hidden_with_a_denied_row(
    client: TestClient, tokens: Tokens, db: Session, fall: Fall, konto: str, elev_id: Any
) -> None:
    for part in PARTS:
        before = last_audit_id(db)
        response = client.get(f"{fall.url}{part}", headers=tokens.headers(konto))
        assert response.status_code == 404, (konto, part)
        [denied] = audit_since(db, before)
        assert (denied.utfall, denied.elev_id, denied.rattslig_grund) == (
            Utfall.denied,
            elev_id,
            None,
        )
    assert fall.id not in _listed(client, tokens, konto)


def test_school_staff_see_the_cases_of_their_schools_only(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    assert fall.id in _listed(client, tokens, "rektor")
    elev_url = f"/api/v1/elever/{fall.elev['id']}"
    etag = client.get(elev_url, headers=tokens.headers("kurator")).headers["ETag"]

    moved = client.patch(
        elev_url,
        json={"skola_id": str(skola_id(db, ASEN))},
        headers={**tokens.headers("kurator"), "If-Match": etag},
    )
    assert moved.status_code == 200

    elev_id = uuid.UUID(fall.elev["id"])
    for konto in ("kurator", "rektor"):
        _hidden_with_a_denied_row(client, tokens, db, fall, konto, elev_id)
    assert hamta(client, tokens, fall)["skola_id"] == str(skola_id(db, ASEN))
    school = {"skola": str(skola_id(db, ASEN)), "limit": "500"}
    team_list = client.get(ARENDEN, headers=tokens.headers("team-skola"), params=school).json()
    assert fall.id in {row["id"] for row in team_list["data"]}


def test_another_kommun_never_sees_the_case(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = nytt_fall(client, tokens, db)
    _hidden_with_a_denied_row(client, tokens, db, fall, "kurator2", None)


@pytest.mark.parametrize("konto", ["admin", "styrgrupp", "granskare"])
def test_roles_without_case_work_are_refused(
    client: TestClient, tokens: Tokens, db: Session, konto: str
) -> None:
    fall = nytt_fall(client, tokens, db)
    assert client.get(fall.url, headers=tokens.headers(konto)).status_code == 403


def test_social_services_see_a_case_on_the_consent_and_the_audit_names_it(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    before = last_audit_id(db)

    for part in PARTS:
        response = client.get(f"{fall.url}{part}", headers=tokens.headers("team-soc"))
        assert response.status_code == 200, part

    rows = audit_since(db, before)
    assert len(rows) == len(PARTS)
    assert {(row.utfall, row.rattslig_grund, row.organisation) for row in rows} == {
        (Utfall.allowed, f"samtycke:{fall.samtycke['id']}", "socialtjanst")
    }
    assert {row.atgard for row in rows} == {Atgard.read}
    listed = client.get(ARENDEN, headers=tokens.headers("team-soc"), params={"limit": 500})
    assert fall.id in {row["id"] for row in listed.json()["data"]}


def _withdraw(client: TestClient, tokens: Tokens, fall: Fall, **fields: Any) -> None:
    response = client.post(
        f"/api/v1/samtycken/{fall.samtycke['id']}/aterkallelse",
        json={
            "undertecknare": "vardnadshavare",
            "vardnadshavare_id": fall.vardnadshavare[0]["id"],
            **fields,
        },
        headers=tokens.headers("kurator"),
    )
    assert response.status_code == 201, response.text


def test_a_withdrawn_consent_hides_the_case_from_social_services_and_flags_it(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "kartlaggning", handlaggare="team-soc")
    assert client.get(fall.url, headers=tokens.headers("team-soc")).status_code == 200

    _withdraw(client, tokens, fall)

    _hidden_with_a_denied_row(client, tokens, db, fall, "team-soc", uuid.UUID(fall.elev["id"]))
    for konto in ("team-skola", "kurator"):
        flagged = hamta(client, tokens, fall, konto=konto)
        assert (flagged["samtycke_status"], flagged["samtycke_tacker_arendet"]) == (
            "aterkallat",
            False,
        )
    declined = {"orsak": "tackar_nej", "vidmakthallandeplan": VIDMAKTHALLANDE}
    by_social_services = client.post(
        f"{fall.url}/avslut", json=declined, headers=tokens.headers("team-soc")
    )
    assert by_social_services.status_code == 404
    closed = client.post(f"{fall.url}/avslut", json=declined, headers=tokens.headers("team-skola"))
    assert closed.status_code == 200
    assert closed.json()["avslut"]["orsak"] == "tackar_nej"


def test_withdrawing_social_services_only_leaves_the_school_authority_working(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart", handlaggare="team-soc")
    _withdraw(client, tokens, fall, parter=["socialtjanst"])

    assert client.get(fall.url, headers=tokens.headers("team-soc")).status_code == 404
    flagged = hamta(client, tokens, fall)
    assert (flagged["samtycke_status"], flagged["samtycke_tacker_arendet"]) == ("giltigt", False)
    version = flagged["version"]
    reassigned = client.patch(
        fall.url,
        json={"handlaggare_id": anvandar_id(client, tokens, "team-skola")},
        headers={**tokens.headers("team-skola"), "If-Match": f'"{version}"'},
    )
    assert reassigned.status_code == 200
    back = client.patch(
        fall.url,
        json={"handlaggare_id": anvandar_id(client, tokens, "team-soc")},
        headers={**tokens.headers("team-skola"), "If-Match": reassigned.headers["ETag"]},
    )
    assert back.status_code == 409
    assert back.json()["errors"][0]["meddelande"] == (
        "Handläggarens organisation omfattas inte av elevens samtycke."
    )


def test_the_school_can_close_after_a_withdrawal_too(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "genomforande")
    _withdraw(client, tokens, fall)
    declined = {"orsak": "tackar_nej", "vidmakthallandeplan": VIDMAKTHALLANDE}
    closed = client.post(f"{fall.url}/avslut", json=declined, headers=tokens.headers("rektor"))
    assert closed.status_code == 200
    assert closed.json()["fas"] == "avslutat"
