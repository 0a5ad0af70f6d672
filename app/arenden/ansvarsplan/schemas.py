"""The plan (T 7.5): what a PUT sends, what each stored version holds, what a GET shows.

A PUT may save a draft: completeness is a gate for `genomforande` (rules.plan_brister), and a
GET lists what the current version still lacks.
"""

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.arenden.enums import Ansvarspart, Insatstyp
from app.kit.problem import ProblemFel
from app.kit.schemas import Datum, RequestModel, ResponseModel

Ansvarstext = Annotated[str | None, Field(min_length=1, max_length=2000)]


class MalIn(RequestModel):
    id: uuid.UUID | None = Field(
        default=None,
        description="Målets id i förra versionen, för att behålla målet vid en revidering; "
        "utelämnat = ett nytt mål",
    )
    beskrivning: Annotated[str, Field(min_length=1, max_length=1000)]
    matt: Annotated[str | None, Field(min_length=1, max_length=500)] = Field(
        default=None, description="Hur målet mäts, t.ex. närvaro minst 80 % av lektionerna"
    )
    maldatum: Datum | None = None


class AnsvarIn(RequestModel):
    """Ansvarsfördelningen (T 7.5); övriga aktörer när sådana finns."""

    elev_och_vardnadshavare: Ansvarstext = None
    skola: Ansvarstext = None
    skolsocialt_team: Ansvarstext = None
    ovriga_aktorer: Ansvarstext = None


class PlaneradInsatsIn(RequestModel):
    insatstyp: Insatstyp
    beskrivning: Annotated[str | None, Field(min_length=1, max_length=1000)] = None
    ansvarig: Ansvarspart
    startdatum: Datum | None = None
    slutdatum: Datum | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.startdatum and self.slutdatum and self.slutdatum < self.startdatum:
            raise ValueError("slutdatum ligger före startdatum.")
        return self


class AnsvarsplanPut(RequestModel):
    """The whole plan; every PUT stores a new version and keeps the earlier ones."""

    nulage: Annotated[str | None, Field(min_length=1, max_length=4000)] = Field(
        default=None, description="Nuläget (T 7.5)"
    )
    mal: Annotated[list[MalIn], Field(max_length=20)] = Field(default_factory=list)
    ansvar: AnsvarIn = Field(default_factory=AnsvarIn)
    planerade_insatser: Annotated[list[PlaneradInsatsIn], Field(max_length=50)] = Field(
        default_factory=list, description="Tidsplanen för planerade insatser"
    )
    uppfoljningsdatum: Annotated[list[Datum], Field(max_length=52)] = Field(default_factory=list)
    uppfoljningsmetod: Annotated[str | None, Field(min_length=1, max_length=2000)] = Field(
        default=None, description="Hur uppföljningen går till (T 7.5)"
    )

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(set(self.uppfoljningsdatum)) != len(self.uppfoljningsdatum):
            raise ValueError("Varje uppföljningsdatum anges en gång.")
        ids = [mal.id for mal in self.mal if mal.id is not None]
        if len(set(ids)) != len(ids):
            raise ValueError("Varje mål-id anges en gång.")
        return self


class MalRead(ResponseModel):
    id: uuid.UUID
    beskrivning: str
    matt: str | None
    maldatum: Datum | None


class AnsvarRead(ResponseModel):
    elev_och_vardnadshavare: str | None = None
    skola: str | None = None
    skolsocialt_team: str | None = None
    ovriga_aktorer: str | None = None


class PlaneradInsatsRead(ResponseModel):
    insatstyp: Insatstyp
    beskrivning: str | None
    ansvarig: Ansvarspart
    startdatum: Datum | None
    slutdatum: Datum | None


class Planinnehall(ResponseModel):
    """One version's content, as stored and as shown."""

    nulage: str | None = None
    mal: list[MalRead] = Field(default_factory=list)
    ansvar: AnsvarRead = Field(default_factory=AnsvarRead)
    planerade_insatser: list[PlaneradInsatsRead] = Field(default_factory=list)
    uppfoljningsdatum: list[Datum] = Field(default_factory=list)
    uppfoljningsmetod: str | None = None


class AnsvarsplanRead(Planinnehall):
    arende_id: uuid.UUID
    version: int = Field(description="Planens version; 0 = ingen plan är sparad ännu")
    senaste_version: int
    komplett: bool = Field(description="Uppfyller kraven för genomförande (T 7.5)")
    brister: list[ProblemFel] = Field(description="Det som saknas för en komplett plan")
    skapad: datetime | None
    skapad_av: uuid.UUID | None


class PlanversionRead(ResponseModel):
    version: int
    skapad: datetime
    skapad_av: uuid.UUID
    skapad_av_namn: str | None
