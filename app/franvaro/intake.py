"""Storing a batch of absence records: idempotent, all or nothing, and fast.

A record is known by its source (the integration's klient_id) and the source's id. The batch is
bound as one JSON parameter (jsonb on PostgreSQL) and read into a temporary table; its new and
changed records, each with its stored version, are found in one query into another; from that,
set-based statements write the records and move the week sums and the pupils' window sums
(models.py) by the difference, all in the caller's transaction. A batch sent again (all
unchanged) writes nothing after that query.

Two batches of a kommun store at once. The records are written without a lock of the kommun:
a new one only if it is still new, a changed one only if its stored version is still the one
read (locked until commit); otherwise the batch reads its records again (_write, in a
savepoint). The differences are then exact, and the sums are moved by adding them, in key order,
so that two batches wait for each other's rows rather than deadlock. Only the window sums are
moved under the kommun's lock, which the recomputation of the windows takes too (narvaro.py).
While one batch holds it, the next writes its records and week sums. The databases differ only
in a few expressions (`_Dialect`).
"""

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any, TypeVar

import pydantic_core
from sqlalchemy import Connection, Date, TextClause, Uuid, bindparam, text
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from app.core.errors import Conflict
from app.core.ids import id_series
from app.core.time import today, utcnow
from app.db.base import UTCDateTime
from app.franvaro.rules import Fonster

# The reason an earlier record with an id repeated later in the batch is refused.
SAMMA_ID = "Samma id finns senare i batchen; den senare gäller."


# A record ready to store, the pupil resolved and the minutes checked: the source's id, then
# what is stored for it (_VALUES, compared with the stored version as a tuple): the pupil's id
# (as text when looked up by the source's person id, repository.pupils_served; the batch's JSON
# is the same either way), the date, the scheduled, valid and invalid minutes, and the reason.
# A plain tuple: a batch makes up to 50 000 of them, and a named one takes twice as long to make
# and four times as long for pydantic-core to write as JSON.
Post = tuple[str, uuid.UUID | str, date, int, int, int, str | None]


@dataclass(frozen=True, slots=True)
class Avvisad:
    index: int
    id: str | None
    skal: str


@dataclass(slots=True)
class Utfall:
    mottagna: int
    skapade: int = 0
    uppdaterade: int = 0
    oforandrade: int = 0
    avvisade: list[Avvisad] = field(default_factory=list)
    anmarkningar: list[Avvisad] = field(default_factory=list)

    def avvisa(self, index: int, id_: str | None, skal: str) -> None:
        self.avvisade.append(Avvisad(index, id_, skal))


T = TypeVar("T")


def last_of_each(
    items: Iterable[tuple[int, T]], key: Callable[[T], str], utfall: Utfall
) -> dict[str, tuple[int, T]]:
    """The batch's items by id, the last of each: an id sent twice in one batch has the later
    one count and the earlier answered as refused, so that every record is counted once."""
    items = list(items)
    last = {key(item): (index, item) for index, item in items}
    if len(last) < len(items):
        for index, item in items:
            id_ = key(item)
            if last[id_][0] != index:
                utfall.avvisa(index, id_, SAMMA_ID)
    return last


def lock_kommun(session: Session, kommun_id: uuid.UUID) -> None:
    """Serialises the moves of one kommun's window sums and the recomputation of its tier
    state (narvaro.py), and the imports of its roster, lessons and notices."""
    lock(session, str(kommun_id))


