"""Base classes for request and response bodies, and value types they share."""

import re
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetPydanticSchema,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import core_schema

# PostgreSQL text cannot hold NUL, and no name, code or secret needs it: request text refuses it on
# both databases alike (422, not a failed INSERT), and the pattern puts the rule in the contract.
NO_NUL = r"^[^\x00]*$"
_NUL_MESSAGE = "Texten får inte innehålla NUL-tecken."
# Whitespace alone would pass a required text's min_length and a workflow gate that asks for it.
_BLANK_MESSAGE = "Texten får inte bestå av bara blanksteg."


def _text_fault(value: object) -> str | None:
    """What is wrong with the text anywhere in a value: a NUL character, or only whitespace."""
    if isinstance(value, str):
        if "\x00" in value:
            return _NUL_MESSAGE
        return _BLANK_MESSAGE if value.isspace() else None
    items: Iterable[object]
    if isinstance(value, list | tuple | set | frozenset):
        items = value
    elif isinstance(value, dict):
        items = value.values()
    else:
        return None
    return next((fault for item in items if (fault := _text_fault(item))), None)


# The rules of _text_fault as a pattern: no NUL, and not only whitespace.
_REQUEST_TEXT = r"^(?!\s+$)[^\x00]*$"


def _document_text_rules(schema: dict[str, Any]) -> None:
    """Adds the text rules to every free-text string of the schema (those with no pattern but
    NO_NUL, no enum and no format), so the contract says what the validator enforces."""
    if schema.get("type") == "string":
        own = {"pattern", "enum", "format", "const"} & schema.keys()
        if not own or (own == {"pattern"} and schema["pattern"] == NO_NUL):
            schema["pattern"] = _REQUEST_TEXT
        return
    for option in schema.get("anyOf", []):
        _document_text_rules(option)
    if isinstance(schema.get("items"), dict):
        _document_text_rules(schema["items"])


def _schema_of_request(schema: dict[str, Any]) -> None:
    for member in schema.get("properties", {}).values():
        _document_text_rules(member)


class RequestModel(BaseModel):
    """A body the client sends: unknown fields are refused; server-owned fields are absent; no
    text holds a NUL character or is only whitespace."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_schema_of_request)

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_bad_text(cls, value: object) -> object:
        if fault := _text_fault(value):
            raise ValueError(fault)
        return value


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _ids_of(value: object) -> object:
    """Turns a loaded relationship (a list of rows) into the list of their ids."""
    if isinstance(value, list):
        return [getattr(item, "id", item) for item in value]
    return value


IdList = Annotated[list[uuid.UUID], BeforeValidator(_ids_of)]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

# The years a time or date in a request may have: any school record fits, and the ends of the
# calendar are far enough away that moving a time to UTC or a date by weeks cannot overflow
# (0001-01-01T00:00:00+01:00 in UTC is before year 1).
FORSTA_AR, SISTA_AR = "1900", "2100"
_UTANFOR = f"Ska ligga mellan år {FORSTA_AR} och {SISTA_AR}."
# The same rule in the contract.
_AR_MONSTER = r"^(19[0-9]{2}|20[0-9]{2}|2100)-"
# RFC 3339 (API.md: Time). Pydantic alone also reads numbers as Unix times ("0.5" is
# 1970-01-01T00:00:00.5Z), so a time is text of this form first.
_RFC3339 = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})?$"
)


def _text_checked(message: str, pattern: str) -> core_schema.CoreSchema:
    """Text matching `pattern`, or the error `message` (as a ValueError with it would be)."""
    return core_schema.custom_error_schema(
        core_schema.str_schema(pattern=pattern),
        custom_error_type="value_error",
        custom_error_context={"error": message},
    )


def _tidpunkt(zon: Literal["aware"] | None) -> GetPydanticSchema:
    """A time in a request, given as text: its form, its year and then the time itself are
    checked in pydantic-core, with no Python call per value (an import batch has 50 000)."""
    schema = core_schema.chain_schema(
        [
            _text_checked("Ska vara en tidpunkt enligt RFC 3339.", _RFC3339),
            _text_checked(_UTANFOR, _AR_MONSTER),
            core_schema.datetime_schema(tz_constraint=zon),
        ]
    )
    return GetPydanticSchema(lambda _type, _handler: schema)


_TIDPUNKT_SCHEMA = WithJsonSchema({"type": "string", "format": "date-time", "pattern": _AR_MONSTER})
Tidpunkt = Annotated[datetime, _tidpunkt(None), _TIDPUNKT_SCHEMA]
# A time that must say its offset from UTC.
TidpunktMedZon = Annotated[datetime, _tidpunkt("aware"), _TIDPUNKT_SCHEMA]


def _iso_date_text(value: object) -> object:
    # As for Tidpunkt: numbers would be read as Unix times; the contract says ISO dates.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("Ska vara ett datum (ÅÅÅÅ-MM-DD).")
    if not FORSTA_AR <= value[:4] <= SISTA_AR:
        raise ValueError(_UTANFOR)
    return value


Datum = Annotated[
    date,
    BeforeValidator(_iso_date_text),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _AR_MONSTER}),
]
