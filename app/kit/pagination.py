"""Cursor pagination: `?limit=&cursor=`, answered as `{"data": [...], "nasta_cursor": ...}`."""

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from app.core.errors import InvalidInput

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    data: list[T]
    nasta_cursor: str | None


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    after: list[Any] | None

    def after_uuid(self) -> uuid.UUID | None:
        """The last id of the previous page, for lists ordered by a UUID key."""
        if not self.after:
            return None
        try:
            return uuid.UUID(str(self.after[0]))
        except ValueError as exc:
            raise bad_cursor() from exc

    def after_int(self) -> int | None:
        if not self.after:
            return None
        return cursor_int(self.after[0])


# Whole numbers in a cursor are compared with 64-bit columns; a larger one is no position.
_BIGINT = 2**63


def cursor_int(value: object) -> int:
    """A whole number read from a cursor."""
    if not isinstance(value, int) or isinstance(value, bool) or not -_BIGINT <= value < _BIGINT:
        raise bad_cursor()
    return value


def encode_cursor(position: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise bad_cursor() from exc
    if not isinstance(position, list) or not position:
        raise bad_cursor()
    return position


def bad_cursor() -> InvalidInput:
    return InvalidInput(
        "Ogiltig cursor.",
        errors=[{"plats": "query.cursor", "meddelande": "Använd nasta_cursor från förra svaret."}],
    )


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Antal per sida")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(
            max_length=500, pattern=r"^[A-Za-z0-9_-]*$", description="nasta_cursor från förra sidan"
        ),
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, after=_decode_cursor(cursor) if cursor else None)


PageDep = Annotated[PageParams, Depends(page_params)]


def next_cursor(rows: list[Any], params: PageParams, position: Any) -> str | None:
    """Given up to limit + 1 rows, the cursor for the next page (and trims the extra row)."""
    if len(rows) <= params.limit:
        return None
    del rows[params.limit :]
    return encode_cursor(position(rows[-1]))


def page_of(
    items: Sequence[T], params: PageParams, key: Callable[[T], object]
) -> tuple[list[T], str | None]:
    """A page of a short list read whole and in its order (a pupil's guardians, a case's
    meetings): the items after the one whose key the cursor names, and the next cursor."""
    start = 0
    if params.after:
        keys = [str(key(item)) for item in items]
        try:
            start = keys.index(str(params.after[0])) + 1
        except ValueError:
            raise bad_cursor() from None
    rows = list(items[start : start + params.limit + 1])
    return rows, next_cursor(rows, params, lambda item: [str(key(item))])
