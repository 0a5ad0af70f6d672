"""Overdue work (DOMAIN.md: Case workflow): start-up meetings not held within the configured
number of days after approval, and follow-ups past their planned date; and the list's other
filters and paging. Dates in the past come from the API where it takes them (a plan's follow-up
dates) and from the test's database otherwise (the approval date)."""

import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.arenden.models import Arende
from app.audit.chain import Atgard
from app.core.time import today
from tests.arenden.flode import (
    ARENDEN,
    Fall,
    anvandar_id,
    fall_i_fas,
    hall_uppstartsmoten,
    hamta,
    komplett_plan,
    ny_uppfoljning,
)
from tests.factories import ASEN, EKBACKEN, skola_id
from tests.helpers import Tokens, audit_since, last_audit_id


def _ids(client: TestClient, tokens: Tokens, konto: str = "team-skola", **params: Any) -> set[str]:
    query = {"limit": 500, **params}
    page = client.get(ARENDEN, headers=tokens.headers(konto), params=query)
    assert page.status_code == 200, page.text
    return {row["id"] for row in page.json()["data"]}


def _approved_days_ago(db: Session, fall: Fall, days: int) -> None:
    arende = db.get(Arende, uuid.UUID(fall.id))
    assert arende is not None
    arende.beviljat = today() - timedelta(days=days)
    db.flush()


def test_start_up_meetings_are_overdue_after_the_configured_days(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    late = fall_i_fas(client, tokens, db, "uppstart")
    on_time = fall_i_fas(client, tokens, db, "uppstart")
    _approved_days_ago(db, late, 11)
    _approved_days_ago(db, on_time, 10)

    overdue = _ids(client, tokens, forsenade="true")
    assert late.id in overdue
    assert on_time.id not in overdue
    assert on_time.id in _ids(client, tokens, forsenade="false")
    assert hamta(client, tokens, late)["nasta_forfallodatum"] == {
        "datum": (today() - timedelta(days=1)).isoformat(),
        "orsak": "uppstartsmoten",
        "beskrivning": "Uppstartsmötena med skolan och med elev och vårdnadshavare (T 7.3).",
        "forsenad": True,
    }
    assert hamta(client, tokens, on_time)["nasta_forfallodatum"]["forsenad"] is False

    hall_uppstartsmoten(client, tokens, late)
    assert late.id not in _ids(client, tokens, forsenade="true")
    assert hamta(client, tokens, late)["nasta_forfallodatum"] is None


def test_the_number_of_days_is_a_setting(
    app: FastAPI, client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    _approved_days_ago(db, fall, 4)
    assert fall.id not in _ids(client, tokens, forsenade="true")

    original = app.state.settings
    app.state.settings = original.model_copy(update={"uppstart_dagar": 3})
    try:
        assert fall.id in _ids(client, tokens, forsenade="true")
        due = hamta(client, tokens, fall)["nasta_forfallodatum"]
    finally:
        app.state.settings = original
    assert due["datum"] == (today() - timedelta(days=1)).isoformat()


def test_a_follow_up_past_its_planned_date_is_overdue_until_it_is_held(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    dates = [today() - timedelta(days=2), today() + timedelta(days=20)]
    fall = fall_i_fas(
        client, tokens, db, "genomforande", plan=komplett_plan(uppfoljningsdatum=dates)
    )
    assert fall.id in _ids(client, tokens, forsenade="true")
    assert fall.id in _ids(client, tokens, konto="kurator", forsenade="true")
    due = hamta(client, tokens, fall)["nasta_forfallodatum"]
    assert (due["datum"], due["orsak"], due["forsenad"]) == (
        dates[0].isoformat(),
        "uppfoljning",
        True,
    )

    ny_uppfoljning(client, tokens, fall)

    assert fall.id not in _ids(client, tokens, forsenade="true")
    due = hamta(client, tokens, fall)["nasta_forfallodatum"]
    assert (due["datum"], due["forsenad"]) == (dates[1].isoformat(), False)


def test_a_revised_plan_moves_the_next_follow_up(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "genomforande")
    assert fall.id not in _ids(client, tokens, forsenade="true")
    revised = komplett_plan(uppfoljningsdatum=[today() - timedelta(days=1)])
    revised["mal"][0]["id"] = fall.plan["mal"][0]["id"]
    url = f"{fall.url}/ansvarsplan"
    response = client.put(
        url, json=revised, headers={**tokens.headers("team-skola"), "If-Match": '"1"'}
    )
    assert response.status_code == 200
    assert fall.id in _ids(client, tokens, forsenade="true")


def test_cases_are_filtered_by_phase_school_and_handlaggare(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    by_soc = fall_i_fas(client, tokens, db, "uppstart", handlaggare="team-soc")
    by_team = fall_i_fas(client, tokens, db, "kartlaggning")
    soc = anvandar_id(client, tokens, "team-soc")

    assert by_soc.id in _ids(client, tokens, handlaggare=soc)
    assert by_team.id not in _ids(client, tokens, handlaggare=soc)
    assert by_team.id in _ids(client, tokens, fas="kartlaggning")
    assert by_soc.id not in _ids(client, tokens, fas="kartlaggning")
    assert {by_soc.id, by_team.id} <= _ids(client, tokens, skola=str(skola_id(db, EKBACKEN)))
    assert not {by_soc.id, by_team.id} & _ids(client, tokens, skola=str(skola_id(db, ASEN)))


def test_the_list_pages_with_a_cursor_and_audits_each_listed_case(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    made = {fall_i_fas(client, tokens, db, "beredning").id for _ in range(3)}
    seen: list[str] = []
    params: dict[str, Any] = {"fas": "beredning", "limit": 2}
    while True:
        before = last_audit_id(db)
        page = client.get(ARENDEN, headers=tokens.headers("rektor"), params=params).json()
        rows = audit_since(db, before)
        assert [(row.atgard, row.resurs_id, row.rattslig_grund) for row in rows] == [
            (Atgard.search, item["id"], "egen_skola") for item in page["data"]
        ]
        seen += [item["id"] for item in page["data"]]
        if page["nasta_cursor"] is None:
            break
        params["cursor"] = page["nasta_cursor"]
    assert made <= set(seen)
    assert len(seen) == len(set(seen))
