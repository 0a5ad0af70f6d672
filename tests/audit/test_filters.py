import pytest
from fastapi.testclient import TestClient

from app.kit.pagination import encode_cursor
from tests.helpers import Tokens

URL = "/api/v1/audit"


@pytest.mark.parametrize("value", ["0.5", "1700000000", "2026-01-01", "idag"])
def test_time_filters_take_rfc3339_timestamps_only(
    client: TestClient, tokens: Tokens, value: str
) -> None:
    response = client.get(URL, params={"till": value}, headers=tokens.headers("granskare"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"plats": "query.till", "meddelande": "Ska vara en tidpunkt enligt RFC 3339."}
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [("fran", "0001-01-01T00:00:00+01:00"), ("till", "9999-12-31T23:59:59-14:00")],
)
def test_a_time_outside_the_years_kept_is_a_422_not_an_overflow(
    client: TestClient, tokens: Tokens, name: str, value: str
) -> None:
    response = client.get(URL, params={name: value}, headers=tokens.headers("granskare"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"plats": f"query.{name}", "meddelande": "Ska ligga mellan år 1900 och 2100."}
    ]


def test_a_timestamp_without_offset_is_refused(client: TestClient, tokens: Tokens) -> None:
    response = client.get(
        URL, params={"fran": "2026-01-01T00:00:00"}, headers=tokens.headers("granskare")
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"plats": "query.fran", "meddelande": "Tidpunkten ska ha tidszon."}
    ]


def test_time_filters_bound_the_rows(client: TestClient, tokens: Tokens) -> None:
    granskare = tokens.headers("granskare")
    since_2000 = client.get(URL, params={"fran": "2000-01-01T00:00:00+01:00"}, headers=granskare)
    before_2000 = client.get(URL, params={"till": "2000-01-01T00:00:00Z"}, headers=granskare)
    assert since_2000.status_code == before_2000.status_code == 200
    assert since_2000.json()["data"]
    assert before_2000.json()["data"] == []


@pytest.mark.parametrize("position", [[10**30], [2**63], ["1"], [True]])
def test_a_cursor_that_is_no_row_number_is_a_422(
    client: TestClient, tokens: Tokens, position: list[object]
) -> None:
    response = client.get(
        URL, params={"cursor": encode_cursor(position)}, headers=tokens.headers("granskare")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == "query.cursor"
