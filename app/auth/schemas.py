import uuid
from typing import Literal

from app.auth.principal import AktorTyp
from app.auth.roles import Organisation, Roll
from app.kit.schemas import ResponseModel


class TokenRead(ResponseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int
    scope: str


class MigRead(ResponseModel):
    """The caller as the service sees them now."""

    typ: AktorTyp
    id: uuid.UUID
    namn: str
    anvandarnamn: str | None
    kommun_id: uuid.UUID
    roll: Roll
    organisation: Organisation | None
    skolor: list[uuid.UUID]
    scopes: list[str]