def lock(session: Session, key: str) -> None:
    """A lock on `key` until the transaction ends."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key}
        )
    else:
        # SQLite has one writer at a time; taking the write lock now, before reading, keeps a
        # reader from turning into a writer behind another one (SQLITE_BUSY_SNAPSHOT).
        connection.execute(text("DELETE FROM importsvar WHERE 1 = 0"))


# What is stored for a record, compared with the stored version (Post after the source's id).
_VALUES = ("elev_id", "datum", "schemalagd", "giltig", "ogiltig", "orsak")
_SUMS = ("schemalagd", "giltig", "ogiltig")
_BATCH = "franvaro_batch"
_CHANGES = "franvaro_andringar"
# How many times a batch's records are read and written, when other batches of the source
# write some of them in between, before the caller is asked to send the batch again.
_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class _Dialect:
    """The expressions in which the databases differ."""

    # The Monday of a date column's week (the key of the week sums).
    week: str
    # A row's id from the batch's id series (id_series) and the row's place `n`.
    new_id: str
    # Two row values differ (NULL equal to NULL).
    differ: str
    # The batch's records, read from the JSON parameter `batch`, with their place `n`.
    batch: str
    # Each record's stored version (`f`), joined to `v`.
    stored: str
    # Counts the changed records whose stored version is still the one read, and locks them
    # (None where one writer at a time is all there is).
    locked_stored: str | None


_POSTGRESQL = _Dialect(
    week="CAST(date_trunc('week', {0}) AS date)",
    new_id="CAST(:id_prefix || lpad(to_hex(CAST(:id_start AS bigint) + {0}), 12, '0') AS uuid)",
    differ="{0} IS DISTINCT FROM {1}",
    # In id order, so that the look-ups of stored versions (read in the table's order) share
    # index pages, and two batches write and lock the records they share in the same order
    # (one waits for the other, never both for each other). As jsonb, parsed once: each `->>`
    # on json text parses the record again.
    batch=(
        "SELECT r.e ->> 0 AS extern_id, CAST(r.e ->> 1 AS uuid) AS elev_id, "
        "CAST(r.e ->> 2 AS date) AS datum, CAST(r.e ->> 3 AS int) AS schemalagd, "
        "CAST(r.e ->> 4 AS int) AS giltig, CAST(r.e ->> 5 AS int) AS ogiltig, "
        "r.e ->> 6 AS orsak, r.n FROM jsonb_array_elements(CAST(:batch AS jsonb)) "
        "WITH ORDINALITY AS r(e, n) ORDER BY 1"
    ),
    # By the unique index, one record at a time: the LATERAL … LIMIT 1 keeps the planner from
    # hashing the whole source's records instead, so the cost follows the batch, not the table.
    stored=(
        "LEFT JOIN LATERAL (SELECT * FROM franvaroposter AS p "
        "WHERE p.kalla = :kalla AND p.extern_id = v.extern_id LIMIT 1) AS f ON true"
    ),
    # One at a time by the unique index too; a version changed meanwhile is read again once
    # its writer commits, and then no longer counts.
    locked_stored=(
        f"SELECT count(*) FROM {_CHANGES} AS a CROSS JOIN LATERAL (SELECT 1 "  # noqa: S608 - fixed text
        "FROM franvaroposter AS p WHERE p.kalla = :kalla AND p.extern_id = a.extern_id AND "
        f"({', '.join(f'p.{c}' for c in _VALUES)}) IS NOT DISTINCT FROM "
        f"({', '.join(f'a.gammal_{c}' for c in _VALUES)}) LIMIT 1 FOR UPDATE) AS x WHERE a.fanns"
    ),
)
_SQLITE = _Dialect(
    week="date({0}, 'weekday 0', '-6 days')",
    new_id="(:id_prefix || printf('%012x', :id_start + {0}))",
    differ="{0} IS NOT {1}",
    # Ids as SQLite stores them for the ORM: 32 hex digits.
    batch=(
        "SELECT r.value ->> 0 AS extern_id, replace(r.value ->> 1, '-', '') AS elev_id, "
        "r.value ->> 2 AS datum, r.value ->> 3 AS schemalagd, r.value ->> 4 AS giltig, "
        "r.value ->> 5 AS ogiltig, r.value ->> 6 AS orsak, r.key + 1 AS n "
        "FROM json_each(:batch) AS r"
    ),
    stored="LEFT JOIN franvaroposter AS f ON f.kalla = :kalla AND f.extern_id = v.extern_id",
    locked_stored=None,
)


def _sql(statement: str) -> TextClause:
    """A statement with the types of its parameters bound, so that ids, dates and times are
    stored exactly as the ORM stores them (SQLite keeps them as text)."""
    types: dict[str, TypeEngine[Any]] = {
        "kommun_id": Uuid(),
        "vecka": Date(),
        "a_fran": Date(),
        "b_fran": Date(),
        "now": UTCDateTime(),
    }
    return text(statement).bindparams(
        *(bindparam(name, type_=t) for name, t in types.items() if f":{name}" in statement)
    )


class _Raced(Exception):
    """Another batch of the source wrote one of this batch's records after it was read."""


