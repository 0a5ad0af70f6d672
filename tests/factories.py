"""Building blocks for tests: valid identity numbers, and pupils, guardians and consents made
through the API as a school would make them."""

import itertools
import uuid
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.time import today
from app.elever.models import Arskurs, Elev, Skolform, SkyddadIdentitet
from app.elever.personnummer import typ_av
from app.skolor.models import Skola
from tests.helpers import Tokens

EKBACKEN = "12345678"  # kurator's and rektor's school in Demo kommun
ASEN = "87654321"  # the other school of Demo kommun
GRANNBYN = "11223344"  # Grannkommun's school

_serials = itertools.count(1)


def luhn(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 - index % 2)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def personnummer(born: date, serial: int, *, samordning: bool = False) -> str:
    """A valid 12-digit number for someone born that day (serial 1–999)."""
    day = born.day + (60 if samordning else 0)
    body = f"{born:%y%m}{day:02d}{serial:03d}"
    return f"{born:%Y}{body[2:]}{luhn(body)}"


def nytt_personnummer() -> str:
    """A valid number no other test uses."""
    n = next(_serials)
    return personnummer(date(2013, 1, 1) + timedelta(days=n // 900), n % 900 + 1)


def skola_id(db: Session, skolenhetskod: str) -> uuid.UUID:
    return db.scalars(select(Skola.id).where(Skola.skolenhetskod == skolenhetskod)).one()


def elev_i_databasen(db: Session, skolenhetskod: str, **fields: Any) -> dict[str, str]:
    """A pupil at a school no demo account works at, written straight to the test's database."""
    skola = db.get(Skola, skola_id(db, skolenhetskod))
    assert skola is not None
    nummer = nytt_personnummer()
    elev = Elev(
        kommun_id=skola.kommun_id,
        skola_id=skola.id,
        personnummer=nummer,
        identitetstyp=typ_av(nummer),
        fornamn="Annan",
        efternamn="Skola",
        sokbart_namn="annan skola",
        arskurs=Arskurs.AK6,
        skolform=Skolform.grundskola,
        skyddad_identitet=SkyddadIdentitet.ingen,
        **fields,
    )
    db.add(elev)
    db.flush()
    return {"id": str(elev.id), "personnummer": nummer}


def ny_elev(
    client: TestClient,
    tokens: Tokens,
    db: Session,
    *,
    konto: str = "kurator",
    skola: str = EKBACKEN,
    **fields: Any,
) -> dict[str, Any]:
    body = {
        "personnummer": nytt_personnummer(),
        "fornamn": "Elev",
        "efternamn": "Exempel",
        "skola_id": str(skola_id(db, skola)),
        "arskurs": "7",
        **fields,
    }
    response = client.post("/api/v1/elever", json=body, headers=tokens.headers(konto))
    assert response.status_code == 201, response.text
    elev: dict[str, Any] = response.json()
    return elev


def ny_vardnadshavare(
    client: TestClient,
    tokens: Tokens,
    elev_id: str,
    *,
    konto: str = "kurator",
    har_vardnad: bool = True,
    **fields: Any,
) -> dict[str, Any]:
    body = {"fornamn": "Vårdnads", "efternamn": "Havare", "har_vardnad": har_vardnad, **fields}
    response = client.post(
        f"/api/v1/elever/{elev_id}/vardnadshavare", json=body, headers=tokens.headers(konto)
    )
    assert response.status_code == 201, response.text
    guardian: dict[str, Any] = response.json()
    return guardian


def nytt_samtycke(
    client: TestClient,
    tokens: Tokens,
    elev_id: str,
    *,
    konto: str = "kurator",
    parter: tuple[str, ...] = ("skola", "socialtjanst"),
    **fields: Any,
) -> dict[str, Any]:
    body = {
        "parter": list(parter),
        "syfte": "Samverkan kring elevens närvaro i skolan",
        "omfattning": "Närvaro, frånvaro och insatser i skolan",
        "giltig_till": (today() + timedelta(days=365)).isoformat(),
        **fields,
    }
    response = client.post(
        f"/api/v1/elever/{elev_id}/samtycken", json=body, headers=tokens.headers(konto)
    )
    assert response.status_code == 201, response.text
    samtycke: dict[str, Any] = response.json()
    return samtycke


def signera(
    client: TestClient,
    tokens: Tokens,
    samtycke_id: str,
    *,
    vardnadshavare_id: str | None = None,
    konto: str = "kurator",
    metod: str = "digital",
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "undertecknare": "elev" if vardnadshavare_id is None else "vardnadshavare",
        "vardnadshavare_id": vardnadshavare_id,
        "metod": metod,
    }
    response = client.post(
        f"/api/v1/samtycken/{samtycke_id}/signaturer", json=body, headers=tokens.headers(konto)
    )
    assert response.status_code == 201, response.text
    samtycke: dict[str, Any] = response.json()
    return samtycke


def ny_ansokan(
    client: TestClient,
    tokens: Tokens,
    elev_id: str,
    samtycke_id: str,
    *,
    konto: str = "kurator",
    **fields: Any,
) -> dict[str, Any]:
    """The school's application to the skolsocialt team: the pupil then has a case there."""
    body = {
        "elev_id": elev_id,
        "samtycke_id": samtycke_id,
        "orsak": "Upprepad ströfrånvaro sedan höstlovet, mest måndagar.",
        "insatser_organisationsniva": "Närvaroteam och rutin för frånvaroanmälan.",
        "insatser_gruppniva": "Anpassad gruppindelning på idrotten.",
        "insatser_individniva": "Samtal med kurator varje vecka och anpassat schema.",
        "franvaro": {
            "beskrivning": "Cirka en fjärdedel av lektionerna i höst.",
            "andel_procent": 24.5,
        },
        **fields,
    }
    response = client.post("/api/v1/arenden", json=body, headers=tokens.headers(konto))
    assert response.status_code == 201, response.text
    arende: dict[str, Any] = response.json()
    return arende


def elev_med_giltigt_samtycke(
    client: TestClient,
    tokens: Tokens,
    db: Session,
    *,
    parter: tuple[str, ...] = ("skola", "socialtjanst"),
    **elev_fields: Any,
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """A pupil of Ekbacken with two custodians who have both signed: (elev, samtycke, guardians)."""
    elev = ny_elev(client, tokens, db, **elev_fields)
    guardians = [ny_vardnadshavare(client, tokens, elev["id"]) for _ in range(2)]
    samtycke = nytt_samtycke(client, tokens, elev["id"], parter=parter)
    for guardian in guardians:
        samtycke = signera(client, tokens, samtycke["id"], vardnadshavare_id=guardian["id"])
    assert samtycke["status"] == "giltigt"
    return elev, samtycke, guardians


def elev_med_arende(
    client: TestClient, tokens: Tokens, db: Session, **elev_fields: Any
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """A pupil of Ekbacken with a valid consent and a case at the skolsocialt team, so that the
    team sees them: (elev, samtycke, guardians)."""
    elev, samtycke, guardians = elev_med_giltigt_samtycke(client, tokens, db, **elev_fields)
    ny_ansokan(client, tokens, elev["id"], samtycke["id"])
    return elev, samtycke, guardians
