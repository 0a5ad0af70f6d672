"""The statistics as computed: the scope, the period and every value with why it may be missing."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from app.kvalitet.figurer import Figur, Matt, Saknas
from app.kvalitet.period import Period


@dataclass(frozen=True, slots=True)
class Omfang:
    """The schools the figures cover (None: the whole kommun) and the one asked for, if any."""

    skola_id: uuid.UUID | None
    skolor: frozenset[uuid.UUID] | None


@dataclass(frozen=True, slots=True)
class Figurvarde:
    figur: Figur
    grupp: str
    matt: Matt
    varde: int | float | None
    saknas: Saknas | None


@dataclass(frozen=True, slots=True)
class Statistik:
    kommun_id: uuid.UUID
    omfang: Omfang
    period: Period
    berakad: datetime
    varden: tuple[Figurvarde, ...]

    def av(self, figur: Figur) -> list[Figurvarde]:
        return [varde for varde in self.varden if varde.figur is figur]

    def hitta(self, figur: Figur, grupp: str, matt: Matt) -> Figurvarde | None:
        return next(
            (v for v in self.varden if (v.figur, v.grupp, v.matt) == (figur, grupp, matt)), None
        )
