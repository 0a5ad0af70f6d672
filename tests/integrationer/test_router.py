from fastapi.testclient import TestClient

from tests.helpers import Tokens, bearer, client_login

URL = "/api/v1/integrationer"
ME = "/api/v1/auth/me"


def _create(client: TestClient, tokens: Tokens) -> dict[str, object]:
    skolor = client.get("/api/v1/skolor", headers=tokens.headers("admin")).json()["data"]
    response = client.post(
        URL,
        json={"namn": "Schemasystemet", "skolor": [skolor[0]["id"]]},
        headers=tokens.headers("admin"),
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_the_secret_is_shown_once_and_works(client: TestClient, tokens: Tokens) -> None:
    created = _create(client, tokens)
    secret = str(created["klient_hemlighet"])
    assert len(secret) >= 40

    fetched = client.get(f"{URL}/{created['id']}", headers=tokens.headers("admin")).json()
    assert "klient_hemlighet" not in fetched
    listed = client.get(URL, headers=tokens.headers("admin")).json()["data"]
    assert all("klient_hemlighet" not in row for row in listed)

    token = client_login(client, str(created["klient_id"]), secret)
    me = client.get(ME, headers=bearer(token)).json()
    assert me["skolor"] == created["skolor"]


def test_removing_a_client_revokes_its_tokens_at_once(client: TestClient, tokens: Tokens) -> None:
    created = _create(client, tokens)
    token = client_login(client, str(created["klient_id"]), str(created["klient_hemlighet"]))
    url = f"{URL}/{created['id']}"

    assert client.delete(url, headers=tokens.headers("admin")).status_code == 428
    etag = client.get(url, headers=tokens.headers("admin")).headers["ETag"]
    removed = client.delete(url, headers={**tokens.headers("admin"), "If-Match": etag})

    assert removed.status_code == 204
    assert client.get(ME, headers=bearer(token)).status_code == 401
    assert client.get(url, headers=tokens.headers("admin")).status_code == 404
    listed = client.get(URL, headers=tokens.headers("admin")).json()["data"]
    assert created["id"] not in [row["id"] for row in listed]


def test_a_client_needs_at_least_one_school_of_the_kommun(
    client: TestClient, tokens: Tokens
) -> None:
    empty = client.post(URL, json={"namn": "Tom", "skolor": []}, headers=tokens.headers("admin"))
    assert empty.status_code == 422

    grann_skola = client.get("/api/v1/skolor", headers=tokens.headers("admin2")).json()["data"][0]
    foreign = client.post(
        URL,
        json={"namn": "Fel kommun", "skolor": [grann_skola["id"]]},
        headers=tokens.headers("admin"),
    )
    assert foreign.status_code == 422
