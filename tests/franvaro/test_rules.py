"""The tiers as pure rules (DOMAIN.md: Absence; T 2.1–2.3): exact at the thresholds, any invalid
absence at least gul, the kommun's own thresholds, the trend, the eight-week windows, and the SQL
form of the rule agreeing with the Python one."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import BindParameter, literal, select
from sqlalchemy.orm import Session

from app.franvaro.narvaro import niva_sql, promille_sql
from app.franvaro.rules import (
    VECKOR_PER_FONSTER,
    Bedomning,
    Fonster,
    Granser,
    Minuter,
    Narvaroniva,
    Skal,
    Trend,
    bedom,
    procent,
    trend,
    vecka,
)

gron, gul, orange = Narvaroniva.gron, Narvaroniva.gul, Narvaroniva.orange

schemalagda = st.integers(min_value=1, max_value=2_000_000)
# Thresholds as the kommun stores them: two decimals, 0 < gul < orange ≤ 100.
procentsatser = st.integers(min_value=1, max_value=10_000).map(lambda n: Decimal(n) / 100)


@st.composite
def granser(draw: st.DrawFn) -> Granser:
    a = draw(procentsatser)
    b = draw(procentsatser.filter(lambda p: p != a))
    return Granser(gul=min(a, b), orange=max(a, b))


@st.composite
def summor(draw: st.DrawFn, *, max_schemalagd: int = 2_000_000) -> Minuter:
    """A window's sums as the intake keeps them: absence never more than the scheduled time."""
    s = draw(st.integers(min_value=0, max_value=max_schemalagd))
    franvaro = draw(st.integers(min_value=0, max_value=s))
    ogiltig = draw(st.integers(min_value=0, max_value=franvaro))
    return Minuter(s, franvaro - ogiltig, ogiltig)


def _at_share(schemalagd: int, tiondels_promille: int) -> int:
    """Absent minutes for exactly `tiondels_promille` / 10 000 of `schemalagd` (a multiple of
    10 000 keeps it whole)."""
    return schemalagd * tiondels_promille // 10_000


@pytest.mark.parametrize(
    ("franvaro", "niva", "skal"),
    [
        (0, gron, Skal.under_granserna),
        (999, gron, Skal.under_granserna),
        (1000, gul, Skal.over_gul_grans),
        (1999, gul, Skal.over_gul_grans),
        (2000, orange, Skal.over_orange_grans),
        (10_000, orange, Skal.over_orange_grans),
    ],
)
def test_the_thresholds_are_exact_at_the_minute(
    franvaro: int, niva: Narvaroniva, skal: Skal
) -> None:
    # 999 of 10 000 minutes is 9.99 %: never rounded up to 10 %.
    assert bedom(Minuter(10_000, franvaro, 0)) == Bedomning(niva, (skal,))
    assert bedom(Minuter(10_000, 0, franvaro)).niva is (gul if niva is gron and franvaro else niva)


@given(schemalagda.map(lambda s: s * 10_000))
def test_just_under_ten_percent_is_gron_and_ten_percent_is_gul(schemalagd: int) -> None:
    under = _at_share(schemalagd, 999)
    assert bedom(Minuter(schemalagd, under, 0)).niva is gron
    assert bedom(Minuter(schemalagd, _at_share(schemalagd, 1000) - 1, 0)).niva is gron
    assert bedom(Minuter(schemalagd, _at_share(schemalagd, 1000), 0)).niva is gul


@given(schemalagda.map(lambda s: s * 10_000))
def test_just_under_twenty_percent_is_gul_and_twenty_percent_is_orange(schemalagd: int) -> None:
    assert bedom(Minuter(schemalagd, _at_share(schemalagd, 1999), 0)).niva is gul
    assert bedom(Minuter(schemalagd, _at_share(schemalagd, 2000) - 1, 0)).niva is gul
    assert bedom(Minuter(schemalagd, _at_share(schemalagd, 2000), 0)).niva is orange


@given(summor())
def test_the_tier_follows_the_exact_share(minuter: Minuter) -> None:
    bedomning = bedom(minuter)
    if minuter.schemalagd == 0:
        assert bedomning == Bedomning(gron, (Skal.inget_schema,))
        return
    # Integer arithmetic only: share ≥ p % ⇔ 100 × absence ≥ p × scheduled.
    hundra = 100 * minuter.franvaro
    expected = (
        orange
        if hundra >= 20 * minuter.schemalagd
        else gul
        if hundra >= 10 * minuter.schemalagd or minuter.ogiltig > 0
        else gron
    )
    assert bedomning.niva is expected


@given(summor().filter(lambda m: m.ogiltig > 0))
def test_any_invalid_minute_makes_at_least_gul_and_says_so(minuter: Minuter) -> None:
    bedomning = bedom(minuter)
    assert bedomning.niva in (gul, orange)
    assert Skal.ogiltig_franvaro in bedomning.skal
    assert Skal.under_granserna not in bedomning.skal