def store(
    session: Session, *, kommun_id: uuid.UUID, kalla: str, poster: list[tuple[int, Post]]
) -> Utfall:
    """Stores the batch's valid records and answers what became of each (rejections are the
    caller's to add). A record id sent twice in one batch: the last one counts. Raises Conflict,
    with nothing of the batch stored, if other batches of the source wrote its records before it
    every time it tried."""
    utfall = Utfall(mottagna=0)
    last = last_of_each(poster, itemgetter(0), utfall)
    if not last:
        return utfall

    posts = [post for _index, post in last.values()]
    connection = session.connection()
    dialect = _POSTGRESQL if connection.dialect.name == "postgresql" else _SQLITE
    # Each record as a JSON array in Post's order, read into a table once: a batch that raced
    # reads its records again from there.
    batch = pydantic_core.to_json(posts).decode()
    connection.execute(
        text(f"CREATE TEMPORARY TABLE {_BATCH} AS {dialect.batch}"), {"batch": batch}
    )
    for _attempt in range(_ATTEMPTS):
        try:
            # A savepoint: a batch that raced is read and written again from the start.
            with session.begin_nested():
                changed, updated = _write(session.connection(), dialect, kommun_id, kalla)
            break
        except _Raced:
            continue
    else:
        raise Conflict(
            "Andra batcher från samma källa ändrade samma poster samtidigt; skicka batchen igen."
        )
    utfall.skapade = changed - updated
    utfall.uppdaterade = updated
    utfall.oforandrade = len(posts) - changed
    if changed:
        _move_weeks(connection, dialect, kommun_id)
        lock_kommun(session, kommun_id)
        _move_windows(connection, dialect, kommun_id, Fonster.per(today()))
    for table in (_CHANGES, _BATCH):
        connection.execute(text(f"DROP TABLE {table}"))
    return utfall


def _changes(dialect: _Dialect) -> str:
    """The batch's new and changed records, each with its stored version, as the temporary
    table the later statements read."""
    new = ", ".join(f"v.{c}" for c in _VALUES)
    old = ", ".join(f"f.{c} AS gammal_{c}" for c in _VALUES)
    differ = dialect.differ.format(
        "(" + ", ".join(f"f.{c}" for c in _VALUES) + ")",
        "(" + ", ".join(f"v.{c}" for c in _VALUES) + ")",
    )
    return (
        f"CREATE TEMPORARY TABLE {_CHANGES} AS SELECT v.n, v.extern_id, {new}, "  # noqa: S608 - fixed text
        f"f.id IS NOT NULL AS fanns, {old} FROM {_BATCH} AS v {dialect.stored} "
        f"WHERE f.id IS NULL OR {differ}"
    )


def _differences(dialect: _Dialect) -> str:
    """Per changed record, its sums added to its week and its stored version's taken away."""
    new = ", ".join(f"{c} AS {c}" for c in _SUMS)
    old = ", ".join(f"-gammal_{c}" for c in _SUMS)
    return (
        f"SELECT elev_id, {dialect.week.format('datum')} AS vecka, {new} "  # noqa: S608 - fixed text
        f"FROM {_CHANGES} UNION ALL "
        f"SELECT gammal_elev_id, {dialect.week.format('gammal_datum')}, {old} "
        f"FROM {_CHANGES} WHERE fanns"
    )


def _add_sums(
    table: str, keys: tuple[str, ...], fixed: dict[str, str], sums: tuple[str, ...], grouped: str
) -> str:
    """Inserts the grouped differences (`grouped`: the key columns and the sums) into `table`,
    adding each sum to the stored row's on conflict; differences that are all zero are left out."""
    columns = ", ".join((*keys, *fixed, *sums))
    values = ", ".join((*(f"w.{k}" for k in keys), *fixed.values(), *(f"w.{c}" for c in sums)))
    nonzero = " OR ".join(f"w.{c} <> 0" for c in sums)
    moves = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sums)
    key = ", ".join(keys)
    return (
        f"INSERT INTO {table} ({columns}) SELECT {values} FROM ({grouped}) AS w "  # noqa: S608 - fixed text, values bound
        f"WHERE {nonzero} ORDER BY {key} ON CONFLICT ({key}) DO UPDATE SET {moves}"
    )


def _move_weeks(connection: Connection, dialect: _Dialect, kommun_id: uuid.UUID) -> None:
    sums = ", ".join(f"sum(d.{c}) AS {c}" for c in _SUMS)
    grouped = (
        f"SELECT d.elev_id, d.vecka, {sums} FROM ({_differences(dialect)}) AS d "  # noqa: S608 - fixed text
        "GROUP BY d.elev_id, d.vecka"
    )
    statement = _add_sums(
        "franvaroveckor", ("elev_id", "vecka"), {"kommun_id": ":kommun_id"}, _SUMS, grouped
    )
    connection.execute(_sql(statement), {"kommun_id": kommun_id})


