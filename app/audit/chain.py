"""The audit chain's pure parts: actions, outcomes and how a row's hash is computed."""

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


# The fields a row's hash covers, in the order they are serialised.
HASHED_FIELDS = (
    "kommun_id",
    "lopnummer",
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
    "foregaende_hash",
)


def _canonical(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, uuid.UUID | StrEnum):
        return str(value)
    return value


def row_hash(fields: Mapping[str, object]) -> str:
    """SHA-256 over the row's fields (including the previous row's hash) in canonical JSON."""
    payload = [_canonical(fields[name]) for name in HASHED_FIELDS]
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()
