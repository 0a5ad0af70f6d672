"""Time in a case, as pure functions: lead time per phase and the next due date.

The due rules (DOMAIN.md: "Overdue work is visible"): start-up meetings are held "skyndsamt"
(T 7.3), which the kommun sets as a number of days after approval; follow-ups are due on the dates
the plan sets (T 7.5, 7.7). The list filter `forsenade` in the repository is the same rule in SQL.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.arenden.enums import Fas, Forfalloorsak

SEKUNDER_PER_DAG = 86_400

UPPFOLJANDE_FASER = frozenset({Fas.genomforande, Fas.uppfoljning})


@dataclass(frozen=True, slots=True)
class Fasperiod:
    fas: Fas
    tid: timedelta
    antal_perioder: int
    pagaende: bool


def tid_per_fas(overgangar: Sequence[tuple[Fas, datetime]], *, nu: datetime) -> list[Fasperiod]:
    """Time spent in each phase, from the phases entered and when, in order of first entry.

    A phase lasts until the next one is entered; the current one until now. A closed case has no
    time in `avslutat`: its lead time ends at closure.
    """
    totals: dict[Fas, timedelta] = {}
    counts: dict[Fas, int] = {}
    for index, (fas, start) in enumerate(overgangar):
        if fas is Fas.avslutat:
            continue
        slut = overgangar[index + 1][1] if index + 1 < len(overgangar) else nu
        totals[fas] = totals.get(fas, timedelta()) + max(slut - start, timedelta())
        counts[fas] = counts.get(fas, 0) + 1
    current = overgangar[-1][0] if overgangar else None
    return [
        Fasperiod(fas=fas, tid=tid, antal_perioder=counts[fas], pagaende=fas is current)
        for fas, tid in totals.items()
    ]


def dagar(tid: timedelta) -> float:
    return round(tid.total_seconds() / SEKUNDER_PER_DAG, 2)


def ledtid(overgangar: Sequence[tuple[Fas, datetime]], *, nu: datetime) -> timedelta:
    """From the application to closure, or to now while the case is open."""
    if not overgangar:
        return timedelta()
    last_fas, last_at = overgangar[-1]
    slut = last_at if last_fas is Fas.avslutat else nu
    return slut - overgangar[0][1]


def nasta_uppfoljning(planerade: Iterable[date], genomforda: Iterable[date | None]) -> date | None:
    """The earliest follow-up date of the plan that no registered follow-up has met."""
    kvar = set(planerade) - {datum for datum in genomforda if datum is not None}
    return min(kvar, default=None)


@dataclass(frozen=True, slots=True)
class Forfallo:
    datum: date
    orsak: Forfalloorsak
    forsenad: bool

    @property
    def beskrivning(self) -> str:
        if self.orsak is Forfalloorsak.uppstartsmoten:
            return "Uppstartsmötena med skolan och med elev och vårdnadshavare (T 7.3)."
        return "Uppföljning enligt ansvarsplanen (T 7.7)."


def uppstartsfrist(beviljat: date, uppstart_dagar: int) -> date:
    return beviljat + timedelta(days=uppstart_dagar)


def nasta_forfallodatum(
    *,
    fas: Fas,
    beviljat: date | None,
    uppstartsmoten_hallna: bool,
    nasta_uppfoljning: date | None,
    uppstart_dagar: int,
    idag: date,
) -> Forfallo | None:
    """What the case is waiting for next and by when, if anything; overdue once that date has
    passed."""
    if fas is Fas.uppstart and beviljat is not None and not uppstartsmoten_hallna:
        datum = uppstartsfrist(beviljat, uppstart_dagar)
        return Forfallo(datum, Forfalloorsak.uppstartsmoten, forsenad=datum < idag)
    if fas in UPPFOLJANDE_FASER and nasta_uppfoljning is not None:
        return Forfallo(
            nasta_uppfoljning, Forfalloorsak.uppfoljning, forsenad=nasta_uppfoljning < idag
        )
    return None
