"""What every import batch shares (API.md: a batch import answers 200 with counts): reading the
body, checking each record on its own, the answer, and Idempotency-Key.

The body is read as JSON and only its outer shape is checked as a whole (a JSON array, or the
SS 12000 list envelope `{"data": [...]}`); each record is then validated by itself, so a bad
record is rejected with its index and reason and never takes the others with it.
"""

import hashlib
import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import pydantic_core
from fastapi import Header, Request
from pydantic import Field, TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from app.core import collector
from app.core.errors import InvalidInput, PayloadTooLarge
from app.core.time import utcnow
from app.franvaro.intake import Utfall, lock
from app.franvaro.models import Importsvar
from app.kit.schemas import ResponseModel

MAX_POSTER = 50_000

T = TypeVar("T")

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Samma nyckel med samma innehåll (blanksteg mellan JSON-värdena räknas "
        "inte) ger det första svaret igen; med annat innehåll 422.",
    ),
]


class Avvisning(ResponseModel):
    index: int = Field(description="Postens plats i batchen, från 0")
    id: str | None = Field(description="Postens id i källsystemet, om den har ett")
    skal: str


class Importresultat(ResponseModel):
    mottagna: int
    skapade: int
    uppdaterade: int
    oforandrade: int
    avvisade: int
    avvisningar: list[Avvisning] = Field(description="Varje avvisad post och varför")
    anmarkningar: list[Avvisning] = Field(
        description="Poster som togs emot men med något att påpeka (t.ex. okänd lektion)"
    )

    @classmethod
    def of(cls, utfall: Utfall) -> "Importresultat":
        avvisade = sorted(utfall.avvisade, key=lambda a: a.index)
        return cls(
            mottagna=utfall.mottagna,
            skapade=utfall.skapade,
            uppdaterade=utfall.uppdaterade,
            oforandrade=utfall.oforandrade,
            avvisade=len(avvisade),
            avvisningar=[Avvisning(index=a.index, id=a.id, skal=a.skal) for a in avvisade],
            anmarkningar=[
                Avvisning(index=a.index, id=a.id, skal=a.skal)
                for a in sorted(utfall.anmarkningar, key=lambda a: a.index)
            ],
        )


@dataclass(frozen=True, slots=True)
class Batch:
    poster: list[Any]
    # The body as read, for its fingerprint.
    innehall: Any

    def digest(self) -> str:
        """The content's fingerprint, for Idempotency-Key (only a call with a key needs it): of
        the JSON read, written again without whitespace, so that a retry formatted otherwise is
        the same content."""
        return hashlib.sha256(pydantic_core.to_json(self.innehall)).hexdigest()


async def read_batch(request: Request) -> AsyncIterator[Batch]:
    """The body's records: a JSON array or the list envelope, at most MAX_POSTER of them.

    From reading them until the batch is answered, the cyclic garbage collector is held off
    (collector.py): as a dependency of the endpoint's own scope, this ends when the endpoint
    returns. The records are let go first, so that the collector, running again, does not go
    through them."""
    body = await request.body()
    with collector.held():
        batch = _parse(body)
        try:
            yield batch
        finally:
            batch.poster.clear()


def _parse(body: bytes) -> Batch:
    try:
        parsed = pydantic_core.from_json(body)
    except ValueError:
        raise InvalidInput("Innehållet är inte giltig JSON.") from None
    if isinstance(parsed, dict) and isinstance(parsed.get("data"), list):
        poster = parsed["data"]
    elif isinstance(parsed, list):
        poster = parsed
    else:
        raise InvalidInput(
            'Innehållet ska vara en JSON-lista med poster eller {"data": [...]}.',
            errors=[{"plats": "body", "meddelande": 'Varken lista eller {"data": [...]}.'}],
        )
    if len(poster) > MAX_POSTER:
        raise PayloadTooLarge(
            f"En batch får ha högst {MAX_POSTER} poster; den här har {len(poster)}. Dela upp den."
        )
    return Batch(poster, parsed)


def _reason(error: ValidationError) -> str:
    parts = []
    for detail in error.errors(include_url=False, include_context=False)[:3]:
        where = ".".join(str(part) for part in detail["loc"])
        parts.append(f"{where}: {detail['msg']}" if where else detail["msg"])
    return "Ogiltig post: " + "; ".join(parts)


def _record_id(raw: object) -> str | None:
    if isinstance(raw, dict):
        value = raw.get("id", raw.get("kall_post_id"))
        if isinstance(value, str) and len(value) <= 100:
            return value
    return None


def validate_each(
    adapter: TypeAdapter[T],
    poster: Iterable[Any],
    utfall: Utfall,
    *,
    alla: TypeAdapter[list[T]] | None = None,
) -> list[tuple[int, T]]:
    """Each record validated by itself; the invalid ones go into `utfall` with the reason.

    With `alla`, the same adapter over a list, a batch is first validated in one call, which is
    much cheaper per record; only a batch with an invalid record is then validated record by
    record. The result is the same either way: `alla` validates each item as `adapter` does."""
    if alla is not None and isinstance(poster, list):
        try:
            checked = alla.validate_python(poster)
        except ValidationError:
            pass
        else:
            utfall.mottagna += len(checked)
            return list(enumerate(checked))
    valid: list[tuple[int, T]] = []
    for index, raw in enumerate(poster):
        utfall.mottagna += 1
        try:
            valid.append((index, adapter.validate_python(raw)))
        except ValidationError as error:
            utfall.avvisa(index, _record_id(raw), _reason(error))
    return valid


def body_schema(item: dict[str, Any], *, envelope: bool) -> dict[str, Any]:
    """The request body as the document shows it (FastAPI cannot see a body read by hand)."""
    items = {"type": "array", "maxItems": MAX_POSTER, "items": item}
    schema: dict[str, Any] = items
    if envelope:
        schema = {
            "anyOf": [
                items,
                {
                    "type": "object",
                    "properties": {"data": items, "pageToken": {"type": ["string", "null"]}},
                    "required": ["data"],
                },
            ]
        }
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def inline_schema(adapter: TypeAdapter[Any]) -> dict[str, Any]:
    """The adapter's JSON schema with its $defs written in place (no refs into the document)."""
    schema = adapter.json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def with_idempotency(
    session: Session,
    *,
    kalla: str,
    nyckel: str | None,
    operation: str,
    batch: Batch,
    run: Callable[[], Importresultat],
) -> Importresultat:
    """Runs the batch once per key: a retry with the same content gets the first answer."""
    if nyckel is None:
        return run()
    digest = batch.digest()
    # A retry sent while the first call is still running waits for its answer.
    lock(session, f"{kalla}\n{nyckel}")
    stored = session.get(Importsvar, (kalla, nyckel))
    if stored is not None:
        if stored.operation != operation or stored.innehall_hash != digest:
            raise InvalidInput(
                "Idempotency-Key har redan använts för en annan batch. Använd en ny nyckel.",
                errors=[
                    {"plats": "header.Idempotency-Key", "meddelande": "Använd för annat innehåll."}
                ],
            )
        return Importresultat.model_validate(json.loads(stored.svar))
    result = run()
    session.add(
        Importsvar(
            kalla=kalla,
            nyckel=nyckel,
            operation=operation,
            innehall_hash=digest,
            svar=result.model_dump_json(),
            skapad=utcnow(),
        )
    )
    return result
