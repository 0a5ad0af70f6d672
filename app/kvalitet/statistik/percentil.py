"""Percentiles in portable SQL: one statement for PostgreSQL and SQLite (window functions, SQLite
3.25 or later), with the semantics of PostgreSQL's percentile_cont — linear interpolation between
the two nearest ranks — so that both databases give the same answer to the last decimal.

For n sorted values and a share p, the position is p·(n − 1) counted from 0. With p a fraction
a/b the position's whole part is (a·(n − 1)) div b and its remainder (a·(n − 1)) mod b, both
integer arithmetic, so no database needs floor() or ceil().
"""

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from sqlalchemy import Float, Select, Subquery, case, cast, distinct, func, select

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


def percentiler(varden: Subquery, andelar: Sequence[Fraction]) -> Select[*tuple[Any, ...]]:
    """One row per group: `grupp`, `elever` (distinct pupils) and `p0`, `p1`, … for the shares.

    `varden` has the columns grupp, elev_id and varde (no nulls).
    """
    antal = func.count().over(partition_by=varden.c.grupp)
    rang = func.row_number().over(partition_by=varden.c.grupp, order_by=varden.c.varde) - 1
    columns = [varden.c.grupp, varden.c.elev_id, varden.c.varde, rang.label("rang")]
    for index, andel in enumerate(andelar):
        steg = (antal - 1) * andel.numerator
        columns.append((steg // andel.denominator).label(f"lag{index}"))
        columns.append((steg % andel.denominator).label(f"rest{index}"))
    rankad = select(*columns).subquery("rankad")
    values = []
    for index, andel in enumerate(andelar):
        lag, rest = rankad.c[f"lag{index}"], rankad.c[f"rest{index}"]
        hog = lag + case((rest > 0, 1), else_=0)
        under = func.max(case((rankad.c.rang == lag, rankad.c.varde)))
        over = func.max(case((rankad.c.rang == hog, rankad.c.varde)))
        interpolerad = under + (over - under) * func.max(rest) / andel.denominator
        values.append(cast(interpolerad, Float).label(f"p{index}"))
    return select(
        rankad.c.grupp, func.count(distinct(rankad.c.elev_id)).label("elever"), *values
    ).group_by(rankad.c.grupp)
