from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.time import today, utcnow
from tests.factories import (
    elev_med_giltigt_samtycke,
    ny_elev,
    ny_vardnadshavare,
    nytt_samtycke,
    signera,
)
from tests.helpers import Tokens, from_today

SAMTYCKEN = "/api/v1/samtycken"


def _withdraw(
    client: TestClient,
    tokens: Tokens,
    samtycke_id: str,
    vardnadshavare_id: str,
    parter: list[str] | None = None,
) -> Any:
    return client.post(
        f"{SAMTYCKEN}/{samtycke_id}/aterkallelse",
        json={
            "undertecknare": "vardnadshavare",
            "vardnadshavare_id": vardnadshavare_id,
            "parter": parter,
        },
        headers=tokens.headers("kurator"),
    )


def test_a_new_consent_waits_for_every_custodian(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    first = ny_vardnadshavare(client, tokens, elev["id"])
    second = ny_vardnadshavare(client, tokens, elev["id"])
    ny_vardnadshavare(client, tokens, elev["id"], har_vardnad=False)

    samtycke = nytt_samtycke(client, tokens, elev["id"])
    assert samtycke["status"] == "vantar_signatur"
    assert {s["vardnadshavare_id"] for s in samtycke["saknade_signaturer"]} == {
        first["id"],
        second["id"],
    }
    assert samtycke["giltig_fran"] == today().isoformat()

    samtycke = signera(client, tokens, samtycke["id"], vardnadshavare_id=first["id"])
    assert samtycke["status"] == "vantar_signatur"
    samtycke = signera(
        client, tokens, samtycke["id"], vardnadshavare_id=second["id"], metod="muntligt_noterat"
    )
    assert samtycke["status"] == "giltigt"
    assert samtycke["saknade_signaturer"] == []
    verbal = samtycke["signaturer"][1]
    me = client.get("/api/v1/auth/me", headers=tokens.headers("kurator")).json()
    assert (verbal["metod"], verbal["noterad_av"]) == ("muntligt_noterat", me["id"])


def test_a_pupil_without_custodians_on_record_cannot_have_a_valid_consent(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    samtycke = nytt_samtycke(client, tokens, elev["id"], elevens_signatur_kravs=True)
    samtycke = signera(client, tokens, samtycke["id"])
    assert samtycke["status"] == "vantar_signatur"
    assert samtycke["ingen_vardnadshavare_registrerad"] is True


def test_only_custodians_of_the_pupil_sign_and_only_once(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    custodian = ny_vardnadshavare(client, tokens, elev["id"])
    not_custodian = ny_vardnadshavare(client, tokens, elev["id"], har_vardnad=False)
    other_pupils = ny_vardnadshavare(client, tokens, ny_elev(client, tokens, db)["id"])
    samtycke = nytt_samtycke(client, tokens, elev["id"])
    url = f"{SAMTYCKEN}/{samtycke['id']}/signaturer"
    headers = tokens.headers("kurator")

    def sign(guardian: dict[str, Any]) -> int:
        body = {"undertecknare": "vardnadshavare", "vardnadshavare_id": guardian["id"]}
        response = client.post(url, json={**body, "metod": "papper"}, headers=headers)
        return int(response.status_code)

    assert sign(not_custodian) == 409
    assert sign(other_pupils) == 422
    assert sign(custodian) == 201
    assert sign(custodian) == 409


@pytest.mark.parametrize(
    ("body", "plats"),
    [
        ({"undertecknare": "vardnadshavare", "metod": "digital"}, "body"),
        (
            {"undertecknare": "elev", "metod": "digital", "vardnadshavare_id": None, "x": 1},
            "body.x",
        ),
        ({"undertecknare": "elev", "metod": "brevduva"}, "body.metod"),
        (
            {"undertecknare": "elev", "metod": "digital", "noterad_av": None, "signerad": "igår"},
            "body.signerad",
        ),
        ({"undertecknare": "elev", "metod": "digital", "signerad": 0}, "body.signerad"),
        (
            {"undertecknare": "elev", "metod": "digital", "signerad": "0001-01-01T00:00:00+01:00"},
            "body.signerad",
        ),
    ],
)
def test_signature_bodies_are_validated(
    client: TestClient, tokens: Tokens, db: Session, body: dict[str, Any], plats: str
) -> None:
    samtycke = nytt_samtycke(client, tokens, ny_elev(client, tokens, db)["id"])
    response = client.post(
        f"{SAMTYCKEN}/{samtycke['id']}/signaturer", json=body, headers=tokens.headers("kurator")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == plats


def test_a_signature_time_in_the_future_is_refused(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    samtycke = nytt_samtycke(client, tokens, ny_elev(client, tokens, db)["id"])
    future = (utcnow() + timedelta(days=1)).isoformat()
    response = client.post(
        f"{SAMTYCKEN}/{samtycke['id']}/signaturer",
        json={"undertecknare": "elev", "metod": "digital", "signerad": future},
        headers=tokens.headers("kurator"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["plats"] == "body.signerad"


@pytest.mark.parametrize(
    ("changes", "plats"),
    [
        ({"parter": ["skola"]}, "body.parter"),
        ({"parter": ["skola", "skola"]}, "body"),
        ({"parter": ["skola", "polisen"]}, "body.parter.1"),
        ({"syfte": ""}, "body.syfte"),
        ({"giltig_till": "2020-01-01"}, "body.giltig_till"),
        ({"giltig_fran": timedelta(days=3)}, "body.giltig_fran"),
    ],
)
def test_a_consent_names_parties_purpose_and_a_real_period(
    client: TestClient, tokens: Tokens, db: Session, changes: dict[str, Any], plats: str
) -> None:
    elev = ny_elev(client, tokens, db)
    body = {
        "parter": ["skola", "socialtjanst"],
        "syfte": "Närvaro",
        "omfattning": "Frånvarouppgifter",
        "giltig_till": (today() + timedelta(days=30)).isoformat(),
        **from_today(changes),
    }
    response = client.post(
        f"/api/v1/elever/{elev['id']}/samtycken", json=body, headers=tokens.headers("kurator")
    )
    assert response.status_code == 422
    assert plats in [error["plats"] for error in response.json()["errors"]]


def test_a_consent_is_changed_only_before_the_first_signature(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    guardian = ny_vardnadshavare(client, tokens, elev["id"])
    samtycke = nytt_samtycke(client, tokens, elev["id"])
    url = f"{SAMTYCKEN}/{samtycke['id']}"
    headers = tokens.headers("kurator")

    assert client.patch(url, json={"syfte": "Nytt"}, headers=headers).status_code == 428
    changed = client.patch(
        url,
        json={"parter": ["skola", "socialtjanst", "region"]},
        headers={**headers, "If-Match": '"1"'},
    )
    assert changed.status_code == 200
    assert changed.json()["parter"] == ["region", "skola", "socialtjanst"]
    signed = signera(client, tokens, samtycke["id"], vardnadshavare_id=guardian["id"])
    refused = client.patch(
        url, json={"syfte": "Annat"}, headers={**headers, "If-Match": f'"{signed["version"]}"'}
    )
    assert refused.status_code == 409
    assert client.get(url, headers=headers).json()["syfte"] == samtycke["syfte"]


def test_signing_gives_the_consent_a_new_etag(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    guardian = ny_vardnadshavare(client, tokens, elev["id"])
    samtycke = nytt_samtycke(client, tokens, elev["id"])
    signed = signera(client, tokens, samtycke["id"], vardnadshavare_id=guardian["id"])
    assert signed["version"] == samtycke["version"] + 1
    stale = client.patch(
        f"{SAMTYCKEN}/{samtycke['id']}",
        json={"syfte": "x"},
        headers={**tokens.headers("kurator"), "If-Match": f'"{samtycke["version"]}"'},
    )
    assert stale.status_code == 412


def test_partial_withdrawal_removes_the_named_party(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _, samtycke, guardians = elev_med_giltigt_samtycke(
        client, tokens, db, parter=("skola", "socialtjanst", "region")
    )
    response = _withdraw(client, tokens, samtycke["id"], guardians[1]["id"], ["region"])

    assert response.status_code == 201
    after = response.json()
    assert after["status"] == "giltigt"
    assert after["parter_som_galler"] == ["skola", "socialtjanst"]
    assert after["aterkallelser"][0]["parter"] == ["region"]
    again = _withdraw(client, tokens, samtycke["id"], guardians[0]["id"], ["region"])
    assert again.status_code == 422


def test_only_a_signer_withdraws_and_a_withdrawn_consent_stays_withdrawn(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, samtycke, guardians = elev_med_giltigt_samtycke(client, tokens, db)
    stranger = ny_vardnadshavare(client, tokens, elev["id"])
    assert _withdraw(client, tokens, samtycke["id"], stranger["id"]).status_code == 409

    whole = _withdraw(client, tokens, samtycke["id"], guardians[0]["id"])
    assert whole.status_code == 201
    assert whole.json()["status"] == "aterkallat"
    assert _withdraw(client, tokens, samtycke["id"], guardians[1]["id"]).status_code == 409
    late = client.post(
        f"{SAMTYCKEN}/{samtycke['id']}/signaturer",
        json={
            "undertecknare": "vardnadshavare",
            "vardnadshavare_id": stranger["id"],
            "metod": "papper",
        },
        headers=tokens.headers("kurator"),
    )
    assert late.status_code == 409


def test_a_new_custodian_puts_a_valid_consent_back_to_waiting(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, samtycke, _ = elev_med_giltigt_samtycke(client, tokens, db)
    ny_vardnadshavare(client, tokens, elev["id"])
    again = client.get(f"{SAMTYCKEN}/{samtycke['id']}", headers=tokens.headers("kurator"))
    assert again.json()["status"] == "vantar_signatur"


def test_a_custodian_a_consent_waits_for_is_neither_removed_nor_loses_custody(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    """Otherwise the other custodian's signature alone would put the consent in force."""
    elev = ny_elev(client, tokens, db)
    signed = ny_vardnadshavare(client, tokens, elev["id"])
    waited_for = ny_vardnadshavare(client, tokens, elev["id"])
    samtycke = nytt_samtycke(client, tokens, elev["id"])
    signera(client, tokens, samtycke["id"], vardnadshavare_id=signed["id"])
    kurator = tokens.headers("kurator")
    url = f"/api/v1/elever/{elev['id']}/vardnadshavare/{waited_for['id']}"
    if_match = {**kurator, "If-Match": f'"{waited_for["version"]}"'}

    removed = client.delete(url, headers=if_match)
    no_custody = client.patch(url, json={"har_vardnad": False}, headers=if_match)
    renamed = client.patch(url, json={"fornamn": "Ny"}, headers=if_match)

    assert removed.status_code == no_custody.status_code == 409
    assert renamed.status_code == 200
    again = client.get(f"{SAMTYCKEN}/{samtycke['id']}", headers=kurator).json()
    assert again["status"] == "vantar_signatur"
    assert [s["vardnadshavare_id"] for s in again["saknade_signaturer"]] == [waited_for["id"]]


def test_the_pupils_consents_are_listed_newest_first(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, first, _ = elev_med_giltigt_samtycke(client, tokens, db)
    second = nytt_samtycke(client, tokens, elev["id"], parter=("skola", "region"))
    listed = client.get(
        f"/api/v1/elever/{elev['id']}/samtycken", headers=tokens.headers("kurator")
    ).json()["data"]
    assert [(s["id"], s["status"]) for s in listed] == [
        (second["id"], "vantar_signatur"),
        (first["id"], "giltigt"),
    ]


def test_consents_of_another_kommun_do_not_exist(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _, samtycke, _ = elev_med_giltigt_samtycke(client, tokens, db)
    assert (
        client.get(f"{SAMTYCKEN}/{samtycke['id']}", headers=tokens.headers("kurator2")).status_code
        == 404
    )
