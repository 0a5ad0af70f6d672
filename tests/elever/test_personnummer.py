from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.elever.personnummer import (
    IdentitetsTyp,
    OgiltigtPersonnummer,
    parse,
    parse_from_source,
    typ_av,
)
from tests.factories import EKBACKEN, personnummer, skola_id
from tests.helpers import Tokens

IDAG = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "nummer"),
    [
        ("201601051004", "201601051004"),
        ("20160105-1004", "201601051004"),
        ("1601051004", "201601051004"),
        ("160105-1004", "201601051004"),
        (" 160105-1004 ", "201601051004"),
        ("201202291231", "201202291231"),  # leap day
        ("121212+1212", "191212121212"),  # + : 100 years or older
        ("191212121212", "191212121212"),
        ("19121212+1212", "191212121212"),
    ],
)
def test_valid_numbers_are_stored_as_twelve_digits(text: str, nummer: str) -> None:
    identitet = parse(text, idag=IDAG)
    assert identitet.nummer == nummer
    assert identitet.typ is IdentitetsTyp.personnummer


def test_samordningsnummer_is_accepted_and_flagged() -> None:
    identitet = parse("201601651233", idag=IDAG)
    assert identitet.typ is IdentitetsTyp.samordningsnummer
    assert typ_av(identitet.nummer) is IdentitetsTyp.samordningsnummer


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("201601051005", "Kontrollsiffran stämmer inte eller datumet finns inte."),
        ("201302291230", "Kontrollsiffran stämmer inte eller datumet finns inte."),  # no leap day
        ("201613011236", "Kontrollsiffran stämmer inte eller datumet finns inte."),  # month 13
        ("201601321233", "Kontrollsiffran stämmer inte eller datumet finns inte."),  # day 32
        ("20160105ABCD", "Ska vara 10 eller 12 siffror"),
        ("2016O1051004", "Ska vara 10 eller 12 siffror"),
        ("2016010510041", "Ska vara 10 eller 12 siffror"),
        ("160105100", "Ska vara 10 eller 12 siffror"),
        ("160105/1004", "Ska vara 10 eller 12 siffror"),
        ("", "Ska vara 10 eller 12 siffror"),
        ("２０１６０１０５１００４", "Ska vara 10 eller 12 siffror"),  # fullwidth digits
        ("٢٠١٦٠١٠٥١٠٠٤", "Ska vara 10 eller 12 siffror"),  # Arabic-Indic digits
        (personnummer(date(2027, 1, 1), 123), "Födelsedatumet ligger i framtiden."),
    ],
)
def test_invalid_numbers_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(OgiltigtPersonnummer, match=message):
        parse(text, idag=IDAG)


def test_a_temporary_number_is_accepted_only_from_source_systems() -> None:
    with pytest.raises(OgiltigtPersonnummer):
        parse("20130101TF01", idag=IDAG)
    identitet = parse_from_source("20130101tf01", idag=IDAG)
    assert identitet == parse_from_source("20130101TF01", idag=IDAG)
    assert identitet.nummer == "20130101TF01"
    assert identitet.typ is IdentitetsTyp.tillfalligt
    assert typ_av(identitet.nummer) is IdentitetsTyp.tillfalligt
    with pytest.raises(OgiltigtPersonnummer):
        parse_from_source("20131301TF01", idag=IDAG)
    with pytest.raises(OgiltigtPersonnummer):
        parse_from_source("２０１３０１０１TF０１", idag=IDAG)


@pytest.mark.parametrize(
    "text",
    ["201601051005", "201302291230", "20160105ABCD", "2016010510041", "160105100", "12"],
)
def test_the_api_answers_422_naming_the_field_without_echoing_the_number(
    client: TestClient, tokens: Tokens, db: Session, text: str
) -> None:
    body: dict[str, Any] = {
        "personnummer": text,
        "fornamn": "A",
        "efternamn": "B",
        "skola_id": str(skola_id(db, EKBACKEN)),
        "arskurs": "5",
    }
    response = client.post("/api/v1/elever", json=body, headers=tokens.headers("kurator"))

    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["plats"] for error in problem["errors"]] == ["body.personnummer"]
    assert problem["errors"][0]["meddelande"]
    assert text not in response.text
