"""Absence intake (DOMAIN.md: Absence; API.md: Idempotency): a record is stored once per source
and id and replaced when it changes, whatever the order and however often batches are resent; the
week sums and the pupils' window sums always equal the sums of the records; each refused record
says why and never takes the others with it."""

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.time import SKOLTID, today
from app.franvaro import service
from app.franvaro.batch import MAX_POSTER
from app.franvaro.intake import SAMMA_ID
from app.franvaro.models import Narvarolage
from app.franvaro.rules import vecka
from tests.factories import ASEN, EKBACKEN, GRANNBYN, elev_i_databasen, ny_elev, skola_id
from tests.franvaro.helpers import (
    FRANVARO,
    SS12000,
    assert_sums_follow_the_records,
    kall_id,
    lagrade,
    post,
    skicka,
    som_lagrad,
    utan_elev_id,
)
from tests.helpers import INTEGRATION, Tokens, audit_since, bearer, client_login, last_audit_id

PROBLEM = "application/problem+json"


def _counts(answer: dict[str, Any]) -> tuple[int, int, int, int, int]:
    """The answer's counts; every record received is counted once, each refusal listed."""
    assert answer["mottagna"] == sum(
        answer[k] for k in ("skapade", "uppdaterade", "oforandrade", "avvisade")
    )
    assert answer["avvisade"] == len(answer["avvisningar"])
    return (
        answer["mottagna"],
        answer["skapade"],
        answer["uppdaterade"],
        answer["oforandrade"],
        answer["avvisade"],
    )


