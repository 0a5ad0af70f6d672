import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.kit.schemas import NO_NUL, IdList, RequestModel, ResponseModel


class IntegrationCreate(RequestModel):
    namn: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    skolor: Annotated[list[uuid.UUID], Field(min_length=1, max_length=500)]


class IntegrationRead(ResponseModel):
    id: uuid.UUID
    namn: str
    klient_id: str
    skolor: IdList
    aktiv: bool
    version: int
    skapad: datetime


class IntegrationSkapad(IntegrationRead):
    klient_hemlighet: str = Field(description="Visas bara nu; spara den i källsystemet")
