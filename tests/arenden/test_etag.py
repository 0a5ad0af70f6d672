"""Every mutable case resource: an ETag on read, If-Match required (428) and checked (412), and
a refused write changes nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.time import today
from tests.arenden.flode import (
    TEAM,
    dokumentera_kartlaggning,
    fall_i_fas,
    komplett_plan,
    nytt_fall,
    nytt_mote,
    skolmote,
)
from tests.helpers import Tokens


@dataclass(frozen=True)
class Resurs:
    """How to reach one resource: the case's phase, and what the write and the read are."""

    fas: str
    method: str
    path: Callable[[TestClient, Tokens, Any], str]
    body: dict[str, Any]
    konto: str = TEAM


def _case(_client: TestClient, _tokens: Tokens, fall: Any) -> str:
    return str(fall.url)


def _meeting(client: TestClient, tokens: Tokens, fall: Any) -> str:
    mote = nytt_mote(client, tokens, fall, skolmote(today()))
    return f"{fall.url}/moten/{mote['id']}"


def _mapping(client: TestClient, tokens: Tokens, fall: Any) -> str:
    dokumentera_kartlaggning(client, tokens, fall)
    return f"{fall.url}/kartlaggning"


def _plan(_client: TestClient, _tokens: Tokens, fall: Any) -> str:
    return f"{fall.url}/ansvarsplan"


def _intervention(client: TestClient, tokens: Tokens, fall: Any) -> str:
    body = {
        "insatstyp": "krissamtal",
        "ansvarig": "skolsocialt_team",
        "startdatum": today().isoformat(),
    }
    created = client.post(f"{fall.url}/insatser", json=body, headers=tokens.headers(TEAM))
    return f"{fall.url}/insatser/{created.json()['id']}"


RESURSER = {
    "arende": Resurs("ansokan", "PATCH", _case, {"orsak": "Ny orsak"}, konto="kurator"),
    "mote": Resurs("uppstart", "PATCH", _meeting, {"plats": "Rum 4"}),
    "kartlaggning": Resurs("kartlaggning", "PUT", _mapping, {"sammanfattning": "Ny"}),
    "ansvarsplan": Resurs("genomforande", "PUT", _plan, komplett_plan()),
    "insats": Resurs(
        "uppstart", "PATCH", _intervention, {"slutdatum": (today() + timedelta(days=9)).isoformat()}
    ),
}


def _current(client: TestClient, tokens: Tokens, fall: Any, url: str, name: str) -> Any:
    """The resource as read now: single resources from their own URL, meetings and
    interventions from their case's list."""
    if name in ("mote", "insats"):
        collection, _, item_id = url.rpartition("/")
        rows = client.get(collection, headers=tokens.headers(TEAM)).json()["data"]
        return next(row for row in rows if row["id"] == item_id)
    return client.get(url, headers=tokens.headers(TEAM)).json()


@pytest.mark.parametrize("name", list(RESURSER))
def test_a_write_without_if_match_is_428_and_with_a_stale_one_412_and_changes_nothing(
    client: TestClient, tokens: Tokens, db: Session, name: str
) -> None:
    resurs = RESURSER[name]
    fall = (
        nytt_fall(client, tokens, db)
        if resurs.fas == "ansokan"
        else fall_i_fas(client, tokens, db, resurs.fas)
    )
    url = resurs.path(client, tokens, fall)
    headers = tokens.headers(resurs.konto)
    before = _current(client, tokens, fall, url, name)
    etag = f'"{before["version"]}"'
    stale = f'"{before["version"] - 1}"'

    missing = client.request(resurs.method, url, json=resurs.body, headers=headers)
    outdated = client.request(
        resurs.method, url, json=resurs.body, headers={**headers, "If-Match": stale}
    )

    assert missing.status_code == 428, missing.text
    assert outdated.status_code == 412, outdated.text
    assert outdated.headers["content-type"] == "application/problem+json"
    assert _current(client, tokens, fall, url, name) == before

    written = client.request(
        resurs.method, url, json=resurs.body, headers={**headers, "If-Match": etag}
    )
    assert written.status_code == 200, written.text
    assert written.headers["ETag"] == f'"{before["version"] + 1}"'
    again = client.request(
        resurs.method, url, json=resurs.body, headers={**headers, "If-Match": etag}
    )
    assert again.status_code == 412


def test_the_case_has_a_new_etag_after_a_phase_change(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = nytt_fall(client, tokens, db)
    etag = client.get(fall.url, headers=tokens.headers("kurator")).headers["ETag"]
    client.post(f"{fall.url}/faser", json={"till": "beredning"}, headers=tokens.headers(TEAM))
    stale = client.patch(
        fall.url,
        json={"orsak": "x"},
        headers={**tokens.headers("kurator"), "If-Match": etag},
    )
    assert stale.status_code == 412
