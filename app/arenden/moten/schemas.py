"""Meetings of a case: type, date, participants with roles, agenda and minutes (T 7.3, 7.5)."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.arenden.enums import SKOLANS_ROLLER, Deltagarroll, Motestyp
from app.kit.schemas import Datum, RequestModel, ResponseModel

Minnesanteckningar = Annotated[str | None, Field(min_length=1, max_length=20000)]
Dagordning = Annotated[str | None, Field(min_length=1, max_length=4000)]
Plats = Annotated[str | None, Field(min_length=1, max_length=200)]


class DeltagareIn(RequestModel):
    namn: Annotated[str, Field(min_length=1, max_length=200)]
    roll: Deltagarroll
    beskrivning: Annotated[str | None, Field(min_length=1, max_length=200)] = Field(
        default=None, description="T.ex. mentor i 7B"
    )
    kontaktperson: bool = Field(
        default=False,
        description="Skolans kontaktperson i ärendet: en av skolans deltagare på "
        "uppstartsmötet med skolan (T 7.3)",
    )


def deltagare_problem(typ: Motestyp, deltagare: Sequence[DeltagareIn]) -> str | None:
    """T 7.3: one contact person, named among the school's people at the school meeting."""
    kontakter = [d for d in deltagare if d.kontaktperson]
    if not kontakter:
        return None
    if typ is not Motestyp.uppstart_skola:
        return "Skolans kontaktperson utses på uppstartsmötet med skolan."
    if len(kontakter) > 1:
        return "Skolan har en kontaktperson i ärendet."
    if kontakter[0].roll not in SKOLANS_ROLLER:
        return "Kontaktpersonen är en av skolans deltagare (skolledning, mentor, elevhälsa …)."
    return None


class MoteCreate(RequestModel):
    typ: Motestyp
    datum: Datum
    plats: Plats = None
    deltagare: Annotated[list[DeltagareIn], Field(max_length=40)] = Field(default_factory=list)
    dagordning: Dagordning = None
    minnesanteckningar: Minnesanteckningar = Field(
        default=None, description="Förs när mötet har hållits"
    )

    @model_validator(mode="after")
    def _participants(self) -> Self:
        if problem := deltagare_problem(self.typ, self.deltagare):
            raise ValueError(problem)
        return self


class MoteUpdate(RequestModel):
    datum: Datum | None = None
    plats: Plats = None
    deltagare: Annotated[list[DeltagareIn] | None, Field(max_length=40)] = None
    dagordning: Dagordning = None
    minnesanteckningar: Minnesanteckningar = None


class DeltagareRead(ResponseModel):
    namn: str
    roll: Deltagarroll
    beskrivning: str | None
    kontaktperson: bool


class MoteRead(ResponseModel):
    id: uuid.UUID
    arende_id: uuid.UUID
    typ: Motestyp
    datum: Datum
    plats: str | None
    deltagare: list[DeltagareRead]
    dagordning: str | None
    minnesanteckningar: str | None
    hallet: bool = Field(description="Datumet har passerat och minnesanteckningar finns")
    skapad_av: uuid.UUID
    version: int
    skapad: datetime
    andrad: datetime
