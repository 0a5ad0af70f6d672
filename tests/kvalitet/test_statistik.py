"""The statistics on the hand-built kommun of tests/kvalitet/conftest.py, whose values are
known; suppression at four and five pupils; scope, audit and the absence seam."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.arenden.enums import Avslutsorsak, Fas
from app.audit.chain import Atgard, Utfall
from app.skolor.models import Skola
from tests.factories import ASEN, EKBACKEN, GRANNBYN, skola_id
from tests.helpers import Tokens, audit_since, last_audit_id
from tests.kvalitet.data import AR_2025, STATISTIK, Bygge, varden


def _statistik(client: TestClient, tokens: Tokens, konto: str, **params: str) -> dict[str, Any]:
    response = client.get(STATISTIK, params={**AR_2025, **params}, headers=tokens.headers(konto))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _alla_null_utom(
    figur: dict[tuple[str, str], object], kanda: dict[tuple[str, str], object]
) -> None:
    assert {k: v for k, v in figur.items() if v is not None} == kanda


def test_the_kommun_wide_figures_have_the_known_values(
    client: TestClient, tokens: Tokens, kommunen: Bygge
) -> None:
    svar = _statistik(client, tokens, "styrgrupp")

    assert (svar["skola_id"], svar["skolor"], svar["minsta_antal_elever"]) == (None, None, 5)
    _alla_null_utom(
        varden(svar, "arenden_per_fas"),
        {("avslutat", "antal"): 11, ("genomforande", "antal"): 5},
    )
    _alla_null_utom(
        varden(svar, "arenden_i_perioden"),
        {("nya", "antal"): 11, ("beviljade", "antal"): 11, ("avslutade", "antal"): 11},
    )
    ledtider = varden(svar, "ledtider")
    assert ledtider[("beredning", "median_dagar")] == 6
    assert ledtider[("beredning", "p90_dagar")] == 10
    assert ledtider[("genomforande", "median_dagar")] == 42
    assert ledtider[("genomforande", "p90_dagar")] == 60
    assert ledtider[("ansokan_till_avslut", "median_dagar")] == 55
    assert ledtider[("ansokan_till_avslut", "p90_dagar")] == 75
    for fas in ("ansokan", "uppstart", "kartlaggning", "ansvarsplanering", "uppfoljning"):
        assert ledtider[(fas, "median_dagar")] == ledtider[(fas, "p90_dagar")] == 1
    _alla_null_utom(varden(svar, "insatser_per_typ"), {("motiverande_samtal", "antal"): 11})
    _alla_null_utom(varden(svar, "avslutsorsaker"), {("behov_upphort", "antal"): 10})
    _alla_null_utom(varden(svar, "malbedomningar"), {("uppnatt", "antal"): 11})
    assert varden(svar, "orosanmalningar") == {("antal", "antal"): 5}
    assert varden(svar, "avvikelser_per_status") == {
        ("registrerad", "antal"): 3,
        ("rapporterad_bus", "antal"): 0,
        ("besvarad", "antal"): 0,
        ("avslutad", "antal"): 1,
    }


def test_a_principal_sees_their_school_with_interpolated_percentiles(
    client: TestClient, tokens: Tokens, db: Session, kommunen: Bygge
) -> None:
    svar = _statistik(client, tokens, "rektor")

    ekbacken = str(skola_id(db, EKBACKEN))
    assert (svar["skola_id"], svar["skolor"]) == (None, [ekbacken])
    ledtider = varden(svar, "ledtider")
    assert ledtider[("beredning", "median_dagar")] == 3.5
    assert ledtider[("beredning", "p90_dagar")] == 5.5
    assert ledtider[("genomforande", "median_dagar")] == 46.5
    assert ledtider[("genomforande", "p90_dagar")] == 124.5
    assert ledtider[("ansokan_till_avslut", "median_dagar")] == 55
    assert ledtider[("ansokan_till_avslut", "p90_dagar")] == 135
    _alla_null_utom(varden(svar, "arenden_per_fas"), {("avslutat", "antal"): 6})
    _alla_null_utom(
        varden(svar, "arenden_i_perioden"),
        {("nya", "antal"): 6, ("beviljade", "antal"): 6, ("avslutade", "antal"): 6},
    )
    _alla_null_utom(varden(svar, "avslutsorsaker"), {("behov_upphort", "antal"): 5})
    _alla_null_utom(varden(svar, "insatser_per_typ"), {("motiverande_samtal", "antal"): 6})
    _alla_null_utom(varden(svar, "malbedomningar"), {("uppnatt", "antal"): 6})
    assert varden(svar, "avvikelser_per_status")[("registrerad", "antal")] == 3
    assert varden(svar, "avvikelser_per_status")[("avslutad", "antal")] == 0


def test_a_school_value_that_would_give_away_another_schools_is_withheld(
    client: TestClient, tokens: Tokens, db: Session, kommunen: Bygge
) -> None:
    """Five reports at E and none at A: the kommun shows 5, so showing E's 5 would reveal A's
    withheld 0–4 by subtraction; likewise A's five open cases in genomforande."""
    kommun = _statistik(client, tokens, "styrgrupp")
    ekbacken = _statistik(client, tokens, "styrgrupp", skola=str(skola_id(db, EKBACKEN)))
    asen = _statistik(client, tokens, "styrgrupp", skola=str(skola_id(db, ASEN)))

    assert varden(kommun, "orosanmalningar") == {("antal", "antal"): 5}
    for skola in (ekbacken, asen):
        [varde] = skola["orosanmalningar"]["varden"]
        assert varde == {"grupp": "antal", "matt": "antal", "varde": None, "saknas": "undertryckt"}
    assert varden(kommun, "arenden_per_fas")[("genomforande", "antal")] == 5
    assert varden(asen, "arenden_per_fas")[("genomforande", "antal")] is None
    assert varden(asen, "arenden_per_fas")[("avslutat", "antal")] == 5
    assert varden(asen, "arenden_i_perioden")[("nya", "antal")] == 5