_WINDOW_COLUMNS = tuple(f"{part}_{c}" for part in "ab" for c in _SUMS)


def _move_windows(
    connection: Connection, dialect: _Dialect, kommun_id: uuid.UUID, fonster: Fonster
) -> None:
    """A state row of an earlier week is left as it is: reading recomputes the kommun's rows
    from the week sums when the week has turned (narvaro.py), and these are already in them."""
    sums = ", ".join(
        f"sum(CASE WHEN d.vecka {'>=' if part == 'a' else '<'} :a_fran THEN d.{c} ELSE 0 END) "
        f"AS {part}_{c}"
        for part in "ab"
        for c in _SUMS
    )
    grouped = (
        f"SELECT d.elev_id, {sums} FROM ({_differences(dialect)}) AS d "  # noqa: S608 - fixed text
        "WHERE d.vecka >= :b_fran AND d.vecka <= :vecka GROUP BY d.elev_id"
    )
    statement = _add_sums(
        "narvarolagen",
        ("elev_id",),
        {"kommun_id": ":kommun_id", "vecka": ":vecka"},
        _WINDOW_COLUMNS,
        grouped,
    )
    connection.execute(
        _sql(f"{statement} WHERE narvarolagen.vecka = excluded.vecka"),
        {
            "kommun_id": kommun_id,
            "vecka": fonster.per_vecka,
            "a_fran": fonster.a_fran,
            "b_fran": fonster.b_fran,
        },
    )


@contextmanager
def _by_index(connection: Connection) -> Iterator[None]:
    """On PostgreSQL, the stored versions are looked up in the unique index whatever the
    planner believes of the table's size. With statistics that say it is empty, it plans to scan
    the table once for every record of the batch instead, and another batch may be filling the
    table meanwhile: each scan then reads more. JIT goes off with it, as a plan without
    sequential scans is costed past JIT's thresholds. Raised out of the block, the settings are
    undone by the caller's savepoint."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    connection.execute(text("SET LOCAL jit = off"))
    yield
    connection.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
    connection.execute(text("SET LOCAL jit TO DEFAULT"))


def _write(
    connection: Connection, dialect: _Dialect, kommun_id: uuid.UUID, kalla: str
) -> tuple[int, int]:
    """Finds the batch's new and changed records (_CHANGES) and writes them; answers how many
    changed and how many of those were stored before. Raises _Raced, for the caller to roll
    back and try again, when another batch wrote one of them in between: a new record that is
    no longer new, or a stored version that is no longer the one the differences were made
    from. The stored versions are locked first, so that none changes after that."""
    with _by_index(connection):
        connection.execute(text(_changes(dialect)), {"kalla": kalla})
        counted = f"SELECT count(*), sum(CASE WHEN fanns THEN 1 ELSE 0 END) FROM {_CHANGES}"  # noqa: S608 - fixed text
        changed, updated = connection.execute(text(counted)).one()
        updated = updated or 0
        if updated and dialect.locked_stored:
            locked = connection.execute(text(dialect.locked_stored), {"kalla": kalla}).scalar_one()
            if locked != updated:
                raise _Raced
    columns = ", ".join(_VALUES)
    replace = ", ".join(f"{c} = excluded.{c}" for c in (*_VALUES, "mottagen"))
    prefix, start = id_series()
    parameters = {
        "kommun_id": kommun_id,
        "kalla": kalla,
        "now": utcnow(),
        "id_prefix": prefix,
        "id_start": start,
    }
    for count, chosen, on_conflict in (
        (changed - updated, "NOT a.fanns", "DO NOTHING"),
        (updated, "a.fanns", f"DO UPDATE SET {replace}"),
    ):
        if count:
            written = connection.execute(
                _sql(
                    "INSERT INTO franvaroposter (id, kommun_id, kalla, extern_id, "  # noqa: S608 - fixed text, values bound
                    f"{columns}, mottagen) SELECT {dialect.new_id.format('a.n')}, :kommun_id, "
                    f":kalla, a.extern_id, {', '.join('a.' + c for c in _VALUES)}, :now "
                    f"FROM {_CHANGES} AS a WHERE {chosen} "
                    f"ON CONFLICT (kalla, extern_id) {on_conflict}"
                ),
                parameters,
            ).rowcount
            if written != count:
                raise _Raced
    return changed, updated
