"""Attendance tiers (närvaronivåer) as pure functions (DOMAIN.md: Absence; T 2.1–2.3).

The share is absent minutes ÷ scheduled minutes over a window of eight weeks. `gul` from the
kommun's lower threshold (default 10 %), `orange` from its upper one (default 20 %), and any
invalid absence makes at least `gul` (T 2.2: act already on sporadic absence). Comparisons are
exact (minutes × 100 against threshold × scheduled minutes), so 9.99 % is never rounded up.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

VECKOR_PER_FONSTER = 8
STANDARD_GUL = Decimal(10)
STANDARD_ORANGE = Decimal(20)


class Narvaroniva(StrEnum):
    """Tiers of attendance work (T 2.1–2.3); their order is their severity."""

    gron = "gron"
    gul = "gul"
    orange = "orange"

    @property
    def steg(self) -> int:
        return list(Narvaroniva).index(self)


class Skal(StrEnum):
    """Why a pupil is at their tier."""

    under_granserna = "under_granserna"
    over_gul_grans = "over_gul_grans"
    over_orange_grans = "over_orange_grans"
    ogiltig_franvaro = "ogiltig_franvaro"
    inget_schema = "inget_schema"


class Trend(StrEnum):
    stigande = "stigande"
    oforandrad = "oforandrad"
    sjunkande = "sjunkande"


@dataclass(frozen=True, slots=True)
class Granser:
    gul: Decimal = STANDARD_GUL
    orange: Decimal = STANDARD_ORANGE


@dataclass(frozen=True, slots=True)
class Minuter:
    schemalagd: int = 0
    giltig: int = 0
    ogiltig: int = 0

    @property
    def franvaro(self) -> int:
        return self.giltig + self.ogiltig

    def __add__(self, other: "Minuter") -> "Minuter":
        return Minuter(
            self.schemalagd + other.schemalagd,
            self.giltig + other.giltig,
            self.ogiltig + other.ogiltig,
        )


@dataclass(frozen=True, slots=True)
class Bedomning:
    niva: Narvaroniva
    skal: tuple[Skal, ...]


def procent(delar: int, helhet: int) -> float | None:
    """A share in percent, cut (not rounded) to two decimals; None without scheduled time.
    Thresholds have two decimals, so a share shown as at least a threshold is one that `bedom`
    counts as crossing it: 9.996 % is shown as 9.99 %, not as a 10.0 % that is still green."""
    if helhet <= 0:
        return None
    return 10_000 * delar // helhet / 100


def _minst(franvaro: int, schemalagd: int, grans: Decimal) -> bool:
    return Decimal(franvaro) * 100 >= grans * schemalagd


def bedom(minuter: Minuter, granser: Granser = Granser()) -> Bedomning:
    """The tier for one window's sums, with the reasons behind it."""
    if minuter.schemalagd <= 0:
        return Bedomning(Narvaroniva.gron, (Skal.inget_schema,))
    if _minst(minuter.franvaro, minuter.schemalagd, granser.orange):
        skal = [Skal.over_orange_grans]
        niva = Narvaroniva.orange
    elif _minst(minuter.franvaro, minuter.schemalagd, granser.gul):
        skal = [Skal.over_gul_grans]
        niva = Narvaroniva.gul
    else:
        skal = []
        niva = Narvaroniva.gron
    if minuter.ogiltig > 0:
        skal.append(Skal.ogiltig_franvaro)
        niva = max(niva, Narvaroniva.gul, key=lambda n: n.steg)
    return Bedomning(niva, tuple(skal) or (Skal.under_granserna,))


def trend(nu: Narvaroniva, forut: Narvaroniva) -> Trend:
    if nu.steg > forut.steg:
        return Trend.stigande
    if nu.steg < forut.steg:
        return Trend.sjunkande
    return Trend.oforandrad


def vecka(dag: date) -> date:
    """The Monday of the day's week: the key of the week sums."""
    return dag - timedelta(days=dag.weekday())


@dataclass(frozen=True, slots=True)
class Fonster:
    """The two windows the tiers compare, as of the week of `per`: `a` the last eight weeks
    through that week, `b` the eight before them (Mondays, from inclusive)."""

    per_vecka: date
    a_fran: date
    b_fran: date

    @classmethod
    def per(cls, dag: date) -> "Fonster":
        monday = vecka(dag)
        a_fran = monday - timedelta(weeks=VECKOR_PER_FONSTER - 1)
        return cls(monday, a_fran, a_fran - timedelta(weeks=VECKOR_PER_FONSTER))

    def del_av(self, veckodag: date) -> str | None:
        """'a', 'b' or None for a week's Monday."""
        if self.a_fran <= veckodag <= self.per_vecka:
            return "a"
        if self.b_fran <= veckodag < self.a_fran:
            return "b"
        return None
