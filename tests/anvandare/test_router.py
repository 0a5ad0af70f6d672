import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.helpers import Tokens, bearer, password_login

URL = "/api/v1/anvandare"
ME = "/api/v1/auth/me"
NEW_PASSWORD = "ett-langt-losenord-1"


def _school_ids(client: TestClient, tokens: Tokens, account: str = "admin") -> list[str]:
    skolor = client.get("/api/v1/skolor", headers=tokens.headers(account)).json()["data"]
    return [skola["id"] for skola in skolor]


def test_admin_creates_a_user_who_can_log_in(client: TestClient, tokens: Tokens) -> None:
    skolor = _school_ids(client, tokens)
    response = client.post(
        URL,
        json={
            "anvandarnamn": "ny.kurator",
            "namn": "Ny Kurator",
            "roll": "elevhalsa",
            "skolor": skolor[:1],
            "losenord": NEW_PASSWORD,
        },
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["skolor"] == skolor[:1]
    assert body["organisation"] == "skola"
    assert "losenord" not in body
    assert "losenord_hash" not in body
    token = password_login(client, "ny.kurator", NEW_PASSWORD)
    assert client.get(ME, headers=bearer(token)).json()["roll"] == "elevhalsa"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"roll": "rektor", "skolor": []}, "Rollen rektor behöver minst en skola."),
        (
            {"roll": "skolsocialt_team", "organisation": "skola"},
            "Skolsocialt team består av personal från central elevhälsa, socialtjänst "
            "eller region.",
        ),
        (
            {"roll": "elevhalsa", "organisation": "socialtjanst"},
            "Rollen elevhalsa hör till skolan eller central elevhälsa.",
        ),
    ],
)
def test_role_organisation_and_schools_must_fit_together(
    client: TestClient, tokens: Tokens, changes: dict[str, object], message: str
) -> None:
    body = {
        "anvandarnamn": "felkombination",
        "namn": "Fel Kombination",
        "roll": "elevhalsa",
        "skolor": _school_ids(client, tokens)[:1],
        "losenord": NEW_PASSWORD,
        **changes,
    }
    response = client.post(URL, json=body, headers=tokens.headers("admin"))
    assert response.status_code == 422
    assert message in [error["meddelande"] for error in response.json()["errors"]]


def test_the_integration_role_is_not_for_people(client: TestClient, tokens: Tokens) -> None:
    response = client.post(
        URL,
        json={
            "anvandarnamn": "robot",
            "namn": "Robot",
            "roll": "integration",
            "losenord": NEW_PASSWORD,
        },
        headers=tokens.headers("admin"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == "body.roll"


@pytest.mark.parametrize("schema", ["AnvandareCreate", "AnvandareUpdate"])
def test_the_contract_offers_people_only_person_roles(app: FastAPI, schema: str) -> None:
    roll = app.openapi()["components"]["schemas"][schema]["properties"]["roll"]
    enums = [option["enum"] for option in roll.get("anyOf", [roll]) if "enum" in option]
    assert enums == [["admin", "elevhalsa", "rektor", "skolsocialt_team", "styrgrupp", "granskare"]]


def test_schools_of_another_kommun_cannot_be_assigned(client: TestClient, tokens: Tokens) -> None:
    grann_skola = _school_ids(client, tokens, "admin2")[0]
    response = client.post(
        URL,
        json={
            "anvandarnamn": "korsvis",
            "namn": "Korsvis",
            "roll": "elevhalsa",
            "skolor": [grann_skola],
            "losenord": NEW_PASSWORD,
        },
        headers=tokens.headers("admin"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["meddelande"] == f"Okänd skola: {grann_skola}"


def test_user_names_are_unique_across_kommuner(client: TestClient, tokens: Tokens) -> None:
    response = client.post(
        URL,
        json={
            "anvandarnamn": "kurator",
            "namn": "Dubblett",
            "roll": "granskare",
            "losenord": NEW_PASSWORD,
        },
        headers=tokens.headers("admin2"),
    )
    assert response.status_code == 409


def test_short_passwords_and_unknown_fields_are_refused(client: TestClient, tokens: Tokens) -> None:
    response = client.post(
        URL,
        json={
            "anvandarnamn": "kort",
            "namn": "Kort",
            "roll": "granskare",
            "losenord": "kort",
            "id": "00000000-0000-0000-0000-000000000000",
        },
        headers=tokens.headers("admin"),
    )
    assert response.status_code == 422
    errors = {error["plats"]: error["meddelande"] for error in response.json()["errors"]}
    assert errors == {
        "body.losenord": "Texten är för kort (minst 12 tecken).",
        "body.id": "Okänt fält.",
    }


def test_a_new_password_ends_the_sessions_of_the_old_one(
    client: TestClient, tokens: Tokens
) -> None:
    old_token = password_login(client, "granskare")
    users = client.get(URL, headers=tokens.headers("admin")).json()["data"]
    granskare = next(user for user in users if user["anvandarnamn"] == "granskare")
    url = f"{URL}/{granskare['id']}"
    etag = client.get(url, headers=tokens.headers("admin")).headers["ETag"]

    response = client.patch(
        url, json={"losenord": NEW_PASSWORD}, headers={**tokens.headers("admin"), "If-Match": etag}
    )

    assert response.status_code == 200
    assert client.get(ME, headers=bearer(old_token)).status_code == 401
    assert password_login(client, "granskare", NEW_PASSWORD)


def test_admins_see_only_their_own_kommuns_users(client: TestClient, tokens: Tokens) -> None:
    names = {
        user["anvandarnamn"]
        for user in client.get(URL, headers=tokens.headers("admin2")).json()["data"]
    }
    assert names == {"admin2", "kurator2"}
