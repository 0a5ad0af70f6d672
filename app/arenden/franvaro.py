"""Where the case meets absence data: the two seams to fill when stored absence exists.

Absence records (DOMAIN.md: Absence) are built separately. Until they exist here, the
application shows what the school wrote (T 7.1: "aktuell frånvaro") and a follow-up has no
computed absence share. When stored absence arrives, these two functions compute from it (the
share = absent minutes ÷ scheduled minutes over the period) and fall back to what they return
today when the pupil has no records for the period; nothing else in the case domain changes.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy.orm import Session

from app.arenden.models import Arende


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


def sammanfattning_for_ansokan(session: Session, arende: Arende) -> Franvarosammanfattning:
    """The pupil's current absence as the application shows it (T 7.1).

    Today: what the school wrote when it applied. Later: computed from stored absence over the
    period the school named (or the last eight school weeks), with the school's text kept.
    """
    return Franvarosammanfattning(
        kalla=Franvarokalla.skolans_uppgift,
        beskrivning=arende.franvaro_beskrivning,
        andel_procent=arende.franvaro_procent,
        period_fran=arende.franvaro_fran,
        period_till=arende.franvaro_till,
    )


def andel_for_period(
    session: Session, *, elev_id: uuid.UUID, fran: date, till: date
) -> float | None:
    """The pupil's absence share in percent over the period a follow-up looks back on (T 7.7).

    None until stored absence exists: no share is guessed.
    """
    return None
