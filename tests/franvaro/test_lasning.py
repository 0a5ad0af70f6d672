"""Reading absence (DOMAIN.md: Absence; T 2.1–2.3): a pupil's records, sums, shares and tier for
those who may see the pupil, audited; the early warnings in the caller's scope, those who rose a
tier first, paged; the lists when the week has turned; the kommun's thresholds."""

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from app.core.time import SKOLTID, today
from app.elever.models import Elev, ElevExterntId
from app.franvaro.models import Franvarovecka, Narvaroberakning, Narvarolage
from app.franvaro.rules import Fonster, Minuter, bedom, vecka
from app.kit.pagination import encode_cursor
from tests.factories import ASEN, EKBACKEN, elev_i_databasen, elev_med_arende, ny_elev, skola_id
from tests.franvaro.helpers import SS12000, post, skicka
from tests.helpers import INTEGRATION, Tokens, audit_since, bearer, last_audit_id, password_login

VARNINGAR = "/api/v1/narvarovarningar"
GRANSER = "/api/v1/narvarogranser"
PROBLEM = "application/problem+json"


def _url(elev_id: str) -> str:
    return f"/api/v1/elever/{elev_id}/franvaro"


def _veckor_sedan(veckor: int) -> date:
    """A day `veckor` weeks back: 0–7 fall in the current window, 8–15 in the one before it."""
    return today() - timedelta(weeks=veckor)


def _franvaro(
    client: TestClient, tokens: Tokens, elev_id: str, konto: str = "kurator", **params: str
) -> dict[str, Any]:
    response = client.get(_url(elev_id), params=params, headers=tokens.headers(konto))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _med_andelar(
    client: TestClient,
    tokens: Tokens,
    elev_id: str,
    a: tuple[int, int],
    b: tuple[int, int] = (0, 0),
) -> None:
    """Sends one lesson-day of 1 000 minutes in each window: (valid, invalid) absent minutes of
    it now (a) and in the eight weeks before (b); (0, 0) sends nothing."""
    poster = []
    for veckor, (giltig, ogiltig) in ((2, a), (10, b)):
        if giltig or ogiltig:
            poster.append(
                post(
                    elev_id,
                    f"{elev_id}-{veckor}",
                    _veckor_sedan(veckor),
                    schemalagd=1000,
                    giltig=giltig,
                    ogiltig=ogiltig,
                )
            )
    if poster:
        assert skicka(client, tokens, poster)["avvisade"] == 0


def _varningar(
    client: TestClient, tokens: Tokens, konto: str = "kurator", **params: Any
) -> list[dict[str, Any]]:
    response = client.get(VARNINGAR, params={"limit": 500, **params}, headers=tokens.headers(konto))
    assert response.status_code == 200, response.text
    assert response.json()["nasta_cursor"] is None
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["elev"]["id"] for row in rows]


# The pupil's absence


