import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.kit.schemas import RequestModel, ResponseModel

Skolenhetskod = Annotated[
    str, Field(pattern=r"^[0-9]{8}$", description="Skolverkets skolenhetskod, åtta siffror")
]
Skolnamn = Annotated[str, Field(min_length=1, max_length=200)]


class SkolaCreate(RequestModel):
    namn: Skolnamn
    skolenhetskod: Skolenhetskod


class SkolaUpdate(RequestModel):
    namn: Skolnamn | None = None
    skolenhetskod: Skolenhetskod | None = None


class SkolaRead(ResponseModel):
    id: uuid.UUID
    namn: str
    skolenhetskod: str
    version: int
    skapad: datetime
    andrad: datetime
