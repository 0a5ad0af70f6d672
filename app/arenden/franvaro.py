"""Where the case meets absence data: the application's absence summary and a follow-up's
absence share, computed from the stored records (the share = absent minutes ÷ scheduled minutes
over the period). Without records for the period, the application shows what the school wrote
(T 7.1: "aktuell frånvaro") and a follow-up has no computed share: nothing is guessed.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.arenden.models import Arende
from app.core.time import SKOLTID
from app.franvaro.models import Franvaropost
from app.franvaro.rules import Fonster, Minuter, procent


class Franvarokalla(StrEnum):
    skolans_uppgift = "skolans_uppgift"
    franvarodata = "franvarodata"


@dataclass(frozen=True, slots=True)
class Franvarosammanfattning:
    kalla: Franvarokalla
    beskrivning: str
    andel_procent: float | None
    period_fran: date | None
    period_till: date | None


def _summa(session: Session, elev_id: uuid.UUID, fran: date, till: date) -> Minuter:
    s, g, o = session.execute(
        select(
            func.coalesce(func.sum(Franvaropost.schemalagd), 0),
            func.coalesce(func.sum(Franvaropost.giltig), 0),
            func.coalesce(func.sum(Franvaropost.ogiltig), 0),
        ).where(
            Franvaropost.elev_id == elev_id,
            Franvaropost.datum >= fran,
            Franvaropost.datum <= till,
        )
    ).one()
    return Minuter(int(s), int(g), int(o))


def sammanfattning_for_ansokan(session: Session, arende: Arende) -> Franvarosammanfattning:
    """The pupil's absence as the application shows it (T 7.1): computed over the period the
    school named, or else the eight weeks up to the application, with the school's text kept."""
    ansokt = arende.skapad.astimezone(SKOLTID).date()
    till = arende.franvaro_till or ansokt
    fran = arende.franvaro_fran or Fonster.per(till).a_fran
    summa = _summa(session, arende.elev_id, fran, till) if fran <= till else Minuter()
    if summa.schemalagd <= 0:
        return Franvarosammanfattning(
            kalla=Franvarokalla.skolans_uppgift,
            beskrivning=arende.franvaro_beskrivning,
            andel_procent=arende.franvaro_procent,
            period_fran=arende.franvaro_fran,
            period_till=arende.franvaro_till,
        )
    return Franvarosammanfattning(
        kalla=Franvarokalla.franvarodata,
        beskrivning=arende.franvaro_beskrivning,
        andel_procent=procent(summa.franvaro, summa.schemalagd),
        period_fran=fran,
        period_till=till,
    )


def andel_for_period(
    session: Session, *, elev_id: uuid.UUID, fran: date, till: date
) -> float | None:
    """The pupil's absence share in percent over the period a follow-up looks back on (T 7.7);
    None without scheduled time in it."""
    summa = _summa(session, elev_id, fran, till)
    return procent(summa.franvaro, summa.schemalagd)
