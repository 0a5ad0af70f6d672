"""Quality goals (S 9): who sets and reads them, what a goal must hold, the outcome filled from
the statistics, analysis and improvement actions with If-Match, and an action carried into the
next period's goal with the link kept both ways."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.chain import Atgard
from tests.factories import ASEN, EKBACKEN, skola_id
from tests.helpers import Tokens, audit_since, last_audit_id
from tests.kvalitet.data import Bygge

MAL = "/api/v1/kvalitetsuppfoljning/mal"


def _skolmal(db: Session, **changes: Any) -> dict[str, Any]:
    return {
        "niva": "skola",
        "skola_id": str(skola_id(db, EKBACKEN)),
        "period_fran": "2025-01-01",
        "period_till": "2025-12-31",
        "mal": "Ärenden avslutas inom två månader från ansökan.",
        "indikator": "median_dagar_ansokan_till_avslut",
        "malvarde": 60,
        "riktning": "hogst",
        "forbattringsatgarder": ["Snabbare uppstartsmöten", "Tydligare ansökningar"],
        **changes,
    }


def _teammal(**changes: Any) -> dict[str, Any]:
    return {
        "niva": "team",
        "period_fran": "2025-01-01",
        "period_till": "2025-12-31",
        "mal": "Fler elever får stöd av teamet.",
        "indikator": "nya_arenden",
        "malvarde": 10,
        "riktning": "minst",
        **changes,
    }


def _ny(client: TestClient, tokens: Tokens, konto: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(MAL, json=body, headers=tokens.headers(konto))
    assert response.status_code == 201, response.text
    mal: dict[str, Any] = response.json()
    return mal


def _listed(client: TestClient, tokens: Tokens, konto: str) -> set[str]:
    response = client.get(MAL, headers=tokens.headers(konto))
    assert response.status_code == 200, response.text
    return {row["id"] for row in response.json()["data"]}


def _patch(client: TestClient, tokens: Tokens, mal: dict[str, Any], konto: str, **body: Any) -> Any:
    headers = {**tokens.headers(konto), "If-Match": f'"{mal["version"]}"'}
    return client.patch(f"{MAL}/{mal['id']}", json=body, headers=headers)


def test_the_principal_sets_the_schools_goals_and_school_and_steering_group_read_them(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    before = last_audit_id(db)
    mal = _ny(client, tokens, "rektor", _skolmal(db))

    assert [a["beskrivning"] for a in mal["forbattringsatgarder"]] == [
        "Snabbare uppstartsmöten",
        "Tydligare ansökningar",
    ]
    assert (mal["utfall"], mal["uppfyllt"], mal["harleds_fran"]) == (None, None, None)
    [row] = audit_since(db, before)
    assert (row.atgard, row.resurs_typ, row.resurs_id, row.elev_id) == (
        Atgard.create,
        "kvalitetsmal",
        mal["id"],
        None,
    )
    for konto in ("rektor", "kurator", "styrgrupp"):
        assert mal["id"] in _listed(client, tokens, konto)
        assert client.get(f"{MAL}/{mal['id']}", headers=tokens.headers(konto)).status_code == 200
    for konto in ("team-skola", "kurator2"):
        assert mal["id"] not in _listed(client, tokens, konto)
        assert client.get(f"{MAL}/{mal['id']}", headers=tokens.headers(konto)).status_code == 404
    assert client.get(MAL, headers=tokens.headers("admin")).status_code == 403


def test_the_steering_group_sets_the_teams_goals_which_the_team_reads(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    mal = _ny(client, tokens, "styrgrupp", _teammal())

    assert mal["id"] in _listed(client, tokens, "team-soc")
    assert mal["id"] in _listed(client, tokens, "styrgrupp")
    assert mal["id"] not in _listed(client, tokens, "rektor")
    assert client.post(MAL, json=_teammal(), headers=tokens.headers("rektor")).status_code == 403
    assert (
        client.post(MAL, json=_teammal(), headers=tokens.headers("team-skola")).status_code == 403
    )


def test_each_writes_only_their_own_level(client: TestClient, tokens: Tokens, db: Session) -> None:
    skolans = _ny(client, tokens, "rektor", _skolmal(db))
    asen = _skolmal(db, skola_id=str(skola_id(db, ASEN)))

    assert client.post(MAL, json=asen, headers=tokens.headers("rektor")).status_code == 403
    assert (
        client.post(MAL, json=_skolmal(db), headers=tokens.headers("styrgrupp")).status_code == 403
    )
    assert _patch(client, tokens, skolans, "styrgrupp", analys="Bra.").status_code == 403
    assert _patch(client, tokens, skolans, "kurator", analys="Bra.").status_code == 403


@pytest.mark.parametrize(
    ("changes", "plats"),
    [
        ({"indikator": "manuell"}, "body.indikator_beskrivning"),
        ({"riktning": None}, "body.riktning"),
        ({"utfall": 12}, "body.utfall"),
        ({"skola_id": None}, "body.skola_id"),
        ({"period_fran": "2026-01-01"}, "body.period_till"),
    ],
)
def test_a_goal_that_is_not_complete_is_422(
    changes: dict[str, Any], plats: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    response = client.post(MAL, json=_skolmal(db, **changes), headers=tokens.headers("rektor"))
    assert response.status_code == 422
    assert plats in [fel["plats"] for fel in response.json()["errors"]]


def test_a_team_goal_names_no_school(client: TestClient, tokens: Tokens, db: Session) -> None:
    body = _teammal(skola_id=str(skola_id(db, EKBACKEN)))
    response = client.post(MAL, json=body, headers=tokens.headers("styrgrupp"))
    assert response.status_code == 422


def _utfall(client: TestClient, tokens: Tokens, mal: dict[str, Any], konto: str) -> dict[str, Any]:
    response = client.post(f"{MAL}/{mal['id']}/utfall", headers=tokens.headers(konto))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_outcome_of_a_computed_indicator_comes_from_the_statistics(
    client: TestClient, tokens: Tokens, db: Session, kommunen: Bygge
) -> None:
    skolans = _utfall(client, tokens, _ny(client, tokens, "rektor", _skolmal(db)), "rektor")
    teamets = _utfall(client, tokens, _ny(client, tokens, "styrgrupp", _teammal()), "styrgrupp")

    assert (skolans["utfall"], skolans["utfall_kalla"], skolans["uppfyllt"]) == (
        55.0,
        "statistik",
        True,
    )
    assert skolans["utfall_beraknat"] is not None
    assert (teamets["utfall"], teamets["uppfyllt"]) == (11.0, True)


@pytest.mark.parametrize(
    ("indikator", "saknas"),
    [("orosanmalningar", "undertryckt"), ("median_franvaroforandring", "ingen_franvarodata")],
)
def test_an_outcome_the_statistics_withhold_stays_null_with_the_reason(
    indikator: str, saknas: str, client: TestClient, tokens: Tokens, db: Session, kommunen: Bygge
) -> None:
    mal = _ny(client, tokens, "rektor", _skolmal(db, indikator=indikator))
    outcome = _utfall(client, tokens, mal, "rektor")
    assert (outcome["utfall"], outcome["utfall_saknas"], outcome["uppfyllt"]) == (
        None,
        saknas,
        None,
    )


def test_a_manual_indicator_takes_its_outcome_by_hand(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    body = _skolmal(db, indikator="manuell", indikator_beskrivning="Elevenkät: trygghet, %")
    mal = _ny(client, tokens, "rektor", {**body, "malvarde": 80, "riktning": "minst"})
    refused = client.post(f"{MAL}/{mal['id']}/utfall", headers=tokens.headers("rektor"))
    assert refused.status_code == 409

    updated = _patch(client, tokens, mal, "rektor", utfall=76.5, analys="Nära målet.")
    assert updated.status_code == 200
    assert (
        updated.json()["utfall"],
        updated.json()["utfall_kalla"],
        updated.json()["uppfyllt"],
    ) == (
        76.5,
        "manuell",
        False,
    )


def test_analysis_and_actions_change_with_if_match_keeping_action_ids(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    mal = _ny(client, tokens, "rektor", _skolmal(db))
    first, second = mal["forbattringsatgarder"]

    missing = client.patch(
        f"{MAL}/{mal['id']}", json={"analys": "x"}, headers=tokens.headers("rektor")
    )
    assert missing.status_code == 428
    response = _patch(
        client,
        tokens,
        mal,
        "rektor",
        analys="Uppstarten tar för lång tid.",
        forbattringsatgarder=[
            {"beskrivning": "Ny rutin för kallelser"},
            {"id": first["id"], "beskrivning": "Uppstartsmöten inom en vecka"},
        ],
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["analys"] == "Uppstarten tar för lång tid."
    assert [(a["beskrivning"]) for a in updated["forbattringsatgarder"]] == [
        "Ny rutin för kallelser",
        "Uppstartsmöten inom en vecka",
    ]
    assert updated["forbattringsatgarder"][1]["id"] == first["id"]
    assert second["id"] not in {a["id"] for a in updated["forbattringsatgarder"]}
    assert _patch(client, tokens, mal, "rektor", analys="y").status_code == 412


def test_an_action_becomes_the_next_periods_goal_once_and_the_link_is_kept(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    mal = _ny(client, tokens, "rektor", _skolmal(db))
    atgard = mal["forbattringsatgarder"][0]
    url = f"{MAL}/{mal['id']}/forbattringsatgarder/{atgard['id']}/nasta_mal"

    response = client.post(url, json={}, headers=tokens.headers("rektor"))

    assert response.status_code == 201, response.text
    nasta = response.json()
    assert (nasta["period_fran"], nasta["period_till"]) == ("2026-01-01", "2026-12-31")
    assert (nasta["mal"], nasta["niva"], nasta["skola_id"]) == (
        "Snabbare uppstartsmöten",
        "skola",
        mal["skola_id"],
    )
    assert (nasta["indikator"], nasta["malvarde"], nasta["riktning"]) == (
        "median_dagar_ansokan_till_avslut",
        60.0,
        "hogst",
    )
    assert nasta["harleds_fran"] == {
        "mal_id": mal["id"],
        "forbattringsatgard_id": atgard["id"],
        "beskrivning": "Snabbare uppstartsmöten",
    }
    kalla = client.get(f"{MAL}/{mal['id']}", headers=tokens.headers("rektor")).json()
    assert kalla["forbattringsatgarder"][0]["overford_till_mal_id"] == nasta["id"]
    assert client.post(url, json={}, headers=tokens.headers("rektor")).status_code == 409
    removed = _patch(client, tokens, kalla, "rektor", forbattringsatgarder=[])
    assert removed.status_code == 409


def test_the_next_periods_goal_starts_after_the_earlier_one(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    mal = _ny(client, tokens, "rektor", _skolmal(db))
    url = f"{MAL}/{mal['id']}/forbattringsatgarder/{mal['forbattringsatgarder'][1]['id']}/nasta_mal"
    early = client.post(url, json={"period_fran": "2025-12-31"}, headers=tokens.headers("rektor"))
    assert early.status_code == 422
    termin = client.post(
        url,
        json={"period_fran": "2026-01-10", "period_till": "2026-06-15", "mal": "Egen formulering."},
        headers=tokens.headers("rektor"),
    )
    assert termin.status_code == 201
    assert (termin.json()["period_till"], termin.json()["mal"]) == (
        "2026-06-15",
        "Egen formulering.",
    )
    assert client.post(url, json={}, headers=tokens.headers("styrgrupp")).status_code == 403


def test_periods_outside_any_school_year_are_422_not_a_server_error(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    far = client.post(
        MAL, json=_skolmal(db, period_till="9999-12-31"), headers=tokens.headers("rektor")
    )
    assert far.status_code == 422
    mal = _ny(client, tokens, "rektor", _skolmal(db))
    url = f"{MAL}/{mal['id']}/forbattringsatgarder/{mal['forbattringsatgarder'][0]['id']}/nasta_mal"
    carried = client.post(url, json={"period_fran": "9999-12-31"}, headers=tokens.headers("rektor"))
    assert carried.status_code == 422
    assert carried.json()["errors"][0]["plats"] == "body.period_fran"


def test_an_action_is_named_once_and_only_its_own_goals(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    mal = _ny(client, tokens, "rektor", _skolmal(db))
    annat = _ny(client, tokens, "rektor", _skolmal(db))
    egen = mal["forbattringsatgarder"][0]["id"]
    twice = [{"id": egen, "beskrivning": "a"}, {"id": egen, "beskrivning": "b"}]
    foreign = [{"id": annat["forbattringsatgarder"][0]["id"], "beskrivning": "c"}]

    for atgarder in (twice, foreign):
        response = _patch(client, tokens, mal, "rektor", forbattringsatgarder=atgarder)
        assert response.status_code == 422
    unchanged = client.get(f"{MAL}/{mal['id']}", headers=tokens.headers("rektor")).json()
    assert unchanged["forbattringsatgarder"] == mal["forbattringsatgarder"]
