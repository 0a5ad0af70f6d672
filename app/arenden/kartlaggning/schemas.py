"""The in-depth mapping (T 7.4): the views of pupil, guardians, school and other actors, and a
summary. The summary is what documents the mapping (the gate for `ansvarsplanering`)."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.kit.schemas import RequestModel, ResponseModel

Avsnitt = Annotated[str | None, Field(min_length=1, max_length=8000)]


class KartlaggningPut(RequestModel):
    bakgrund: Avsnitt = None
    elevens_perspektiv: Avsnitt = None
    vardnadshavarnas_perspektiv: Avsnitt = None
    skolans_perspektiv: Avsnitt = None
    ovriga_aktorer: Avsnitt = None
    sammanfattning: Avsnitt = Field(
        default=None, description="Kartläggningens slutsats; dokumenterar kartläggningen"
    )


class KartlaggningRead(ResponseModel):
    arende_id: uuid.UUID
    bakgrund: str | None = None
    elevens_perspektiv: str | None = None
    vardnadshavarnas_perspektiv: str | None = None
    skolans_perspektiv: str | None = None
    ovriga_aktorer: str | None = None
    sammanfattning: str | None = None
    dokumenterad: bool
    version: int = Field(description="0 = inget sparat ännu")
    andrad: datetime | None = None
    andrad_av: uuid.UUID | None = None
