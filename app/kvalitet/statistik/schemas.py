"""The statistics as JSON: one field per figure, each with its description and values."""

import uuid
from datetime import datetime

from pydantic import Field

from app.kit.schemas import Datum, ResponseModel
from app.kvalitet.figurer import FIGURER, MINSTA_ANTAL_ELEVER, Matt, Saknas
from app.kvalitet.statistik.resultat import Statistik


class VardeRead(ResponseModel):
    grupp: str
    matt: Matt
    varde: int | float | None = Field(description="null när värdet saknas; se saknas")
    saknas: Saknas | None = Field(
        description="undertryckt: vilar på färre än fem elever, eller skulle låta ett sådant "
        "värde räknas ut; ingen_franvarodata: frånvarodata finns inte ännu"
    )


class FigurRead(ResponseModel):
    beskrivning: str
    varden: list[VardeRead]


class KvalitetsstatistikRead(ResponseModel):
    kommun_id: uuid.UUID
    skola_id: uuid.UUID | None = Field(description="Skolan som efterfrågades, om någon")
    skolor: list[uuid.UUID] | None = Field(
        description="Skolorna siffrorna gäller; null betyder hela kommunen"
    )
    fran: Datum
    till: Datum
    minsta_antal_elever: int = Field(description="Värden som vilar på färre elever undertrycks")
    berakad: datetime
    arenden_per_fas: FigurRead
    arenden_i_perioden: FigurRead
    ledtider: FigurRead
    insatser_per_typ: FigurRead
    avslutsorsaker: FigurRead
    malbedomningar: FigurRead
    elever_per_narvaroniva: FigurRead
    franvaroforandring: FigurRead
    avvikelser_per_status: FigurRead
    orosanmalningar: FigurRead


def statistik_read(statistik: Statistik) -> KvalitetsstatistikRead:
    skolor = statistik.omfang.skolor
    figurer = {
        definition.figur.value: FigurRead(
            beskrivning=definition.beskrivning,
            varden=[
                VardeRead(grupp=v.grupp, matt=v.matt, varde=v.varde, saknas=v.saknas)
                for v in statistik.av(definition.figur)
            ],
        )
        for definition in FIGURER
    }
    return KvalitetsstatistikRead.model_validate(
        {
            "kommun_id": statistik.kommun_id,
            "skola_id": statistik.omfang.skola_id,
            "skolor": None if skolor is None else sorted(skolor),
            "fran": statistik.period.fran,
            "till": statistik.period.till,
            "minsta_antal_elever": MINSTA_ANTAL_ELEVER,
            "berakad": statistik.berakad,
            **figurer,
        }
    )
