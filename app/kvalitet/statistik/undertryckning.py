"""Which values of the statistics are withheld, as a pure function (DOMAIN.md: "Groups under 5
pupils are suppressed"), so that no answer holds a single pupil's data.

Primary suppression: a value that rests on fewer than five pupils is withheld — zero included, so
that a withheld value says nothing more than "0–4".

Secondary suppression: values are published next to totals they add up to (a school's figure and
the kommun's; the closure reasons and the cases closed). When exactly one value of such a sum is
withheld, it could be worked out by subtraction, so one more is withheld: the smallest other part
that may still change, or else the total. This repeats until every sum has no withheld value or at
least two. It does not defend against comparing nearly equal periods or against bounds from
non-negativity; the README says so.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.kvalitet.figurer import MINSTA_ANTAL_ELEVER

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Cell:
    """A published count and the number of distinct pupils behind it."""

    antal: int
    elever: int


@dataclass(frozen=True, slots=True)
class Samband(Generic[K]):
    """A published total and the published parts that add up to it."""

    summa: K
    delar: tuple[K, ...]


def for_fa_elever(cell: Cell) -> bool:
    return cell.elever < MINSTA_ANTAL_ELEVER


def _dold_del(
    samband: Samband[K],
    celler: Mapping[K, Cell],
    dolda: set[K],
    fasta: Mapping[K, bool],
) -> K | None:
    """The value to withhold so that the sum no longer gives away its one withheld value."""
    free = [k for k in samband.delar if k not in dolda and k not in fasta]
    if free:
        return min(free, key=lambda k: (celler[k].antal, str(k)))
    if samband.summa not in dolda and samband.summa not in fasta:
        return samband.summa
    return None


def undertryck(
    celler: Mapping[K, Cell],
    samband: Iterable[Samband[K]],
    *,
    fasta: Mapping[K, bool] | None = None,
) -> frozenset[K]:
    """The keys of the values to withhold.

    `fasta` names values already published or withheld elsewhere (True: withheld), which this
    run must not change: a school's figures stay what the kommun-wide run decided when a
    principal's several schools are summed.
    """
    fasta = fasta or {}
    dolda = {k for k, cell in celler.items() if k not in fasta and for_fa_elever(cell)}
    dolda |= {k for k, withheld in fasta.items() if withheld}
    relations = list(samband)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            keys = (relation.summa, *relation.delar)
            if sum(1 for k in keys if k in dolda) != 1:
                continue
            extra = _dold_del(relation, celler, dolda, fasta)
            if extra is not None:
                dolda.add(extra)
                changed = True
    return frozenset(dolda)