@given(summor().filter(lambda m: m.ogiltig == 0))
def test_valid_absence_alone_never_gives_the_invalid_reason(minuter: Minuter) -> None:
    assert Skal.ogiltig_franvaro not in bedom(minuter).skal


def test_one_invalid_minute_of_many_is_gul() -> None:
    assert bedom(Minuter(100_000, 0, 1)) == Bedomning(gul, (Skal.ogiltig_franvaro,))
    assert bedom(Minuter(100, 25, 1)) == Bedomning(
        orange, (Skal.over_orange_grans, Skal.ogiltig_franvaro)
    )
    assert bedom(Minuter(100, 14, 1)) == Bedomning(
        gul, (Skal.over_gul_grans, Skal.ogiltig_franvaro)
    )


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_without_a_schedule_the_pupil_is_gron(giltig: int, ogiltig: int) -> None:
    assert bedom(Minuter(0, giltig, ogiltig)) == Bedomning(gron, (Skal.inget_schema,))


@given(summor(), granser())
def test_the_kommuns_own_thresholds_decide(minuter: Minuter, g: Granser) -> None:
    niva = bedom(minuter, g).niva
    if minuter.schemalagd == 0:
        assert niva is gron
        return
    andel = Decimal(minuter.franvaro) * 100
    if andel >= g.orange * minuter.schemalagd:
        assert niva is orange
    elif andel >= g.gul * minuter.schemalagd or minuter.ogiltig > 0:
        assert niva is gul
    else:
        assert niva is gron


@given(granser(), schemalagda.map(lambda s: s * 10_000))
def test_a_threshold_of_the_kommun_is_exact_too(g: Granser, schemalagd: int) -> None:
    at_gul = int(g.gul * schemalagd / 100)
    at_orange = int(g.orange * schemalagd / 100)
    assert bedom(Minuter(schemalagd, at_gul - 1, 0), g).niva is gron
    assert bedom(Minuter(schemalagd, at_gul, 0), g).niva is gul
    # Thresholds differ by at least 0.01 %, which is at least a minute here.
    assert bedom(Minuter(schemalagd, at_orange - 1, 0), g).niva is gul
    assert bedom(Minuter(schemalagd, at_orange, 0), g).niva is orange


def test_a_share_between_the_defaults_moves_with_the_thresholds() -> None:
    minuter = Minuter(1000, 150, 0)
    assert bedom(minuter).niva is gul
    assert bedom(minuter, Granser(Decimal(16), Decimal(30))).niva is gron
    assert bedom(minuter, Granser(Decimal(5), Decimal("15.00"))).niva is orange
    assert bedom(minuter, Granser(Decimal(5), Decimal("15.01"))).niva is gul


@given(summor(), summor())
def test_more_absence_never_gives_a_lower_tier(a: Minuter, extra: Minuter) -> None:
    # Adding absent minutes without adding schedule: the share can only rise.
    hojd = Minuter(a.schemalagd, a.giltig + min(extra.giltig, a.schemalagd - a.franvaro), a.ogiltig)
    assert bedom(hojd).niva.steg >= bedom(a).niva.steg


@pytest.mark.parametrize(
    ("nu", "forut", "expected"),
    [
        (gul, gron, Trend.stigande),
        (orange, gron, Trend.stigande),
        (orange, gul, Trend.stigande),
        (gul, gul, Trend.oforandrad),
        (gron, gron, Trend.oforandrad),
        (gul, orange, Trend.sjunkande),
        (gron, gul, Trend.sjunkande),
    ],
)
def test_trend_compares_the_tiers(nu: Narvaroniva, forut: Narvaroniva, expected: Trend) -> None:
    assert trend(nu, forut) is expected


def test_the_tiers_are_ordered_by_severity() -> None:
    assert [n.steg for n in (gron, gul, orange)] == [0, 1, 2]


def test_procent_is_cut_to_two_decimals_and_none_without_schedule() -> None:
    assert procent(999, 10_000) == 9.99
    assert procent(1, 3) == 33.33
    assert procent(2, 3) == 66.66
    assert procent(9_996, 100_000) == 9.99
    assert procent(1_000, 10_000) == 10.0
    assert procent(5, 0) is None


