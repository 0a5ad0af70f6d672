"""Python's cyclic garbage collector held off while import batches are worked on.

A batch of 50 000 records becomes about a million objects between its JSON and its answer, all
alive until the answer and none in a cycle: reference counting frees them when the batch ends.
The collector cannot know that. Each collection of a young generation goes through the new ones
again, and each full collection through those of every batch in flight. Measured, that was a
fifth of the time of a batch sent again (docs/performance.md: "Skräpsamlaren").

So the collector does not run by itself while any batch is in flight, and runs as before when
the last one ends. Batches that overlap without end would keep it off for good; so when it has
been held for longer than MAX_HOLD_SECONDS, the batch that ends then collects once: the cycles
other requests leave behind wait at most that long. A collector that was off when the first
batch began (as the caller set it) stays off.
"""

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

MAX_HOLD_SECONDS = 30.0

_lock = threading.Lock()
_in_flight = 0
_held_since = 0.0
_was_enabled = False


@contextmanager
def held() -> Iterator[None]:
    """No automatic collection until the block, and every other one open, has ended."""
    global _in_flight, _held_since, _was_enabled
    with _lock:
        if _in_flight == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
            _held_since = time.monotonic()
        _in_flight += 1
    try:
        yield
    finally:
        collect = False
        with _lock:
            _in_flight -= 1
            if _in_flight == 0:
                if _was_enabled:
                    gc.enable()
            elif time.monotonic() - _held_since > MAX_HOLD_SECONDS:
                _held_since = time.monotonic()
                collect = True
        if collect:
            gc.collect()
