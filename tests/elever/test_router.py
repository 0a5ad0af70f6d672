import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from app.kit.pagination import encode_cursor
from tests.factories import (
    ASEN,
    EKBACKEN,
    elev_i_databasen,
    elev_med_arende,
    elev_med_giltigt_samtycke,
    ny_ansokan,
    ny_elev,
    ny_vardnadshavare,
    nytt_personnummer,
    skola_id,
)
from tests.helpers import Tokens, audit_since, last_audit_id

ELEVER = "/api/v1/elever"
KONTAKT = {"adress": "Storgatan 1", "postnummer": "123 45", "ort": "Exempelby", "telefon": "070"}


def test_school_staff_register_a_pupil_with_the_canonical_number(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    before = last_audit_id(db)
    body = {
        "personnummer": "160105-1004",
        "fornamn": "Alva",
        "efternamn": "Ek",
        "skola_id": str(skola_id(db, EKBACKEN)),
        "arskurs": "F",
        "skolform": "anpassad_grundskola",
        "externa_id": [{"kalla": "skolplattform", "id": "abc-1"}],
    }
    response = client.post(ELEVER, json=body, headers=tokens.headers("kurator"))

    assert response.status_code == 201, response.text
    elev = response.json()
    assert elev["personnummer"] == "201601051004"
    assert elev["identitetstyp"] == "personnummer"
    assert elev["arskurs"] == "F"
    assert elev["externa_id"] == [{"kalla": "skolplattform", "id": "abc-1"}]
    assert response.headers["ETag"] == f'"{elev["version"]}"'
    [row] = audit_since(db, before)
    assert (row.atgard, row.resurs_typ, row.elev_id) == (
        Atgard.create,
        "elev",
        uuid.UUID(elev["id"]),
    )
    assert row.rattslig_grund == "egen_skola"


def test_a_duplicate_personnummer_in_the_kommun_is_a_conflict(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    again = {
        "personnummer": elev["personnummer"],
        "fornamn": "Ny",
        "efternamn": "Elev",
        "skola_id": str(skola_id(db, EKBACKEN)),
        "arskurs": "3",
    }
    response = client.post(ELEVER, json=again, headers=tokens.headers("rektor"))
    assert response.status_code == 409
    assert elev["personnummer"] not in response.text


def test_a_personnummer_in_other_digits_than_0_to_9_is_refused_not_a_second_pupil(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    fullwidth = elev["personnummer"].translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    again = {
        "personnummer": fullwidth,
        "fornamn": "Ny",
        "efternamn": "Elev",
        "skola_id": str(skola_id(db, EKBACKEN)),
        "arskurs": "3",
    }
    response = client.post(ELEVER, json=again, headers=tokens.headers("rektor"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == "body.personnummer"


def test_the_same_personnummer_may_exist_in_another_kommun(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    other = ny_elev(
        client,
        tokens,
        db,
        konto="kurator2",
        skola="11223344",
        personnummer=elev["personnummer"],
    )
    assert other["id"] != elev["id"]


def test_a_pupil_is_registered_only_at_the_callers_own_schools(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    body = {
        "personnummer": nytt_personnummer(),
        "fornamn": "A",
        "efternamn": "B",
        "skola_id": str(skola_id(db, ASEN)),
        "arskurs": "4",
    }
    response = client.post(ELEVER, json=body, headers=tokens.headers("kurator"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == "body.skola_id"


@pytest.mark.parametrize("konto", ["team-skola", "team-soc", "admin", "styrgrupp", "granskare"])
def test_only_school_staff_register_pupils(
    client: TestClient, tokens: Tokens, db: Session, konto: str
) -> None:
    body = {
        "personnummer": nytt_personnummer(),
        "fornamn": "A",
        "efternamn": "B",
        "skola_id": str(skola_id(db, EKBACKEN)),
        "arskurs": "4",
    }
    assert client.post(ELEVER, json=body, headers=tokens.headers(konto)).status_code == 403


def test_school_staff_see_their_own_schools_pupils_only(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    own = ny_elev(client, tokens, db)
    elsewhere = elev_i_databasen(db, ASEN)

    assert client.get(f"{ELEVER}/{own['id']}", headers=tokens.headers("kurator")).status_code == 200
    before = last_audit_id(db)
    hidden = client.get(f"{ELEVER}/{elsewhere['id']}", headers=tokens.headers("kurator"))
    assert hidden.status_code == 404
    [denied] = audit_since(db, before)
    assert (denied.utfall, denied.elev_id) == (Utfall.denied, uuid.UUID(elsewhere["id"]))

    listed = client.get(ELEVER, headers=tokens.headers("kurator"), params={"limit": 500}).json()
    ids = {row["id"] for row in listed["data"]}
    assert own["id"] in ids
    assert elsewhere["id"] not in ids


def test_another_kommun_never_sees_the_pupil(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    for konto in ("kurator2",):
        response = client.get(f"{ELEVER}/{elev['id']}", headers=tokens.headers(konto))
        assert response.status_code == 404
        listed = client.get(ELEVER, headers=tokens.headers(konto), params={"limit": 500}).json()
        assert elev["id"] not in {row["id"] for row in listed["data"]}
        found = client.post(
            f"{ELEVER}/sok",
            json={"personnummer": elev["personnummer"]},
            headers=tokens.headers(konto),
        )
        assert found.json() == {"data": [], "nasta_cursor": None}


def _by_name(client: TestClient, tokens: Tokens, namn: str, **params: Any) -> dict[str, Any]:
    response = client.post(
        f"{ELEVER}/sok", json={"namn": namn}, params=params, headers=tokens.headers("kurator")
    )
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_lists_filter_by_school_arskurs_and_name(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    target = ny_elev(client, tokens, db, fornamn="Åsa", efternamn="Öberg", arskurs="9")
    ny_elev(client, tokens, db, fornamn="Bo", efternamn="Berg", arskurs="9")
    ny_elev(client, tokens, db, fornamn="Åsa", efternamn="Lind", arskurs="2")

    by_name = _by_name(client, tokens, "ÖBERG")["data"]
    assert [row["id"] for row in by_name] == [target["id"]]
    both = _by_name(client, tokens, "åsa", arskurs="9")
    assert [row["id"] for row in both["data"]] == [target["id"]]
    school = str(skola_id(db, EKBACKEN))
    headers = tokens.headers("kurator")
    at_school = client.get(ELEVER, headers=headers, params={"skola": school, "limit": 500}).json()
    assert target["id"] in {row["id"] for row in at_school["data"]}
    assert _by_name(client, tokens, "%")["data"] == []


def test_a_name_is_searched_in_the_body_never_in_the_address(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    ny_elev(client, tokens, db, efternamn="Adress")
    headers = tokens.headers("kurator")

    in_url = client.get(ELEVER, headers=headers, params={"namn": "Adress"})
    both = client.post(
        f"{ELEVER}/sok", json={"namn": "A", "personnummer": "201601051004"}, headers=headers
    )
    neither = client.post(f"{ELEVER}/sok", json={}, headers=headers)

    assert in_url.status_code == 422
    assert in_url.json()["errors"][0]["plats"] == "query.namn"
    assert both.status_code == neither.status_code == 422


def test_each_listed_pupil_gets_an_audit_row(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    pupils = [ny_elev(client, tokens, db, efternamn="Listad") for _ in range(3)]
    before = last_audit_id(db)

    _by_name(client, tokens, "listad")

    rows = audit_since(db, before)
    assert {str(row.elev_id) for row in rows} == {p["id"] for p in pupils}
    assert {row.atgard for row in rows} == {Atgard.search}


def test_a_pupils_guardians_are_listed_a_page_at_a_time(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    made = [ny_vardnadshavare(client, tokens, elev["id"])["id"] for _ in range(3)]
    url = f"{ELEVER}/{elev['id']}/vardnadshavare"
    headers = tokens.headers("kurator")
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = client.get(url, params=params, headers=headers).json()
        assert len(page["data"]) <= 2
        seen += [row["id"] for row in page["data"]]
        if page["nasta_cursor"] is None:
            break
        params["cursor"] = page["nasta_cursor"]

    assert sorted(seen) == sorted(made)
    stale = client.get(url, params={"cursor": encode_cursor([str(uuid.uuid4())])}, headers=headers)
    assert stale.status_code == 422
    assert stale.json()["errors"][0]["plats"] == "query.cursor"


def test_lists_page_with_a_cursor(client: TestClient, tokens: Tokens, db: Session) -> None:
    made = {ny_elev(client, tokens, db, efternamn="Sidad")["id"] for _ in range(5)}
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = _by_name(client, tokens, "sidad", **params)
        seen += [row["id"] for row in page["data"]]
        if page["nasta_cursor"] is None:
            break
        params["cursor"] = page["nasta_cursor"]
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))


def test_search_by_personnummer_in_the_body(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    ten_digits = f"{elev['personnummer'][2:8]}-{elev['personnummer'][8:]}"
    response = client.post(
        f"{ELEVER}/sok", json={"personnummer": ten_digits}, headers=tokens.headers("rektor")
    )
    assert [row["id"] for row in response.json()["data"]] == [elev["id"]]
    nobody = client.post(
        f"{ELEVER}/sok",
        json={"personnummer": nytt_personnummer()},
        headers=tokens.headers("rektor"),
    )
    assert nobody.json() == {"data": [], "nasta_cursor": None}


def test_patch_needs_if_match_and_refuses_a_stale_one(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    url = f"{ELEVER}/{elev['id']}"
    headers = tokens.headers("kurator")

    missing = client.patch(url, json={"arskurs": "8"}, headers=headers)
    assert missing.status_code == 428
    changed = client.patch(url, json={"arskurs": "8"}, headers={**headers, "If-Match": '"1"'})
    assert changed.status_code == 200
    assert changed.json()["arskurs"] == "8"
    assert changed.headers["ETag"] == '"2"'
    stale = client.patch(url, json={"arskurs": "9"}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert client.get(url, headers=headers).json()["arskurs"] == "8"


def test_protected_identity_hides_contact_data_from_all_but_the_own_school(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, _, guardians = elev_med_arende(
        client, tokens, db, skyddad_identitet="skyddad_folkbokforing", kontaktuppgifter=KONTAKT
    )
    url = f"{ELEVER}/{elev['id']}"

    own_school = client.get(url, headers=tokens.headers("kurator")).json()
    assert own_school["kontaktuppgifter"]["adress"] == "Storgatan 1"
    assert own_school["kontaktuppgifter_dolda"] is False

    for konto in ("team-skola", "team-soc"):
        seen = client.get(url, headers=tokens.headers(konto))
        assert seen.status_code == 200, konto
        assert seen.json()["kontaktuppgifter"] is None
        assert seen.json()["kontaktuppgifter_dolda"] is True
        assert "Storgatan" not in seen.text
        guardian_rows = client.get(f"{url}/vardnadshavare", headers=tokens.headers(konto)).json()[
            "data"
        ]
        assert {g["id"] for g in guardian_rows} == {g["id"] for g in guardians}
        assert all(g["kontaktuppgifter"] is None for g in guardian_rows)
        listed = client.get(ELEVER, headers=tokens.headers(konto), params={"limit": 500}).json()
        assert elev["id"] not in {row["id"] for row in listed["data"]}, konto


def test_a_guardians_own_protected_identity_hides_only_their_contact_data(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, _, _ = elev_med_arende(client, tokens, db)
    open_guardian = ny_vardnadshavare(client, tokens, elev["id"], kontaktuppgifter=KONTAKT)
    hidden_guardian = ny_vardnadshavare(
        client,
        tokens,
        elev["id"],
        har_vardnad=False,
        skyddad_identitet="sekretessmarkering",
        kontaktuppgifter=KONTAKT,
    )
    rows = client.get(
        f"{ELEVER}/{elev['id']}/vardnadshavare", headers=tokens.headers("team-skola")
    ).json()["data"]
    by_id = {row["id"]: row for row in rows}
    assert by_id[open_guardian["id"]]["kontaktuppgifter"]["ort"] == "Exempelby"
    assert by_id[hidden_guardian["id"]]["kontaktuppgifter"] is None


def test_guardians_are_changed_with_if_match_and_removed_until_they_have_signed(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, _, signed_guardians = elev_med_giltigt_samtycke(client, tokens, db)
    extra = ny_vardnadshavare(client, tokens, elev["id"], har_vardnad=False)
    base = f"{ELEVER}/{elev['id']}/vardnadshavare"
    headers = tokens.headers("kurator")

    changed = client.patch(
        f"{base}/{extra['id']}",
        json={"efternamn": "Nytt"},
        headers={**headers, "If-Match": f'"{extra["version"]}"'},
    )
    assert changed.status_code == 200
    assert changed.json()["efternamn"] == "Nytt"

    signer = signed_guardians[0]
    refused = client.delete(f"{base}/{signer['id']}", headers={**headers, "If-Match": '"1"'})
    assert refused.status_code == 409
    removed = client.delete(
        f"{base}/{extra['id']}", headers={**headers, "If-Match": changed.headers["ETag"]}
    )
    assert removed.status_code == 204
    assert {g["id"] for g in client.get(base, headers=headers).json()["data"]} == {
        g["id"] for g in signed_guardians
    }


def test_a_guardian_of_another_pupil_is_not_found(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    first = ny_elev(client, tokens, db)
    second = ny_elev(client, tokens, db)
    guardian = ny_vardnadshavare(client, tokens, first["id"])
    response = client.patch(
        f"{ELEVER}/{second['id']}/vardnadshavare/{guardian['id']}",
        json={"efternamn": "X"},
        headers={**tokens.headers("kurator"), "If-Match": '"1"'},
    )
    assert response.status_code == 404


def test_unknown_fields_and_server_owned_fields_are_refused(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    body = {
        "personnummer": nytt_personnummer(),
        "fornamn": "A",
        "efternamn": "B",
        "skola_id": str(skola_id(db, EKBACKEN)),
        "arskurs": "4",
        "version": 7,
    }
    response = client.post(ELEVER, json=body, headers=tokens.headers("kurator"))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"plats": "body.version", "meddelande": "Okänt fält."}]


@pytest.mark.parametrize("konto", ["team-skola", "team-soc"])
def test_the_team_sees_only_pupils_with_a_case_at_the_team(
    client: TestClient, tokens: Tokens, db: Session, konto: str
) -> None:
    elev, samtycke, _ = elev_med_giltigt_samtycke(client, tokens, db)
    url = f"{ELEVER}/{elev['id']}"
    headers = tokens.headers(konto)

    before = last_audit_id(db)
    assert client.get(url, headers=headers).status_code == 404
    [denied] = audit_since(db, before)
    assert (denied.utfall, denied.elev_id) == (Utfall.denied, uuid.UUID(elev["id"]))
    listed = client.get(ELEVER, headers=headers, params={"limit": 500}).json()["data"]
    assert elev["id"] not in {row["id"] for row in listed}

    ny_ansokan(client, tokens, elev["id"], samtycke["id"])

    assert client.get(url, headers=headers).status_code == 200
    listed = client.get(ELEVER, headers=headers, params={"limit": 500}).json()["data"]
    assert elev["id"] in {row["id"] for row in listed}
