"""The intake stores what was sent, exactly, and keeps the sums with it: ids and reasons with
characters that mean something in SQL array syntax, a batch sent again, a changed record, the
same id twice in a batch, and an invalid record among valid ones."""

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.time import today
from app.franvaro.models import Franvaropost, Franvarovecka, Narvarolage
from tests.factories import elev_i_databasen
from tests.franvaro.helpers import SS12000, post, skicka
from tests.helpers import Tokens

SVARA_ID = ('a"b', "c\\d", "{e,f}", "NULL", " g ", "h'i")


def _sums(db: Session, elev_id: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    records = db.execute(
        select(
            func.sum(Franvaropost.schemalagd),
            func.sum(Franvaropost.giltig),
            func.sum(Franvaropost.ogiltig),
        ).where(Franvaropost.elev_id == uuid.UUID(elev_id))
    ).one()
    weeks = db.execute(
        select(
            func.sum(Franvarovecka.schemalagd),
            func.sum(Franvarovecka.giltig),
            func.sum(Franvarovecka.ogiltig),
        ).where(Franvarovecka.elev_id == uuid.UUID(elev_id))
    ).one()
    return tuple(records), tuple(weeks)  # type: ignore[return-value]


def test_records_are_stored_exactly_and_sent_again_are_unchanged(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = elev_i_databasen(db, "12345678")
    dag = today() - timedelta(days=1)
    poster = [
        post(elev["id"], kall_id, dag, giltig=n, orsak=kall_id if n % 2 else None)
        for n, kall_id in enumerate(SVARA_ID)
    ]

    first = skicka(client, tokens, poster)
    again = skicka(client, tokens, poster)

    assert (first["skapade"], first["oforandrade"], first["avvisade"]) == (len(poster), 0, 0)
    assert (again["skapade"], again["uppdaterade"], again["oforandrade"]) == (0, 0, len(poster))
    stored = {
        row.extern_id: row.orsak
        for row in db.scalars(
            select(Franvaropost).where(Franvaropost.elev_id == uuid.UUID(elev["id"]))
        )
    }
    assert stored == {k: (k if n % 2 else None) for n, k in enumerate(SVARA_ID)}
    records, weeks = _sums(db, elev["id"])
    assert records == weeks == (60 * len(poster), sum(range(len(poster))), 0)


def test_a_changed_record_moves_the_sums_and_the_last_of_a_repeated_id_counts(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev = elev_i_databasen(db, "12345678")
    dag = today() - timedelta(days=2)
    skicka(client, tokens, [post(elev["id"], "p1", dag, ogiltig=10), post(elev["id"], "p2", dag)])

    svar = skicka(
        client,
        tokens,
        [
            post(elev["id"], "p1", dag, ogiltig=30),
            post(elev["id"], "p2", dag),
            post(elev["id"], "p1", dag, ogiltig=20),
        ],
    )

    assert (svar["uppdaterade"], svar["oforandrade"], svar["avvisade"]) == (1, 1, 1)
    assert svar["avvisningar"][0]["index"] == 0
    records, weeks = _sums(db, elev["id"])
    assert records == weeks == (120, 0, 20)
    lage = db.get(Narvarolage, uuid.UUID(elev["id"]))
    assert lage is not None
    assert (lage.a_schemalagd, lage.a_giltig, lage.a_ogiltig) == (120, 0, 20)


def _attendance(id_: str, **minutes: object) -> dict[str, object]:
    return {
        "id": id_,
        "student": {"id": f"okand-{id_}"},
        "calendarEvent": {"id": "okand-lektion"},
        "attendanceMinutes": 60,
        **minutes,
    }


def test_an_invalid_record_among_valid_ones_is_answered_by_itself(
    client: TestClient, tokens: Tokens
) -> None:
    url = f"{SS12000}/attendances"
    valid = skicka(client, tokens, [_attendance("a"), _attendance("b")], url=url)
    mixed = skicka(
        client,
        tokens,
        [_attendance("a"), _attendance("b", validAbsenceMinutes=-1), _attendance("c")],
        url=url,
    )

    assert [(a["index"], a["id"]) for a in valid["avvisningar"]] == [(0, "a"), (1, "b")]
    assert mixed["mottagna"] == 3
    assert [(a["index"], a["id"]) for a in mixed["avvisningar"]] == [(0, "a"), (1, "b"), (2, "c")]
    assert mixed["avvisningar"][0]["skal"] == valid["avvisningar"][0]["skal"]
    assert mixed["avvisningar"][1]["skal"].startswith("Ogiltig post: validAbsenceMinutes")