@st.composite
def nara_en_grans(draw: st.DrawFn) -> tuple[Minuter, Granser]:
    """Thresholds and a window's sums at or just beside one of them, where rounding would show
    a share that the tier does not count (or the other way round)."""
    g = draw(granser())
    grans = draw(st.sampled_from((g.gul, g.orange)))
    s = draw(schemalagda)
    minst = -(-s * int(grans * 100) // 10_000)  # the fewest minutes at or over the threshold
    franvaro = min(max(minst + draw(st.integers(min_value=-2, max_value=1)), 0), s)
    return Minuter(s, franvaro, 0), g


@given(st.one_of(st.tuples(summor(), granser()), nara_en_grans()))
@example((Minuter(100_000, 9_996, 0), Granser()))
def test_a_shown_share_reaches_a_threshold_exactly_when_the_tier_counts_it_crossed(
    fall: tuple[Minuter, Granser],
) -> None:
    """No pupil is shown at 10.0 % and green: the shown share compared with the thresholds as
    a reader would compare it says what the tier says."""
    minuter, g = fall
    shown = procent(minuter.franvaro, minuter.schemalagd)
    skal = bedom(minuter, g).skal
    if shown is None:
        assert skal == (Skal.inget_schema,)
        return
    over_orange = Skal.over_orange_grans in skal
    assert (Decimal(str(shown)) >= g.orange) == over_orange
    assert (Decimal(str(shown)) >= g.gul) == (over_orange or Skal.over_gul_grans in skal)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(days)
def test_the_week_of_a_day_is_its_monday(dag: date) -> None:
    monday = vecka(dag)
    assert monday.weekday() == 0
    assert 0 <= (dag - monday).days <= 6


@given(days)
def test_the_windows_are_eight_weeks_each_ending_in_the_days_week(dag: date) -> None:
    fonster = Fonster.per(dag)
    assert VECKOR_PER_FONSTER == 8
    assert fonster.per_vecka == vecka(dag)
    assert fonster.a_fran.weekday() == 0
    assert fonster.b_fran.weekday() == 0
    assert fonster.per_vecka - fonster.a_fran == timedelta(weeks=7)
    assert fonster.a_fran - fonster.b_fran == timedelta(weeks=8)
    # Every day of the week gives the same windows.
    assert all(Fonster.per(vecka(dag) + timedelta(days=n)) == fonster for n in range(7))


@given(days)
def test_each_monday_belongs_to_one_window_or_none(dag: date) -> None:
    fonster = Fonster.per(dag)
    mondays = [fonster.per_vecka - timedelta(weeks=n) for n in range(-2, 20)]
    parts = {monday: fonster.del_av(monday) for monday in mondays}
    assert [m for m in mondays if parts[m] == "a"] == [
        fonster.per_vecka - timedelta(weeks=n) for n in range(8)
    ]
    assert [m for m in mondays if parts[m] == "b"] == [
        fonster.per_vecka - timedelta(weeks=n) for n in range(8, 16)
    ]
    # The weeks after `per` and the seventeenth week back are in no window.
    assert parts[fonster.per_vecka + timedelta(weeks=1)] is None
    assert parts[fonster.b_fran - timedelta(weeks=1)] is None
    assert parts[fonster.a_fran] == "a"
    assert parts[fonster.a_fran - timedelta(weeks=1)] == "b"
    assert parts[fonster.b_fran] == "b"


def test_windows_across_the_new_year() -> None:
    fonster = Fonster.per(date(2026, 1, 1))  # a Thursday
    assert fonster == Fonster(date(2025, 12, 29), date(2025, 11, 10), date(2025, 9, 15))


def _literals(m: Minuter) -> tuple[BindParameter[int], BindParameter[int], BindParameter[int]]:
    """The sums as integer values of the statement, as the state row's integer columns are."""
    return literal(m.schemalagd), literal(m.giltig), literal(m.ogiltig)


_DB_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_DB_SETTINGS
@given(summor(), st.one_of(st.just(Granser()), granser()))
def test_the_sql_tier_agrees_with_the_rule(db: Session, minuter: Minuter, g: Granser) -> None:
    steg = db.execute(select(niva_sql(*_literals(minuter), g))).scalar_one()
    assert steg == bedom(minuter, g).niva.steg


@_DB_SETTINGS
@given(
    st.one_of(st.just(Granser()), granser()),
    st.integers(min_value=1, max_value=20_000),
    st.booleans(),
    st.sampled_from(["gul", "orange"]),
)
def test_the_sql_tier_agrees_at_the_thresholds(
    db: Session, g: Granser, n: int, ogiltig: bool, which: str
) -> None:
    # Sums exactly at a threshold and one minute below it, where rounding would show.
    schemalagd = n * 10_000
    grans = g.gul if which == "gul" else g.orange
    at = int(grans * schemalagd / 100)
    for franvaro in (at - 1, at):
        o = 1 if ogiltig and franvaro > 0 else 0
        minuter = Minuter(schemalagd, franvaro - o, o)
        steg = db.execute(select(niva_sql(*_literals(minuter), g))).scalar_one()
        assert steg == bedom(minuter, g).niva.steg


@_DB_SETTINGS
@given(summor())
def test_the_sql_share_in_per_mille_is_rounded_down(db: Session, minuter: Minuter) -> None:
    promille = db.execute(select(promille_sql(*_literals(minuter)))).scalar_one()
    expected = 0 if minuter.schemalagd == 0 else minuter.franvaro * 1000 // minuter.schemalagd
    assert promille == expected
