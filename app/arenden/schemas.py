"""Bodies of the case itself: the school's application, the case as read, phase changes and
their history, and closure."""

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.arenden.enums import Avslutsorsak, Deltagarroll, Fas, Forfalloorsak
from app.arenden.franvaro import Franvarokalla
from app.arenden.models import Arende
from app.arenden.timing import dagar
from app.arenden.vy import ArendeVy, Fashistorik
from app.kit.schemas import Datum, RequestModel, ResponseModel
from app.samtycken.rules import SamtyckeStatus

Ansokningstext = Annotated[str, Field(min_length=1, max_length=4000)]
Kommentar = Annotated[str | None, Field(min_length=1, max_length=2000)]


class FranvaroIn(RequestModel):
    """The pupil's current absence as the school describes it in the application (T 7.1)."""

    beskrivning: Annotated[str, Field(min_length=1, max_length=2000)]
    andel_procent: Annotated[float | None, Field(ge=0, le=100)] = Field(
        default=None, description="Frånvaro i procent av schemalagd tid under perioden"
    )
    period_fran: Datum | None = None
    period_till: Datum | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.period_fran and self.period_till and self.period_till < self.period_fran:
            raise ValueError("period_till ligger före period_fran.")
        return self


class ArendeCreate(RequestModel):
    """The school's application (T 7.1): why, what the school has done on organisation, group
    and individual level (Insatstrappan), the current absence, and the consent it rests on."""

    elev_id: uuid.UUID
    samtycke_id: uuid.UUID = Field(
        description="Ett giltigt samtycke som omfattar skola och socialtjänst (T 4.2, 7.1)"
    )
    orsak: Ansokningstext
    insatser_organisationsniva: Ansokningstext
    insatser_gruppniva: Ansokningstext
    insatser_individniva: Ansokningstext
    franvaro: FranvaroIn


class ArendeUpdate(RequestModel):
    """The school completes its application while it is in `ansokan`; the consent can be
    replaced by a new valid one; the team reassigns the handläggare after approval."""

    orsak: Ansokningstext | None = None
    insatser_organisationsniva: Ansokningstext | None = None
    insatser_gruppniva: Ansokningstext | None = None
    insatser_individniva: Ansokningstext | None = None
    franvaro: FranvaroIn | None = None
    samtycke_id: uuid.UUID | None = None
    handlaggare_id: uuid.UUID | None = None


class VidmakthallandeplanIn(RequestModel):
    """T 7.8: vid avslut finns alltid en plan för vidmakthållande."""

    beskrivning: Annotated[str, Field(min_length=1, max_length=4000)]
    ansvar: Annotated[str | None, Field(min_length=1, max_length=2000)] = Field(
        default=None, description="Vem som ansvarar för vad efter avslutet"
    )
    uppfoljningsdatum: Datum | None = None


class FranvaroRead(ResponseModel):
    kalla: Franvarokalla = Field(
        description="skolans_uppgift: det skolan skrev i ansökan; franvarodata: beräknat ur "
        "lagrad frånvaro"
    )
    beskrivning: str
    andel_procent: float | None
    period_fran: Datum | None
    period_till: Datum | None


class KompletteringRead(ResponseModel):
    saknas: list[str]
    begard: datetime
    besvarad: datetime | None


class KontaktpersonRead(ResponseModel):
    namn: str
    roll: Deltagarroll
    beskrivning: str | None
    mote_id: uuid.UUID


class VidmakthallandeplanRead(ResponseModel):
    beskrivning: str
    ansvar: str | None
    uppfoljningsdatum: Datum | None


class AvslutRead(ResponseModel):
    orsak: Avslutsorsak
    tidpunkt: datetime
    vidmakthallandeplan: VidmakthallandeplanRead | None


class ForfalloRead(ResponseModel):
    datum: Datum
    orsak: Forfalloorsak
    beskrivning: str
    forsenad: bool


class ArendeRead(ResponseModel):
    id: uuid.UUID
    elev_id: uuid.UUID
    skola_id: uuid.UUID = Field(description="Elevens skola nu")
    ansokande_skola_id: uuid.UUID
    fas: Fas
    orsak: str
    insatser_organisationsniva: str
    insatser_gruppniva: str
    insatser_individniva: str
    franvaro: FranvaroRead
    samtycke_id: uuid.UUID
    samtycke_status: SamtyckeStatus = Field(description="Härleds vid varje läsning")
    samtycke_tacker_arendet: bool = Field(
        description="Samtycket gäller och omfattar skola och socialtjänst. Annars är ärendet "
        "flaggat: det kan alltid avslutas med tackar_nej."
    )
    komplettering: KompletteringRead | None
    handlaggare_id: uuid.UUID | None
    beviljat: Datum | None
    skolans_kontaktperson: KontaktpersonRead | None
    nasta_forfallodatum: ForfalloRead | None
    avslut: AvslutRead | None
    ansokt_av: uuid.UUID
    version: int
    skapad: datetime
    andrad: datetime


