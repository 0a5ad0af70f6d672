"""Bodies of the quality goals (S 9)."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.kit.schemas import NO_NUL, Datum, RequestModel, ResponseModel
from app.kvalitet.figurer import Saknas
from app.kvalitet.mal.indikatorer import Indikator
from app.kvalitet.mal.models import (
    Forbattringsatgard,
    Kvalitetsmal,
    Malniva,
    Riktning,
    Utfallskalla,
)

Maltext = Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]
Indikatortext = Annotated[str, Field(min_length=1, max_length=500, pattern=NO_NUL)]
Analys = Annotated[str, Field(min_length=1, max_length=8000, pattern=NO_NUL)]
Tal = Annotated[float, Field(ge=-1e9, le=1e9, allow_inf_nan=False)]

_INDIKATOR_TEXT = (
    "En av statistikens siffror, eller manuell (beskriv den då i indikator_beskrivning och ange "
    "utfallet själv). En beräknad indikators utfall fylls i ur statistiken för målets skola "
    "(eller hela kommunen för teamet) och period med POST …/utfall."
)


class AtgardIn(RequestModel):
    id: uuid.UUID | None = Field(
        default=None, description="En befintlig åtgärds id, för att behålla den"
    )
    beskrivning: Maltext


class MalCreate(RequestModel):
    niva: Malniva = Field(description="skola: rektors mål för skolan; team: styrgruppens")
    skola_id: uuid.UUID | None = Field(default=None, description="Skolan, för niva skola")
    period_fran: Datum
    period_till: Datum
    mal: Maltext
    indikator: Indikator = Field(description=_INDIKATOR_TEXT)
    indikator_beskrivning: Indikatortext | None = None
    malvarde: Tal | None = None
    riktning: Riktning | None = Field(
        default=None, description="minst: målet nås vid utfall ≥ målvärde; hogst: vid ≤"
    )
    utfall: Tal | None = Field(default=None, description="Bara för en manuell indikator")
    analys: Analys | None = None
    forbattringsatgarder: Annotated[list[Maltext], Field(max_length=20)] = Field(
        default_factory=list
    )


class MalUpdate(RequestModel):
    """Changes to a goal; the level, school and period stay (a new period is a new goal)."""

    mal: Maltext | None = None
    indikator: Indikator | None = Field(default=None, description=_INDIKATOR_TEXT)
    indikator_beskrivning: Indikatortext | None = None
    malvarde: Tal | None = None
    riktning: Riktning | None = None
    utfall: Tal | None = Field(default=None, description="Bara för en manuell indikator")
    analys: Analys | None = None
    forbattringsatgarder: Annotated[list[AtgardIn], Field(max_length=20)] | None = Field(
        default=None,
        description=(
            "Hela listan i ny ordning: en åtgärd med id behålls, en utan id läggs till och en som "
            "saknas tas bort (utom en som redan förts över till ett nytt mål: 409)"
        ),
    )


class NastaMalCreate(RequestModel):
    """The next period's goal from an improvement action (S 9: förbättringsåtgärder "utgör
    grunden för reviderade eller nya mål"). Everything left out is taken from the action and its
    goal."""

    mal: Maltext | None = Field(default=None, description="Standard: åtgärdens beskrivning")
    period_fran: Datum | None = Field(
        default=None, description="Standard: dagen efter det tidigare målets period"
    )
    period_till: Datum | None = Field(
        default=None, description="Standard: en period lika lång som det tidigare målets"
    )
    indikator: Indikator | None = None
    indikator_beskrivning: Indikatortext | None = None
    malvarde: Tal | None = None
    riktning: Riktning | None = None


class AtgardRead(ResponseModel):
    id: uuid.UUID
    beskrivning: str
    overford_till_mal_id: uuid.UUID | None = Field(
        description="Målet för nästa period som åtgärden blev"
    )


class HarledningRead(ResponseModel):
    mal_id: uuid.UUID = Field(description="Målet för förra perioden")
    forbattringsatgard_id: uuid.UUID
    beskrivning: str


class MalRead(ResponseModel):
    id: uuid.UUID
    niva: Malniva
    skola_id: uuid.UUID | None
    period_fran: Datum
    period_till: Datum
    mal: str
    indikator: Indikator
    indikator_beskrivning: str | None
    malvarde: float | None
    riktning: Riktning | None
    utfall: float | None
    utfall_kalla: Utfallskalla | None
    utfall_saknas: Saknas | None = Field(description="Varför ett beräknat utfall saknas")
    utfall_beraknat: datetime | None
    uppfyllt: bool | None = Field(description="Utfallet jämfört med målvärdet, när båda finns")
    analys: str | None
    forbattringsatgarder: list[AtgardRead]
    harleds_fran: HarledningRead | None = Field(
        description="Förbättringsåtgärden i förra periodens mål som detta mål kommer från"
    )
    skapad_av: uuid.UUID
    andrad_av: uuid.UUID
    version: int
    skapad: datetime
    andrad: datetime


@dataclass(frozen=True, slots=True)
class MalVy:
    mal: Kvalitetsmal
    harleds_fran: Forbattringsatgard | None


def uppfyllt(mal: Kvalitetsmal) -> bool | None:
    if mal.utfall is None or mal.malvarde is None or mal.riktning is None:
        return None
    if mal.riktning is Riktning.minst:
        return mal.utfall >= mal.malvarde
    return mal.utfall <= mal.malvarde


def mal_read(vy: MalVy) -> MalRead:
    mal, kalla = vy.mal, vy.harleds_fran
    fields = {name: getattr(mal, name) for name in MalRead.model_fields if hasattr(mal, name)}
    return MalRead.model_validate(
        {
            **fields,
            "uppfyllt": uppfyllt(mal),
            "forbattringsatgarder": [AtgardRead.model_validate(a) for a in mal.atgarder],
            "harleds_fran": None
            if kalla is None
            else HarledningRead(
                mal_id=kalla.mal_id, forbattringsatgard_id=kalla.id, beskrivning=kalla.beskrivning
            ),
        }
    )