def test_a_batch_is_stored_and_sent_again_is_unchanged(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    poster = [
        post(elev["id"], "lektion-1", today(), giltig=10, orsak="Sjuk"),
        post(elev["id"], "lektion-2", today() - timedelta(days=1), ogiltig=60),
        post(elev["id"], "lektion-3", today() - timedelta(weeks=10), schemalagd=45),
    ]
    before = last_audit_id(db)

    first = skicka(client, tokens, poster)
    again = skicka(client, tokens, poster)

    assert _counts(first) == (3, 3, 0, 0, 0)
    assert (first["avvisningar"], first["anmarkningar"]) == ([], [])
    assert _counts(again) == (3, 0, 0, 3, 0)
    stored = lagrade(db)
    assert stored == {p["kall_post_id"]: som_lagrad(p) for p in poster}
    assert_sums_follow_the_records(db, stored)
    # One row per batch: the integration writes on the kommun's behalf.
    rows = audit_since(db, before)
    assert [(r.atgard.value, r.resurs_typ, r.rattslig_grund) for r in rows] == [
        ("create", "franvaro", "integration")
    ] * 2


@dataclass
class _Replay:
    """Records sent so far and what the service should answer to the next batch."""

    rng: random.Random
    elever: list[str]
    last: dict[str, dict[str, Any]]

    def version(self, kall_post_id: str) -> dict[str, Any]:
        rng = self.rng
        schemalagd = rng.choice([40, 60, 90, 480])
        giltig = rng.randint(0, schemalagd)
        ogiltig = rng.randint(0, schemalagd - giltig) if rng.random() < 0.4 else 0
        # Up to twenty weeks back: the current window, the one before it, and before both.
        datum = today() - timedelta(days=rng.randint(0, 140))
        extra = {"orsak": rng.choice(["Sjuk", "Tandläkare"])} if rng.random() < 0.3 else {}
        return post(
            rng.choice(self.elever),
            kall_post_id,
            datum,
            schemalagd=schemalagd,
            giltig=giltig,
            ogiltig=ogiltig,
            **extra,
        )

    def changed(self, record: dict[str, Any]) -> dict[str, Any]:
        new = self.version(record["kall_post_id"])
        # Often only one thing changes: the minutes, the invalid minutes alone, the day, the
        # pupil or the reason.
        what = self.rng.choice(["all", "minutes", "invalid", "day", "pupil", "reason"])
        if what == "all":
            return new
        keep = dict(record)
        if what == "invalid":
            room = keep["schemalagda_minuter"] - keep["giltig_franvaro_minuter"]
            keep["ogiltig_franvaro_minuter"] = (keep["ogiltig_franvaro_minuter"] + 1) % (room + 1)
            return keep
        if what == "reason":
            keep["orsak"] = "Ändrad" if keep.get("orsak") != "Ändrad" else None
            return keep
        if what == "minutes":
            for key in (
                "schemalagda_minuter",
                "giltig_franvaro_minuter",
                "ogiltig_franvaro_minuter",
            ):
                keep[key] = new[key]
        elif what == "day":
            keep["datum"] = new["datum"]
        else:
            keep["elev_id"] = new["elev_id"]
        return keep

    def expect(self, batch: list[dict[str, Any]]) -> tuple[int, int, int, int, int]:
        skapade = uppdaterade = oforandrade = 0
        for record in batch:
            old = self.last.get(record["kall_post_id"])
            if old is None:
                skapade += 1
            elif som_lagrad(old) != som_lagrad(record):
                uppdaterade += 1
            else:
                oforandrade += 1
            self.last[record["kall_post_id"]] = record
        return len(batch), skapade, uppdaterade, oforandrade, 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replayed_shuffled_and_changed_batches_leave_the_last_version_of_each_record(
    seed: int, client: TestClient, tokens: Tokens, db: Session
) -> None:
    elever = [ny_elev(client, tokens, db)["id"] for _ in range(3)]
    elever.append(elev_i_databasen(db, ASEN)["id"])
    replay = _Replay(random.Random(seed), elever, {})
    batches = [[replay.version(f"s{seed}-b{b}-r{r}") for r in range(12)] for b in range(3)]
    sent: list[list[dict[str, Any]]] = []

    for _round in range(6):
        order = list(range(len(batches)))
        replay.rng.shuffle(order)
        for b in order:
            batches[b] = [replay.changed(r) if replay.rng.random() < 0.3 else r for r in batches[b]]
            batch = list(batches[b])
            replay.rng.shuffle(batch)
            sent.append(batch)
            expected = replay.expect(batch)
            assert _counts(skicka(client, tokens, batch)) == expected
        # An older batch arrives again (a retry from a queue): its versions are the last now.
        old = replay.rng.choice(sent)
        expected = replay.expect(old)
        assert _counts(skicka(client, tokens, old)) == expected

    stored = lagrade(db)
    assert stored == {k: som_lagrad(r) for k, r in replay.last.items()}
    assert len(stored) == 36
    assert_sums_follow_the_records(db, stored)


def test_a_record_moved_to_another_pupil_and_week_moves_its_sums(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    forsta, andra = (ny_elev(client, tokens, db)["id"] for _ in range(2))
    skicka(client, tokens, [post(forsta, "flyttad", today(), schemalagd=60, giltig=30)])
    moved = post(andra, "flyttad", today() - timedelta(weeks=9), schemalagd=60, ogiltig=60)

    assert _counts(skicka(client, tokens, [moved])) == (1, 0, 1, 0, 0)

    stored = lagrade(db)
    assert stored == {"flyttad": som_lagrad(moved)}
    assert_sums_follow_the_records(db, stored)
    # The first pupil's window is back to nothing.
    lage = db.execute(
        select(Narvarolage.a_schemalagd, Narvarolage.a_giltig).where(
            Narvarolage.elev_id == uuid.UUID(forsta)
        )
    ).one()
    assert tuple(lage) == (0, 0)


@pytest.mark.parametrize(
    "andring",
    [
        {"ogiltig_franvaro_minuter": 1},
        {"giltig_franvaro_minuter": 11},
        {"schemalagda_minuter": 61},
        {"orsak": "Tandläkare"},
        {"orsak": None},
    ],
)
def test_a_change_of_any_one_field_replaces_the_record(
    andring: dict[str, Any], client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    record = post(elev["id"], "en-andring", today(), giltig=10, orsak="Sjuk")
    skicka(client, tokens, [record])
    changed = {**record, **andring}

    assert _counts(skicka(client, tokens, [changed])) == (1, 0, 1, 0, 0)

    stored = lagrade(db)
    assert stored == {"en-andring": som_lagrad(changed)}
    assert_sums_follow_the_records(db, stored)


def test_an_empty_reason_is_no_reason(client: TestClient, tokens: Tokens, db: Session) -> None:
    elev = ny_elev(client, tokens, db)
    utan = post(elev["id"], "utan-orsak", today())
    skicka(client, tokens, [utan])
    assert _counts(skicka(client, tokens, [{**utan, "orsak": ""}])) == (1, 0, 0, 1, 0)
    assert _counts(skicka(client, tokens, [{**utan, "orsak": None}])) == (1, 0, 0, 1, 0)
    assert lagrade(db)["utan-orsak"][5] is None


def test_the_same_id_twice_in_a_batch_the_later_counts(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    forst = post(elev["id"], "dubbel", today(), giltig=10)
    sedan = post(elev["id"], "dubbel", today(), giltig=20)
    annan = post(elev["id"], "annan", today())

    answer = skicka(client, tokens, [forst, annan, sedan])

    assert _counts(answer) == (3, 2, 0, 0, 1)
    assert answer["avvisningar"] == [{"index": 0, "id": "dubbel", "skal": SAMMA_ID}]
    stored = lagrade(db)
    assert stored == {"dubbel": som_lagrad(sedan), "annan": som_lagrad(annan)}
    assert_sums_follow_the_records(db, stored)


def test_a_retry_with_the_idempotency_key_gets_the_first_answer(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    batch = [post(elev["id"], "idem-1", today(), giltig=5), post(elev["id"], "idem-2", today())]
    key = {"Idempotency-Key": f"batch-{uuid.uuid4()}"}
    first = skicka(client, tokens, batch, headers=key)
    changed = post(elev["id"], "idem-1", today(), giltig=50)
    assert _counts(skicka(client, tokens, [changed])) == (1, 0, 1, 0, 0)

    retry = skicka(client, tokens, batch, headers=key)

    assert retry == first
    assert _counts(retry) == (2, 2, 0, 0, 0)
    # The retry was answered, not run again: the change made in between stays.
    stored = lagrade(db)
    assert stored["idem-1"] == som_lagrad(changed)
    assert_sums_follow_the_records(db, stored)
    # Without the key, the same batch runs and replaces the change.
    assert _counts(skicka(client, tokens, batch)) == (2, 0, 1, 1, 0)


def test_a_retry_formatted_otherwise_is_the_same_batch(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    batch = [post(elev["id"], "format-1", today(), giltig=5)]
    headers = {
        **tokens.headers(INTEGRATION),
        "Idempotency-Key": f"batch-{uuid.uuid4()}",
        "Content-Type": "application/json",
    }
    compact = client.post(FRANVARO, content=json.dumps(batch), headers=headers)
    indented = client.post(FRANVARO, content=json.dumps(batch, indent=2), headers=headers)

    assert compact.status_code == indented.status_code == 200, indented.text
    assert indented.json() == compact.json()


def test_the_same_idempotency_key_with_another_batch_is_422(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    key = {"Idempotency-Key": "nyckel-som-ateranvands"}
    skicka(client, tokens, [post(elev["id"], "k-1", today())], headers=key)

    response = client.post(
        FRANVARO,
        json=[post(elev["id"], "k-2", today())],
        headers={**tokens.headers(INTEGRATION), **key},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    assert problem["type"].endswith("/ogiltig-indata")
    assert "Idempotency-Key" in problem["detail"]
    assert problem["errors"][0]["plats"] == "header.Idempotency-Key"
    assert set(lagrade(db)) == {"k-1"}


def test_an_idempotency_key_belongs_to_one_operation(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    key = {"Idempotency-Key": "samma-nyckel-annan-operation"}
    skicka(client, tokens, [], headers=key)

    again = client.post(
        f"{SS12000}/absences", json=[], headers={**tokens.headers(INTEGRATION), **key}
    )

    assert again.status_code == 422
    assert again.headers["content-type"] == PROBLEM


def test_more_than_the_maximum_number_of_records_is_413(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    poster = [post(elev["id"], "for-manga", today())] * (MAX_POSTER + 1)

    response = client.post(FRANVARO, json=poster, headers=tokens.headers(INTEGRATION))

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert str(MAX_POSTER) in response.json()["detail"]
    assert str(MAX_POSTER + 1) in response.json()["detail"]
    assert lagrade(db) == {}


def test_the_maximum_number_of_records_is_taken(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    poster = [
        post(elev["id"], f"max-{n}", today() - timedelta(days=n % 50), schemalagd=1)
        for n in range(MAX_POSTER)
    ]

    answer = skicka(client, tokens, poster)

    assert _counts(answer) == (MAX_POSTER, MAX_POSTER, 0, 0, 0)
    # Sent again with every other record changed: each one found among many (SQLite looks
    # them up in chunks, PostgreSQL in one array).
    again = [{**p, "giltig_franvaro_minuter": 1} if n % 2 else p for n, p in enumerate(poster)]
    half = MAX_POSTER // 2
    assert _counts(skicka(client, tokens, again)) == (MAX_POSTER, 0, half, half, 0)
    stored = lagrade(db)
    assert stored == {p["kall_post_id"]: som_lagrad(p) for p in again}
    assert_sums_follow_the_records(db, stored)


@pytest.mark.parametrize(
    "body",
    [
        b'{"poster": []}',
        b'{"data": "inte en lista"}',
        b'"en text"',
        b"42",
        b"null",
        b"[{]",
        b"",
        b'[{"kall_post_id": "a"',
    ],
)
def test_a_body_that_is_not_a_list_of_records_is_422(
    body: bytes, client: TestClient, tokens: Tokens
) -> None:
    response = client.post(
        FRANVARO,
        content=body,
        headers={**tokens.headers(INTEGRATION), "Content-Type": "application/json"},
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith("/ogiltig-indata")


def test_the_list_envelope_is_taken_as_well(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    answer = skicka(client, tokens, {"data": [post(elev["id"], "kuvert", today())]})
    assert _counts(answer) == (1, 1, 0, 0, 0)
    assert set(lagrade(db)) == {"kuvert"}


@dataclass(frozen=True)
class _Elever:
    egen: str
    grann: str


FEL = "Ogiltig post: "

# Each refused record: how to build it from a good one, the id the answer names, and the reason
# (a reason ending in ": " is a validation message about the field after it).
AVVISNINGAR: dict[str, tuple[Any, str | None, str]] = {
    "okant_elev_id": (lambda r, e: {**r, "elev_id": str(uuid.uuid4())}, "x", service.OKAND_ELEV_ID),
    "annan_kommuns_elev": (lambda r, e: {**r, "elev_id": e.grann}, "x", service.OKAND_ELEV_ID),
    "okant_kall_elev_id": (
        lambda r, e: utan_elev_id(r, kall_elev_id="finns-inte"),
        "x",
        service.OKAND_ELEV,
    ),
    "annan_kommuns_kall_elev_id": (
        lambda r, e: utan_elev_id(r, kall_elev_id="grannens-elev"),
        "x",
        service.OKAND_ELEV,
    ),
    "kall_elev_id_i_annan_kalla": (
        lambda r, e: utan_elev_id(r, kall_elev_id="annat-system-elev"),
        "x",
        service.OKAND_ELEV,
    ),
    "bade_elev_id_och_kall_elev_id": (
        lambda r, e: {**r, "kall_elev_id": "egen-elev"},
        "x",
        service.BADA_ELEV,
    ),
    "varken_elev_id_eller_kall_elev_id": (lambda r, e: utan_elev_id(r), "x", service.INGEN_ELEV),
    "for_manga_minuter": (
        lambda r, e: {
            **r,
            "schemalagda_minuter": 60,
            "giltig_franvaro_minuter": 40,
            "ogiltig_franvaro_minuter": 21,
        },
        "x",
        service.FOR_MANGA_MINUTER,
    ),
    "framtida_datum": (
        lambda r, e: {**r, "datum": (today() + timedelta(days=1)).isoformat()},
        "x",
        service.FRAMTIDA_DATUM,
    ),
    "omojligt_datum": (lambda r, e: {**r, "datum": "2025-02-30"}, "x", FEL + "datum"),
    "datum_med_tid": (lambda r, e: {**r, "datum": "2025-02-03T08:00:00Z"}, "x", FEL + "datum"),
    "datum_som_tal": (lambda r, e: {**r, "datum": 1_738_540_800}, "x", FEL + "datum"),
    "okant_falt": (lambda r, e: {**r, "kommentar": "extra"}, "x", FEL + "kommentar"),
    "nul_i_orsak": (lambda r, e: {**r, "orsak": "Sjuk\x00"}, "x", FEL + "orsak"),
    "nul_i_kall_elev_id": (
        lambda r, e: utan_elev_id(r, kall_elev_id="a\x00b"),
        "x",
        FEL + "kall_elev_id",
    ),
    "minuter_som_text": (
        lambda r, e: {**r, "schemalagda_minuter": "sextio"},
        "x",
        FEL + "schemalagda_minuter",
    ),
    "negativa_minuter": (
        lambda r, e: {**r, "giltig_franvaro_minuter": -1},
        "x",
        FEL + "giltig_franvaro_minuter",
    ),
    "mer_an_ett_dygn": (
        lambda r, e: {**r, "schemalagda_minuter": 24 * 60 + 1},
        "x",
        FEL + "schemalagda_minuter",
    ),
    "minuter_som_decimaltal": (
        lambda r, e: {**r, "ogiltig_franvaro_minuter": 1.5},
        "x",
        FEL + "ogiltig_franvaro_minuter",
    ),
    "elev_id_inte_uuid": (lambda r, e: {**r, "elev_id": "elev-1"}, "x", FEL + "elev_id"),
    "utan_kall_post_id": (
        lambda r, e: {k: v for k, v in r.items() if k != "kall_post_id"},
        None,
        FEL + "kall_post_id",
    ),
    "for_langt_kall_post_id": (lambda r, e: {**r, "kall_post_id": "x" * 101}, None, FEL),
    "kall_post_id_som_tal": (lambda r, e: {**r, "kall_post_id": 7}, None, FEL + "kall_post_id"),
    "inte_ett_objekt": (lambda r, e: [r], None, FEL),
    "null": (lambda r, e: None, None, FEL),
}


@pytest.mark.parametrize("fall", sorted(AVVISNINGAR))
def test_a_refused_record_says_why_and_the_others_are_stored(
    fall: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    egen = ny_elev(client, tokens, db)["id"]
    grann = elev_i_databasen(db, GRANNBYN)["id"]
    kall_id(db, egen, "egen-elev")
    kall_id(db, grann, "grannens-elev")
    kall_id(db, egen, "annat-system-elev", kalla="annat-system")
    build, id_, skal = AVVISNINGAR[fall]
    bad = build(post(egen, "x", today() - timedelta(days=2)), _Elever(egen, grann))
    good = [
        post(egen, "fore", today() - timedelta(days=1), giltig=15),
        utan_elev_id(post(egen, "efter", today(), ogiltig=5), kall_elev_id="egen-elev"),
    ]

    answer = skicka(client, tokens, [good[0], bad, good[1]])

    assert _counts(answer) == (3, 2, 0, 0, 1)
    [avvisning] = answer["avvisningar"]
    assert (avvisning["index"], avvisning["id"]) == (1, id_)
    if skal.startswith(FEL):
        assert avvisning["skal"].startswith(skal), avvisning["skal"]
    else:
        assert avvisning["skal"] == skal
    stored = lagrade(db)
    assert stored == {
        "fore": som_lagrad(good[0]),
        "efter": som_lagrad({**good[1], "elev_id": egen}),
    }
    assert_sums_follow_the_records(db, stored)


def test_validation_reasons_never_echo_the_value(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    secret = "199001011234 Anna Andersson"
    answer = skicka(client, tokens, [post(elev["id"], "x", today(), schemalagda_minuter=secret)])
    assert answer["avvisade"] == 1
    assert secret not in answer["avvisningar"][0]["skal"]


def _ny_integration(client: TestClient, tokens: Tokens, db: Session, skola: str) -> tuple[str, str]:
    """An integration client bound to one school: (its klient_id, a token for it)."""
    response = client.post(
        "/api/v1/integrationer",
        json={"namn": "Närvarosystem för en skola", "skolor": [str(skola_id(db, skola))]},
        headers=tokens.headers("admin"),
    )
    assert response.status_code == 201, response.text
    created = response.json()
    return created["klient_id"], client_login(
        client, created["klient_id"], created["klient_hemlighet"]
    )


def test_a_client_sends_only_for_the_schools_it_is_bound_to(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    klient_id, token = _ny_integration(client, tokens, db, EKBACKEN)
    ekbacken = ny_elev(client, tokens, db)["id"]
    asen = elev_i_databasen(db, ASEN)["id"]
    kall_id(db, asen, "asen-elev", kalla=klient_id)
    poster = [
        post(asen, "asen-1", today()),
        post(ekbacken, "ekbacken-1", today(), giltig=20),
        utan_elev_id(post(asen, "asen-2", today()), kall_elev_id="asen-elev"),
    ]

    response = client.post(FRANVARO, json=poster, headers=bearer(token))

    assert response.status_code == 200, response.text
    answer = response.json()
    assert _counts(answer) == (3, 1, 0, 0, 2)
    assert [(a["index"], a["id"], a["skal"]) for a in answer["avvisningar"]] == [
        (0, "asen-1", service.ANNAN_SKOLA),
        (2, "asen-2", service.ANNAN_SKOLA),
    ]
    assert lagrade(db, kalla=klient_id) == {"ekbacken-1": som_lagrad(poster[1])}
    # The demo integration is bound to both schools and may send the same pupil's absence.
    assert _counts(skicka(client, tokens, poster[:2])) == (2, 2, 0, 0, 0)


def test_two_sources_keep_their_own_records_with_the_same_ids(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    klient_id, token = _ny_integration(client, tokens, db, EKBACKEN)
    elev = ny_elev(client, tokens, db)["id"]
    demo = post(elev, "samma-id", today(), giltig=10)
    egen = post(elev, "samma-id", today(), giltig=30)

    skicka(client, tokens, [demo])
    response = client.post(FRANVARO, json=[egen], headers=bearer(token))

    assert _counts(response.json()) == (1, 1, 0, 0, 0)
    assert lagrade(db) == {"samma-id": som_lagrad(demo)}
    assert lagrade(db, kalla=klient_id) == {"samma-id": som_lagrad(egen)}
    assert_sums_follow_the_records(db, {"demo": som_lagrad(demo), "egen": som_lagrad(egen)})


@pytest.mark.parametrize("konto", ["kurator", "rektor", "admin", "team-soc", "kurator2"])
@pytest.mark.parametrize(
    "url",
    [
        FRANVARO,
        f"{SS12000}/attendances",
        f"{SS12000}/calendarEvents",
        f"{SS12000}/absences",
    ],
)
def test_only_integration_clients_send_absence(
    konto: str, url: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)
    response = client.post(
        url, json=[post(elev["id"], "person", today())], headers=tokens.headers(konto)
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    assert lagrade(db) == {}


def test_a_time_outside_the_years_kept_refuses_only_its_record(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    """Far enough out that moving it to UTC or to the school's day would overflow."""
    elev = ny_elev(client, tokens, db)["id"]
    kall_id(db, elev, "person-ar")
    start, slut = _tidpunkt(today(), time(8, 0)), _tidpunkt(today(), time(9, 0))

    def anmalan(id_: str, start: str, slut: str) -> dict[str, Any]:
        student = {"id": "person-ar"}
        return {
            "id": id_,
            "student": student,
            "startTime": start,
            "endTime": slut,
            "type": "Anmäld frånvaro",
        }

    answer = skicka(
        client,
        tokens,
        [
            anmalan("anm-tidig", "0001-01-01T00:00:00+01:00", slut),
            anmalan("anm-sen", start, "9999-12-31T23:59:59-14:00"),
            anmalan("anm-ok", start, slut),
        ],
        url=f"{SS12000}/absences",
    )
    narvaro = skicka(
        client,
        tokens,
        [
            {
                "id": "narvaro-sen",
                "student": {"id": "person-ar"},
                "validAbsenceMinutes": 10,
                "reportedTimestamp": "9999-12-31T23:30:00-01:00",
            }
        ],
        url=f"{SS12000}/attendances",
    )

    assert _counts(answer) == (3, 1, 0, 0, 2)
    utanfor = "Value error, Ska ligga mellan år 1900 och 2100."
    assert {a["id"]: a["skal"] for a in answer["avvisningar"]} == {
        "anm-tidig": f"{FEL}startTime: {utanfor}",
        "anm-sen": f"{FEL}endTime: {utanfor}",
    }
    assert narvaro["avvisningar"][0]["skal"] == f"{FEL}reportedTimestamp: {utanfor}"


def _veckosumma(person: str, start: date, **sums: Any) -> dict[str, Any]:
    return {
        "student": {"id": person},
        "activity": {"id": "klass-7a"},
        "startDate": start.isoformat(),
        "endDate": (start + timedelta(days=4)).isoformat(),
        "offeredSum": 1500,
        "attendanceSum": 1500 - sums.get("validAbsenceSum", 0) - sums.get("invalidAbsenceSum", 0),
        **sums,
    }


def test_weekly_totals_replace_the_same_week_and_refuse_what_does_not_fit(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    kall_id(db, elev, "person-vecka")
    url = f"{SS12000}/aggregatedAttendance"
    monday = vecka(today()) - timedelta(weeks=2)
    week = _veckosumma("person-vecka", monday, validAbsenceSum=90)
    later = _veckosumma("person-vecka", monday + timedelta(weeks=1), invalidAbsenceSum=30)
    over_two_weeks = {**week, "endDate": (monday + timedelta(days=8)).isoformat()}
    backwards = {**week, "endDate": (monday - timedelta(days=1)).isoformat()}
    future = _veckosumma("person-vecka", vecka(today()) + timedelta(weeks=1))
    too_many = {**later, "otherAttendanceSum": 1}
    unknown = _veckosumma("okand-person", monday)

    first = skicka(client, tokens, [week, over_two_weeks, backwards, future, unknown], url=url)
    corrected = skicka(
        client,
        tokens,
        [{**week, "validAbsenceSum": 120, "attendanceSum": 1380}, later, too_many],
        url=url,
    )

    assert _counts(first) == (5, 1, 0, 0, 4)
    assert [(a["index"], a["id"], a["skal"]) for a in first["avvisningar"]] == [
        (1, None, service.FLERA_VECKOR),
        (2, None, service.SLUT_FORE_START_DATUM),
        (3, None, service.FRAMTIDA_DATUM),
        (4, None, service.OKAND_ELEV),
    ]
    assert _counts(corrected) == (3, 1, 1, 0, 1)
    assert corrected["avvisningar"] == [{"index": 2, "id": None, "skal": service.FOR_MANGA_MINUTER}]
    stored = lagrade(db)
    assert sorted(stored.values(), key=lambda row: row[1]) == [
        (elev, monday, 1500, 120, 0, None),
        (elev, monday + timedelta(weeks=1), 1500, 0, 30, None),
    ]
    assert_sums_follow_the_records(db, stored)


def test_without_a_token_sending_is_401(client: TestClient) -> None:
    assert client.post(FRANVARO, json=[]).status_code == 401


def _tidpunkt(dag: date, klockan: time, tz: Any = SKOLTID) -> str:
    return datetime.combine(dag, klockan, tzinfo=tz).isoformat()


def test_ss12000_attendances_take_date_and_schedule_from_the_lesson(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    kall_id(db, elev, "person-1")
    dag = today() - timedelta(days=3)
    lektioner = [
        {
            "id": "lektion-matte",
            "startTime": _tidpunkt(dag, time(8, 0)),
            "endTime": _tidpunkt(dag, time(9, 0)),
            "teachingLengthStudent": 50,
        },
        # Without teachingLengthStudent, the lesson is its end minus its start.
        {
            "id": "lektion-svenska",
            "startTime": _tidpunkt(dag, time(10, 0)),
            "endTime": _tidpunkt(dag, time(10, 40)),
            "meta": {"created": "2025-01-01T00:00:00Z"},
        },
        {
            "id": "lektion-installd",
            "startTime": _tidpunkt(dag, time(13, 0)),
            "endTime": _tidpunkt(dag, time(14, 0)),
            "cancelled": True,
        },
    ]
    events = skicka(client, tokens, {"data": lektioner}, url=f"{SS12000}/calendarEvents")
    assert _counts(events) == (3, 3, 0, 0, 0)
    # Reported just before midnight UTC: already the next day in Sweden.
    sent_late = datetime.combine(dag - timedelta(days=2), time(23, 30), tzinfo=UTC).isoformat()
    narvaro = [
        {
            "id": "n-1",
            "student": {"id": "person-1"},
            "calendarEvent": {"id": "lektion-matte"},
            "attendanceMinutes": 30,
            "validAbsenceMinutes": 20,
            "absenceReason": "Sjuk",
        },
        {
            "id": "n-2",
            "student": {"id": "person-1"},
            "calendarEvent": {"id": "okand-lektion"},
            "attendanceMinutes": 25,
            "invalidAbsenceMinutes": 15,
            "reportedTimestamp": sent_late,
        },
        {
            "id": "n-3",
            "student": {"id": "person-1"},
            "calendarEvent": {"id": "lektion-installd"},
            "attendanceMinutes": 60,
        },
        {
            "id": "n-4",
            "student": {"id": "person-1"},
            "invalidAbsenceMinutes": 10,
        },
        {
            "id": "n-5",
            "student": {"id": "person-1"},
            "calendarEvent": {"id": "lektion-svenska"},
            "attendanceMinutes": 30,
            "validAbsenceMinutes": 11,
        },
        {
            "id": "n-6",
            "student": {"id": "okand-person"},
            "calendarEvent": {"id": "lektion-matte"},
            "attendanceMinutes": 50,
        },
        {
            "id": "n-7",
            "student": {"id": "person-1"},
            "calendarEvent": {"id": "lektion-svenska"},
            "otherAttendanceMinutes": 40,
            "isReported": True,
        },
        {
            "id": "n-8",
            "student": {"id": "person-1"},
            "calendarEvent": {"id": "lektion-svenska"},
            "isReported": False,
        },
        {
            "id": "n-9",
            "student": {"id": "person-1"},
            "calendarEvent": {"id": "okand-lektion"},
            "attendanceMinutes": 1440,
            "validAbsenceMinutes": 1,
            "reportedTimestamp": sent_late,
        },
    ]

    answer = skicka(client, tokens, narvaro, url=f"{SS12000}/attendances")

    assert _counts(answer) == (9, 3, 0, 0, 6)
    assert [(a["index"], a["id"], a["skal"]) for a in answer["avvisningar"]] == [
        (2, "n-3", service.INSTALLD),
        (3, "n-4", service.UTAN_DATUM),
        (4, "n-5", service.FOR_MANGA_MINUTER),
        (5, "n-6", service.OKAND_ELEV),
        (7, "n-8", service.INTE_RAPPORTERAD),
        (8, "n-9", service.OVER_ETT_DYGN),
    ]
    assert answer["anmarkningar"] == [{"index": 1, "id": "n-2", "skal": service.OKAND_HANDELSE}]
    stored = lagrade(db)
    assert stored == {
        "n-1": (elev, dag, 50, 20, 0, "Sjuk"),
        "n-2": (elev, dag - timedelta(days=1), 40, 0, 15, None),
        "n-7": (elev, dag, 40, 0, 0, None),
    }
    assert_sums_follow_the_records(db, stored)
    again = skicka(client, tokens, narvaro, url=f"{SS12000}/attendances")
    assert _counts(again) == (9, 0, 0, 3, 6)


def test_a_lesson_moved_later_dates_the_attendances_sent_after_it(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    kall_id(db, elev, "person-flytt")
    dag = today() - timedelta(days=10)
    lektion = {
        "id": "flyttad-lektion",
        "startTime": _tidpunkt(dag, time(8, 0)),
        "endTime": _tidpunkt(dag, time(9, 0)),
    }
    skicka(client, tokens, [lektion], url=f"{SS12000}/calendarEvents")
    narvaro = [
        {
            "id": "n-flytt",
            "student": {"id": "person-flytt"},
            "calendarEvent": {"id": "flyttad-lektion"},
            "validAbsenceMinutes": 60,
        }
    ]
    skicka(client, tokens, narvaro, url=f"{SS12000}/attendances")
    ny_dag = dag + timedelta(days=1)
    flyttad = {
        **lektion,
        "startTime": _tidpunkt(ny_dag, time(8, 0)),
        "endTime": _tidpunkt(ny_dag, time(8, 45)),
    }

    assert _counts(skicka(client, tokens, [flyttad], url=f"{SS12000}/calendarEvents")) == (
        1, 0, 1, 0, 0
    )  # fmt: skip
    answer = skicka(client, tokens, narvaro, url=f"{SS12000}/attendances")

    assert answer["avvisningar"] == [
        {"index": 0, "id": "n-flytt", "skal": service.FOR_MANGA_MINUTER}
    ]
    narvaro[0]["validAbsenceMinutes"] = 45
    assert _counts(skicka(client, tokens, narvaro, url=f"{SS12000}/attendances")) == (
        1, 0, 1, 0, 0
    )  # fmt: skip
    stored = lagrade(db)
    assert stored == {"n-flytt": (elev, ny_dag, 45, 45, 0, None)}
    assert_sums_follow_the_records(db, stored)


def test_ss12000_absences_are_stored_and_shown_with_the_pupils_absence(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    kall_id(db, elev, "person-anmald")
    dag = today() - timedelta(days=2)
    anmalningar = [
        {
            "id": "anm-1",
            "student": {"id": "person-anmald"},
            "startTime": _tidpunkt(dag, time(8, 0)),
            "endTime": _tidpunkt(dag, time(16, 0)),
            "type": "Anmäld frånvaro",
        },
        {
            "id": "anm-2",
            "student": {"id": "person-anmald"},
            "organisation": {"id": "skolenhet-1"},
            "startTime": _tidpunkt(dag - timedelta(days=7), time(0, 0)),
            "endTime": _tidpunkt(dag - timedelta(days=5), time(23, 59)),
            "type": "Beviljad ledighet",
        },
        {
            "id": "anm-3",
            "student": {"id": "person-anmald"},
            "startTime": _tidpunkt(dag, time(16, 0)),
            "endTime": _tidpunkt(dag, time(8, 0)),
            "type": "Anmäld frånvaro",
        },
        {
            "id": "anm-4",
            "student": {"id": "person-anmald"},
            "startTime": _tidpunkt(dag, time(8, 0)),
            "endTime": _tidpunkt(dag, time(9, 0)),
            "type": "Skolk",
        },
        {
            "id": "anm-5",
            "student": {"id": "okand"},
            "startTime": _tidpunkt(dag, time(8, 0)),
            "endTime": _tidpunkt(dag, time(9, 0)),
            "type": "Anmäld frånvaro",
        },
    ]

    answer = skicka(client, tokens, anmalningar, url=f"{SS12000}/absences")

    assert _counts(answer) == (5, 2, 0, 0, 3)
    reasons = {a["id"]: a["skal"] for a in answer["avvisningar"]}
    assert reasons["anm-3"] == service.SLUT_FORE_START
    assert reasons["anm-4"].startswith(FEL + "type")
    assert reasons["anm-5"] == service.OKAND_ELEV
    assert _counts(skicka(client, tokens, anmalningar, url=f"{SS12000}/absences")) == (
        5, 0, 0, 2, 3
    )  # fmt: skip

    response = client.get(
        f"/api/v1/elever/{elev}/franvaro",
        params={"fran": (dag - timedelta(days=30)).isoformat()},
        headers=tokens.headers("kurator"),
    )
    assert response.status_code == 200, response.text
    shown = [
        (a["typ"], datetime.fromisoformat(a["start"]), a["kalla"])
        for a in response.json()["anmalningar"]
    ]
    assert shown == [
        (
            "beviljad_ledighet",
            datetime.combine(dag - timedelta(days=7), time(0), SKOLTID),
            INTEGRATION,
        ),
        ("anmald_franvaro", datetime.combine(dag, time(8), SKOLTID), INTEGRATION),
    ]
    # Notices are not minutes: the pupil's sums stay empty.
    assert response.json()["summa"]["schemalagda_minuter"] == 0


def test_the_same_lesson_or_notice_twice_in_a_batch_the_later_counts(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    kall_id(db, elev, "person-dubbel")
    dag = today() - timedelta(days=1)
    lektion = {
        "id": "lektion-dubbel",
        "startTime": _tidpunkt(dag, time(8, 0)),
        "endTime": _tidpunkt(dag, time(9, 0)),
    }
    senare = {**lektion, "teachingLengthStudent": 45}
    anmalan = {
        "id": "anmalan-dubbel",
        "student": {"id": "person-dubbel"},
        "startTime": _tidpunkt(dag, time(8, 0)),
        "endTime": _tidpunkt(dag, time(12, 0)),
        "type": "Anmäld frånvaro",
    }

    events = skicka(client, tokens, [lektion, senare], url=f"{SS12000}/calendarEvents")
    notices = skicka(
        client,
        tokens,
        [anmalan, {**anmalan, "type": "Beviljad ledighet"}],
        url=f"{SS12000}/absences",
    )

    for answer in (events, notices):
        assert _counts(answer) == (2, 1, 0, 0, 1)
        assert [(a["index"], a["skal"]) for a in answer["avvisningar"]] == [(0, SAMMA_ID)]
    narvaro = {
        "id": "narvaro-dubbel",
        "student": {"id": "person-dubbel"},
        "calendarEvent": {"id": "lektion-dubbel"},
        "validAbsenceMinutes": 45,
    }
    assert _counts(skicka(client, tokens, [narvaro], url=f"{SS12000}/attendances"))[1] == 1
    assert lagrade(db)["narvaro-dubbel"] == (elev, dag, 45, 45, 0, None)
    shown = _franvaro_anmalningar(client, tokens, elev)
    assert [a["typ"] for a in shown] == ["beviljad_ledighet"]


def _franvaro_anmalningar(client: TestClient, tokens: Tokens, elev_id: str) -> list[Any]:
    response = client.get(f"/api/v1/elever/{elev_id}/franvaro", headers=tokens.headers("kurator"))
    assert response.status_code == 200, response.text
    anmalningar: list[Any] = response.json()["anmalningar"]
    return anmalningar


def test_idempotency_keys_are_kept_per_client(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    klient_id, token = _ny_integration(client, tokens, db, EKBACKEN)
    elev = ny_elev(client, tokens, db)["id"]
    key = {"Idempotency-Key": "samma-nyckel-tva-klienter"}
    skicka(client, tokens, [post(elev, "demo-1", today())], headers=key)

    other = client.post(
        FRANVARO, json=[post(elev, "egen-1", today())], headers={**bearer(token), **key}
    )

    assert other.status_code == 200, other.text
    assert _counts(other.json()) == (1, 1, 0, 0, 0)
    assert set(lagrade(db, kalla=klient_id)) == {"egen-1"}


@pytest.mark.parametrize("nyckel", ["", "med mellanslag", "nyckel\x7f", "x" * 201])
def test_an_idempotency_key_is_short_printable_ascii(
    nyckel: str, client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    response = client.post(
        FRANVARO,
        json=[post(elev, "nyckel", today())],
        headers={**tokens.headers(INTEGRATION), "Idempotency-Key": nyckel},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert lagrade(db) == {}


def test_a_time_sent_as_a_number_is_refused_not_read_as_a_unix_time(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = ny_elev(client, tokens, db)["id"]
    kall_id(db, elev, "person-tal")
    anmalan = {
        "id": "anm-tal",
        "student": {"id": "person-tal"},
        "startTime": 1_763_000_000,
        "endTime": _tidpunkt(today(), time(9, 0)),
        "type": "Anmäld frånvaro",
    }

    answer = skicka(client, tokens, [anmalan], url=f"{SS12000}/absences")

    assert _counts(answer) == (1, 0, 0, 0, 1)
    assert answer["avvisningar"][0]["skal"] == (
        FEL + "startTime: Value error, Ska vara en tidpunkt enligt RFC 3339."
    )
