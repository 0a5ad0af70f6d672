"""Batches of one source stored at once (PostgreSQL, real connections): a batch's records are
written without the kommun's lock, so one batch can write its records while another moves its
sums. A batch that read a record before another batch wrote it reads it again; the answer
counts each record against what was stored, and the sums always follow the records.

The pupils are committed so that every connection sees them, and removed afterwards with
everything stored for them. `intake.store` writes no audit rows, so nothing is left behind.
"""

import json
import random
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, delete, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import Conflict
from app.core.time import today
from app.elever.models import Elev
from app.franvaro import intake
from app.franvaro.intake import Post, Utfall, store
from tests.factories import EKBACKEN, elev_i_databasen
from tests.franvaro.helpers import Lagrad, assert_sums_follow_the_records, lagrade
from tests.helpers import LOCK_WAIT_SECONDS, started_until_blocked


@dataclass(frozen=True)
class Committed:
    factory: sessionmaker[Session]
    kommun_id: uuid.UUID
    elever: list[uuid.UUID]
    # A source of the test's own, so that only its records are compared.
    kalla: str

    def store(self, session: Session, poster: list[Post]) -> Utfall:
        return store(
            session,
            kommun_id=self.kommun_id,
            kalla=self.kalla,
            poster=list(enumerate(poster)),
        )


@pytest.fixture
def committed(engine: Engine) -> Iterator[Committed]:
    if engine.dialect.name != "postgresql":
        pytest.skip(
            "SQLite serialises writers (one connection, BEGIN IMMEDIATE): two write "
            "transactions are never open at once there"
        )
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session, session.begin():
        elever = [uuid.UUID(elev_i_databasen(session, EKBACKEN)["id"]) for _ in range(3)]
        kommun_id = session.get_one(Elev, elever[0]).kommun_id
    yield Committed(factory, kommun_id, elever, f"samtidig-{uuid.uuid4().hex[:12]}")
    with factory() as session, session.begin():
        # The records and the sums go with the pupils (ON DELETE CASCADE).
        session.execute(delete(Elev).where(Elev.id.in_(elever)))


def _while_held(
    committed: Committed, engine: Engine, first: list[Post], second: list[Post]
) -> Utfall | BaseException:
    """Stores `first` and, before committing it, `second` from another connection; commits
    `first` once the second waits for it, and answers what storing `second` answered."""
    outcome: list[Utfall | BaseException] = []

    def second_batch() -> None:
        with committed.factory() as session:
            try:
                outcome.append(committed.store(session, second))
                session.commit()
            except Conflict as exc:
                session.rollback()
                outcome.append(exc)

    with committed.factory() as session:
        committed.store(session, first)
        thread = started_until_blocked(engine, second_batch, "the second batch")
        session.commit()
    thread.join(LOCK_WAIT_SECONDS)
    assert not thread.is_alive()
    assert len(outcome) == 1
    return outcome[0]


def _post(elev_id: uuid.UUID, extern_id: str, datum: date, giltig: int = 0) -> Post:
    return (extern_id, elev_id, datum, 60, giltig, 0, None)


def _as_stored(poster: list[Post]) -> dict[str, Lagrad]:
    return {p[0]: (str(p[1]), p[2], p[3], p[4], p[5], p[6]) for p in poster}


def _assert_stored(committed: Committed, poster: list[Post]) -> None:
    """Exactly `poster` are stored, and the sums of every pupil of the test follow them."""
    with committed.factory() as session:
        stored = lagrade(session, committed.kalla)
        assert stored == _as_stored(poster)
        assert_sums_follow_the_records(session, stored, committed.elever)


def _counts(utfall: Utfall) -> tuple[int, int, int]:
    return utfall.skapade, utfall.uppdaterade, utfall.oforandrade


def test_a_batch_that_found_its_new_records_written_meanwhile_counts_them_as_stored(
    committed: Committed, engine: Engine
) -> None:
    a, b, _ = committed.elever
    dag = today() - timedelta(days=1)
    first = [_post(a, "r-1", dag), _post(a, "r-2", dag, giltig=10), _post(b, "r-3", dag)]
    # Read before the first batch commits, all four look new; r-1 and r-3 are the same as the
    # first batch's, r-2 is changed.
    second = [first[0], _post(a, "r-2", dag, giltig=30), first[2], _post(b, "r-4", dag)]

    answer = _while_held(committed, engine, first, second)

    assert isinstance(answer, Utfall)
    assert _counts(answer) == (1, 1, 2)
    _assert_stored(committed, second)


