import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema

from app.auth.roles import PERSON_ROLES, Organisation, Roll
from app.kit.schemas import IdList, RequestModel, ResponseModel

Anvandarnamn = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$",
        description="Små bokstäver a–z, siffror, punkt, bindestreck och understreck",
    ),
]
Namn = Annotated[str, Field(min_length=1, max_length=200)]
Losenord = Annotated[str, Field(min_length=12, max_length=200, description="Minst 12 tecken")]
SkolIds = Annotated[list[uuid.UUID], Field(max_length=200)]


def _person_role(roll: Roll) -> Roll:
    if roll is Roll.integration:
        raise ValueError("Rollen integration är till för klienter, inte för personer.")
    return roll


# The contract lists only the roles a person can have: the set the validator above lets through.
PersonRoll = Annotated[
    Roll,
    AfterValidator(_person_role),
    WithJsonSchema({"type": "string", "enum": [roll.value for roll in PERSON_ROLES]}),
]


class AnvandareCreate(RequestModel):
    anvandarnamn: Anvandarnamn
    namn: Namn
    roll: PersonRoll
    organisation: Organisation = Organisation.skola
    skolor: SkolIds = Field(default_factory=list)
    losenord: Losenord


class AnvandareUpdate(RequestModel):
    namn: Namn | None = None
    roll: PersonRoll | None = None
    organisation: Organisation | None = None
    skolor: SkolIds | None = None
    aktiv: bool | None = None
    losenord: Losenord | None = None


class AnvandareRead(ResponseModel):
    id: uuid.UUID
    anvandarnamn: str
    namn: str
    roll: Roll
    organisation: Organisation
    skolor: IdList
    aktiv: bool
    version: int
    skapad: datetime
    andrad: datetime
