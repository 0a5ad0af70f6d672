"""A case driven through HTTP as the school and the team drive it (T 7), step by step, so that a
test can start from any phase."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.time import today
from tests.factories import elev_med_giltigt_samtycke, ny_ansokan
from tests.helpers import Tokens

ARENDEN = "/api/v1/arenden"
TEAM = "team-skola"
ORDNING = (
    "ansokan",
    "beredning",
    "uppstart",
    "kartlaggning",
    "ansvarsplanering",
    "genomforande",
    "uppfoljning",
)
VIDMAKTHALLANDE = {
    "beskrivning": "Mentorn följer närvaron veckovis och kontaktar hemmet vid frånvaro.",
    "ansvar": "Mentor och elevhälsan på skolan.",
    "uppfoljningsdatum": (today() + timedelta(days=60)).isoformat(),
}


@dataclass
class Fall:
    """A pupil with a valid consent and a case, and the case as last read."""

    elev: dict[str, Any]
    samtycke: dict[str, Any]
    vardnadshavare: list[dict[str, Any]]
    arende: dict[str, Any]
    plan: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.arende["id"])

    @property
    def url(self) -> str:
        return f"{ARENDEN}/{self.id}"


def anvandar_id(client: TestClient, tokens: Tokens, konto: str) -> str:
    me = client.get("/api/v1/auth/me", headers=tokens.headers(konto))
    return str(me.json()["id"])


def nytt_fall(client: TestClient, tokens: Tokens, db: Session, **elev_fields: Any) -> Fall:
    elev, samtycke, guardians = elev_med_giltigt_samtycke(client, tokens, db, **elev_fields)
    arende = ny_ansokan(client, tokens, elev["id"], samtycke["id"])
    return Fall(elev=elev, samtycke=samtycke, vardnadshavare=guardians, arende=arende)


def hamta(client: TestClient, tokens: Tokens, fall: Fall, *, konto: str = TEAM) -> dict[str, Any]:
    response = client.get(fall.url, headers=tokens.headers(konto))
    assert response.status_code == 200, response.text
    fall.arende = response.json()
    return fall.arende


def fasbyte(
    client: TestClient, tokens: Tokens, fall: Fall, till: str, *, konto: str = TEAM, **fields: Any
) -> httpx.Response:
    response: httpx.Response = client.post(
        f"{fall.url}/faser", json={"till": till, **fields}, headers=tokens.headers(konto)
    )
    if response.status_code == 200:
        fall.arende = response.json()
    return response


def byt(
    client: TestClient, tokens: Tokens, fall: Fall, till: str, *, konto: str = TEAM, **fields: Any
) -> dict[str, Any]:
    response = fasbyte(client, tokens, fall, till, konto=konto, **fields)
    assert response.status_code == 200, response.text
    assert fall.arende["fas"] == till
    return fall.arende


def nytt_mote(
    client: TestClient, tokens: Tokens, fall: Fall, body: dict[str, Any]
) -> dict[str, Any]:
    response = client.post(f"{fall.url}/moten", json=body, headers=tokens.headers(TEAM))
    assert response.status_code == 201, response.text
    mote: dict[str, Any] = response.json()
    return mote


def skolmote(datum: date, *, kontaktperson: bool = True) -> dict[str, Any]:
    return {
        "typ": "uppstart_skola",
        "datum": datum.isoformat(),
        "deltagare": [
            {"namn": "Rut Rektor", "roll": "skolledning"},
            {"namn": "Maja Mentor", "roll": "mentor", "kontaktperson": kontaktperson},
            {"namn": "Kim Kurator", "roll": "elevhalsa"},
            {"namn": "Tove Team", "roll": "skolsocialt_team"},
        ],
        "dagordning": "Rutin och ärendegång; skolans information; kontaktperson.",
        "minnesanteckningar": "Skolan beskrev läget. Maja Mentor är skolans kontaktperson.",
    }


def hemmote(datum: date) -> dict[str, Any]:
    return {
        "typ": "uppstart_elev_vardnadshavare",
        "datum": datum.isoformat(),
        "deltagare": [
            {"namn": "Elev Exempel", "roll": "elev"},
            {"namn": "Vårdnads Havare", "roll": "vardnadshavare"},
            {"namn": "Tove Team", "roll": "skolsocialt_team"},
        ],
        "dagordning": "Presentation, elevens och familjens bild, nästa steg.",
        "minnesanteckningar": "Eleven och vårdnadshavarna vill delta i kartläggningen.",
    }


def hall_uppstartsmoten(client: TestClient, tokens: Tokens, fall: Fall) -> None:
    nytt_mote(client, tokens, fall, skolmote(today()))
    nytt_mote(client, tokens, fall, hemmote(today()))


def dokumentera_kartlaggning(client: TestClient, tokens: Tokens, fall: Fall) -> dict[str, Any]:
    url = f"{fall.url}/kartlaggning"
    etag = client.get(url, headers=tokens.headers(TEAM)).headers["ETag"]
    body = {
        "elevens_perspektiv": "Tycker att morgnarna är svåra; trivs med idrotten.",
        "vardnadshavarnas_perspektiv": "Oro för sömnen och för skärmtiden.",
        "skolans_perspektiv": "Frånvaron är störst på måndagar och första lektionen.",
        "sammanfattning": "Sömn och morgonrutiner; relationen till mentorn bär.",
    }
    response = client.put(url, json=body, headers={**tokens.headers(TEAM), "If-Match": etag})
    assert response.status_code == 200, response.text
    kartlaggning: dict[str, Any] = response.json()
    return kartlaggning


def komplett_plan(*, uppfoljningsdatum: list[date] | None = None) -> dict[str, Any]:
    start = today()
    dates = uppfoljningsdatum or [start + timedelta(days=28), start + timedelta(days=56)]
    return {
        "nulage": "Närvaro omkring 75 %; frånvaron störst på måndagsmorgnar.",
        "mal": [
            {
                "beskrivning": "Eleven är i skolan första lektionen varje dag.",
                "matt": "Närvaro första lektionen minst 90 % fyra veckor i rad",
                "maldatum": (start + timedelta(days=56)).isoformat(),
            }
        ],
        "ansvar": {
            "elev_och_vardnadshavare": "Väckning 06.45; eleven går hemifrån 07.40.",
            "skola": "Mentorn möter eleven vid entrén på måndagar.",
            "skolsocialt_team": "Motiverande samtal varannan vecka; stöd till vårdnadshavarna.",
        },
        "planerade_insatser": [
            {
                "insatstyp": "motiverande_samtal",
                "ansvarig": "skolsocialt_team",
                "startdatum": start.isoformat(),
                "slutdatum": (start + timedelta(days=56)).isoformat(),
            },
            {
                "insatstyp": "kontakt_narvarorapport_hem",
                "ansvarig": "skola",
                "startdatum": start.isoformat(),
                "slutdatum": (start + timedelta(days=56)).isoformat(),
            },
        ],
        "uppfoljningsdatum": [datum.isoformat() for datum in dates],
        "uppfoljningsmetod": "Uppföljningsmöte med familj och skola; närvarostatistik.",
    }


def spara_plan(
    client: TestClient, tokens: Tokens, fall: Fall, body: dict[str, Any]
) -> httpx.Response:
    url = f"{fall.url}/ansvarsplan"
    etag = client.get(url, headers=tokens.headers(TEAM)).headers["ETag"]
    response: httpx.Response = client.put(
        url, json=body, headers={**tokens.headers(TEAM), "If-Match": etag}
    )
    if response.status_code == 200:
        fall.plan = response.json()
    return response


def ny_uppfoljning(
    client: TestClient,
    tokens: Tokens,
    fall: Fall,
    *,
    datum: date | None = None,
    resultat: str = "delvis",
) -> dict[str, Any]:
    body = {
        "datum": (datum or today()).isoformat(),
        "resultat": [
            {"mal_id": mal["id"], "resultat": resultat, "kommentar": "Bättre på måndagar."}
            for mal in fall.plan["mal"]
        ],
        "kommentar": "Familjen och skolan var med.",
    }
    response = client.post(f"{fall.url}/uppfoljningar", json=body, headers=tokens.headers(TEAM))
    assert response.status_code == 201, response.text
    uppfoljning: dict[str, Any] = response.json()
    return uppfoljning


def fall_i_fas(
    client: TestClient,
    tokens: Tokens,
    db: Session,
    fas: str,
    *,
    handlaggare: str = TEAM,
    plan: dict[str, Any] | None = None,
) -> Fall:
    """A new case, driven through the phases until it is in `fas`."""
    fall = nytt_fall(client, tokens, db)
    steps = ORDNING[1 : ORDNING.index(fas) + 1]
    for step in steps:
        if step == "uppstart":
            byt(client, tokens, fall, step, handlaggare_id=anvandar_id(client, tokens, handlaggare))
            continue
        if step == "kartlaggning":
            hall_uppstartsmoten(client, tokens, fall)
        if step == "ansvarsplanering":
            dokumentera_kartlaggning(client, tokens, fall)
        if step == "genomforande":
            assert spara_plan(client, tokens, fall, plan or komplett_plan()).status_code == 200
        if step == "uppfoljning":
            ny_uppfoljning(client, tokens, fall)
        byt(client, tokens, fall, step)
    return fall
