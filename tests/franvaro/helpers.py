"""Sending absence as the demo integration, and native records to send."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.time import today
from app.demo import DEMO_CLIENT_ID
from app.elever.models import Elev, ElevExterntId
from app.franvaro.models import Franvaropost, Franvarovecka, Narvarolage
from app.franvaro.rules import Fonster, vecka
from tests.helpers import INTEGRATION, Tokens

FRANVARO = "/api/v1/franvaro"
SS12000 = "/api/v1/import/ss12000"


def post(
    elev_id: str,
    kall_post_id: str,
    datum: date,
    *,
    schemalagd: int = 60,
    giltig: int = 0,
    ogiltig: int = 0,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "kall_post_id": kall_post_id,
        "elev_id": elev_id,
        "datum": datum.isoformat(),
        "schemalagda_minuter": schemalagd,
        "giltig_franvaro_minuter": giltig,
        "ogiltig_franvaro_minuter": ogiltig,
        **extra,
    }


def skicka(
    client: TestClient,
    tokens: Tokens,
    poster: Any,
    *,
    url: str = FRANVARO,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    response = client.post(
        url, json=poster, headers={**tokens.headers(INTEGRATION), **(headers or {})}
    )
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def kall_id(db: Session, elev_id: str, extern_id: str, kalla: str = DEMO_CLIENT_ID) -> None:
    """The pupil's id in the source, as the roster import would have stored it."""
    elev = db.get(Elev, uuid.UUID(elev_id))
    assert elev is not None
    db.add(
        ElevExterntId(kommun_id=elev.kommun_id, kalla=kalla, extern_id=extern_id, elev_id=elev.id)
    )
    db.flush()


def utan_elev_id(record: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A native record naming its pupil some other way than by Samverka's id."""
    return {**{k: v for k, v in record.items() if k != "elev_id"}, **extra}


# A stored record as the tests compare it: pupil, date, minutes and reason.
Lagrad = tuple[str, date, int, int, int, str | None]


def lagrade(db: Session, kalla: str = DEMO_CLIENT_ID) -> dict[str, Lagrad]:
    f = Franvaropost
    rows = db.execute(
        select(f.extern_id, f.elev_id, f.datum, f.schemalagd, f.giltig, f.ogiltig, f.orsak).where(
            f.kalla == kalla
        )
    ).all()
    ids = [row[0] for row in rows]
    assert len(ids) == len(set(ids))
    return {row[0]: (str(row[1]), row[2], row[3], row[4], row[5], row[6]) for row in rows}


def som_lagrad(record: dict[str, Any]) -> Lagrad:
    return (
        record["elev_id"],
        date.fromisoformat(record["datum"]),
        record["schemalagda_minuter"],
        record["giltig_franvaro_minuter"],
        record["ogiltig_franvaro_minuter"],
        record.get("orsak") or None,
    )


def assert_sums_follow_the_records(
    db: Session, records: dict[str, Lagrad], elever: Iterable[uuid.UUID] = ()
) -> None:
    """The week sums and the window sums, moved by differences at every write, equal the sums
    recomputed from the records themselves: for the records' pupils and `elever` (pupils whose
    records may have moved away)."""
    pupils = {uuid.UUID(r[0]) for r in records.values()} | set(elever)
    weeks: dict[tuple[uuid.UUID, date], list[int]] = defaultdict(lambda: [0, 0, 0])
    fonster = Fonster.per(today())
    windows: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0] * 6)
    for elev_id, datum, s, g, o, _ in records.values():
        key = (uuid.UUID(elev_id), vecka(datum))
        weeks[key] = [a + b for a, b in zip(weeks[key], (s, g, o), strict=True)]
        part = fonster.del_av(vecka(datum))
        if part is not None:
            offset = 0 if part == "a" else 3
            for n, value in enumerate((s, g, o)):
                windows[uuid.UUID(elev_id)][offset + n] += value

    v = Franvarovecka
    stored_weeks = {
        (row.elev_id, row.vecka): [row.schemalagd, row.giltig, row.ogiltig]
        for row in db.execute(
            select(v.elev_id, v.vecka, v.schemalagd, v.giltig, v.ogiltig).where(
                v.elev_id.in_(pupils)
            )
        )
    }
    for key in weeks.keys() | stored_weeks.keys():
        assert stored_weeks.get(key, [0, 0, 0]) == weeks.get(key, [0, 0, 0]), key

    lage = Narvarolage
    lagen = {
        row.elev_id: row
        for row in db.execute(
            select(
                lage.elev_id,
                lage.vecka,
                lage.a_schemalagd,
                lage.a_giltig,
                lage.a_ogiltig,
                lage.b_schemalagd,
                lage.b_giltig,
                lage.b_ogiltig,
            ).where(lage.elev_id.in_(pupils))
        )
    }
    for pupil in pupils:
        row = lagen.get(pupil)
        expected = windows.get(pupil, [0] * 6)
        if row is None:
            assert expected == [0] * 6, pupil
            continue
        assert row.vecka == fonster.per_vecka
        assert list(row[2:]) == expected, pupil
