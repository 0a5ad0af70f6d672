"""Phase changes through HTTP: who may make them, what each gate asks for, and that a refused
change leaves the case exactly as it was."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.anvandare.models import Anvandare
from app.arenden.models import ArendeFas
from app.auth.roles import Organisation, Roll
from app.core.time import today
from tests.arenden.flode import (
    VIDMAKTHALLANDE,
    Fall,
    anvandar_id,
    byt,
    fall_i_fas,
    fasbyte,
    hall_uppstartsmoten,
    hamta,
    hemmote,
    komplett_plan,
    nytt_fall,
    nytt_mote,
    skolmote,
    spara_plan,
)
from tests.helpers import Tokens


def _unmet(response: Any) -> list[str]:
    assert response.status_code == 409, response.text
    assert response.json()["type"] == "https://samverka.se/problem/villkor-ej-uppfyllt"
    return [error["plats"] for error in response.json()["errors"]]


def _history_length(db: Session, fall: Fall) -> int:
    return db.scalar(select(func.count()).where(ArendeFas.arende_id == uuid.UUID(fall.id))) or 0


def _user(db: Session, *, roll: Roll, organisation: Organisation, aktiv: bool = True) -> str:
    kommun_id = db.scalars(select(Anvandare.kommun_id).where(Anvandare.anvandarnamn == "admin"))
    user = Anvandare(
        kommun_id=kommun_id.one(),
        anvandarnamn=f"test-{uuid.uuid4().hex[:12]}",
        namn="Test Person",
        roll=roll,
        organisation=organisation,
        losenord_hash="inte-ett-riktigt-losenord",
        aktiv=aktiv,
        skolor=[],
    )
    db.add(user)
    db.flush()
    return str(user.id)


def test_a_refused_change_lists_every_unmet_gate_and_changes_nothing(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "beredning")
    client.post(
        f"/api/v1/samtycken/{fall.samtycke['id']}/aterkallelse",
        json={"undertecknare": "vardnadshavare", "vardnadshavare_id": fall.vardnadshavare[0]["id"]},
        headers=tokens.headers("kurator"),
    )
    before = hamta(client, tokens, fall)
    history_before = _history_length(db, fall)

    response = fasbyte(
        client, tokens, fall, "uppstart", handlaggare_id=anvandar_id(client, tokens, "kurator")
    )

    assert _unmet(response) == ["samtycke", "body.handlaggare_id"]
    assert [e["meddelande"] for e in response.json()["errors"]] == [
        "Samtycket är återkallat.",
        "Handläggaren hör inte till det skolsociala teamet.",
    ]
    after = hamta(client, tokens, fall)
    assert after == before
    assert (after["fas"], after["handlaggare_id"], after["beviljat"]) == ("beredning", None, None)
    assert _history_length(db, fall) == history_before


def test_a_refused_closure_sets_no_closure_field(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    before = hamta(client, tokens, fall)

    response = fasbyte(
        client,
        tokens,
        fall,
        "avslutat",
        avslutsorsak="ej_beviljad",
        vidmakthallandeplan=VIDMAKTHALLANDE,
        kommentar="Fel orsak",
    )

    assert _unmet(response) == ["body.avslutsorsak", "body.vidmakthallandeplan"]
    assert hamta(client, tokens, fall) == before
    assert before["avslut"] is None


def test_transition_to_kartlaggning_requires_both_startup_meetings(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    assert _unmet(fasbyte(client, tokens, fall, "kartlaggning")) == [
        "moten.uppstart_skola",
        "moten.uppstart_skola.deltagare",
        "moten.uppstart_elev_vardnadshavare",
    ]

    skola = nytt_mote(client, tokens, fall, skolmote(today(), kontaktperson=False))
    hem = hemmote(today())
    del hem["minnesanteckningar"]
    hem_mote = nytt_mote(client, tokens, fall, hem)
    assert _unmet(fasbyte(client, tokens, fall, "kartlaggning")) == [
        "moten.uppstart_skola.deltagare",
        "moten.uppstart_elev_vardnadshavare",
    ]

    named = skolmote(today())["deltagare"]
    team = tokens.headers("team-skola")
    for mote, change in ((skola, {"deltagare": named}), (hem_mote, {"minnesanteckningar": "Ok."})):
        response = client.patch(
            f"{fall.url}/moten/{mote['id']}",
            json=change,
            headers={**team, "If-Match": f'"{mote["version"]}"'},
        )
        assert response.status_code == 200, response.text

    byt(client, tokens, fall, "kartlaggning")
    assert fall.arende["skolans_kontaktperson"]["namn"] == "Maja Mentor"


def _approve(client: TestClient, tokens: Tokens, fall: Fall, handlaggare_id: str) -> Any:
    return fasbyte(client, tokens, fall, "uppstart", handlaggare_id=handlaggare_id)


def test_approval_assigns_an_active_team_member_whom_the_consent_covers(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "beredning")
    inactive = _user(
        db, roll=Roll.skolsocialt_team, organisation=Organisation.socialtjanst, aktiv=False
    )
    region = _user(db, roll=Roll.skolsocialt_team, organisation=Organisation.region)
    other_kommun = anvandar_id(client, tokens, "kurator2")

    cases = {
        "": "Ange en handläggare i det skolsociala teamet (T 7.2).",
        other_kommun: "Handläggaren finns inte bland kommunens användare.",
        inactive: "Handläggaren är inte en aktiv användare.",
        region: "Handläggarens organisation omfattas inte av elevens samtycke.",
    }
    for handlaggare_id, message in cases.items():
        fields = {"handlaggare_id": handlaggare_id} if handlaggare_id else {}
        response = fasbyte(client, tokens, fall, "uppstart", **fields)
        assert _unmet(response) == ["body.handlaggare_id"]
        assert response.json()["errors"][0]["meddelande"] == message

    team_soc = anvandar_id(client, tokens, "team-soc")
    assert _approve(client, tokens, fall, team_soc).status_code == 200
    assert fall.arende["handlaggare_id"] == team_soc


def test_completion_is_asked_for_with_what_is_missing(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "beredning")
    assert _unmet(fasbyte(client, tokens, fall, "ansokan")) == ["body.saknas"]
    byt(client, tokens, fall, "ansokan", saknas=["Vårdnadshavarnas syn"])
    assert fall.arende["komplettering"]["besvarad"] is None


def test_a_change_that_changes_nothing_does_not_answer_a_request_for_completion(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "beredning")
    byt(client, tokens, fall, "ansokan", saknas=["Aktuell frånvaro i procent"])
    kurator = tokens.headers("kurator")

    for body in ({}, {"orsak": fall.arende["orsak"]}):
        etag = client.get(fall.url, headers=kurator).headers["ETag"]
        response = client.patch(fall.url, json=body, headers={**kurator, "If-Match": etag})
        assert response.status_code == 200, response.text
        assert response.json()["komplettering"]["besvarad"] is None
    assert _unmet(fasbyte(client, tokens, fall, "beredning")) == ["komplettering"]


def test_after_the_consent_is_withdrawn_the_work_stops_and_the_case_can_close(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    hall_uppstartsmoten(client, tokens, fall)
    withdrawn = client.post(
        f"/api/v1/samtycken/{fall.samtycke['id']}/aterkallelse",
        json={"undertecknare": "vardnadshavare", "vardnadshavare_id": fall.vardnadshavare[0]["id"]},
        headers=tokens.headers("kurator"),
    )
    assert withdrawn.status_code == 201, withdrawn.text

    stopped = fasbyte(client, tokens, fall, "kartlaggning")

    assert _unmet(stopped) == ["samtycke"]
    assert stopped.json()["errors"][0]["meddelande"] == "Samtycket är återkallat."
    assert hamta(client, tokens, fall)["fas"] == "uppstart"
    byt(
        client,
        tokens,
        fall,
        "avslutat",
        avslutsorsak="tackar_nej",
        vidmakthallandeplan=VIDMAKTHALLANDE,
    )
    assert fall.arende["fas"] == "avslutat"


@pytest.mark.parametrize("blank", [" ", "\t\n", "\u00a0"])
def test_text_of_only_whitespace_meets_no_gate(
    client: TestClient, tokens: Tokens, db: Session, blank: str
) -> None:
    fall = fall_i_fas(client, tokens, db, "beredning")
    team = tokens.headers("team-skola")

    asked = fasbyte(client, tokens, fall, "ansokan", saknas=[blank])
    closed = client.post(
        f"{fall.url}/avslut",
        json={
            "orsak": "tackar_nej",
            "vidmakthallandeplan": {**VIDMAKTHALLANDE, "beskrivning": blank},
        },
        headers=team,
    )

    assert asked.status_code == closed.status_code == 422
    assert asked.json()["errors"][0]["plats"].startswith("body.saknas")
    assert closed.json()["errors"][0]["plats"] == "body.vidmakthallandeplan.beskrivning"
    assert hamta(client, tokens, fall)["fas"] == "beredning"


def test_a_rejection_closes_from_beredning_without_a_maintenance_plan(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "beredning")
    byt(client, tokens, fall, "avslutat", avslutsorsak="ej_beviljad", kommentar="Fel målgrupp")
    assert fall.arende["avslut"]["orsak"] == "ej_beviljad"
    assert fall.arende["avslut"]["vidmakthallandeplan"] is None


def test_closure_needs_a_plan_for_maintenance(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "kartlaggning")
    url = f"{fall.url}/avslut"
    team = tokens.headers("team-skola")

    without = client.post(url, json={"orsak": "flyttar"}, headers=team)
    assert _unmet(without) == ["body.vidmakthallandeplan"]
    early = client.post(
        url, json={"orsak": "behov_upphort", "vidmakthallandeplan": VIDMAKTHALLANDE}, headers=team
    )
    assert _unmet(early) == ["body.avslutsorsak"]
    closed = client.post(
        url, json={"orsak": "flyttar", "vidmakthallandeplan": VIDMAKTHALLANDE}, headers=team
    )
    assert closed.status_code == 200
    assert closed.json()["avslut"]["vidmakthallandeplan"]["ansvar"] == VIDMAKTHALLANDE["ansvar"]


@pytest.mark.parametrize("konto", ["kurator", "rektor"])
def test_the_school_closes_only_when_the_family_declines(
    client: TestClient, tokens: Tokens, db: Session, konto: str
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    headers = tokens.headers(konto)

    assert fasbyte(client, tokens, fall, "kartlaggning", konto=konto).status_code == 403
    flyttar = {"orsak": "flyttar", "vidmakthallandeplan": VIDMAKTHALLANDE}
    assert client.post(f"{fall.url}/avslut", json=flyttar, headers=headers).status_code == 403
    declined = {"orsak": "tackar_nej", "vidmakthallandeplan": VIDMAKTHALLANDE}
    closed = client.post(f"{fall.url}/avslut", json=declined, headers=headers)
    assert closed.status_code == 200
    assert closed.json()["fas"] == "avslutat"


@pytest.mark.parametrize(
    ("body", "plats"),
    [
        ({"till": "beredning", "handlaggare_id": str(uuid.uuid4())}, "body"),
        ({"till": "uppstart", "saknas": ["x"]}, "body"),
        ({"till": "ansokan", "saknas": []}, "body.saknas"),
        ({"till": "avslutat", "avslutsorsak": "tror_inte_pa_det"}, "body.avslutsorsak"),
        ({"till": "ingenstans"}, "body.till"),
    ],
)
def test_phase_change_bodies_carry_only_the_fields_of_their_target(
    client: TestClient, tokens: Tokens, db: Session, body: dict[str, Any], plats: str
) -> None:
    fall = nytt_fall(client, tokens, db)
    response = client.post(f"{fall.url}/faser", json=body, headers=tokens.headers("team-skola"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == plats


def test_a_closed_case_changes_no_more(client: TestClient, tokens: Tokens, db: Session) -> None:
    fall = fall_i_fas(client, tokens, db, "beredning")
    byt(client, tokens, fall, "avslutat", avslutsorsak="ej_beviljad")
    team = tokens.headers("team-skola")

    assert _unmet(fasbyte(client, tokens, fall, "beredning")) == ["body.till"]
    patched = client.patch(
        fall.url,
        json={"orsak": "x"},
        headers={**tokens.headers("kurator"), "If-Match": f'"{fall.arende["version"]}"'},
    )
    assert patched.status_code == 409
    meeting = client.post(f"{fall.url}/moten", json=skolmote(today()), headers=team)
    assert meeting.status_code == 409
    assert meeting.json()["detail"] == "Ärendet är avslutat och kan inte ändras."


def test_implementation_needs_a_complete_plan(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "ansvarsplanering")
    assert len(_unmet(fasbyte(client, tokens, fall, "genomforande"))) == 8

    draft = komplett_plan()
    draft["mal"][0]["matt"] = None
    del draft["ansvar"]["skola"]
    assert spara_plan(client, tokens, fall, draft).status_code == 200
    assert fall.plan["komplett"] is False
    unmet = _unmet(fasbyte(client, tokens, fall, "genomforande"))
    assert unmet == ["ansvarsplan.mal.0.matt", "ansvarsplan.ansvar.skola"]
    assert [b["plats"] for b in fall.plan["brister"]] == unmet

    assert spara_plan(client, tokens, fall, komplett_plan()).status_code == 200
    byt(client, tokens, fall, "genomforande")


def test_a_follow_up_is_registered_before_the_case_goes_to_uppfoljning(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "genomforande")
    assert _unmet(fasbyte(client, tokens, fall, "uppfoljning")) == ["uppfoljningar"]


def test_the_team_reassigns_the_handlaggare_after_approval(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "uppstart")
    team_soc = anvandar_id(client, tokens, "team-soc")

    def reassign(konto: str, handlaggare_id: str) -> Any:
        version = hamta(client, tokens, fall)["version"]
        return client.patch(
            fall.url,
            json={"handlaggare_id": handlaggare_id},
            headers={**tokens.headers(konto), "If-Match": f'"{version}"'},
        )

    assert reassign("kurator", team_soc).status_code == 403
    assert _unmet(reassign("team-skola", anvandar_id(client, tokens, "rektor"))) == [
        "body.handlaggare_id"
    ]
    moved = reassign("team-skola", team_soc)
    assert moved.status_code == 200
    assert moved.json()["handlaggare_id"] == team_soc


def test_the_history_shows_the_current_phase_running_and_where_it_may_go(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = nytt_fall(client, tokens, db)
    historik = client.get(f"{fall.url}/faser", headers=tokens.headers("kurator")).json()
    assert historik["fas"] == "ansokan"
    assert historik["mojliga_faser"] == ["beredning", "avslutat"]
    [period] = historik["tid_per_fas"]
    assert (period["fas"], period["pagaende"], period["antal_perioder"]) == ("ansokan", True, 1)
    [only] = historik["overgangar"]
    assert (only["fran"], only["till"], only["utford_av_namn"]) == (None, "ansokan", "Kim Kurator")
