"""The audit chain's pure parts: actions, outcomes and how rows are hashed and linked.

A row's content hash covers what happened (who, what, when, outcome); its link hash is
sha256(previous link hash ‖ content hash), so changing, removing or reordering any row breaks every
link after it. The link is simple enough for the database to compute while it holds the chain's
lock (see migrations: audit_tillagg), so that lock is held for one statement only.
"""

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum

GENESIS_HASH = "0" * 64


class Atgard(StrEnum):
    create = "create"
    read = "read"
    update = "update"
    delete = "delete"
    search = "search"
    export = "export"
    login = "login"


class Utfall(StrEnum):
    allowed = "allowed"
    denied = "denied"


# The fields a row's content hash covers, in the order they are serialised.
CONTENT_FIELDS = (
    "kommun_id",
    "tidpunkt",
    "aktor_typ",
    "aktor_id",
    "roll",
    "organisation",
    "atgard",
    "resurs_typ",
    "resurs_id",
    "elev_id",
    "rattslig_grund",
    "utfall",
    "request_id",
)


def canonical(value: object) -> object:
    """The JSON form of a field: UTC timestamps with microseconds, UUIDs and enums as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, uuid.UUID | StrEnum):
        return str(value)
    return value


def content_hash(fields: Mapping[str, object]) -> str:
    payload = [canonical(fields[name]) for name in CONTENT_FIELDS]
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def link_hash(previous: str, content: str) -> str:
    return hashlib.sha256(bytes.fromhex(previous) + bytes.fromhex(content)).hexdigest()
