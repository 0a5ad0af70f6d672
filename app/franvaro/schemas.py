import uuid
from datetime import date, datetime

from pydantic import Field, model_validator

from app.elever.models import Arskurs
from app.franvaro.models import Anmalningstyp
from app.franvaro.rules import Narvaroniva, Skal, Trend
from app.kit.schemas import RequestModel, ResponseModel

# How every share is given (rules.procent): cut, not rounded, so that it never shows a threshold
# the pupil has not reached.
ANDEL = "Frånvaro ÷ schemalagd tid i procent, avkortad till två decimaler; null utan schema"


class Summa(ResponseModel):
    schemalagda_minuter: int
    giltig_franvaro_minuter: int
    ogiltig_franvaro_minuter: int
    franvaro_procent: float | None = Field(description=ANDEL)
    giltig_procent: float | None
    ogiltig_procent: float | None


class Veckosumma(Summa):
    vecka: date = Field(description="Veckans måndag")


class FranvaropostRead(ResponseModel):
    datum: date
    schemalagda_minuter: int
    giltig_franvaro_minuter: int
    ogiltig_franvaro_minuter: int
    orsak: str | None
    kalla: str
    kall_post_id: str


class AnmalanRead(ResponseModel):
    typ: Anmalningstyp
    start: datetime
    slut: datetime
    kalla: str


class GranserRead(ResponseModel):
    gul_procent: float
    orange_procent: float


class NivaRead(ResponseModel):
    niva: Narvaroniva
    skal: list[Skal]
    andel_procent: float | None = Field(description=ANDEL)
    fran: date = Field(description="Fönstrets första dag (måndag, åtta veckor)")
    till: date = Field(description="Fönstrets sista dag")
    foregaende_niva: Narvaroniva = Field(description="Nivån de åtta veckorna före fönstret")
    trend: Trend
    granser: GranserRead


class ElevensFranvaro(ResponseModel):
    elev_id: uuid.UUID
    fran: date
    till: date
    summa: Summa
    veckor: list[Veckosumma]
    poster: list[FranvaropostRead]
    anmalningar: list[AnmalanRead]
    narvaroniva: NivaRead


class VarningElev(ResponseModel):
    id: uuid.UUID
    fornamn: str
    efternamn: str
    skola_id: uuid.UUID
    arskurs: Arskurs


class Narvarovarning(ResponseModel):
    elev: VarningElev
    niva: Narvaroniva
    foregaende_niva: Narvaroniva
    trend: Trend
    stigit: bool = Field(description="Nivån är högre än de åtta veckorna före; dessa listas först")
    andel_procent: float | None = Field(description=ANDEL)
    foregaende_andel_procent: float | None = Field(description=ANDEL)
    ogiltig_franvaro_minuter: int


class NarvarogranserRead(ResponseModel):
    gul_procent: float
    orange_procent: float
    veckor: int = Field(description="Fönstrets längd i veckor")


class NarvarogranserUpdate(RequestModel):
    gul_procent: float = Field(gt=0, le=100, description="Procent, högst två decimaler")
    orange_procent: float = Field(gt=0, le=100, description="Procent, högst två decimaler")

    @model_validator(mode="after")
    def _ordered(self) -> "NarvarogranserUpdate":
        if any(round(value, 2) != value for value in (self.gul_procent, self.orange_procent)):
            raise ValueError("Gränserna anges med högst två decimaler.")
        if self.orange_procent <= self.gul_procent:
            raise ValueError("orange_procent måste vara större än gul_procent.")
        return self