def test_a_changed_record_is_moved_from_the_version_another_batch_stored_meanwhile(
    committed: Committed, engine: Engine
) -> None:
    a, b, c = committed.elever
    # The record moves between pupils and weeks, so that a difference taken from the wrong
    # version would leave minutes behind in some pupil's or week's sums.
    stored_version = _post(a, "flyttas", today() - timedelta(weeks=3), giltig=5)
    with committed.factory() as session:
        committed.store(session, [stored_version])
        session.commit()
    first = [_post(b, "flyttas", today() - timedelta(weeks=2), giltig=20)]
    second = [_post(c, "flyttas", today() - timedelta(days=1), giltig=40)]

    answer = _while_held(committed, engine, first, second)

    assert isinstance(answer, Utfall)
    assert _counts(answer) == (0, 1, 0)
    _assert_stored(committed, second)


def test_a_batch_that_keeps_finding_its_records_written_meanwhile_is_refused_whole(
    committed: Committed, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "_ATTEMPTS", 1)
    a, b, _ = committed.elever
    dag = today() - timedelta(days=1)
    first = [_post(a, "r-1", dag)]
    second = [_post(a, "r-1", dag, giltig=15), _post(b, "r-2", dag)]

    answer = _while_held(committed, engine, first, second)

    assert isinstance(answer, Conflict)
    assert "skicka batchen igen" in str(answer)
    _assert_stored(committed, first)


def _send_all(committed: Committed, batches: list[list[Post]]) -> list[Utfall]:
    """Sends the batches one after another, each again when it is refused as raced."""
    answers = []
    for batch in batches:
        for _attempt in range(20):
            with committed.factory() as session:
                try:
                    answers.append(committed.store(session, batch))
                    session.commit()
                    break
                except Conflict:
                    session.rollback()
        else:
            raise AssertionError("a batch was refused as raced 20 times")
    return answers


def test_many_batches_at_once_leave_each_record_once_and_the_sums_following_them(
    committed: Committed,
) -> None:
    """Three senders with overlapping, shuffled batches: no deadlock, no record twice, every
    record stored as one of the versions sent, and the week and window sums equal to the sums
    of the stored records."""
    slump = random.Random(20261124)
    ids = [f"m-{n}" for n in range(40)]
    sent: dict[str, set[Lagrad]] = {}

    def batches() -> list[list[Post]]:
        made = []
        for _ in range(6):
            batch = []
            for extern_id in slump.sample(ids, 25):
                elev_id = slump.choice(committed.elever)
                datum = today() - timedelta(days=slump.randrange(0, 120))
                post = _post(elev_id, extern_id, datum, giltig=slump.choice((0, 10, 60)))
                batch.append(post)
                sent.setdefault(extern_id, set()).update(_as_stored([post]).values())
            made.append(batch)
        return made

    plans = [batches() for _ in range(3)]
    answers: list[list[Utfall]] = []
    failures: list[BaseException] = []

    def sender(plan: list[list[Post]]) -> Callable[[], None]:
        def run() -> None:
            try:
                answers.append(_send_all(committed, plan))
            except BaseException as exc:
                failures.append(exc)

        return run

    threads = [threading.Thread(target=sender(plan), daemon=True) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not failures, failures
    assert len(answers) == len(plans)
    for utfall in (u for sent_by_one in answers for u in sent_by_one):
        assert sum(_counts(utfall)) == 25
    with committed.factory() as session:
        stored = lagrade(session, committed.kalla)
        assert stored.keys() == sent.keys()
        for extern_id, version in stored.items():
            assert version in sent[extern_id]
        assert_sums_follow_the_records(session, stored, committed.elever)


def test_stored_versions_are_looked_up_in_the_index_when_the_statistics_say_the_table_is_empty(
    db: Session,
) -> None:
    """Planned while the statistics said the records table was empty, the look-up scanned the
    table once per record of the batch; with another batch filling the table at the same time,
    each scan read more, and one batch of 50 000 ran for minutes."""
    connection = db.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("SQLite looks a record up in the unique index whatever the table's size")
    # A table of the same shape, analysed while empty, in the session's own schema, which is
    # searched first: it stands in for franvaroposter in the statements below.
    connection.execute(
        text("CREATE TEMPORARY TABLE franvaroposter (LIKE public.franvaroposter INCLUDING ALL)")
    )
    connection.execute(text("ANALYZE pg_temp.franvaroposter"))
    batch = [[f"p-{n}", str(uuid.uuid4()), "2026-11-02", 60, 0, 0, None] for n in range(3)]
    connection.execute(
        text(f"CREATE TEMPORARY TABLE {intake._BATCH} AS {intake._POSTGRESQL.batch}"),
        {"batch": json.dumps(batch)},
    )

    def plan() -> str:
        explained = text(f"EXPLAIN {intake._changes(intake._POSTGRESQL)}")
        return "\n".join(connection.execute(explained, {"kalla": "plan"}).scalars())

    assert "Seq Scan on franvaroposter" in plan()
    with intake._by_index(connection):
        by_index = plan()
    assert "Index Scan using" in by_index
    assert "Seq Scan on franvaroposter" not in by_index
