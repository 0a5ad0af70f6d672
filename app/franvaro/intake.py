"""Storing a batch of absence records: idempotent, all or nothing, and fast.

A record is known by its source (the integration's klient_id) and the source's id. The batch
finds which of its records are new and which changed, with the stored versions of the changed
ones, writes only those, and moves the week sums and the pupils' window sums (models.py) by the
difference, all in the caller's transaction. On PostgreSQL the comparison is made in the query,
so a batch sent again (all unchanged) brings nothing back; on SQLite the stored versions are read
and compared in memory. The kommun's absence is written under one lock (per kommun), so two
batches never compute their differences from the same old state.

On PostgreSQL each step is one statement over arrays (`unnest`), whatever the batch size, each
array bound as one text literal (see `_array`); on SQLite, an executemany of the same statements.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Date, TextClause, Uuid, bindparam, text
from sqlalchemy.orm import Session

from app.core.ids import new_id
from app.core.time import today, utcnow
from app.db.base import UTCDateTime
from app.franvaro.rules import Fonster, vecka

# The reason an earlier record with an id repeated later in the batch is refused.
SAMMA_ID = "Samma id finns senare i batchen; den senare gäller."

# SQLite's bound parameters per statement stay well under its limit.
SQLITE_CHUNK = 5000


class Post(NamedTuple):
    """A record ready to store: the pupil is resolved and the minutes add up. Everything after
    `extern_id` is what is stored for it (compared with the stored version as a tuple)."""

    extern_id: str
    elev_id: uuid.UUID
    datum: date
    schemalagd: int
    giltig: int
    ogiltig: int
    orsak: str | None


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


# The stored row's id, then its values in Post's order after extern_id.
_Stored = tuple[uuid.UUID, uuid.UUID, date, int, int, int, str | None]


def lock_kommun(session: Session, kommun_id: uuid.UUID) -> None:
    """Serialises writers of one kommun's absence (and the recomputation of its tier state)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": str(kommun_id)}
        )
    else:
        # SQLite has one writer at a time; taking the write lock now, before reading, keeps a
        # reader from turning into a writer behind another one (SQLITE_BUSY_SNAPSHOT).
        connection.execute(text("DELETE FROM importsvar WHERE 1 = 0"))


