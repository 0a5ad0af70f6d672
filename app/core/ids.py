"""Identifiers: UUID version 7, so that ids sort by creation time (RFC 9562)."""

import os
import time
import uuid


def new_id() -> uuid.UUID:
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= (rand >> 68) << 64  # 12 random bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def id_series() -> tuple[str, int]:
    """Ids for many rows made at once in SQL, by RFC 9562's counter method (6.2, method 1): the
    first 20 of a new id's 32 hex digits (time, version, random bits, variant) and a random
    start for the last 12, which count up by one per row (room for 2**47 rows)."""
    return new_id().hex[:20], int.from_bytes(os.urandom(6), "big") >> 1
