"""The portable percentile against known answers on both databases, and against PostgreSQL's own
percentile_cont where it runs."""

import random
from collections.abc import Iterator
from fractions import Fraction

import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Uuid, func, select
from sqlalchemy.orm import Session

from app.kvalitet.statistik.percentil import MEDIAN, P90, percentiler
from tests.helpers import new_uuid

_metadata = MetaData()
_varden = Table(
    "tmp_percentil_varden",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("grupp", String(10)),
    Column("elev_id", Uuid),
    Column("varde", Float),
    prefixes=["TEMPORARY"],
)


@pytest.fixture
def varden(db: Session) -> Iterator[Table]:
    _varden.create(db.connection())
    yield _varden
    _varden.drop(db.connection())


def _fill(db: Session, rows: dict[str, list[float]]) -> None:
    db.execute(
        _varden.insert(),
        [
            {"grupp": grupp, "elev_id": new_uuid(), "varde": value}
            for grupp, values in rows.items()
            for value in values
        ],
    )


def _run(db: Session, andelar: tuple[Fraction, ...]) -> dict[str, tuple[object, ...]]:
    sub = select(_varden.c.grupp, _varden.c.elev_id, _varden.c.varde).subquery()
    return {row[0]: tuple(row[1:]) for row in db.execute(percentiler(sub, andelar))}


def test_known_medians_and_90th_percentiles(db: Session, varden: Table) -> None:
    _fill(
        db,
        {
            "en": [7.0],
            "tva": [10.0, 2.0],
            "fem": [5.0, 1.0, 4.0, 2.0, 3.0],
            "sex": [1.0, 2.0, 3.0, 4.0, 5.0, 60.0],
            "lika": [3.0, 3.0, 3.0, 3.0],
        },
    )
    found = _run(db, (MEDIAN, P90))

    assert found["en"] == (1, 7.0, 7.0)
    assert found["tva"] == (2, 6.0, pytest.approx(9.2))
    assert found["fem"] == (5, 3.0, pytest.approx(4.6))
    assert found["sex"] == (6, 3.5, pytest.approx(32.5))
    assert found["lika"] == (4, 3.0, 3.0)


def test_it_matches_percentile_cont_on_postgresql(db: Session, varden: Table) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("percentile_cont finns bara i PostgreSQL")
    generator = random.Random(20261125)
    _fill(
        db,
        {
            f"g{n}": [round(generator.uniform(0, 400), 3) for _ in range(n)]
            for n in (1, 2, 3, 7, 10, 11, 50, 101)
        },
    )
    ours = _run(db, (MEDIAN, P90, Fraction(1, 4)))
    theirs = db.execute(
        select(
            _varden.c.grupp,
            func.percentile_cont(0.5).within_group(_varden.c.varde),
            func.percentile_cont(0.9).within_group(_varden.c.varde),
            func.percentile_cont(0.25).within_group(_varden.c.varde),
        ).group_by(_varden.c.grupp)
    )
    for grupp, median, p90, p25 in theirs:
        assert ours[grupp][1:] == pytest.approx((median, p90, p25), abs=1e-9)
