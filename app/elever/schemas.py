import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from app.core.time import today
from app.elever.access import Atkomst
from app.elever.models import (
    Arskurs,
    Elev,
    KontaktMixin,
    Skolform,
    SkyddadIdentitet,
    Vardnadshavare,
)
from app.elever.personnummer import IdentitetsTyp, parse
from app.kit.schemas import RequestModel, ResponseModel


def _canonical(value: str) -> str:
    return parse(value, idag=today()).nummer


Personnummer = Annotated[
    str,
    Field(
        min_length=10,
        max_length=15,
        pattern=r"^\s*([0-9]{6}|[0-9]{8})[-+]?[0-9]{4}\s*$",
        description=(
            "10 eller 12 siffror, med eller utan - (+ för 100 år eller äldre). "
            "Samordningsnummer godtas. Sparas och visas med 12 siffror."
        ),
        examples=["201601051004"],
    ),
    AfterValidator(_canonical),
]
Namn = Annotated[str, Field(min_length=1, max_length=100)]


class Kontaktuppgifter(RequestModel):
    adress: Annotated[str | None, Field(max_length=200)] = None
    postnummer: Annotated[str | None, Field(max_length=10)] = None
    ort: Annotated[str | None, Field(max_length=100)] = None
    telefon: Annotated[str | None, Field(max_length=40)] = None
    epost: Annotated[str | None, Field(max_length=200)] = None


class KontaktuppgifterRead(ResponseModel):
    adress: str | None
    postnummer: str | None
    ort: str | None
    telefon: str | None
    epost: str | None


class ExterntId(RequestModel):
    kalla: Annotated[str, Field(min_length=1, max_length=64, description="Källsystemet")]
    id: Annotated[str, Field(min_length=1, max_length=100, description="Id i källsystemet")]


class ExterntIdRead(ResponseModel):
    kalla: str
    id: str


class ElevCreate(RequestModel):
    personnummer: Personnummer
    fornamn: Namn
    efternamn: Namn
    skola_id: uuid.UUID
    arskurs: Arskurs
    skolform: Skolform = Skolform.grundskola
    skyddad_identitet: SkyddadIdentitet = SkyddadIdentitet.ingen
    kontaktuppgifter: Kontaktuppgifter | None = None
    externa_id: Annotated[list[ExterntId], Field(max_length=20)] = Field(default_factory=list)


class ElevUpdate(RequestModel):
    personnummer: Personnummer | None = None
    fornamn: Namn | None = None
    efternamn: Namn | None = None
    skola_id: uuid.UUID | None = None
    arskurs: Arskurs | None = None
    skolform: Skolform | None = None
    skyddad_identitet: SkyddadIdentitet | None = None
    kontaktuppgifter: Kontaktuppgifter | None = None
    externa_id: Annotated[list[ExterntId] | None, Field(max_length=20)] = None


class ElevRead(ResponseModel):
    id: uuid.UUID
    personnummer: str
    identitetstyp: IdentitetsTyp
    fornamn: str
    efternamn: str
    skola_id: uuid.UUID
    arskurs: Arskurs
    skolform: Skolform
    skyddad_identitet: SkyddadIdentitet
    kontaktuppgifter: KontaktuppgifterRead | None = Field(
        description="Utelämnas (null) för elever med skyddad identitet, utom för elevhälsa och "
        "rektor på elevens egen skola"
    )
    kontaktuppgifter_dolda: bool
    externa_id: list[ExterntIdRead]
    version: int
    skapad: datetime
    andrad: datetime


class ElevSok(RequestModel):
    """Search terms that are personal data, in the body so that they never appear in a URL or an
    access log: a personnummer, or a part of a name."""

    personnummer: Personnummer | None = Field(default=None, description="Hela personnumret")
    namn: Namn | None = Field(default=None, description="Del av förnamn eller efternamn")

    @model_validator(mode="after")
    def _one_term(self) -> "ElevSok":
        if (self.personnummer is None) == (self.namn is None):
            raise ValueError("Ange antingen personnummer eller namn.")
        return self


class VardnadshavareCreate(RequestModel):
    fornamn: Namn
    efternamn: Namn
    personnummer: Personnummer | None = None
    har_vardnad: bool = Field(description="Vårdnadshavare med vårdnad signerar samtycken")
    skyddad_identitet: SkyddadIdentitet = SkyddadIdentitet.ingen
    kontaktuppgifter: Kontaktuppgifter | None = None


class VardnadshavareUpdate(RequestModel):
    fornamn: Namn | None = None
    efternamn: Namn | None = None
    personnummer: Personnummer | None = None
    har_vardnad: bool | None = None
    skyddad_identitet: SkyddadIdentitet | None = None
    kontaktuppgifter: Kontaktuppgifter | None = None


class VardnadshavareRead(ResponseModel):
    id: uuid.UUID
    elev_id: uuid.UUID
    fornamn: str
    efternamn: str
    personnummer: str | None
    har_vardnad: bool
    skyddad_identitet: SkyddadIdentitet
    kontaktuppgifter: KontaktuppgifterRead | None
    kontaktuppgifter_dolda: bool
    version: int
    skapad: datetime
    andrad: datetime


def _contact(source: KontaktMixin, visible: bool) -> KontaktuppgifterRead | None:
    return KontaktuppgifterRead.model_validate(source) if visible else None


def elev_read(elev: Elev, atkomst: Atkomst) -> ElevRead:
    visible = atkomst.visar_kontaktuppgifter(elev.skyddad_identitet)
    return ElevRead(
        id=elev.id,
        personnummer=elev.personnummer,
        identitetstyp=elev.identitetstyp,
        fornamn=elev.fornamn,
        efternamn=elev.efternamn,
        skola_id=elev.skola_id,
        arskurs=elev.arskurs,
        skolform=elev.skolform,
        skyddad_identitet=elev.skyddad_identitet,
        kontaktuppgifter=_contact(elev, visible),
        kontaktuppgifter_dolda=not visible,
        externa_id=[ExterntIdRead(kalla=item.kalla, id=item.extern_id) for item in elev.externa_id],
        version=elev.version,
        skapad=elev.skapad,
        andrad=elev.andrad,
    )


def vardnadshavare_read(
    guardian: Vardnadshavare, elev: Elev, atkomst: Atkomst
) -> VardnadshavareRead:
    visible = atkomst.visar_kontaktuppgifter(elev.skyddad_identitet, guardian.skyddad_identitet)
    return VardnadshavareRead(
        id=guardian.id,
        elev_id=guardian.elev_id,
        fornamn=guardian.fornamn,
        efternamn=guardian.efternamn,
        personnummer=guardian.personnummer,
        har_vardnad=guardian.har_vardnad,
        skyddad_identitet=guardian.skyddad_identitet,
        kontaktuppgifter=_contact(guardian, visible),
        kontaktuppgifter_dolda=not visible,
        version=guardian.version,
        skapad=guardian.skapad,
        andrad=guardian.andrad,
    )