def test_a_figure_on_four_pupils_is_withheld_and_on_five_shown(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    bygge = Bygge(db)
    elever = [bygge.elev(EKBACKEN) for _ in range(4)]
    for elev in elever:
        bygge.arende(elev, EKBACKEN, [(Fas.ansokan, date(2025, 3, 1))])

    def nya() -> dict[str, Any]:
        svar = _statistik(client, tokens, "styrgrupp")
        return next(v for v in svar["arenden_i_perioden"]["varden"] if v["grupp"] == "nya")

    assert nya() == {"grupp": "nya", "matt": "antal", "varde": None, "saknas": "undertryckt"}
    bygge.arende(
        elever[0],
        EKBACKEN,
        [(Fas.ansokan, date(2025, 1, 10)), (Fas.avslutat, date(2025, 1, 20))],
        avslutsorsak=Avslutsorsak.tackar_nej,
    )
    assert nya()["varde"] is None, "five applications, but from four pupils"

    bygge.arende(bygge.elev(EKBACKEN), EKBACKEN, [(Fas.ansokan, date(2025, 4, 1))])
    assert nya() == {"grupp": "nya", "matt": "antal", "varde": 6, "saknas": None}


def test_absence_figures_are_missing_until_absence_data_exists(
    client: TestClient, tokens: Tokens, kommunen: Bygge
) -> None:
    svar = _statistik(client, tokens, "styrgrupp")

    for figur in ("elever_per_narvaroniva", "franvaroforandring"):
        block = svar[figur]
        assert isinstance(block, dict)
        assert block["varden"]
        assert all(
            v["varde"] is None and v["saknas"] == "ingen_franvarodata" for v in block["varden"]
        )
    assert [v["grupp"] for v in svar["elever_per_narvaroniva"]["varden"]] == [
        "gron",
        "gul",
        "orange",
    ]


def test_a_principal_asking_for_another_school_gets_404_and_a_denied_row(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    asen = skola_id(db, ASEN)
    before = last_audit_id(db)

    response = client.get(STATISTIK, params={"skola": str(asen)}, headers=tokens.headers("rektor"))

    assert response.status_code == 404
    [denied] = audit_since(db, before)
    assert (denied.utfall, denied.resurs_typ, denied.resurs_id) == (
        Utfall.denied,
        "skola",
        str(asen),
    )


def test_a_school_of_another_kommun_is_404_for_the_steering_group(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    response = client.get(
        STATISTIK,
        params={"skola": str(skola_id(db, GRANNBYN))},
        headers=tokens.headers("styrgrupp"),
    )
    assert response.status_code == 404


def test_another_kommun_counts_nothing_of_this_one(
    client: TestClient, tokens: Tokens, db: Session, kommunen: Bygge
) -> None:
    grann_admin = _statistik(client, tokens, "admin2")
    demo_admin = _statistik(client, tokens, "admin")

    assert varden(demo_admin, "arenden_i_perioden")[("nya", "antal")] == 11
    assert all(v is None for v in varden(grann_admin, "arenden_per_fas").values())
    assert all(v == 0 for v in varden(grann_admin, "avvikelser_per_status").values())


def test_a_principal_of_two_schools_sees_their_sum(
    client: TestClient, tokens: Tokens, db: Session, kommunen: Bygge
) -> None:
    rektor = kommunen.anvandare("rektor")
    asen = db.get(Skola, skola_id(db, ASEN))
    assert asen is not None
    rektor.skolor.append(asen)
    db.flush()

    svar = _statistik(client, tokens, "rektor")

    assert sorted(svar["skolor"]) == sorted([str(skola_id(db, EKBACKEN)), str(skola_id(db, ASEN))])
    assert varden(svar, "arenden_i_perioden")[("nya", "antal")] == 11
    assert varden(svar, "ledtider")[("beredning", "median_dagar")] == 6


def test_each_call_is_audited_without_a_pupil(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    before = last_audit_id(db)
    _statistik(client, tokens, "styrgrupp")
    client.get(STATISTIK, headers={**tokens.headers("admin"), "Accept": "text/csv"})

    rows = audit_since(db, before)
    assert [(r.atgard, r.resurs_typ, r.elev_id, r.rattslig_grund, r.utfall) for r in rows] == [
        (Atgard.read, "kvalitetsstatistik", None, "kvalitetsuppfoljning", Utfall.allowed),
        (Atgard.export, "kvalitetsstatistik", None, "kvalitetsuppfoljning", Utfall.allowed),
    ]


def test_the_period_defaults_to_the_school_year_and_must_be_in_order(
    client: TestClient, tokens: Tokens
) -> None:
    ok = client.get(STATISTIK, params={"till": "2026-03-15"}, headers=tokens.headers("admin"))
    assert (ok.json()["fran"], ok.json()["till"]) == ("2025-07-01", "2026-03-15")
    reversed_ = client.get(
        STATISTIK,
        params={"fran": "2026-02-01", "till": "2026-01-31"},
        headers=tokens.headers("admin"),
    )
    assert reversed_.status_code == 422
    assert reversed_.json()["errors"] == [
        {"plats": "query.fran", "meddelande": "Ligger efter till."}
    ]


@pytest.mark.parametrize("konto", ["kurator", "team-skola", "team-soc", "granskare", "kurator2"])
def test_roles_outside_the_steering_group_principal_and_administrator_get_403(
    konto: str, client: TestClient, tokens: Tokens
) -> None:
    assert client.get(STATISTIK, headers=tokens.headers(konto)).status_code == 403


@pytest.mark.parametrize(
    ("params", "plats"),
    [({"fran": "0001-01-01"}, "query.fran"), ({"till": "9999-12-31"}, "query.till")],
)
def test_dates_outside_any_school_year_are_422_not_a_server_error(
    params: dict[str, str], plats: str, client: TestClient, tokens: Tokens
) -> None:
    response = client.get(STATISTIK, params=params, headers=tokens.headers("styrgrupp"))
    assert response.status_code == 422
    assert [fel["plats"] for fel in response.json()["errors"]] == [plats]
