"""One case through HTTP from the school's application to closure, as Tomelilla's regulation
describes it (T 7.1–7.8): application with consent, beredning, one request for completion, the
school's answer, approval with a handläggare from social services, both start-up meetings, the
mapping, the plan, implementation, a follow-up, a revised plan, implementation again, a second
follow-up, and closure with a plan for maintenance. Then the phase history, the lead times and
the audit log."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.arenden.models import ArendeFas
from app.audit.chain import Atgard, Utfall
from app.core.time import today
from tests.arenden.flode import (
    VIDMAKTHALLANDE,
    anvandar_id,
    byt,
    dokumentera_kartlaggning,
    fasbyte,
    hemmote,
    komplett_plan,
    ny_uppfoljning,
    nytt_fall,
    nytt_mote,
    skolmote,
    spara_plan,
)
from tests.helpers import Tokens, audit_rows

HANDLAGGARE = "team-soc"


def _due(arende: dict[str, Any]) -> Any:
    return arende["nasta_forfallodatum"]


def _patch(client: TestClient, tokens: Tokens, url: str, body: dict[str, Any], etag: str) -> Any:
    return client.patch(url, json=body, headers={**tokens.headers("kurator"), "If-Match": etag})


def test_a_case_from_application_to_closure(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    ids = {konto: anvandar_id(client, tokens, konto) for konto in ("kurator", "team-skola")}
    ids[HANDLAGGARE] = anvandar_id(client, tokens, HANDLAGGARE)

    # T 7.1: the school applies, with consent that school and social services collaborate.
    fall = nytt_fall(client, tokens, db)
    assert fall.arende["fas"] == "ansokan"
    assert fall.arende["samtycke_status"] == "giltigt"
    assert fall.arende["franvaro"]["kalla"] == "skolans_uppgift"

    # T 7.2: the team takes it up and asks the school's EHT for completion.
    byt(client, tokens, fall, "beredning")
    byt(
        client,
        tokens,
        fall,
        "ansokan",
        saknas=["Frånvaro per vecka sedan augusti"],
        kommentar="Vi behöver frånvaron per vecka.",
    )
    assert fall.arende["komplettering"]["saknas"] == ["Frånvaro per vecka sedan augusti"]
    too_early = fasbyte(client, tokens, fall, "beredning")
    assert too_early.status_code == 409
    assert [e["plats"] for e in too_early.json()["errors"]] == ["komplettering"]

    answered = _patch(
        client,
        tokens,
        fall.url,
        {"franvaro": {"beskrivning": "v. 35–46: 20, 25, 30 … %", "andel_procent": 26.0}},
        f'"{fall.arende["version"]}"',
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["komplettering"]["besvarad"] is not None
    byt(client, tokens, fall, "beredning")

    # Approval: the case is distributed within the team, here to a social worker.
    byt(client, tokens, fall, "uppstart", handlaggare_id=ids[HANDLAGGARE])
    assert fall.arende["handlaggare_id"] == ids[HANDLAGGARE]
    assert fall.arende["beviljat"] == today().isoformat()
    assert _due(fall.arende) == {
        "datum": (today() + timedelta(days=10)).isoformat(),
        "orsak": "uppstartsmoten",
        "beskrivning": "Uppstartsmötena med skolan och med elev och vårdnadshavare (T 7.3).",
        "forsenad": False,
    }

    # T 7.3: the school meeting names a contact person; then pupil and guardians.
    team = {"konto": HANDLAGGARE}
    nytt_mote(client, tokens, fall, skolmote(today() - timedelta(days=1)))
    nytt_mote(client, tokens, fall, hemmote(today()))
    byt(client, tokens, fall, "kartlaggning", **team)
    assert fall.arende["skolans_kontaktperson"]["namn"] == "Maja Mentor"
    assert _due(fall.arende) is None

    # T 7.4–7.5: the mapping, then the plan at a joint meeting.
    dokumentera_kartlaggning(client, tokens, fall)
    byt(client, tokens, fall, "ansvarsplanering", **team)
    first, second = today() + timedelta(days=14), today() + timedelta(days=42)
    plan = komplett_plan(uppfoljningsdatum=[first, second])
    assert spara_plan(client, tokens, fall, plan).status_code == 200
    assert fall.plan["komplett"] is True
    byt(client, tokens, fall, "genomforande", **team)
    assert _due(fall.arende)["datum"] == first.isoformat()

    # T 7.6–7.7: an intervention, a follow-up, a revision, and on again.
    insats = client.post(
        f"{fall.url}/insatser",
        json={
            "insatstyp": "motiverande_samtal",
            "ansvarig": "skolsocialt_team",
            "startdatum": today().isoformat(),
            "status": "pagaende",
        },
        headers=tokens.headers(HANDLAGGARE),
    )
    assert insats.status_code == 201
    uppfoljning = ny_uppfoljning(client, tokens, fall, resultat="delvis")
    assert uppfoljning["avser_datum"] == first.isoformat()
    assert uppfoljning["franvaro"]["andel_procent"] is None
    byt(client, tokens, fall, "uppfoljning", **team)
    assert _due(fall.arende)["datum"] == second.isoformat()
    revised = komplett_plan(uppfoljningsdatum=[first, second])
    revised["mal"][0]["id"] = fall.plan["mal"][0]["id"]
    revised["nulage"] = "Närvaron har ökat till omkring 85 %."
    v1_goal = fall.plan["mal"][0]["id"]
    assert spara_plan(client, tokens, fall, revised).status_code == 200
    assert (fall.plan["version"], fall.plan["mal"][0]["id"]) == (2, v1_goal)
    byt(client, tokens, fall, "genomforande", **team)
    ny_uppfoljning(client, tokens, fall, resultat="uppnatt")
    byt(client, tokens, fall, "uppfoljning", **team)
    assert _due(fall.arende) is None

    # T 7.8: closure, always with a plan for maintenance.
    closed = client.post(
        f"{fall.url}/avslut",
        json={"orsak": "behov_upphort", "vidmakthallandeplan": VIDMAKTHALLANDE},
        headers=tokens.headers(HANDLAGGARE),
    )
    assert closed.status_code == 200, closed.text
    avslut = closed.json()["avslut"]
    assert (closed.json()["fas"], avslut["orsak"]) == ("avslutat", "behov_upphort")
    assert avslut["vidmakthallandeplan"]["beskrivning"] == VIDMAKTHALLANDE["beskrivning"]
    assert fasbyte(client, tokens, fall, "genomforande").status_code == 409

    # The history: from, to, by whom; and the time spent in each phase.
    historik = client.get(f"{fall.url}/faser", headers=tokens.headers("kurator")).json()
    steps = [(row["fran"], row["till"], row["utford_av"]) for row in historik["overgangar"]]
    teamet, soc = ids["team-skola"], ids[HANDLAGGARE]
    assert steps == [
        (None, "ansokan", ids["kurator"]),
        ("ansokan", "beredning", teamet),
        ("beredning", "ansokan", teamet),
        ("ansokan", "beredning", teamet),
        ("beredning", "uppstart", teamet),
        ("uppstart", "kartlaggning", soc),
        ("kartlaggning", "ansvarsplanering", soc),
        ("ansvarsplanering", "genomforande", soc),
        ("genomforande", "uppfoljning", soc),
        ("uppfoljning", "genomforande", soc),
        ("genomforande", "uppfoljning", soc),
        ("uppfoljning", "avslutat", soc),
    ]
    assert historik["overgangar"][2]["kommentar"] == "Vi behöver frånvaron per vecka."
    assert historik["overgangar"][5]["utford_av_namn"] == "Sam Socialsekreterare"
    assert historik["mojliga_faser"] == []

    _lead_times_from_known_timestamps(client, tokens, db, fall.id)
    _audit_trail_of_the_case(db, fall.elev["id"], fall.samtycke["id"], ids)


# Days after the application at which each change of the history above happened.
DAYS = [0, 2, 3, 5, 6, 9, 20, 34, 62, 63, 91, 92.5]


def _lead_times_from_known_timestamps(
    client: TestClient, tokens: Tokens, db: Session, arende_id: str
) -> None:
    start = datetime(2026, 8, 24, 8, 0, tzinfo=UTC)
    rows = db.scalars(
        select(ArendeFas)
        .where(ArendeFas.arende_id == uuid.UUID(arende_id))
        .order_by(ArendeFas.tidpunkt, ArendeFas.id)
    ).all()
    for row, day in zip(rows, DAYS, strict=True):
        row.tidpunkt = start + timedelta(days=day)
    db.flush()

    historik = client.get(f"/api/v1/arenden/{arende_id}/faser", headers=tokens.headers("rektor"))

    per_phase = {row["fas"]: row for row in historik.json()["tid_per_fas"]}
    assert {fas: row["dagar"] for fas, row in per_phase.items()} == {
        "ansokan": 4.0,
        "beredning": 2.0,
        "uppstart": 3.0,
        "kartlaggning": 11.0,
        "ansvarsplanering": 14.0,
        "genomforande": 56.0,
        "uppfoljning": 2.5,
    }
    assert per_phase["genomforande"]["antal_perioder"] == 2
    assert not any(row["pagaende"] for row in per_phase.values())
    assert historik.json()["ledtid_dagar"] == 92.5


def _audit_trail_of_the_case(
    db: Session, elev_id: str, samtycke_id: str, ids: dict[str, str]
) -> None:
    rows = audit_rows(db, elev_id=uuid.UUID(elev_id))
    allowed = [row for row in rows if row.utfall is Utfall.allowed]
    assert allowed
    assert all(row.rattslig_grund for row in allowed)
    by_actor = {str(row.aktor_id): row.rattslig_grund for row in allowed}
    assert by_actor[ids["kurator"]] == "egen_skola"
    assert by_actor[ids["team-skola"]] == "skolsocialt_team"
    assert by_actor[ids[HANDLAGGARE]] == f"samtycke:{samtycke_id}"

    def actions(resurs_typ: str) -> list[tuple[str, Atgard]]:
        return [(str(row.aktor_id), row.atgard) for row in allowed if row.resurs_typ == resurs_typ]

    assert actions("arende")[0] == (ids["kurator"], Atgard.create)
    phase_changes = actions("arende_fas")
    assert [actor for actor, atgard in phase_changes if atgard is Atgard.create] == [
        *[ids["team-skola"]] * 4,
        *[ids[HANDLAGGARE]] * 7,
    ]
    assert (ids["kurator"], Atgard.read) in phase_changes
    assert [atgard for _, atgard in actions("ansvarsplan") if atgard is not Atgard.read] == [
        Atgard.create,
        Atgard.update,
    ]
    assert {atgard for _, atgard in actions("arende_mote")} == {Atgard.create}
    assert [atgard for _, atgard in actions("uppfoljning")] == [Atgard.create, Atgard.create]
