"""The cyclic garbage collector held off while import batches are worked on (app/core/collector.py):
off while any batch is in flight, on again when the last one ends, never off for longer than the
bound while batches overlap, and as the caller left it."""

import gc
import weakref
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core import collector
from app.franvaro import service
from tests.factories import ny_elev
from tests.franvaro.helpers import FRANVARO, post, skicka
from tests.helpers import INTEGRATION, Tokens


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _cycle_left_behind() -> "weakref.ref[_Cycle]":
    """A weak reference to an object only a collection can free."""
    return weakref.ref(_Cycle())


def _allocate_past_the_threshold() -> None:
    """More new containers than the youngest generation's threshold: with the collector on,
    this collects."""
    keep = [[] for _ in range(gc.get_threshold()[0] * 3)]  # type: ignore[var-annotated]
    del keep


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    """Each test starts with the collector on and leaves it as it found it: the rest of the
    suite needs it to close the connections of the apps it makes."""
    was = gc.isenabled()
    gc.enable()
    yield
    assert collector._in_flight == 0
    if was:
        gc.enable()
    else:
        gc.disable()


def test_while_a_batch_is_in_flight_nothing_is_collected_by_itself() -> None:
    with collector.held():
        assert not gc.isenabled()
        cycle = _cycle_left_behind()
        _allocate_past_the_threshold()
        assert cycle() is not None
    assert gc.isenabled()


def test_without_a_hold_the_same_is_collected() -> None:
    cycle = _cycle_left_behind()
    _allocate_past_the_threshold()
    assert cycle() is None


def test_the_collector_runs_again_only_when_the_last_batch_ends() -> None:
    first, second = collector.held(), collector.held()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_batch_that_fails_lets_the_collector_run_again() -> None:
    with pytest.raises(RuntimeError), collector.held():
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector.held():
        pass
    assert not gc.isenabled()


def test_overlapping_batches_collect_once_the_hold_has_lasted_too_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(collector, "MAX_HOLD_SECONDS", 0.0)
    longer = collector.held()
    longer.__enter__()
    with collector.held():
        cycle = _cycle_left_behind()
    assert cycle() is None
    assert not gc.isenabled()
    longer.__exit__(None, None, None)
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (None, 200),
        (b"[{", 422),
        (b'{"poster": []}', 422),
    ],
    ids=["stored", "not JSON", "not a list"],
)
def test_an_import_request_holds_the_collector_and_lets_it_go(
    client: TestClient,
    tokens: Tokens,
    db: Session,
    monkeypatch: pytest.MonkeyPatch,
    body: bytes | None,
    status: int,
) -> None:
    seen: list[bool] = []
    original = service.import_native

    def importer(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return original(*args)

    monkeypatch.setattr(service, "import_native", importer)
    if body is None:
        elev = ny_elev(client, tokens, db)
        answer = skicka(client, tokens, [post(elev["id"], "gc-1", date(2026, 1, 12))])
        assert answer["skapade"] == 1
        assert seen == [False]
    else:
        response = client.post(
            FRANVARO,
            content=body,
            headers={**tokens.headers(INTEGRATION), "content-type": "application/json"},
        )
        assert response.status_code == status, response.text
        assert seen == []
    assert gc.isenabled()
