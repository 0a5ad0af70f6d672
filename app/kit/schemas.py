"""Base classes for request and response bodies."""

import uuid
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict


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
