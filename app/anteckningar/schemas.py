"""Bodies of documentation entries (S 8)."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.anteckningar.models import Anteckning, Anteckningsstatus
from app.kit.schemas import NO_NUL, RequestModel, ResponseModel

Text = Annotated[str, Field(min_length=1, max_length=20000, pattern=NO_NUL)]


class AnteckningCreate(RequestModel):
    text: Text
    arende_id: uuid.UUID | None = Field(
        default=None,
        description="Elevens ärende hos det skolsociala teamet, om anteckningen hör dit",
    )
    rattar_id: uuid.UUID | None = Field(
        default=None,
        description="En signerad anteckning som denna rättar; den rättade står kvar oförändrad",
    )


class AnteckningUpdate(RequestModel):
    """Changes to one's own draft; a signed entry is never changed."""

    text: Text | None = None
    arende_id: uuid.UUID | None = Field(default=None, description="null tar bort kopplingen")


class AnteckningRead(ResponseModel):
    id: uuid.UUID
    elev_id: uuid.UUID
    skola_id: uuid.UUID = Field(description="Elevens skola när anteckningen skrevs")
    arende_id: uuid.UUID | None
    forfattare_id: uuid.UUID
    forfattare_namn: str | None
    text: str
    status: Anteckningsstatus
    signerad: datetime | None
    rattar_id: uuid.UUID | None = Field(description="Anteckningen som denna rättar")
    rattad_av: list[uuid.UUID] = Field(
        description="Anteckningar som rättar denna (signerade, och egna utkast), äldst först"
    )
    rattad: bool = Field(description="En signerad anteckning rättar denna")
    version: int
    skapad: datetime
    andrad: datetime


@dataclass(frozen=True, slots=True)
class AnteckningVy:
    anteckning: Anteckning
    forfattare_namn: str | None
    rattad_av: list[uuid.UUID]
    rattad: bool


def anteckning_read(vy: AnteckningVy) -> AnteckningRead:
    row = vy.anteckning
    return AnteckningRead(
        id=row.id,
        elev_id=row.elev_id,
        skola_id=row.skola_id,
        arende_id=row.arende_id,
        forfattare_id=row.forfattare_id,
        forfattare_namn=vy.forfattare_namn,
        text=row.text,
        status=row.status,
        signerad=row.signerad,
        rattar_id=row.rattar_id,
        rattad_av=vy.rattad_av,
        rattad=vy.rattad,
        version=row.version,
        skapad=row.skapad,
        andrad=row.andrad,
    )
