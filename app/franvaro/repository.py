"""Look-ups of a batch's pupils and lessons: one query per batch on PostgreSQL (an array
parameter), a few on SQLite (its bound parameters are limited).

The look-ups of plain columns for a whole batch (up to 50 000 rows) are read on the session's
connection, without the ORM's handling of each row, and so without a flush: they run before the
batch adds anything."""

import uuid
from collections.abc import Collection, Iterator
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, String, Uuid, any_, bindparam, cast, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.elever.models import Elev, ElevExterntId
from app.franvaro.models import (
    Franvaroanmalan,
    Franvaropost,
    Kalenderhandelse,
    Kallperson,
    SkolaExterntId,
)
from app.integrationer.models import Integration

# SQLite's bound parameters per statement stay well under its limit.
_SQLITE_CHUNK = 5000

# The objects a source names by its own id (kalla, extern_id).
Kallobjekt = TypeVar("Kallobjekt", Franvaroanmalan, Kalenderhandelse, Kallperson, SkolaExterntId)


def among(
    session: Session, column: InstrumentedAttribute[Any], values: Collection[Any]
) -> Iterator[ColumnElement[bool]]:
    """Conditions that together cover `column IN values`, each for one query."""
    if not values:
        return
    if session.get_bind().dialect.name == "postgresql":
        # An array parameter (sent in binary: app/db/engine.py), not the rows of a set-returning
        # function: the planner sees its length, so `= ANY` is a probe per value or a hashed
        # filter whatever the statistics say. A JSON list joined with `IN (SELECT
        # jsonb_array_elements_text(…))` was re-read once per table row under stale statistics.
        element = Uuid() if isinstance(next(iter(values)), uuid.UUID) else String()
        yield column == any_(bindparam(None, list(values), type_=ARRAY(element)))
        return
    items = list(values)
    for start in range(0, len(items), _SQLITE_CHUNK):
        yield column.in_(items[start : start + _SQLITE_CHUNK])


def by_source(
    session: Session, model: type[Kallobjekt], kalla: str, extern_ids: Collection[str]
) -> dict[str, Kallobjekt]:
    """The source's stored objects among `extern_ids`, by their id in the source."""
    found: dict[str, Kallobjekt] = {}
    for condition in among(session, model.extern_id, extern_ids):
        found.update(
            (row.extern_id, row)
            for row in session.scalars(select(model).where(model.kalla == kalla, condition))
        )
    return found


def kalla_for(session: Session, integration_id: uuid.UUID) -> str:
    """A source is the integration's klient_id: records and ids are kept per source."""
    integration = session.get(Integration, integration_id)
    if integration is None:
        raise LookupError("integration saknas")
    return integration.klient_id


def pupils_by_source(
    session: Session, *, kommun_id: uuid.UUID, kalla: str, extern_ids: Collection[str]
) -> dict[str, tuple[uuid.UUID, uuid.UUID]]:
    """Source person id → (pupil id, the pupil's school)."""
    found: dict[str, tuple[uuid.UUID, uuid.UUID]] = {}
    for condition in among(session, ElevExterntId.extern_id, extern_ids):
        rows = session.execute(
            select(ElevExterntId.extern_id, Elev.id, Elev.skola_id)
            .join(Elev, Elev.id == ElevExterntId.elev_id)
            .where(ElevExterntId.kommun_id == kommun_id, ElevExterntId.kalla == kalla, condition)
        )
        found.update((extern_id, (elev_id, skola_id)) for extern_id, elev_id, skola_id in rows)
    return found


def pupils_served(
    session: Session,
    *,
    kommun_id: uuid.UUID,
    kalla: str,
    extern_ids: Collection[str],
    skolor: Collection[uuid.UUID],
) -> dict[str, str]:
    """Source person id → pupil id, for the pupils at `skolor`. The id comes as text, which is
    what the batch's JSON carries: the driver takes several times as long to make a UUID object,
    and a batch names up to 50 000 pupils. Read on the connection (see the module's text)."""
    found: dict[str, str] = {}
    if not skolor:
        return found
    for condition in among(session, ElevExterntId.extern_id, extern_ids):
        rows = session.connection().execute(
            select(ElevExterntId.extern_id, cast(Elev.id, String))
            .join(Elev, Elev.id == ElevExterntId.elev_id)
            .where(
                ElevExterntId.kommun_id == kommun_id,
                ElevExterntId.kalla == kalla,
                condition,
                Elev.skola_id.in_(skolor),
            )
        )
        found.update(dict(rows.all()))
    return found


def pupils_by_id(
    session: Session, *, kommun_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """Pupil id → the pupil's school, for the kommun's pupils among `ids`."""
    found: dict[uuid.UUID, uuid.UUID] = {}
    for condition in among(session, Elev.id, ids):
        rows = session.execute(
            select(Elev.id, Elev.skola_id).where(Elev.kommun_id == kommun_id, condition)
        )
        found.update((elev_id, skola_id) for elev_id, skola_id in rows)
    return found


def events_by_id(
    session: Session, *, kalla: str, extern_ids: Collection[str]
) -> dict[str, tuple[date, int, bool]]:
    """A batch's lessons by the source's id: date, minutes, cancelled. Read on the connection
    (see the module's text)."""
    found: dict[str, tuple[date, int, bool]] = {}
    for condition in among(session, Kalenderhandelse.extern_id, extern_ids):
        rows = session.connection().execute(
            select(
                Kalenderhandelse.extern_id,
                Kalenderhandelse.datum,
                Kalenderhandelse.minuter,
                Kalenderhandelse.installd,
            ).where(Kalenderhandelse.kalla == kalla, condition)
        )
        found.update((row[0], (row[1], row[2], row[3])) for row in rows)
    return found


def records_of(
    session: Session, *, elev_id: uuid.UUID, fran: date, till: date
) -> list[Franvaropost]:
    return list(
        session.scalars(
            select(Franvaropost)
            .where(
                Franvaropost.elev_id == elev_id,
                Franvaropost.datum >= fran,
                Franvaropost.datum <= till,
            )
            .order_by(Franvaropost.datum, Franvaropost.kalla, Franvaropost.extern_id)
        )
    )


def notices_of(session: Session, *, elev_id: uuid.UUID) -> list[Franvaroanmalan]:
    return list(
        session.scalars(
            select(Franvaroanmalan)
            .where(Franvaroanmalan.elev_id == elev_id)
            .order_by(Franvaroanmalan.start)
        )
    )