class FasbyteCreate(RequestModel):
    till: Fas
    kommentar: Kommentar = None
    handlaggare_id: uuid.UUID | None = Field(
        default=None, description="Vid beviljande (till uppstart): handläggaren i teamet"
    )
    saknas: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=500)]] | None,
        Field(min_length=1, max_length=20),
    ] = Field(default=None, description="Vid komplettering (till ansokan): det som saknas")
    avslutsorsak: Avslutsorsak | None = Field(default=None, description="Vid avslut")
    vidmakthallandeplan: VidmakthallandeplanIn | None = Field(
        default=None, description="Vid avslut, utom vid avslag (ej_beviljad)"
    )

    @model_validator(mode="after")
    def _fields_of_the_target(self) -> Self:
        belongs = {
            "handlaggare_id": Fas.uppstart,
            "saknas": Fas.ansokan,
            "avslutsorsak": Fas.avslutat,
            "vidmakthallandeplan": Fas.avslutat,
        }
        for name, target in belongs.items():
            if getattr(self, name) is not None and self.till is not target:
                raise ValueError(f"{name} anges bara när ärendet går till {target}.")
        return self


class AvslutCreate(RequestModel):
    orsak: Avslutsorsak
    vidmakthallandeplan: VidmakthallandeplanIn | None = Field(
        default=None, description="Krävs utom vid avslag (ej_beviljad), T 7.8"
    )
    kommentar: Kommentar = None


class FasovergangRead(ResponseModel):
    fran: Fas | None = Field(description="null för ansökan, som öppnar ärendet")
    till: Fas
    tidpunkt: datetime
    utford_av: uuid.UUID
    utford_av_namn: str | None
    kommentar: str | None
    saknas: list[str] | None
    handlaggare_id: uuid.UUID | None
    avslutsorsak: Avslutsorsak | None


class TidIFasRead(ResponseModel):
    fas: Fas
    dagar: float
    antal_perioder: int
    pagaende: bool


class FashistorikRead(ResponseModel):
    arende_id: uuid.UUID
    fas: Fas
    mojliga_faser: list[Fas] = Field(description="Faserna ärendet kan gå till härifrån")
    overgangar: list[FasovergangRead]
    tid_per_fas: list[TidIFasRead]
    ledtid_dagar: float = Field(description="Från ansökan till avslut, eller till nu")


def _komplettering(arende: Arende) -> KompletteringRead | None:
    if arende.komplettering_begard is None:
        return None
    return KompletteringRead(
        saknas=arende.komplettering_saknas or [],
        begard=arende.komplettering_begard,
        besvarad=arende.komplettering_besvarad,
    )


def _forfallo(vy: ArendeVy) -> ForfalloRead | None:
    if vy.forfallo is None:
        return None
    due = vy.forfallo
    return ForfalloRead(
        datum=due.datum, orsak=due.orsak, beskrivning=due.beskrivning, forsenad=due.forsenad
    )


def arende_read(vy: ArendeVy) -> ArendeRead:
    arende = vy.arende
    kontaktperson = vy.kontaktperson
    return ArendeRead(
        id=arende.id,
        elev_id=arende.elev_id,
        skola_id=vy.elev.skola_id,
        ansokande_skola_id=arende.ansokande_skola_id,
        fas=arende.fas,
        orsak=arende.orsak,
        insatser_organisationsniva=arende.insatser_organisationsniva,
        insatser_gruppniva=arende.insatser_gruppniva,
        insatser_individniva=arende.insatser_individniva,
        franvaro=FranvaroRead.model_validate(vy.franvaro),
        samtycke_id=arende.samtycke_id,
        samtycke_status=vy.samtycke.status,
        samtycke_tacker_arendet=vy.samtycke_tacker_arendet,
        komplettering=_komplettering(arende),
        handlaggare_id=arende.handlaggare_id,
        beviljat=arende.beviljat,
        skolans_kontaktperson=(
            None if kontaktperson is None else KontaktpersonRead.model_validate(kontaktperson)
        ),
        nasta_forfallodatum=_forfallo(vy),
        avslut=_avslut(arende),
        ansokt_av=arende.ansokt_av,
        version=arende.version,
        skapad=arende.skapad,
        andrad=arende.andrad,
    )


def _avslut(arende: Arende) -> AvslutRead | None:
    if arende.avslutsorsak is None or arende.avslutat is None:
        return None
    plan = None
    if arende.vidmakthallande_plan is not None:
        plan = VidmakthallandeplanRead(
            beskrivning=arende.vidmakthallande_plan,
            ansvar=arende.vidmakthallande_ansvar,
            uppfoljningsdatum=arende.vidmakthallande_uppfoljning,
        )
    return AvslutRead(orsak=arende.avslutsorsak, tidpunkt=arende.avslutat, vidmakthallandeplan=plan)


def fashistorik_read(historik: Fashistorik) -> FashistorikRead:
    return FashistorikRead(
        arende_id=historik.arende.id,
        fas=historik.arende.fas,
        mojliga_faser=historik.mojliga_faser,
        overgangar=[
            FasovergangRead(
                fran=row.fran,
                till=row.till,
                tidpunkt=row.tidpunkt,
                utford_av=row.utford_av,
                utford_av_namn=historik.namn.get(row.utford_av),
                kommentar=row.kommentar,
                saknas=(row.uppgifter or {}).get("saknas"),
                handlaggare_id=(row.uppgifter or {}).get("handlaggare_id"),
                avslutsorsak=(row.uppgifter or {}).get("avslutsorsak"),
            )
            for row in historik.overgangar
        ],
        tid_per_fas=[
            TidIFasRead(
                fas=period.fas,
                dagar=dagar(period.tid),
                antal_perioder=period.antal_perioder,
                pagaende=period.pagaende,
            )
            for period in historik.perioder
        ],
        ledtid_dagar=historik.ledtid_dagar,
    )
