"""The access story across the school / social-services boundary, end to end through HTTP.

A school registers a pupil, two custodians and a consent naming school and social services. A
social-services member of the skolsocialt team cannot see the pupil until both custodians have
signed and the school has applied to the team (the team sees only pupils with a case there),
sees them after, and is refused again on the very next request after one withdraws. The audit
log records every step with its outcome and legal basis.
"""

import uuid

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from tests.factories import ny_ansokan, ny_elev, ny_vardnadshavare, nytt_samtycke, signera
from tests.helpers import Tokens, audit_since, last_audit_id

ELEVER = "/api/v1/elever"


def _visible_to_social_services(client: TestClient, tokens: Tokens, elev_id: str) -> int:
    response = client.get(f"{ELEVER}/{elev_id}", headers=tokens.headers("team-soc"))
    return int(response.status_code)


def test_social_services_see_the_pupil_only_while_the_consent_is_in_force(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    mother = ny_vardnadshavare(client, tokens, elev["id"], fornamn="Mor")
    father = ny_vardnadshavare(client, tokens, elev["id"], fornamn="Far")
    samtycke = nytt_samtycke(client, tokens, elev["id"], parter=("skola", "socialtjanst"))
    elev_id = uuid.UUID(elev["id"])

    # Before signing: as if the pupil did not exist, and a denied row.
    before = last_audit_id(db)
    assert _visible_to_social_services(client, tokens, elev["id"]) == 404
    [denied] = audit_since(db, before)
    assert (denied.utfall, denied.elev_id, denied.organisation) == (
        Utfall.denied,
        elev_id,
        "socialtjanst",
    )
    signera(client, tokens, samtycke["id"], vardnadshavare_id=mother["id"])
    assert _visible_to_social_services(client, tokens, elev["id"]) == 404

    # Both custodians have signed, but the pupil has no case at the team yet: still hidden.
    signera(client, tokens, samtycke["id"], vardnadshavare_id=father["id"])
    assert _visible_to_social_services(client, tokens, elev["id"]) == 404

    # The school applies: visible, and the read names the consent as its basis.
    ny_ansokan(client, tokens, elev["id"], samtycke["id"])
    before = last_audit_id(db)
    assert _visible_to_social_services(client, tokens, elev["id"]) == 200
    [allowed] = audit_since(db, before)
    assert (allowed.utfall, allowed.atgard, allowed.elev_id) == (
        Utfall.allowed,
        Atgard.read,
        elev_id,
    )
    assert allowed.rattslig_grund == f"samtycke:{samtycke['id']}"
    listed = client.get(ELEVER, headers=tokens.headers("team-soc"), params={"limit": 500})
    assert elev["id"] in {row["id"] for row in listed.json()["data"]}
    for path in ("vardnadshavare", "samtycken"):
        assert (
            client.get(
                f"{ELEVER}/{elev['id']}/{path}", headers=tokens.headers("team-soc")
            ).status_code
            == 200
        )

    # One custodian withdraws: the very next request is refused.
    withdrawal = client.post(
        f"/api/v1/samtycken/{samtycke['id']}/aterkallelse",
        json={"undertecknare": "vardnadshavare", "vardnadshavare_id": father["id"]},
        headers=tokens.headers("kurator"),
    )
    assert withdrawal.status_code == 201
    before = last_audit_id(db)
    assert _visible_to_social_services(client, tokens, elev["id"]) == 404
    assert [row.utfall for row in audit_since(db, before)] == [Utfall.denied]
    for path in ("vardnadshavare", "samtycken"):
        assert (
            client.get(
                f"{ELEVER}/{elev['id']}/{path}", headers=tokens.headers("team-soc")
            ).status_code
            == 404
        )
    assert (
        client.get(
            f"/api/v1/samtycken/{samtycke['id']}", headers=tokens.headers("team-soc")
        ).status_code
        == 404
    )
    listed = client.get(ELEVER, headers=tokens.headers("team-soc"), params={"limit": 500})
    assert elev["id"] not in {row["id"] for row in listed.json()["data"]}

    # The school still sees the pupil on its own basis.
    assert (
        client.get(f"{ELEVER}/{elev['id']}", headers=tokens.headers("kurator")).status_code == 200
    )

    # The access log tells the story to the auditor, with the consent as the basis.
    log = client.get(
        f"{ELEVER}/{elev['id']}/atkomstlogg",
        headers=tokens.headers("granskare"),
        params={"limit": 500},
    ).json()["data"]
    social = [row for row in reversed(log) if row["organisation"] == "socialtjanst"]
    reads = [(row["atgard"], row["resurs_typ"], row["utfall"]) for row in social]
    assert reads[0] == ("read", "elev", "denied")
    assert ("read", "elev", "allowed") in reads
    assert reads[-1][2] == "denied"
    assert {row["rattslig_grund"] for row in social if row["utfall"] == "allowed"} == {
        f"samtycke:{samtycke['id']}"
    }
    assert all(row["aktor_namn"] == "Sam Socialsekreterare" for row in social)


def test_a_consent_that_does_not_name_social_services_opens_nothing_to_them(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    guardian = ny_vardnadshavare(client, tokens, elev["id"])
    samtycke = nytt_samtycke(client, tokens, elev["id"], parter=("skola", "region"))
    signera(client, tokens, samtycke["id"], vardnadshavare_id=guardian["id"])

    assert _visible_to_social_services(client, tokens, elev["id"]) == 404


def test_a_partial_withdrawal_of_social_services_ends_their_access_only(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    guardian = ny_vardnadshavare(client, tokens, elev["id"])
    samtycke = nytt_samtycke(
        client, tokens, elev["id"], parter=("skola", "socialtjanst", "central_elevhalsa")
    )
    signera(client, tokens, samtycke["id"], vardnadshavare_id=guardian["id"])
    ny_ansokan(client, tokens, elev["id"], samtycke["id"])
    assert _visible_to_social_services(client, tokens, elev["id"]) == 200

    client.post(
        f"/api/v1/samtycken/{samtycke['id']}/aterkallelse",
        json={
            "undertecknare": "vardnadshavare",
            "vardnadshavare_id": guardian["id"],
            "parter": ["socialtjanst"],
        },
        headers=tokens.headers("kurator"),
    )

    assert _visible_to_social_services(client, tokens, elev["id"]) == 404
    team_school = client.get(f"{ELEVER}/{elev['id']}", headers=tokens.headers("team-skola"))
    assert team_school.status_code == 200


def test_a_search_that_finds_a_hidden_pupil_answers_empty_and_is_logged_as_denied(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    before = last_audit_id(db)
    response = client.post(
        f"{ELEVER}/sok",
        json={"personnummer": elev["personnummer"]},
        headers=tokens.headers("team-soc"),
    )
    assert response.json() == {"data": [], "nasta_cursor": None}
    [row] = audit_since(db, before)
    assert (row.atgard, row.utfall, row.elev_id) == (
        Atgard.search,
        Utfall.denied,
        uuid.UUID(elev["id"]),
    )


def test_the_access_log_is_for_the_auditor_of_the_kommun(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    url = f"{ELEVER}/{elev['id']}/atkomstlogg"
    for konto in ("kurator", "rektor", "team-skola", "admin", "styrgrupp"):
        assert client.get(url, headers=tokens.headers(konto)).status_code == 403, konto
    response = client.get(url, headers=tokens.headers("granskare"))
    log = response.json()["data"]
    assert [(row["atgard"], row["rattslig_grund"]) for row in log] == [("create", "egen_skola")]
    assert elev["personnummer"] not in response.text
    assert (
        client.get(
            f"{ELEVER}/{uuid.uuid4()}/atkomstlogg", headers=tokens.headers("granskare")
        ).status_code
        == 404
    )
