"""Follow-ups (T 7.7): each goal of the plan evaluated, and the absence over the period since
the previous follow-up."""

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.arenden.enums import Malresultat
from app.kit.schemas import Datum, RequestModel, ResponseModel


class MalbedomningIn(RequestModel):
    mal_id: uuid.UUID
    resultat: Malresultat
    kommentar: Annotated[str | None, Field(min_length=1, max_length=2000)] = None


class UppfoljningCreate(RequestModel):
    datum: Datum = Field(description="När uppföljningen hölls; inte i framtiden")
    resultat: Annotated[list[MalbedomningIn], Field(min_length=1, max_length=20)] = Field(
        description="Varje mål i gällande ansvarsplan, en gång"
    )
    kommentar: Annotated[str | None, Field(min_length=1, max_length=4000)] = None

    @model_validator(mode="after")
    def _each_goal_once(self) -> Self:
        ids = [bedomning.mal_id for bedomning in self.resultat]
        if len(set(ids)) != len(ids):
            raise ValueError("Varje mål bedöms en gång.")
        return self


class MalbedomningRead(ResponseModel):
    mal_id: uuid.UUID
    beskrivning: str
    resultat: Malresultat
    kommentar: str | None


class FranvaroandelRead(ResponseModel):
    period_fran: Datum
    period_till: Datum
    andel_procent: float | None = Field(
        description="Frånvaro i procent av schemalagd tid under perioden; null så länge "
        "frånvarodata saknas för perioden"
    )


class UppfoljningRead(ResponseModel):
    id: uuid.UUID
    arende_id: uuid.UUID
    datum: Datum
    plan_version: int
    avser_datum: Datum | None = Field(
        description="Det planerade uppföljningsdatum i ansvarsplanen som uppföljningen avser"
    )
    resultat: list[MalbedomningRead]
    kommentar: str | None
    franvaro: FranvaroandelRead
    skapad_av: uuid.UUID
    skapad: datetime
