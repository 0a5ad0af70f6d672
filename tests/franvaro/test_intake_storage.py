"""The intake stores what was sent, exactly, and keeps the sums with it: ids and reasons with
characters that mean something in SQL, JSON or an array literal (the batch is bound as one JSON
text, the pupils' source ids are looked up as one array), and the same batch sent again."""

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.time import today
from app.franvaro import service
from app.franvaro.models import Franvaropost, Franvarovecka
from tests.factories import elev_i_databasen
from tests.franvaro.helpers import kall_id, post, skicka, utan_elev_id
from tests.helpers import Tokens

SVARA_ID = ('a"b', "c\\d", "{e,f}", "NULL", " g ", "h'i", "[1, 2]", "\\u0041", "åäö \U0001f600")


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


def test_pupils_are_found_by_source_ids_with_the_same_characters(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elever = {extern: elev_i_databasen(db, "12345678")["id"] for extern in SVARA_ID}
    for extern, elev_id in elever.items():
        kall_id(db, elev_id, extern)
    dag = today() - timedelta(days=1)
    poster = [
        utan_elev_id(post(elev_id, f"post-{n}", dag), kall_elev_id=extern)
        for n, (extern, elev_id) in enumerate(elever.items())
    ]
    okand = {**poster[0], "kall_post_id": "post-okand", "kall_elev_id": '{a,"b"}\\'}

    svar = skicka(client, tokens, [*poster, okand])

    assert svar["skapade"] == len(poster)
    assert svar["avvisningar"] == [
        {"index": len(poster), "id": "post-okand", "skal": service.OKAND_ELEV}
    ]
    stored = {
        row.extern_id: str(row.elev_id)
        for row in db.scalars(select(Franvaropost).where(Franvaropost.extern_id.like("post-%")))
    }
    assert stored == {f"post-{n}": elev_id for n, elev_id in enumerate(elever.values())}
