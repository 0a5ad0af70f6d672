"""Base classes for request and response bodies, and value types they share."""

import re
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

# PostgreSQL text cannot hold NUL, and no name, code or secret needs it: request text refuses it on
# both databases alike (422, not a failed INSERT), and the pattern puts the rule in the contract.
NO_NUL = r"^[^\x00]*$"


class RequestModel(BaseModel):
    """A body the client sends: unknown fields are refused; server-owned fields are absent."""

    model_config = ConfigDict(extra="forbid")


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _ids_of(value: object) -> object:
    """Turns a loaded relationship (a list of rows) into the list of their ids."""
    if isinstance(value, list):
        return [getattr(item, "id", item) for item in value]
    return value


IdList = Annotated[list[uuid.UUID], BeforeValidator(_ids_of)]


_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?", re.ASCII
)


def _rfc3339_text(value: object) -> object:
    # Pydantic also reads numbers as Unix times ("0.5" is 1970-01-01T00:00:00.5Z); the contract
    # says RFC 3339 (API.md: Time), so nothing else passes.
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        raise ValueError("Ska vara en tidpunkt enligt RFC 3339.")
    return value


Tidpunkt = Annotated[datetime, BeforeValidator(_rfc3339_text)]