def _is_pg(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _array(values: Iterable[uuid.UUID | date | int]) -> str:
    """A PostgreSQL array literal (`{…}`) of ids, dates or numbers, whose text form needs no
    quoting. A batch binds each column as one such text, cast in SQL: psycopg would otherwise dump
    a list element by element in Python, which for a large batch costs more than the statement."""
    return "{" + ",".join(map(str, values)) + "}"


def _text_array(values: Iterable[str | None]) -> str:
    """The same for text: each element in double quotes with backslash and double quote escaped
    (PostgreSQL's array syntax), None as NULL."""
    return (
        "{"
        + ",".join(
            "NULL" if v is None else '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
            for v in values
        )
        + "}"
    )


def _stored(connection: Connection, kalla: str, extern_ids: list[str]) -> dict[str, _Stored]:
    """The stored versions of the records (SQLite: its bound parameters are limited)."""
    columns = "extern_id, id, elev_id, datum, schemalagd, giltig, ogiltig, orsak"
    found: dict[str, _Stored] = {}
    for chunk in _chunks(extern_ids, SQLITE_CHUNK):
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        rows = connection.execute(
            text(
                f"SELECT {columns} FROM franvaroposter "  # noqa: S608 - placeholders only
                f"WHERE kalla = :kalla AND extern_id IN ({marks})"
            ),
            {"kalla": kalla, **{f"i{n}": value for n, value in enumerate(chunk)}},
        )
        for row in rows:
            found[row[0]] = (
                _uuid(row[1]),
                _uuid(row[2]),
                date.fromisoformat(row[3]),
                row[4],
                row[5],
                row[6],
                row[7],
            )
    return found


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _sqlite(statement: str) -> TextClause:
    """A statement for SQLite with the column types bound, so that ids, dates and times are
    stored exactly as the ORM stores them."""
    return text(statement).bindparams(
        *(bindparam(name, type_=Uuid()) for name in _UUID_PARAMS if f":{name}" in statement),
        *(bindparam(name, type_=Date()) for name in ("datum", "vecka") if f":{name}" in statement),
        *(bindparam("now", type_=UTCDateTime()) for _ in (1,) if ":now" in statement),
    )


_UUID_PARAMS = ("id", "kommun_id", "elev_id")


@dataclass(slots=True)
class _Deltas:
    """How the batch moves each week sum (pupil, Monday) and each pupil's window sums: scheduled,
    valid and invalid minutes; `a_*` then `b_*` for the windows."""

    fonster: Fonster
    veckor: dict[tuple[uuid.UUID, date], list[int]] = field(default_factory=dict)
    lagen: dict[uuid.UUID, list[int]] = field(default_factory=dict)
    # A date's Monday and where its window sums start (None: outside both windows).
    dagar: dict[date, tuple[date, int | None]] = field(default_factory=dict)

    def _dag(self, datum: date) -> tuple[date, int | None]:
        week = vecka(datum)
        part = self.fonster.del_av(week)
        found = (week, None if part is None else 0 if part == "a" else 3)
        self.dagar[datum] = found
        return found

    def add(
        self, elev_id: uuid.UUID, datum: date, sign: int, schemalagd: int, giltig: int, ogiltig: int
    ) -> None:
        week, offset = self.dagar.get(datum) or self._dag(datum)
        sums = self.veckor.get((elev_id, week))
        if sums is None:
            sums = self.veckor[(elev_id, week)] = [0, 0, 0]
        sums[0] += sign * schemalagd
        sums[1] += sign * giltig
        sums[2] += sign * ogiltig
        if offset is not None:
            window = self.lagen.get(elev_id)
            if window is None:
                window = self.lagen[elev_id] = [0, 0, 0, 0, 0, 0]
            window[offset] += sign * schemalagd
            window[offset + 1] += sign * giltig
            window[offset + 2] += sign * ogiltig


def store(
    session: Session, *, kommun_id: uuid.UUID, kalla: str, poster: list[tuple[int, Post]]
) -> Utfall:
    """Stores the batch's valid records and answers what became of each (rejections are the
    caller's to add). A record id sent twice in one batch: the last one counts."""
    utfall = Utfall(mottagna=0)
    last: dict[str, tuple[int, Post]] = {}
    for index, post in poster:
        earlier = last.get(post.extern_id)
        if earlier is not None:
            utfall.avvisa(earlier[0], post.extern_id, SAMMA_ID)
        last[post.extern_id] = (index, post)
    if not last:
        return utfall

    posts = [post for _index, post in last.values()]
    connection = session.connection()
    # The arrays are text, made before the lock so that other batches wait for less.
    arrays = _arrays(posts) if _is_pg(connection) else None
    lock_kommun(session, kommun_id)
    if arrays is None:
        changes = _changes_in_memory(connection, kalla, posts)
    else:
        changes = _changes_in_query(connection, kalla, posts, arrays)
    deltas = _Deltas(Fonster.per(today()))
    inserts: list[Post] = []
    updates: list[tuple[uuid.UUID, Post]] = []
    for post, old in changes:
        if old is None:
            inserts.append(post)
        else:
            updates.append((old[0], post))
            deltas.add(old[1], old[2], -1, old[3], old[4], old[5])
        deltas.add(post.elev_id, post.datum, 1, post.schemalagd, post.giltig, post.ogiltig)
    utfall.skapade = len(inserts)
    utfall.uppdaterade = len(updates)
    utfall.oforandrade = len(posts) - len(changes)

    now = utcnow()
    _insert(
        connection, kommun_id, kalla, inserts, now, arrays if len(inserts) == len(posts) else None
    )
    _update(connection, updates, now)
    _move_weeks(connection, kommun_id, deltas)
    _move_windows(connection, kommun_id, deltas)
    return utfall


# A record that is new (None) or changed (its stored version).
_Change = tuple[Post, _Stored | None]


def _changes_in_memory(connection: Connection, kalla: str, posts: list[Post]) -> list[_Change]:
    stored = _stored(connection, kalla, [post.extern_id for post in posts])
    changes: list[_Change] = []
    for post in posts:
        old = stored.get(post.extern_id)
        if old is None or old[1:] != post[1:]:
            changes.append((post, old))
    return changes


def _changes_in_query(
    connection: Connection, kalla: str, posts: list[Post], arrays: dict[str, str]
) -> list[_Change]:
    """The same as _changes_in_memory in one query: each record joined to its stored version,
    and only the new and the changed ones returned (by their place in the batch).

    Each record looks up its own stored version by the unique index (the LATERAL … LIMIT 1
    keeps the planner from hashing the whole source's records instead), in id order, so that
    neighbouring lookups share index pages: the cost follows the batch, not the table."""
    rows = connection.execute(
        text(
            "SELECT v.n, f.id, f.elev_id, f.datum, f.schemalagd, f.giltig, f.ogiltig, f.orsak "
            "FROM (SELECT * FROM unnest(CAST(:extern_ids AS varchar[]), CAST(:elever AS uuid[]), "
            "CAST(:datum AS date[]), CAST(:schemalagd AS int[]), CAST(:giltig AS int[]), "
            "CAST(:ogiltig AS int[]), CAST(:orsak AS varchar[])) WITH ORDINALITY "
            "AS u(extern_id, elev_id, datum, schemalagd, giltig, ogiltig, orsak, n) "
            "ORDER BY u.extern_id) AS v "
            "LEFT JOIN LATERAL (SELECT * FROM franvaroposter AS p "
            "WHERE p.kalla = :kalla AND p.extern_id = v.extern_id LIMIT 1) AS f ON true "
            "WHERE f.id IS NULL OR (f.elev_id, f.datum, f.schemalagd, f.giltig, f.ogiltig, "
            "f.orsak) IS DISTINCT FROM (v.elev_id, v.datum, v.schemalagd, v.giltig, v.ogiltig, "
            "v.orsak)"
        ),
        {"kalla": kalla, **arrays},
    )
    return [(posts[n - 1], None if row_id is None else (row_id, *old)) for n, row_id, *old in rows]


def _arrays(posts: list[Post]) -> dict[str, str]:
    """The records' columns as array literals, named as the statements bind them."""
    extern_ids, elever, datum, schemalagd, giltig, ogiltig, orsak = zip(*posts, strict=True)
    return {
        "extern_ids": _text_array(extern_ids),
        "elever": _array(elever),
        "datum": _array(datum),
        "schemalagd": _array(schemalagd),
        "giltig": _array(giltig),
        "ogiltig": _array(ogiltig),
        "orsak": _text_array(orsak),
    }


_INSERT = (
    "INSERT INTO franvaroposter (id, kommun_id, kalla, extern_id, elev_id, datum, schemalagd, "
    "giltig, ogiltig, orsak, mottagen) "
)


def _insert(
    connection: Connection,
    kommun_id: uuid.UUID,
    kalla: str,
    posts: list[Post],
    now: datetime,
    arrays: dict[str, str] | None,
) -> None:
    """`arrays`: the posts' arrays when already made (PostgreSQL)."""
    if not posts:
        return
    if _is_pg(connection):
        connection.execute(
            text(
                _INSERT + "SELECT v.id, :kommun_id, :kalla, v.extern_id, v.elev_id, v.datum, "  # noqa: S608 - fixed text, values bound
                "v.schemalagd, v.giltig, v.ogiltig, v.orsak, :now FROM unnest("
                "CAST(:ids AS uuid[]), CAST(:extern_ids AS varchar[]), CAST(:elever AS uuid[]), "
                "CAST(:datum AS date[]), CAST(:schemalagd AS int[]), CAST(:giltig AS int[]), "
                "CAST(:ogiltig AS int[]), CAST(:orsak AS varchar[])) "
                "AS v(id, extern_id, elev_id, datum, schemalagd, giltig, ogiltig, orsak)"
            ),
            {
                "kommun_id": kommun_id,
                "kalla": kalla,
                "now": now,
                "ids": _array(new_id() for _ in posts),
                **(arrays or _arrays(posts)),
            },
        )
        return
    connection.execute(
        _sqlite(
            _INSERT + "VALUES (:id, :kommun_id, :kalla, :extern_id, :elev_id, :datum, "
            ":schemalagd, :giltig, :ogiltig, :orsak, :now)"
        ),
        [
            {
                "id": new_id(),
                "kommun_id": kommun_id,
                "kalla": kalla,
                "extern_id": p.extern_id,
                "elev_id": p.elev_id,
                "datum": p.datum,
                "schemalagd": p.schemalagd,
                "giltig": p.giltig,
                "ogiltig": p.ogiltig,
                "orsak": p.orsak,
                "now": now,
            }
            for p in posts
        ],
    )


def _update(connection: Connection, rows: list[tuple[uuid.UUID, Post]], now: datetime) -> None:
    if not rows:
        return
    if _is_pg(connection):
        connection.execute(
            text(
                "UPDATE franvaroposter AS f SET elev_id = v.elev_id, datum = v.datum, "
                "schemalagd = v.schemalagd, giltig = v.giltig, ogiltig = v.ogiltig, "
                "orsak = v.orsak, mottagen = :now FROM unnest(CAST(:ids AS uuid[]), "
                "CAST(:elever AS uuid[]), CAST(:datum AS date[]), CAST(:schemalagd AS int[]), "
                "CAST(:giltig AS int[]), CAST(:ogiltig AS int[]), CAST(:orsak AS varchar[])) "
                "AS v(id, elev_id, datum, schemalagd, giltig, ogiltig, orsak) WHERE f.id = v.id"
            ),
            {
                "now": now,
                "ids": _array([row_id for row_id, _ in rows]),
                **_arrays([p for _, p in rows]),
            },
        )
        return
    connection.execute(
        _sqlite(
            "UPDATE franvaroposter SET elev_id = :elev_id, datum = :datum, "
            "schemalagd = :schemalagd, giltig = :giltig, ogiltig = :ogiltig, orsak = :orsak, "
            "mottagen = :now WHERE id = :id"
        ),
        [
            {
                "id": row_id,
                "elev_id": p.elev_id,
                "datum": p.datum,
                "schemalagd": p.schemalagd,
                "giltig": p.giltig,
                "ogiltig": p.ogiltig,
                "orsak": p.orsak,
                "now": now,
            }
            for row_id, p in rows
        ],
    )


def _move_weeks(connection: Connection, kommun_id: uuid.UUID, deltas: _Deltas) -> None:
    changed = [(key, sums) for key, sums in deltas.veckor.items() if any(sums)]
    if not changed:
        return
    conflict = (
        "ON CONFLICT (elev_id, vecka) DO UPDATE SET "
        "schemalagd = franvaroveckor.schemalagd + excluded.schemalagd, "
        "giltig = franvaroveckor.giltig + excluded.giltig, "
        "ogiltig = franvaroveckor.ogiltig + excluded.ogiltig"
    )
    insert = "INSERT INTO franvaroveckor (elev_id, vecka, kommun_id, schemalagd, giltig, ogiltig) "
    if _is_pg(connection):
        connection.execute(
            text(
                insert + "SELECT v.elev_id, v.vecka, :kommun_id, v.s, v.g, v.o FROM unnest("  # noqa: S608 - fixed text, values bound
                "CAST(:elever AS uuid[]), CAST(:veckor AS date[]), CAST(:s AS int[]), "
                "CAST(:g AS int[]), CAST(:o AS int[])) AS v(elev_id, vecka, s, g, o) " + conflict
            ),
            {
                "kommun_id": kommun_id,
                "elever": _array([elev_id for (elev_id, _), _ in changed]),
                "veckor": _array([week for (_, week), _ in changed]),
                "s": _array([sums[0] for _, sums in changed]),
                "g": _array([sums[1] for _, sums in changed]),
                "o": _array([sums[2] for _, sums in changed]),
            },
        )
        return
    connection.execute(
        _sqlite(insert + "VALUES (:elev_id, :vecka, :kommun_id, :s, :g, :o) " + conflict),
        [
            {
                "elev_id": elev_id,
                "vecka": week,
                "kommun_id": kommun_id,
                "s": sums[0],
                "g": sums[1],
                "o": sums[2],
            }
            for (elev_id, week), sums in changed
        ],
    )


_WINDOW_COLUMNS = ("a_schemalagd", "a_giltig", "a_ogiltig", "b_schemalagd", "b_giltig", "b_ogiltig")


def _move_windows(connection: Connection, kommun_id: uuid.UUID, deltas: _Deltas) -> None:
    """A state row of an earlier week is left as it is: reading recomputes the kommun's rows
    from the week sums when the week has turned (narvaro.py), and these are already in them."""
    changed = [(elev_id, sums) for elev_id, sums in deltas.lagen.items() if any(sums)]
    if not changed:
        return
    columns = ", ".join(_WINDOW_COLUMNS)
    moves = ", ".join(f"{c} = narvarolagen.{c} + excluded.{c}" for c in _WINDOW_COLUMNS)
    statement = (
        f"INSERT INTO narvarolagen (elev_id, kommun_id, vecka, {columns}) "
        "{values} "
        f"ON CONFLICT (elev_id) DO UPDATE SET {moves} WHERE narvarolagen.vecka = excluded.vecka"
    )
    per = deltas.fonster.per_vecka
    if _is_pg(connection):
        casts = ", ".join(f"CAST(:{c} AS int[])" for c in _WINDOW_COLUMNS)
        values = (
            f"SELECT v.elev_id, :kommun_id, :vecka, {', '.join('v.' + c for c in _WINDOW_COLUMNS)} "  # noqa: S608 - fixed text, values bound
            f"FROM unnest(CAST(:elever AS uuid[]), {casts}) AS v(elev_id, {columns})"
        )
        params: dict[str, Any] = {
            "kommun_id": kommun_id,
            "vecka": per,
            "elever": _array([elev_id for elev_id, _ in changed]),
        }
        for n, column in enumerate(_WINDOW_COLUMNS):
            params[column] = _array([sums[n] for _, sums in changed])
        connection.execute(text(statement.format(values=values)), params)
        return
    values = (
        "VALUES (:elev_id, :kommun_id, :vecka, " + ", ".join(f":{c}" for c in _WINDOW_COLUMNS) + ")"
    )
    connection.execute(
        _sqlite(statement.format(values=values)),
        [
            {
                "elev_id": elev_id,
                "kommun_id": kommun_id,
                "vecka": per,
                **{column: sums[n] for n, column in enumerate(_WINDOW_COLUMNS)},
            }
            for elev_id, sums in changed
        ],
    )
