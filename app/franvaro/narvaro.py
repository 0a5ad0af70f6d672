"""The pupils' tiers as the lists read them: one state row per pupil (models.Narvarolage).

The intake moves a pupil's window sums as their records change. When the week turns, the
windows move: the first reader in a new week recomputes the kommun's rows from the week sums in
one statement, under the same lock the intake takes, and notes the week (Narvaroberakning).
The tier itself is the SQL form of rules.bedom, with the kommun's thresholds.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    SQLColumnExpression,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from app.franvaro.intake import lock_kommun
from app.franvaro.models import Franvarovecka, Narvaroberakning, Narvarogranser, Narvarolage
from app.franvaro.rules import Fonster, Granser, Minuter, Narvaroniva


def granser_for(session: Session, kommun_id: uuid.UUID) -> Granser:
    row = session.get(Narvarogranser, kommun_id)
    return (
        Granser() if row is None else Granser(Decimal(row.gul_procent), Decimal(row.orange_procent))
    )


def _stale(session: Session, kommun_id: uuid.UUID, per_vecka: date) -> bool:
    berakning = session.get(Narvaroberakning, kommun_id, populate_existing=True)
    return berakning is None or berakning.vecka != per_vecka


def ensure_current(session: Session, kommun_id: uuid.UUID, fonster: Fonster) -> None:
    """Recomputes the kommun's state rows unless they were computed for `fonster`'s week."""
    if not _stale(session, kommun_id, fonster.per_vecka):
        return
    lock_kommun(session, kommun_id)
    if not _stale(session, kommun_id, fonster.per_vecka):
        return
    berakning = session.get(Narvaroberakning, kommun_id)
    if berakning is None:
        session.add(Narvaroberakning(kommun_id=kommun_id, vecka=fonster.per_vecka))
    else:
        berakning.vecka = fonster.per_vecka
    session.execute(delete(Narvarolage).where(Narvarolage.kommun_id == kommun_id))
    v = Franvarovecka
    in_a = v.vecka >= fonster.a_fran

    def window(column: SQLColumnExpression[int], a: bool) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((in_a if a else ~in_a, column), else_=0)), 0)

    sums = (
        select(
            v.elev_id,
            literal(kommun_id).label("kommun_id"),
            literal(fonster.per_vecka).label("vecka"),
            window(v.schemalagd, True),
            window(v.giltig, True),
            window(v.ogiltig, True),
            window(v.schemalagd, False),
            window(v.giltig, False),
            window(v.ogiltig, False),
        )
        .where(v.kommun_id == kommun_id, v.vecka >= fonster.b_fran, v.vecka <= fonster.per_vecka)
        .group_by(v.elev_id)
    )
    n = Narvarolage
    session.execute(
        insert(Narvarolage).from_select(
            [
                n.elev_id,
                n.kommun_id,
                n.vecka,
                n.a_schemalagd,
                n.a_giltig,
                n.a_ogiltig,
                n.b_schemalagd,
                n.b_giltig,
                n.b_ogiltig,
            ],
            sums,
        )
    )
    session.expire_all()


def niva_sql(
    schemalagd: SQLColumnExpression[int],
    giltig: SQLColumnExpression[int],
    ogiltig: SQLColumnExpression[int],
    granser: Granser,
) -> ColumnElement[int]:
    """rules.bedom in SQL: 0 grön, 1 gul, 2 orange (Narvaroniva.steg). In whole numbers, as
    rules.bedom is exact: a threshold bound as a decimal is a float on SQLite, where 4.73 × 10 000
    is more than 47 300."""
    franvaro = cast(giltig + ogiltig, BigInteger)
    schema = cast(schemalagd, BigInteger)

    def minst(grans: Decimal) -> ColumnElement[bool]:
        taljare, namnare = grans.as_integer_ratio()
        return franvaro * (100 * namnare) >= schema * taljare

    return case(
        (schemalagd <= 0, 0),
        (minst(granser.orange), 2),
        (or_(minst(granser.gul), ogiltig > 0), 1),
        else_=0,
    )


def promille_sql(
    schemalagd: SQLColumnExpression[int],
    giltig: SQLColumnExpression[int],
    ogiltig: SQLColumnExpression[int],
) -> ColumnElement[int]:
    """The share in per mille, rounded down (for ordering; the answer computes the exact share)."""
    return case(
        (schemalagd <= 0, 0),
        # `//`: whole-number division on both databases (`/` is a numeric one on PostgreSQL,
        # and casting that back rounds).
        else_=(giltig + ogiltig) * 1000 // schemalagd,
    )


@dataclass(frozen=True, slots=True)
class Lagesuttryck:
    niva: ColumnElement[int]
    forra_niva: ColumnElement[int]
    promille: ColumnElement[int]


def uttryck(granser: Granser) -> Lagesuttryck:
    n = Narvarolage
    return Lagesuttryck(
        niva=niva_sql(n.a_schemalagd, n.a_giltig, n.a_ogiltig, granser),
        forra_niva=niva_sql(n.b_schemalagd, n.b_giltig, n.b_ogiltig, granser),
        promille=promille_sql(n.a_schemalagd, n.a_giltig, n.a_ogiltig),
    )


def at_tier(
    elev_id: SQLColumnExpression[uuid.UUID],
    kommun_id: uuid.UUID,
    niva: Narvaroniva,
    granser: Granser,
) -> ColumnElement[bool]:
    """A condition on a pupil id: the pupil is now at `niva` (call ensure_current first). A pupil
    without absence in the window has no row of gul or orange, and is grön."""
    steg = uttryck(granser).niva
    if niva is Narvaroniva.gron:
        above = select(Narvarolage.elev_id).where(
            Narvarolage.kommun_id == kommun_id, steg > Narvaroniva.gron.steg
        )
        return elev_id.not_in(above)
    return elev_id.in_(
        select(Narvarolage.elev_id).where(Narvarolage.kommun_id == kommun_id, steg == niva.steg)
    )


def minuter(lage: Narvarolage | None) -> tuple[Minuter, Minuter]:
    if lage is None:
        return Minuter(), Minuter()
    return (
        Minuter(lage.a_schemalagd, lage.a_giltig, lage.a_ogiltig),
        Minuter(lage.b_schemalagd, lage.b_giltig, lage.b_ogiltig),
    )
