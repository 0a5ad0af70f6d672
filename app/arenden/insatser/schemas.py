"""Interventions carried out in a case (T 7.6, R, K)."""

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.arenden.enums import Ansvarspart, Insatsstatus, Insatstyp
from app.kit.schemas import Datum, RequestModel, ResponseModel

Beskrivning = Annotated[str | None, Field(min_length=1, max_length=2000)]
AnsvarigNamn = Annotated[str | None, Field(min_length=1, max_length=200)]


class InsatsCreate(RequestModel):
    insatstyp: Insatstyp
    beskrivning: Beskrivning = None
    ansvarig: Ansvarspart
    ansvarig_namn: AnsvarigNamn = Field(default=None, description="Den som genomför insatsen")
    startdatum: Datum
    slutdatum: Datum | None = None
    status: Insatsstatus = Insatsstatus.planerad

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.slutdatum is not None and self.slutdatum < self.startdatum:
            raise ValueError("slutdatum ligger före startdatum.")
        return self


class InsatsUpdate(RequestModel):
    beskrivning: Beskrivning = None
    ansvarig: Ansvarspart | None = None
    ansvarig_namn: AnsvarigNamn = None
    startdatum: Datum | None = None
    slutdatum: Datum | None = None
    status: Insatsstatus | None = None


class InsatsRead(ResponseModel):
    id: uuid.UUID
    arende_id: uuid.UUID
    insatstyp: Insatstyp
    beskrivning: str | None
    ansvarig: Ansvarspart
    ansvarig_namn: str | None
    startdatum: Datum
    slutdatum: Datum | None
    status: Insatsstatus
    skapad_av: uuid.UUID
    version: int
    skapad: datetime
    andrad: datetime