def test_the_pupils_absence_sums_shares_and_tier(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    forra_veckan, veckan_innan = _veckor_sedan(1), _veckor_sedan(2)
    skicka(
        client,
        tokens,
        [
            post(elev, "p-1", veckan_innan, schemalagd=60, giltig=6, orsak="Sjuk"),
            post(elev, "p-2", veckan_innan, schemalagd=60, ogiltig=12),
            post(elev, "p-3", forra_veckan, schemalagd=120),
            # Ten weeks back: in the window before, not in the default period.
            post(elev, "p-gammal", _veckor_sedan(10), schemalagd=100, giltig=30),
        ],
    )

    body = _franvaro(client, tokens, elev)

    fonster = Fonster.per(today())
    assert (body["elev_id"], body["fran"], body["till"]) == (
        elev,
        fonster.a_fran.isoformat(),
        today().isoformat(),
    )
    assert body["summa"] == {
        "schemalagda_minuter": 240,
        "giltig_franvaro_minuter": 6,
        "ogiltig_franvaro_minuter": 12,
        "franvaro_procent": 7.5,
        "giltig_procent": 2.5,
        "ogiltig_procent": 5.0,
    }
    assert body["veckor"] == [
        {
            "vecka": vecka(veckan_innan).isoformat(),
            "schemalagda_minuter": 120,
            "giltig_franvaro_minuter": 6,
            "ogiltig_franvaro_minuter": 12,
            "franvaro_procent": 15.0,
            "giltig_procent": 5.0,
            "ogiltig_procent": 10.0,
        },
        {
            "vecka": vecka(forra_veckan).isoformat(),
            "schemalagda_minuter": 120,
            "giltig_franvaro_minuter": 0,
            "ogiltig_franvaro_minuter": 0,
            "franvaro_procent": 0.0,
            "giltig_procent": 0.0,
            "ogiltig_procent": 0.0,
        },
    ]
    assert [(p["kall_post_id"], p["orsak"], p["kalla"]) for p in body["poster"]] == [
        ("p-1", "Sjuk", "demo-integration"),
        ("p-2", None, "demo-integration"),
        ("p-3", None, "demo-integration"),
    ]
    assert body["narvaroniva"] == {
        "niva": "gul",
        "skal": ["ogiltig_franvaro"],
        "andel_procent": 7.5,
        "fran": fonster.a_fran.isoformat(),
        "till": (fonster.per_vecka + timedelta(days=6)).isoformat(),
        "foregaende_niva": "orange",
        "trend": "sjunkande",
        "granser": {"gul_procent": 10.0, "orange_procent": 20.0},
    }

    longer = _franvaro(client, tokens, elev, fran=_veckor_sedan(11).isoformat())
    assert longer["summa"]["schemalagda_minuter"] == 340
    assert [p["kall_post_id"] for p in longer["poster"]] == ["p-gammal", "p-1", "p-2", "p-3"]
    assert longer["narvaroniva"] == body["narvaroniva"]


def test_a_pupil_without_records_is_gron_without_schedule(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    body = _franvaro(client, tokens, elev)
    assert body["summa"]["franvaro_procent"] is None
    assert (body["veckor"], body["poster"], body["anmalningar"]) == ([], [], [])
    niva = body["narvaroniva"]
    assert (niva["niva"], niva["skal"], niva["andel_procent"], niva["trend"]) == (
        "gron",
        ["inget_schema"],
        None,
        "oforandrad",
    )


@pytest.mark.parametrize(
    ("a", "b", "niva", "skal", "trend"),
    [
        ((99, 0), (0, 0), "gron", ["under_granserna"], "oforandrad"),
        ((100, 0), (0, 0), "gul", ["over_gul_grans"], "stigande"),
        ((199, 0), (250, 0), "gul", ["over_gul_grans"], "sjunkande"),
        ((200, 0), (100, 0), "orange", ["over_orange_grans"], "stigande"),
        ((0, 1), (0, 1), "gul", ["ogiltig_franvaro"], "oforandrad"),
        ((150, 60), (0, 0), "orange", ["over_orange_grans", "ogiltig_franvaro"], "stigande"),
    ],
)
def test_the_pupils_tier_and_its_reasons(
    a: tuple[int, int],
    b: tuple[int, int],
    niva: str,
    skal: list[str],
    trend: str,
    client: TestClient,
    tokens: Tokens,
    db: Session,
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    _med_andelar(client, tokens, elev, a, b)

    narvaroniva = _franvaro(client, tokens, elev)["narvaroniva"]

    assert (narvaroniva["niva"], narvaroniva["skal"], narvaroniva["trend"]) == (niva, skal, trend)
    assert narvaroniva["andel_procent"] == (sum(a) / 10 if any(a) else None)
    # The early warnings say the same of the pupil, or leave them out at grön.
    listed = {row["elev"]["id"]: row for row in _varningar(client, tokens)}
    if niva == "gron":
        assert elev not in listed
    else:
        assert (listed[elev]["niva"], listed[elev]["trend"]) == (niva, trend)


def test_the_tier_of_an_earlier_period_is_as_of_its_last_day(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    _med_andelar(client, tokens, elev, (0, 0), (300, 0))
    till = _veckor_sedan(10)

    body = _franvaro(
        client, tokens, elev, fran=(till - timedelta(days=6)).isoformat(), till=till.isoformat()
    )

    assert body["narvaroniva"]["niva"] == "orange"
    assert body["narvaroniva"]["till"] == (vecka(till) + timedelta(days=6)).isoformat()
    assert body["summa"]["franvaro_procent"] == 30.0


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"fran": "2025-03-02", "till": "2025-03-01"}, 422),
        ({"fran": "2025-03-01", "till": "2025-03-01"}, 200),
        ({"fran": "2024-01-01", "till": "2025-02-04"}, 200),  # 400 days
        ({"fran": "2024-01-01", "till": "2025-02-05"}, 422),
        ({"fran": "2025-02-30"}, 422),
        ({"till": "1738540800"}, 422),
        ({"fran": "2025-03-01T00:00:00Z"}, 422),
        ({"till": "9999-12-31"}, 422),
        ({"fran": "0001-01-02", "till": "0001-01-03"}, 422),
    ],
)
def test_the_period_is_checked(
    params: dict[str, str], status: int, client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    response = client.get(_url(elev), params=params, headers=tokens.headers("kurator"))
    assert response.status_code == status, response.text
    if status == 422:
        assert response.headers["content-type"] == PROBLEM


def test_at_most_400_days(client: TestClient, tokens: Tokens, db: Session) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    till = today()

    def status(dagar: int) -> int:
        fran = (till - timedelta(days=dagar)).isoformat()
        response = client.get(
            _url(elev),
            params={"fran": fran, "till": till.isoformat()},
            headers=tokens.headers("kurator"),
        )
        code: int = response.status_code
        return code

    assert status(400) == 200
    assert status(401) == 422
    # Without till, the period ends today.
    fran = (today() - timedelta(days=401)).isoformat()
    assert (
        client.get(_url(elev), params={"fran": fran}, headers=tokens.headers("kurator")).status_code
        == 422
    )
    # With only till, the period is the eight weeks through till's week.
    early = _franvaro(client, tokens, elev, till=_veckor_sedan(20).isoformat())
    assert early["fran"] == Fonster.per(_veckor_sedan(20)).a_fran.isoformat()


@pytest.mark.parametrize(
    ("konto", "status"),
    [
        ("kurator", 200),
        ("rektor", 200),
        ("team-skola", 404),
        ("team-soc", 404),
        ("kurator2", 404),
        ("admin", 403),
        ("styrgrupp", 403),
        ("granskare", 403),
        ("demo-integration", 403),
    ],
)
def test_who_reads_a_pupils_absence(
    konto: str, status: int, client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    _med_andelar(client, tokens, elev, (300, 0))
    response = client.get(_url(elev), headers=tokens.headers(konto))
    assert response.status_code == status, response.text
    if status != 200:
        assert response.headers["content-type"] == PROBLEM
        assert "poster" not in response.json()


def test_staff_of_another_school_get_404(client: TestClient, tokens: Tokens, db: Session) -> None:
    elev = elev_i_databasen(db, ASEN)["id"]
    _med_andelar(client, tokens, elev, (300, 0))
    for konto in ("kurator", "rektor"):
        assert client.get(_url(elev), headers=tokens.headers(konto)).status_code == 404


def test_the_team_reads_with_a_case_and_social_services_only_with_consent(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, samtycke, guardians = elev_med_arende(client, tokens, db)
    _med_andelar(client, tokens, elev["id"], (300, 0))
    assert _franvaro(client, tokens, elev["id"], "team-skola")["summa"]["franvaro_procent"] == 30.0
    assert _franvaro(client, tokens, elev["id"], "team-soc")["narvaroniva"]["niva"] == "orange"

    withdrawn = client.post(
        f"/api/v1/samtycken/{samtycke['id']}/aterkallelse",
        json={"undertecknare": "vardnadshavare", "vardnadshavare_id": guardians[0]["id"]},
        headers=tokens.headers("kurator"),
    )
    assert withdrawn.status_code == 201, withdrawn.text

    assert client.get(_url(elev["id"]), headers=tokens.headers("team-soc")).status_code == 404
    assert client.get(_url(elev["id"]), headers=tokens.headers("team-skola")).status_code == 200


def test_reading_is_audited_with_its_basis(client: TestClient, tokens: Tokens, db: Session) -> None:
    elev, _, _ = elev_med_arende(client, tokens, db)
    other = ny_elev(client, tokens, db)["id"]
    before = last_audit_id(db)

    _franvaro(client, tokens, elev["id"], "kurator")
    _franvaro(client, tokens, elev["id"], "team-soc")
    assert client.get(_url(other), headers=tokens.headers("team-soc")).status_code == 404

    rows = audit_since(db, before)
    assert [(r.atgard, r.resurs_typ, str(r.elev_id), r.utfall) for r in rows[:2]] == [
        (Atgard.read, "franvaro", elev["id"], Utfall.allowed)
    ] * 2
    assert rows[0].rattslig_grund == "egen_skola"
    assert (rows[1].rattslig_grund or "").startswith("samtycke:")
    assert [(r.utfall, str(r.elev_id)) for r in rows[2:]] == [(Utfall.denied, other)]


# Early warnings


def test_early_warnings_list_those_who_rose_first_then_by_tier_and_share(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    andelar = {
        "orange_kvar": ((300, 0), (250, 0)),
        "gul_steg": ((120, 0), (0, 0)),
        "orange_steg": ((250, 0), (50, 0)),
        "gul_kvar": ((150, 0), (110, 0)),
        "gul_lagre": ((110, 0), (120, 0)),
        # More at the same tier, so that only the share explains their order.
        **{f"gul_{andel}": ((andel, 0), (100, 0)) for andel in (115, 125, 135, 145, 175, 195)},
        "ogiltig_steg": ((0, 1), (0, 0)),
        "gron": ((50, 0), (0, 0)),
        "gron_sjunkande": ((50, 0), (300, 0)),
        "utan_franvaro": ((0, 0), (0, 0)),
    }
    elever = {}
    for namn, (a, b) in andelar.items():
        elever[namn] = ny_elev(client, tokens, db)["id"]
        _med_andelar(client, tokens, elever[namn], a, b)
    before = last_audit_id(db)

    rows = _varningar(client, tokens)

    namn_for = {elev_id: namn for namn, elev_id in elever.items()}
    assert [namn_for[i] for i in _ids(rows)] == [
        "orange_steg",
        "gul_steg",
        "ogiltig_steg",
        "orange_kvar",
        "gul_195",
        "gul_175",
        "gul_kvar",
        "gul_145",
        "gul_135",
        "gul_125",
        "gul_115",
        "gul_lagre",
    ]
    by_name = {namn_for[row["elev"]["id"]]: row for row in rows}
    assert {k: v for k, v in by_name["orange_steg"].items() if k != "elev"} == {
        "niva": "orange",
        "foregaende_niva": "gron",
        "trend": "stigande",
        "stigit": True,
        "andel_procent": 25.0,
        "foregaende_andel_procent": 5.0,
        "ogiltig_franvaro_minuter": 0,
    }
    assert (
        by_name["gul_steg"]["foregaende_niva"],
        by_name["gul_steg"]["foregaende_andel_procent"],
    ) == (
        "gron",
        None,
    )
    assert (
        by_name["ogiltig_steg"]["niva"],
        by_name["ogiltig_steg"]["ogiltig_franvaro_minuter"],
    ) == (
        "gul",
        1,
    )
    assert (by_name["gul_lagre"]["trend"], by_name["gul_lagre"]["stigit"]) == ("oforandrad", False)
    assert by_name["orange_kvar"]["elev"] == {
        "id": elever["orange_kvar"],
        "fornamn": "Elev",
        "efternamn": "Exempel",
        "skola_id": str(skola_id(db, EKBACKEN)),
        "arskurs": "7",
    }
    # Each pupil listed is audited as a search, with the basis.
    audited = audit_since(db, before)
    assert sorted(str(r.elev_id) for r in audited) == sorted(_ids(rows))
    assert {(r.atgard, r.resurs_typ, r.rattslig_grund) for r in audited} == {
        (Atgard.search, "narvarovarning", "egen_skola")
    }


def test_early_warnings_filter_by_tier_and_school_year(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    gul7 = ny_elev(client, tokens, db)["id"]
    orange7 = ny_elev(client, tokens, db)["id"]
    gul8 = ny_elev(client, tokens, db, arskurs="8")["id"]
    orange8 = ny_elev(client, tokens, db, arskurs="8")["id"]
    for elev, a in ((gul7, (120, 0)), (orange7, (220, 0)), (gul8, (0, 5)), (orange8, (400, 0))):
        _med_andelar(client, tokens, elev, a)

    assert set(_ids(_varningar(client, tokens, niva="gul"))) == {gul7, gul8}
    assert set(_ids(_varningar(client, tokens, niva="orange"))) == {orange7, orange8}
    assert _ids(_varningar(client, tokens, arskurs="8")) == [orange8, gul8]
    assert _ids(_varningar(client, tokens, arskurs="8", niva="gul")) == [gul8]
    assert _ids(_varningar(client, tokens, arskurs="9")) == []
    assert _varningar(client, tokens, niva="gron") == []
    bad = client.get(VARNINGAR, params={"niva": "rod"}, headers=tokens.headers("kurator"))
    assert bad.status_code == 422


def _rektor_for_bada_skolorna(client: TestClient, tokens: Tokens, db: Session) -> dict[str, str]:
    anvandarnamn = f"rektor.{uuid.uuid4().hex[:8]}"
    losenord = "Ett-langt-losenord-for-rektorn-2025"
    response = client.post(
        "/api/v1/anvandare",
        json={
            "anvandarnamn": anvandarnamn,
            "namn": "Rektor för båda",
            "roll": "rektor",
            "skolor": [str(skola_id(db, EKBACKEN)), str(skola_id(db, ASEN))],
            "losenord": losenord,
        },
        headers=tokens.headers("admin"),
    )
    assert response.status_code == 201, response.text
    return bearer(password_login(client, anvandarnamn, losenord))


def test_early_warnings_keep_to_the_callers_schools(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    ekbacken = ny_elev(client, tokens, db)["id"]
    asen = elev_i_databasen(db, ASEN)["id"]
    _med_andelar(client, tokens, ekbacken, (120, 0))
    _med_andelar(client, tokens, asen, (300, 0))
    bada = _rektor_for_bada_skolorna(client, tokens, db)

    for konto in ("rektor", "kurator"):
        assert _ids(_varningar(client, tokens, konto)) == [ekbacken]
    assert _varningar(client, tokens, "kurator", skola=str(skola_id(db, ASEN))) == []
    assert _varningar(client, tokens, "kurator2") == []
    response = client.get(VARNINGAR, headers=bada)
    assert _ids(response.json()["data"]) == [asen, ekbacken]
    only_asen = client.get(VARNINGAR, params={"skola": str(skola_id(db, ASEN))}, headers=bada)
    assert _ids(only_asen.json()["data"]) == [asen]


def test_the_team_sees_warnings_for_its_cases_and_social_services_with_consent(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    med_arende, samtycke, guardians = elev_med_arende(client, tokens, db)
    utan_arende = ny_elev(client, tokens, db)["id"]
    _med_andelar(client, tokens, med_arende["id"], (300, 0))
    _med_andelar(client, tokens, utan_arende, (300, 0))

    assert _ids(_varningar(client, tokens, "team-skola")) == [med_arende["id"]]
    assert _ids(_varningar(client, tokens, "team-soc")) == [med_arende["id"]]
    withdrawn = client.post(
        f"/api/v1/samtycken/{samtycke['id']}/aterkallelse",
        json={"undertecknare": "vardnadshavare", "vardnadshavare_id": guardians[0]["id"]},
        headers=tokens.headers("kurator"),
    )
    assert withdrawn.status_code == 201, withdrawn.text
    assert _varningar(client, tokens, "team-soc") == []
    assert _ids(_varningar(client, tokens, "team-skola")) == [med_arende["id"]]


def test_protected_pupils_stay_out_of_the_teams_warnings(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    skyddad, _, _ = elev_med_arende(client, tokens, db, skyddad_identitet="skyddad_folkbokforing")
    _med_andelar(client, tokens, skyddad["id"], (300, 0))

    assert _varningar(client, tokens, "team-skola") == []
    assert _ids(_varningar(client, tokens, "kurator")) == [skyddad["id"]]


@pytest.mark.parametrize("konto", ["admin", "styrgrupp", "granskare", "demo-integration"])
def test_early_warnings_need_the_right_to_read_absence(
    konto: str, client: TestClient, tokens: Tokens
) -> None:
    assert client.get(VARNINGAR, headers=tokens.headers(konto)).status_code == 403


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_early_warnings_page_without_duplicates_or_gaps(
    limit: int, client: TestClient, tokens: Tokens, db: Session
) -> None:
    # Ties on every key but the id (the same shares), across the page boundaries.
    andelar = [(300, 0), (300, 0), (300, 0), (150, 0), (150, 0), (0, 1), (0, 1), (250, 0)]
    andelar += [(andel, 0) for andel in (110, 125, 140, 155, 170, 185)]
    elever = [ny_elev(client, tokens, db)["id"] for _ in andelar]
    for elev, a in zip(elever, andelar, strict=True):
        _med_andelar(client, tokens, elev, a, (150, 0) if a == (300, 0) else (0, 0))
    everyone = _ids(_varningar(client, tokens))
    assert sorted(everyone) == sorted(elever)

    paged: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = client.get(VARNINGAR, params=params, headers=tokens.headers("kurator"))
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["data"]) <= limit
        paged += _ids(page["data"])
        pages += 1
        cursor = page["nasta_cursor"]
        if cursor is None:
            break
        assert pages < 30

    assert paged == everyone
    assert pages == -(-len(everyone) // limit)


def test_a_cursor_from_elsewhere_is_422(client: TestClient, tokens: Tokens) -> None:
    huge = [10**30, 1, 1, str(uuid.uuid4())]
    for cursor in ("WyJ4Il0", "bm90LWpzb24", "WzEsMiwzXQ", encode_cursor(huge)):
        response = client.get(
            VARNINGAR, params={"cursor": cursor}, headers=tokens.headers("kurator")
        )
        assert response.status_code == 422, cursor
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["errors"] == [
            {"plats": "query.cursor", "meddelande": "Använd nasta_cursor från förra svaret."}
        ]


# The week turning


def _windows_from_records(db: Session, elev_id: str, per: date) -> tuple[Minuter, Minuter]:
    fonster = Fonster.per(per)
    a, b = Minuter(), Minuter()
    rows = db.execute(
        select(
            Franvarovecka.vecka,
            Franvarovecka.schemalagd,
            Franvarovecka.giltig,
            Franvarovecka.ogiltig,
        ).where(Franvarovecka.elev_id == uuid.UUID(elev_id))
    )
    for week, s, g, o in rows:
        part = fonster.del_av(week)
        if part == "a":
            a = a + Minuter(s, g, o)
        elif part == "b":
            b = b + Minuter(s, g, o)
    return a, b


def _set_state(db: Session, elev_id: str, per: date) -> None:
    """The pupil's state row as it stood in the week of `per`."""
    a, b = _windows_from_records(db, elev_id, per)
    db.execute(
        update(Narvarolage)
        .where(Narvarolage.elev_id == uuid.UUID(elev_id))
        .values(
            vecka=vecka(per),
            a_schemalagd=a.schemalagd,
            a_giltig=a.giltig,
            a_ogiltig=a.ogiltig,
            b_schemalagd=b.schemalagd,
            b_giltig=b.giltig,
            b_ogiltig=b.ogiltig,
        )
    )
    # The kommun's state as computed for that week, as it was then.
    db.execute(update(Narvaroberakning).values(vecka=vecka(per)))


def _state(db: Session) -> dict[str, tuple[date, int, int, int, int, int, int]]:
    n = Narvarolage
    rows = db.execute(
        select(
            n.elev_id,
            n.vecka,
            n.a_schemalagd,
            n.a_giltig,
            n.a_ogiltig,
            n.b_schemalagd,
            n.b_giltig,
            n.b_ogiltig,
        )
    )
    return {
        str(row.elev_id): (
            row.vecka,
            row.a_schemalagd,
            row.a_giltig,
            row.a_ogiltig,
            row.b_schemalagd,
            row.b_giltig,
            row.b_ogiltig,
        )
        for row in rows
    }


def test_when_the_week_has_turned_the_list_recomputes_the_windows(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    # Last week, eight weeks back was still in the current window; now it is in the one before.
    ut_ur_fonstret = ny_elev(client, tokens, db)["id"]
    skicka(
        client, tokens, [post(ut_ur_fonstret, "u-1", _veckor_sedan(8), schemalagd=100, giltig=40)]
    )
    # Sixteen weeks back was in the window before last week; now in none.
    ut_ur_forra = ny_elev(client, tokens, db)["id"]
    skicka(
        client,
        tokens,
        [
            post(ut_ur_forra, "f-1", _veckor_sedan(16), schemalagd=100, giltig=50),
            post(ut_ur_forra, "f-2", _veckor_sedan(3), schemalagd=100, giltig=15),
        ],
    )
    # Absence in this week: not in last week's windows at all.
    denna_vecka = ny_elev(client, tokens, db)["id"]
    skicka(client, tokens, [post(denna_vecka, "d-1", today(), schemalagd=100, giltig=30)])
    elever = (ut_ur_fonstret, ut_ur_forra, denna_vecka)
    expected = _varningar(client, tokens)
    current = _state(db)
    forra_veckan = today() - timedelta(weeks=1)
    for elev in elever:
        _set_state(db, elev, forra_veckan)
    stale = _state(db)
    # As the state stood last week: different tiers, so reading it unchanged would show.
    assert stale != current
    assert bedom(_windows_from_records(db, ut_ur_fonstret, forra_veckan)[0]).niva == "orange"
    assert bedom(_windows_from_records(db, ut_ur_forra, forra_veckan)[1]).niva == "orange"

    rows = _varningar(client, tokens)

    assert rows == expected
    by_id = {row["elev"]["id"]: row for row in rows}
    assert ut_ur_fonstret not in by_id  # grön now, orange the eight weeks before
    assert (by_id[ut_ur_forra]["niva"], by_id[ut_ur_forra]["foregaende_niva"]) == ("gul", "gron")
    assert by_id[denna_vecka]["niva"] == "orange"
    assert _state(db) == current
    assert {row[0] for row in _state(db).values()} == {Fonster.per(today()).per_vecka}


def test_records_sent_after_the_week_turned_count_once_the_list_recomputes(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    gammal = ny_elev(client, tokens, db)["id"]
    skicka(client, tokens, [post(gammal, "g-1", _veckor_sedan(4), schemalagd=100, giltig=12)])
    forra_veckan = today() - timedelta(weeks=1)
    _set_state(db, gammal, forra_veckan)
    # New absence for a pupil with a state row of last week, and for a pupil without one.
    ny = ny_elev(client, tokens, db)["id"]
    skicka(
        client,
        tokens,
        [
            post(gammal, "g-2", _veckor_sedan(2), schemalagd=100, giltig=20),
            post(ny, "n-1", _veckor_sedan(1), schemalagd=100, ogiltig=3),
        ],
    )

    rows = {row["elev"]["id"]: row for row in _varningar(client, tokens)}

    assert (rows[gammal]["niva"], rows[gammal]["andel_procent"]) == ("gul", 16.0)
    assert (rows[ny]["niva"], rows[ny]["andel_procent"]) == ("gul", 3.0)
    state = _state(db)
    assert state[gammal] == (Fonster.per(today()).per_vecka, 200, 32, 0, 0, 0, 0)
    assert state[ny] == (Fonster.per(today()).per_vecka, 100, 0, 3, 0, 0, 0)


# The kommun's thresholds


def test_thresholds_are_read_with_an_etag_and_changed_with_if_match(
    client: TestClient, tokens: Tokens
) -> None:
    admin = tokens.headers("admin")
    read = client.get(GRANSER, headers=admin)
    assert read.status_code == 200
    assert read.json() == {"gul_procent": 10.0, "orange_procent": 20.0, "veckor": 8}
    etag = read.headers["ETag"]
    body = {"gul_procent": 12.5, "orange_procent": 25}

    assert client.put(GRANSER, json=body, headers=admin).status_code == 428
    assert client.put(GRANSER, json=body, headers={**admin, "If-Match": '"99"'}).status_code == 412
    changed = client.put(GRANSER, json=body, headers={**admin, "If-Match": etag})

    assert changed.status_code == 200, changed.text
    assert changed.json() == {"gul_procent": 12.5, "orange_procent": 25.0, "veckor": 8}
    assert changed.headers["ETag"] != etag
    again = client.get(GRANSER, headers=admin)
    assert again.json() == changed.json()
    assert again.headers["ETag"] == changed.headers["ETag"]
    stale = client.put(
        GRANSER, json={"gul_procent": 5, "orange_procent": 6}, headers={**admin, "If-Match": etag}
    )
    assert stale.status_code == 412
    second = client.put(
        GRANSER,
        json={"gul_procent": 5, "orange_procent": 6},
        headers={**admin, "If-Match": again.headers["ETag"]},
    )
    assert second.status_code == 200
    # Another kommun keeps its own.
    assert client.get(GRANSER, headers=tokens.headers("admin2")).json()["gul_procent"] == 10.0


@pytest.mark.parametrize(
    "body",
    [
        {"gul_procent": 20, "orange_procent": 20},
        {"gul_procent": 20, "orange_procent": 10},
        {"gul_procent": 0, "orange_procent": 10},
        {"gul_procent": 10, "orange_procent": 100.01},
        {"gul_procent": 10.001, "orange_procent": 20},
        {"gul_procent": 10},
        {"gul_procent": 10, "orange_procent": 20, "veckor": 4},
        {"gul_procent": "tio", "orange_procent": 20},
    ],
)
def test_thresholds_that_make_no_sense_are_422(
    body: dict[str, Any], client: TestClient, tokens: Tokens
) -> None:
    admin = tokens.headers("admin")
    etag = client.get(GRANSER, headers=admin).headers["ETag"]
    response = client.put(GRANSER, json=body, headers={**admin, "If-Match": etag})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert client.get(GRANSER, headers=admin).json()["gul_procent"] == 10.0


@pytest.mark.parametrize(
    "konto", ["kurator", "rektor", "team-soc", "styrgrupp", "demo-integration"]
)
def test_only_admins_read_and_change_the_thresholds(
    konto: str, client: TestClient, tokens: Tokens
) -> None:
    assert client.get(GRANSER, headers=tokens.headers(konto)).status_code == 403
    put = client.put(
        GRANSER,
        json={"gul_procent": 1, "orange_procent": 2},
        headers={**tokens.headers(konto), "If-Match": '"0"'},
    )
    assert put.status_code == 403


def test_changed_thresholds_change_the_tiers(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    tolv = ny_elev(client, tokens, db)["id"]
    tjugofem = ny_elev(client, tokens, db)["id"]
    _med_andelar(client, tokens, tolv, (120, 0))
    _med_andelar(client, tokens, tjugofem, (250, 0))
    assert [r["niva"] for r in _varningar(client, tokens)] == ["orange", "gul"]
    admin = tokens.headers("admin")
    etag = client.get(GRANSER, headers=admin).headers["ETag"]

    changed = client.put(
        GRANSER,
        json={"gul_procent": 12.01, "orange_procent": 25.01},
        headers={**admin, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text

    rows = _varningar(client, tokens)
    assert [(r["elev"]["id"], r["niva"]) for r in rows] == [(tjugofem, "gul")]
    assert _varningar(client, tokens, niva="orange") == []
    niva = _franvaro(client, tokens, tolv)["narvaroniva"]
    assert (niva["niva"], niva["granser"]) == (
        "gron",
        {"gul_procent": 12.01, "orange_procent": 25.01},
    )
    assert _franvaro(client, tokens, tjugofem)["narvaroniva"]["niva"] == "gul"

    # Exactly at a threshold of the kommun counts, in the list as on the pupil's page.
    etag = changed.headers["ETag"]
    at = client.put(
        GRANSER, json={"gul_procent": 12, "orange_procent": 25}, headers={**admin, "If-Match": etag}
    )
    assert at.status_code == 200
    assert [(r["elev"]["id"], r["niva"]) for r in _varningar(client, tokens)] == [
        (tjugofem, "orange"),
        (tolv, "gul"),
    ]
    assert _franvaro(client, tokens, tolv)["narvaroniva"]["niva"] == "gul"


def test_a_pupil_exactly_at_a_threshold_with_decimals_is_at_it_in_the_list_too(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    # 473 of 10 000 minutes is exactly 4.73 %; 4.73 is not exact in binary floating point.
    elev = ny_elev(client, tokens, db)["id"]
    poster = [
        post(elev, f"tio-{n}", _veckor_sedan(1) - timedelta(days=n), schemalagd=1000, giltig=g)
        for n, g in enumerate([473] + [0] * 9)
    ]
    assert skicka(client, tokens, poster)["skapade"] == 10
    admin = tokens.headers("admin")
    etag = client.get(GRANSER, headers=admin).headers["ETag"]
    granser = {"gul_procent": 4.73, "orange_procent": 9.99}
    assert client.put(GRANSER, json=granser, headers={**admin, "If-Match": etag}).status_code == 200

    niva = _franvaro(client, tokens, elev)["narvaroniva"]
    rows = _varningar(client, tokens)

    assert (niva["niva"], niva["andel_procent"]) == ("gul", 4.73)
    assert [(r["elev"]["id"], r["niva"], r["andel_procent"]) for r in rows] == [(elev, "gul", 4.73)]


# The pupil list by tier


def test_the_pupil_list_filters_by_tier(client: TestClient, tokens: Tokens, db: Session) -> None:
    gron = ny_elev(client, tokens, db)["id"]
    utan = ny_elev(client, tokens, db)["id"]
    gul = ny_elev(client, tokens, db)["id"]
    orange = ny_elev(client, tokens, db)["id"]
    _med_andelar(client, tokens, gron, (50, 0))
    _med_andelar(client, tokens, gul, (0, 1))
    _med_andelar(client, tokens, orange, (200, 0))

    def listed(niva: str) -> set[str]:
        response = client.get(
            "/api/v1/elever",
            params={"narvaroniva": niva, "limit": 500},
            headers=tokens.headers("kurator"),
        )
        assert response.status_code == 200, response.text
        return {row["id"] for row in response.json()["data"]} & {gron, utan, gul, orange}

    assert listed("gul") == {gul}
    assert listed("orange") == {orange}
    assert listed("gron") == {gron, utan}
    bad = client.get(
        "/api/v1/elever", params={"narvaroniva": "rod"}, headers=tokens.headers("kurator")
    )
    assert bad.status_code == 422


def _anmalan(
    client: TestClient, tokens: Tokens, db: Session, elev_id: str, start: datetime, slut: datetime
) -> None:
    _kall_id = f"person-{elev_id}"
    elev = db.get(Elev, uuid.UUID(elev_id))
    assert elev is not None
    db.add(
        ElevExterntId(
            kommun_id=elev.kommun_id, kalla=INTEGRATION, extern_id=_kall_id, elev_id=elev.id
        )
    )
    db.flush()
    notice = {
        "id": f"anmalan-{elev_id}",
        "student": {"id": _kall_id},
        "startTime": start.isoformat(),
        "endTime": slut.isoformat(),
        "type": "Anmäld frånvaro",
    }
    assert skicka(client, tokens, [notice], url=f"{SS12000}/absences")["skapade"] == 1


@pytest.mark.parametrize("klockan", [time(0, 10), time(23, 50)])
def test_a_notice_is_shown_for_the_swedish_days_it_covers(
    klockan: time, client: TestClient, tokens: Tokens, db: Session
) -> None:
    # Just after midnight or just before it in Sweden is another day in UTC.
    elev = ny_elev(client, tokens, db)["id"]
    dag = _veckor_sedan(3)
    start = datetime.combine(dag, klockan, SKOLTID)
    _anmalan(client, tokens, db, elev, start, start + timedelta(minutes=5))

    def shown(fran: date, till: date) -> int:
        body = _franvaro(client, tokens, elev, fran=fran.isoformat(), till=till.isoformat())
        return len(body["anmalningar"])

    assert shown(dag, dag) == 1
    assert shown(dag - timedelta(days=5), dag - timedelta(days=1)) == 0
    assert shown(dag + timedelta(days=1), dag + timedelta(days=5)) == 0


def test_an_unknown_pupil_is_404_and_a_bad_id_422(client: TestClient, tokens: Tokens) -> None:
    unknown = client.get(_url(str(uuid.uuid4())), headers=tokens.headers("kurator"))
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == PROBLEM
    assert client.get(_url("inte-ett-id"), headers=tokens.headers("kurator")).status_code == 422
