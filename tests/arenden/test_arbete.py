"""The team's work in a case: meetings, mapping, the versioned plan, interventions and
follow-ups — who writes them, in which phases, and what is checked."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.time import today
from tests.arenden.flode import (
    TEAM,
    Fall,
    fall_i_fas,
    hamta,
    komplett_plan,
    ny_uppfoljning,
    nytt_fall,
    nytt_mote,
    skolmote,
    spara_plan,
)
from tests.helpers import Tokens

SKOLA = ("kurator", "rektor")


def _post(client: TestClient, tokens: Tokens, url: str, body: Any, konto: str = TEAM) -> Any:
    return client.post(url, json=body, headers=tokens.headers(konto))


# --- meetings --------------------------------------------------------------------------------


def test_meetings_are_recorded_by_the_team_and_read_by_the_school(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    planned = {
        "typ": "ansvarsplanering",
        "datum": (today() + timedelta(days=7)).isoformat(),
        "plats": "Ekbackens skola, rum 12",
        "deltagare": [{"namn": "Rut Rektor", "roll": "skolledning", "beskrivning": "Rektor"}],
        "dagordning": "Kartläggningen redovisas; ansvarsplan.",
    }
    for konto in SKOLA:
        assert _post(client, tokens, f"{fall.url}/moten", planned, konto).status_code == 403

    created = _post(client, tokens, f"{fall.url}/moten", planned)

    assert created.status_code == 201
    mote = created.json()
    assert (mote["hallet"], mote["minnesanteckningar"], mote["version"]) == (False, None, 1)
    assert created.headers["ETag"] == '"1"'
    listed = client.get(f"{fall.url}/moten", headers=tokens.headers("kurator")).json()["data"]
    assert [row["id"] for row in listed] == [mote["id"]]
    assert listed[0]["deltagare"] == [
        {
            "namn": "Rut Rektor",
            "roll": "skolledning",
            "beskrivning": "Rektor",
            "kontaktperson": False,
        }
    ]


@pytest.mark.parametrize(
    ("change", "plats"),
    [
        ({"minnesanteckningar": "Före mötet"}, "body.minnesanteckningar"),
        (
            {
                "typ": "ovrigt",
                "deltagare": [{"namn": "A", "roll": "mentor", "kontaktperson": True}],
            },
            "body",
        ),
        ({"deltagare": [{"namn": "A", "roll": "vardnadshavare", "kontaktperson": True}]}, "body"),
        (
            {
                "deltagare": [
                    {"namn": "A", "roll": "mentor", "kontaktperson": True},
                    {"namn": "B", "roll": "elevhalsa", "kontaktperson": True},
                ]
            },
            "body",
        ),
        ({"typ": "fika"}, "body.typ"),
    ],
)
def test_minutes_follow_the_meeting_and_the_contact_person_is_one_of_the_schools_people(
    client: TestClient, tokens: Tokens, db: Session, change: dict[str, Any], plats: str
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    body = {
        "typ": "uppstart_skola",
        "datum": (today() + timedelta(days=2)).isoformat(),
        "deltagare": [],
        **change,
    }
    response = _post(client, tokens, f"{fall.url}/moten", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == plats


def test_meetings_belong_to_the_teams_work_after_approval(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "beredning")
    response = _post(client, tokens, f"{fall.url}/moten", skolmote(today()))
    assert response.status_code == 409
    assert "uppstart" in response.json()["detail"]


def test_a_meeting_of_another_case_is_not_found(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    first = fall_i_fas(client, tokens, db, "uppstart")
    second = fall_i_fas(client, tokens, db, "uppstart")
    mote = nytt_mote(client, tokens, first, skolmote(today()))
    response = client.patch(
        f"{second.url}/moten/{mote['id']}",
        json={"plats": "Annat"},
        headers={**tokens.headers(TEAM), "If-Match": '"1"'},
    )
    assert response.status_code == 404


# --- mapping --------------------------------------------------------------------------------


def test_the_mapping_is_created_with_if_match_0_and_then_replaced(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "kartlaggning")
    url = f"{fall.url}/kartlaggning"
    empty = client.get(url, headers=tokens.headers("kurator"))
    assert (empty.headers["ETag"], empty.json()["dokumenterad"]) == ('"0"', False)
    team = tokens.headers(TEAM)

    first = client.put(url, json={"bakgrund": "Utkast"}, headers={**team, "If-Match": '"0"'})
    assert (first.status_code, first.json()["version"], first.json()["dokumenterad"]) == (
        200,
        1,
        False,
    )
    second = client.put(
        url, json={"sammanfattning": "Klar"}, headers={**team, "If-Match": first.headers["ETag"]}
    )
    assert second.json() | {"andrad": None} == client.get(url, headers=team).json() | {
        "andrad": None
    }
    assert (second.json()["bakgrund"], second.json()["dokumenterad"]) == (None, True)
    for konto in SKOLA:
        refused = client.put(
            url, json={}, headers={**tokens.headers(konto), "If-Match": second.headers["ETag"]}
        )
        assert refused.status_code == 403


def test_the_mapping_waits_for_the_start_up_meetings(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    response = client.put(
        f"{fall.url}/kartlaggning",
        json={"sammanfattning": "För tidigt"},
        headers={**tokens.headers(TEAM), "If-Match": '"0"'},
    )
    assert response.status_code == 409


# --- the plan -------------------------------------------------------------------------------


def test_a_revision_keeps_every_earlier_version_readable(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "ansvarsplanering")
    url = f"{fall.url}/ansvarsplan"
    none_yet = client.get(url, headers=tokens.headers("rektor"))
    assert (none_yet.headers["ETag"], none_yet.json()["version"]) == ('"0"', 0)

    assert spara_plan(client, tokens, fall, komplett_plan()).status_code == 200
    first = fall.plan
    revised = komplett_plan()
    revised["mal"][0]["id"] = first["mal"][0]["id"]
    revised["mal"].append({"beskrivning": "Eleven deltar i en fritidsaktivitet."})
    assert spara_plan(client, tokens, fall, revised).status_code == 200

    latest = client.get(url, headers=tokens.headers("kurator"))
    assert (latest.json()["version"], latest.json()["senaste_version"]) == (2, 2)
    assert latest.headers["ETag"] == '"2"'
    assert latest.json()["mal"][0]["id"] == first["mal"][0]["id"]
    assert latest.json()["komplett"] is False
    old = client.get(url, headers=tokens.headers("kurator"), params={"version": 1}).json()
    assert old | {"senaste_version": 1} == first
    assert client.get(url, headers=tokens.headers(TEAM), params={"version": 3}).status_code == 404
    versions = client.get(f"{url}/versioner", headers=tokens.headers("kurator")).json()["data"]
    assert [(v["version"], v["skapad_av_namn"]) for v in versions] == [
        (1, "Tove Team"),
        (2, "Tove Team"),
    ]


def test_a_goal_id_must_come_from_the_previous_version(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "ansvarsplanering")
    body = komplett_plan()
    body["mal"][0]["id"] = "0190f2b6-0000-7000-8000-000000000000"
    response = spara_plan(client, tokens, fall, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == "body.mal.0.id"


def test_a_plan_being_carried_out_stays_complete(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "genomforande")
    incomplete = komplett_plan()
    incomplete["uppfoljningsdatum"] = []
    response = spara_plan(client, tokens, fall, incomplete)
    assert response.status_code == 409
    assert [e["plats"] for e in response.json()["errors"]] == ["ansvarsplan.uppfoljningsdatum"]
    assert (
        client.get(f"{fall.url}/ansvarsplan", headers=tokens.headers(TEAM)).json()["version"] == 1
    )


# --- interventions ------------------------------------------------------------------------


def test_interventions_are_recorded_and_closed_with_an_end_date(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "genomforande")
    url = f"{fall.url}/insatser"
    body = {
        "insatstyp": "stod_organisera_fritid_skolarbete",
        "ansvarig": "skolsocialt_team",
        "ansvarig_namn": "Tove Team",
        "startdatum": today().isoformat(),
    }
    for konto in SKOLA:
        assert _post(client, tokens, url, body, konto).status_code == 403
    created = _post(client, tokens, url, body)
    assert created.status_code == 201
    insats = created.json()
    assert insats["status"] == "planerad"
    item = f"{url}/{insats['id']}"
    team = {**tokens.headers(TEAM), "If-Match": created.headers["ETag"]}

    no_end = client.patch(item, json={"status": "avslutad"}, headers=team)
    assert no_end.status_code == 422
    before_start = client.patch(
        item, json={"slutdatum": (today() - timedelta(days=1)).isoformat()}, headers=team
    )
    assert before_start.status_code == 422
    done = client.patch(
        item, json={"status": "avslutad", "slutdatum": today().isoformat()}, headers=team
    )
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["version"]) == ("avslutad", 2)
    listed = client.get(url, headers=tokens.headers("rektor")).json()["data"]
    assert [(row["id"], row["status"]) for row in listed] == [(insats["id"], "avslutad")]


@pytest.mark.parametrize("insatstyp", ["stodsamtal", ""])
def test_intervention_types_are_those_of_the_regulation(
    client: TestClient, tokens: Tokens, db: Session, insatstyp: str
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    body = {"insatstyp": insatstyp, "ansvarig": "skola", "startdatum": today().isoformat()}
    response = _post(client, tokens, f"{fall.url}/insatser", body)
    assert response.status_code == 422


# --- follow-ups -----------------------------------------------------------------------------


def _follow_up(client: TestClient, tokens: Tokens, fall: Fall, resultat: list[Any]) -> Any:
    body = {"datum": today().isoformat(), "resultat": resultat}
    return _post(client, tokens, f"{fall.url}/uppfoljningar", body)


def test_a_follow_up_evaluates_every_goal_of_the_plan_once(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "genomforande")
    goal = fall.plan["mal"][0]["id"]

    assert _follow_up(client, tokens, fall, []).status_code == 422
    unknown = _follow_up(
        client,
        tokens,
        fall,
        [
            {"mal_id": goal, "resultat": "uppnatt"},
            {"mal_id": "0190f2b6-0000-7000-8000-000000000000", "resultat": "uppnatt"},
        ],
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["plats"] == "body.resultat.1.mal_id"
    twice = _follow_up(
        client,
        tokens,
        fall,
        [{"mal_id": goal, "resultat": "uppnatt"}, {"mal_id": goal, "resultat": "delvis"}],
    )
    assert twice.status_code == 422

    done = _follow_up(client, tokens, fall, [{"mal_id": goal, "resultat": "ej_uppnatt"}])
    assert done.status_code == 201
    result = done.json()
    assert result["resultat"][0]["beskrivning"] == fall.plan["mal"][0]["beskrivning"]
    assert (result["plan_version"], result["franvaro"]["period_till"]) == (1, today().isoformat())
    assert result["franvaro"]["andel_procent"] is None


def test_a_follow_up_is_registered_once_held_and_only_while_the_plan_is_carried_out(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "genomforande")
    goal = fall.plan["mal"][0]["id"]
    future = {
        "datum": (today() + timedelta(days=1)).isoformat(),
        "resultat": [{"mal_id": goal, "resultat": "uppnatt"}],
    }
    response = _post(client, tokens, f"{fall.url}/uppfoljningar", future)
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == "body.datum"

    early = fall_i_fas(client, tokens, db, "ansvarsplanering")
    assert spara_plan(client, tokens, early, komplett_plan()).status_code == 200
    before_implementation = _follow_up(
        client, tokens, early, [{"mal_id": early.plan["mal"][0]["id"], "resultat": "delvis"}]
    )
    assert before_implementation.status_code == 409


def test_each_follow_up_meets_the_next_planned_date(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    dates = [today() + timedelta(days=days) for days in (7, 21, 35)]
    fall = fall_i_fas(
        client, tokens, db, "genomforande", plan=komplett_plan(uppfoljningsdatum=dates)
    )
    seen = []
    for _ in dates:
        seen.append(ny_uppfoljning(client, tokens, fall)["avser_datum"])
    assert seen == [d.isoformat() for d in dates]
    assert hamta(client, tokens, fall)["nasta_forfallodatum"] is None
    extra = ny_uppfoljning(client, tokens, fall)
    assert extra["avser_datum"] is None
    listed = client.get(f"{fall.url}/uppfoljningar", headers=tokens.headers("kurator")).json()[
        "data"
    ]
    assert len(listed) == 4
    assert listed[1]["franvaro"]["period_fran"] == listed[0]["datum"]


def test_a_new_case_has_no_work_recorded(client: TestClient, tokens: Tokens, db: Session) -> None:
    fall = nytt_fall(client, tokens, db)
    for part in ("moten", "insatser", "uppfoljningar", "ansvarsplan/versioner"):
        response = client.get(f"{fall.url}/{part}", headers=tokens.headers("kurator"))
        assert response.json() == {"data": [], "nasta_cursor": None}, part
