import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.kit.schemas import Datum, RequestModel, ResponseModel, TidpunktMedZon
from app.samtycken.models import Part, Samtycke, Signaturmetod, Undertecknare
from app.samtycken.rules import Bedomning, SamtyckeStatus

Parter = Annotated[
    list[Part],
    Field(
        min_length=2,
        max_length=4,
        description="Parterna som får utbyta uppgifter om eleven (minst två)",
    ),
]
Syfte = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="Vad samverkan gäller, t.ex. elevens närvaro i skolan",
    ),
]
Omfattning = Annotated[
    str, Field(min_length=1, max_length=2000, description="Vilka uppgifter samtycket omfattar")
]


def _distinct(parter: list[Part] | None) -> None:
    if parter is not None and len(set(parter)) != len(parter):
        raise ValueError("Varje part får anges en gång.")


class SamtyckeCreate(RequestModel):
    parter: Parter
    syfte: Syfte
    omfattning: Omfattning
    giltig_fran: Datum | None = Field(default=None, description="Standard: i dag")
    giltig_till: Datum
    elevens_signatur_kravs: bool = Field(
        default=False, description="Eleven ska också signera (efter ålder och mognad)"
    )

    @model_validator(mode="after")
    def _check(self) -> Self:
        _distinct(self.parter)
        return self


class SamtyckeUpdate(RequestModel):
    """Only before the first signature: what was signed is never changed afterwards."""

    parter: Parter | None = None
    syfte: Syfte | None = None
    omfattning: Omfattning | None = None
    giltig_fran: Datum | None = None
    giltig_till: Datum | None = None
    elevens_signatur_kravs: bool | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _distinct(self.parter)
        return self


class SignerareIn(RequestModel):
    undertecknare: Undertecknare
    vardnadshavare_id: uuid.UUID | None = Field(
        default=None, description="Krävs när undertecknaren är en vårdnadshavare"
    )

    @model_validator(mode="after")
    def _guardian_named(self) -> Self:
        is_guardian = self.undertecknare is Undertecknare.vardnadshavare
        if is_guardian != (self.vardnadshavare_id is not None):
            raise ValueError(
                "vardnadshavare_id anges när, och bara när, en vårdnadshavare signerar."
            )
        return self


class SignaturCreate(SignerareIn):
    metod: Signaturmetod
    signerad: TidpunktMedZon | None = Field(
        default=None, description="När samtycket gavs; standard: nu. Får inte ligga i framtiden."
    )
    noterad_av: uuid.UUID | None = Field(
        default=None,
        description="Vid muntligt_noterat: personalen som tog emot samtycket; standard: du",
    )


class AterkallelseCreate(SignerareIn):
    parter: Annotated[list[Part] | None, Field(min_length=1, max_length=4)] = Field(
        default=None,
        description="De parter som inte längre får dela uppgifter; utelämnat = hela samtycket",
    )

    @model_validator(mode="after")
    def _check(self) -> Self:
        _distinct(self.parter)
        return self


class SignerareRead(ResponseModel):
    undertecknare: Undertecknare
    vardnadshavare_id: uuid.UUID | None


class SignaturRead(SignerareRead):
    metod: Signaturmetod
    signerad: datetime
    registrerad: datetime
    registrerad_av: uuid.UUID
    noterad_av: uuid.UUID | None


class AterkallelseRead(SignerareRead):
    parter: list[Part] | None = Field(description="null: hela samtycket återkallades")
    tidpunkt: datetime
    registrerad_av: uuid.UUID


class SamtyckeRead(ResponseModel):
    id: uuid.UUID
    elev_id: uuid.UUID
    status: SamtyckeStatus = Field(description="Härleds vid varje läsning, lagras aldrig")
    parter: list[Part]
    parter_som_galler: list[Part] = Field(description="Parterna efter delvisa återkallelser")
    syfte: str
    omfattning: str
    giltig_fran: Datum
    giltig_till: Datum
    elevens_signatur_kravs: bool
    saknade_signaturer: list[SignerareRead]
    ingen_vardnadshavare_registrerad: bool
    signaturer: list[SignaturRead]
    aterkallelser: list[AterkallelseRead]
    version: int
    skapad: datetime
    andrad: datetime


def samtycke_read(samtycke: Samtycke, bedomning: Bedomning) -> SamtyckeRead:
    return SamtyckeRead(
        id=samtycke.id,
        elev_id=samtycke.elev_id,
        status=bedomning.status,
        parter=sorted(Part(part) for part in samtycke.parter),
        parter_som_galler=sorted(bedomning.parter),
        syfte=samtycke.syfte,
        omfattning=samtycke.omfattning,
        giltig_fran=samtycke.giltig_fran,
        giltig_till=samtycke.giltig_till,
        elevens_signatur_kravs=samtycke.elevens_signatur_kravs,
        saknade_signaturer=[
            SignerareRead(undertecknare=s.undertecknare, vardnadshavare_id=s.vardnadshavare_id)
            for s in bedomning.saknade_signaturer
        ],
        ingen_vardnadshavare_registrerad=bedomning.ingen_vardnadshavare,
        signaturer=[SignaturRead.model_validate(s) for s in samtycke.signaturer],
        aterkallelser=[AterkallelseRead.model_validate(a) for a in samtycke.aterkallelser],
        version=samtycke.version,
        skapad=samtycke.skapad,
        andrad=samtycke.andrad,
    )
