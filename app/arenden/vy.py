"""A case as it is shown: the row, its pupil, and what is derived at every read."""

import uuid
from dataclasses import dataclass

from app.arenden.enums import Deltagarroll, Fas
from app.arenden.franvaro import Franvarosammanfattning
from app.arenden.models import Arende, ArendeFas
from app.arenden.rules import KRAVDA_PARTER
from app.arenden.timing import Fasperiod, Forfallo
from app.elever.models import Elev
from app.samtycken.rules import Bedomning


@dataclass(frozen=True, slots=True)
class Kontaktperson:
    """The school's contact person, named among the school's people at the start-up meeting."""

    namn: str
    roll: Deltagarroll
    beskrivning: str | None
    mote_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class ArendeVy:
    arende: Arende
    elev: Elev
    samtycke: Bedomning
    forfallo: Forfallo | None
    kontaktperson: Kontaktperson | None
    franvaro: Franvarosammanfattning

    @property
    def samtycke_tacker_arendet(self) -> bool:
        return self.samtycke.tacker(*KRAVDA_PARTER)


@dataclass(frozen=True, slots=True)
class Fashistorik:
    """The phase changes of a case with who made them, and the time spent in each phase."""

    arende: Arende
    overgangar: list[ArendeFas]
    namn: dict[uuid.UUID, str]
    perioder: list[Fasperiod]
    ledtid_dagar: float
    mojliga_faser: list[Fas]
