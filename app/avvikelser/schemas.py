"""Bodies of deviation reports (S, avvikelserapportering)."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.avvikelser.enums import Avvikelsestatus, Verksamhet
from app.avvikelser.models import Avvikelse
from app.avvikelser.rules import tillatna
from app.kit.schemas import NO_NUL, Datum, RequestModel, ResponseModel

Beskrivning = Annotated[
    str,
    Field(
        min_length=1,
        max_length=4000,
        pattern=NO_NUL,
        description=(
            "Vad som hände i samverkan. Skriv om verksamheterna, inte om enskilda: en avvikelse "
            "behöver ingen elevs identitet."
        ),
    ),
]
Verksamheter = Annotated[
    list[Verksamhet],
    Field(
        min_length=2,
        max_length=6,
        description="De verksamheter avvikelsen berör, minst två; den rapporterande är en av dem",
    ),
]
Kommentar = Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]


class AvvikelseCreate(RequestModel):
    datum: Datum = Field(description="När det som rapporteras hände; inte i framtiden")
    beskrivning: Beskrivning
    berorda_verksamheter: Verksamheter
    kan_ej_losas_lokalt: bool = Field(description="Samverkansproblemet går inte att lösa lokalt")
    principiell: bool = Field(description="Samverkansproblemet är av principiell natur")
    rapporterande_verksamhet: Verksamhet | None = Field(
        default=None,
        description=(
            "Den verksamhet som rapporterar. Följer av användarens organisation (skola och central "
            "elevhälsa: skola; socialtjänst: socialtjanst); personal från regionen anger bup, "
            "barnmedicin, habilitering eller annan."
        ),
    )
    skola_id: uuid.UUID | None = Field(
        default=None,
        description=(
            "Skolan avvikelsen gäller. Skolans personal anger en av sina skolor (kan utelämnas "
            "med en enda skola); teamet kan lämna den tom för kommunen som helhet."
        ),
    )


class AvvikelseUpdate(RequestModel):
    """Content changes while the report is `registrerad`; a status change with what it needs."""

    datum: Datum | None = None
    beskrivning: Beskrivning | None = None
    berorda_verksamheter: Verksamheter | None = None
    kan_ej_losas_lokalt: bool | None = None
    principiell: bool | None = None
    status: Avvikelsestatus | None = Field(
        default=None,
        description=(
            "Nästa status: registrerad → rapporterad_bus → besvarad → avslutad. En registrerad "
            "avvikelse kan avslutas direkt med en avslutskommentar (t.ex. löst lokalt)."
        ),
    )
    status_datum: Datum | None = Field(
        default=None,
        description="Datum för statusbytet (rapporterad, besvarad, avslutad); standard i dag",
    )
    svar: Annotated[str, Field(min_length=1, max_length=4000, pattern=NO_NUL)] | None = Field(
        default=None, description="BUS-sekretariatets svar; krävs för besvarad"
    )
    avslutskommentar: Kommentar | None = None


class AvvikelseRead(ResponseModel):
    id: uuid.UUID
    skola_id: uuid.UUID | None
    rapporterad_av: uuid.UUID
    rapporterande_verksamhet: Verksamhet
    berorda_verksamheter: list[Verksamhet]
    datum: Datum
    beskrivning: str
    kan_ej_losas_lokalt: bool
    principiell: bool
    status: Avvikelsestatus
    mojliga_statusar: list[Avvikelsestatus] = Field(
        description="Statusar avvikelsen kan gå till härifrån"
    )
    rapporterad_bus: Datum | None
    svar: str | None
    besvarad: Datum | None
    avslutad: Datum | None
    avslutskommentar: str | None
    version: int
    skapad: datetime
    andrad: datetime


def avvikelse_read(avvikelse: Avvikelse) -> AvvikelseRead:
    return AvvikelseRead.model_validate(
        {
            **{
                name: getattr(avvikelse, name)
                for name in AvvikelseRead.model_fields
                if name != "mojliga_statusar"
            },
            "mojliga_statusar": sorted(tillatna(avvikelse.status), key=list(Avvikelsestatus).index),
        }
    )
