"""Lead time per phase and the next due date, as pure functions."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.arenden.enums import Fas, Forfalloorsak
from app.arenden.timing import (
    dagar,
    ledtid,
    nasta_forfallodatum,
    nasta_uppfoljning,
    tid_per_fas,
)

T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


HISTORY = [
    (Fas.ansokan, at(0)),
    (Fas.beredning, at(2)),
    (Fas.ansokan, at(3)),  # komplettering
    (Fas.beredning, at(5)),
    (Fas.uppstart, at(6)),
    (Fas.kartlaggning, at(14)),
    (Fas.ansvarsplanering, at(28)),
    (Fas.genomforande, at(35)),
    (Fas.uppfoljning, at(63)),
    (Fas.genomforande, at(64)),
    (Fas.uppfoljning, at(92)),
    (Fas.avslutat, at(93.5)),
]


def test_time_per_phase_adds_up_repeated_visits_and_stops_at_closure() -> None:
    periods = {p.fas: p for p in tid_per_fas(HISTORY, nu=at(200))}

    assert {fas: dagar(p.tid) for fas, p in periods.items()} == {
        Fas.ansokan: 4.0,
        Fas.beredning: 2.0,
        Fas.uppstart: 8.0,
        Fas.kartlaggning: 14.0,
        Fas.ansvarsplanering: 7.0,
        Fas.genomforande: 56.0,
        Fas.uppfoljning: 2.5,
    }
    assert periods[Fas.genomforande].antal_perioder == 2
    assert Fas.avslutat not in periods
    assert not any(p.pagaende for p in periods.values())
    assert dagar(ledtid(HISTORY, nu=at(200))) == 93.5


def test_the_current_phase_runs_until_now() -> None:
    open_case = HISTORY[:6]
    periods = {p.fas: p for p in tid_per_fas(open_case, nu=at(20.25))}
    assert dagar(periods[Fas.kartlaggning].tid) == 6.25
    assert periods[Fas.kartlaggning].pagaende
    assert [p.fas for p in tid_per_fas(open_case, nu=at(20))] == [
        Fas.ansokan,
        Fas.beredning,
        Fas.uppstart,
        Fas.kartlaggning,
    ]
    assert dagar(ledtid(open_case, nu=at(20.25))) == 20.25


def test_the_next_follow_up_is_the_earliest_planned_date_not_yet_met() -> None:
    planned = [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert nasta_uppfoljning(planned, []) == date(2026, 10, 1)
    assert nasta_uppfoljning(planned, [date(2026, 10, 1), None]) == date(2026, 11, 1)
    assert nasta_uppfoljning(planned, planned) is None
    assert nasta_uppfoljning([], []) is None


BEVILJAT = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("idag", "forsenad"),
    [(BEVILJAT + timedelta(days=10), False), (BEVILJAT + timedelta(days=11), True)],
)
def test_startup_meetings_are_due_the_configured_number_of_days_after_approval(
    idag: date, forsenad: bool
) -> None:
    due = nasta_forfallodatum(
        fas=Fas.uppstart,
        beviljat=BEVILJAT,
        uppstartsmoten_hallna=False,
        nasta_uppfoljning=None,
        uppstart_dagar=10,
        idag=idag,
    )
    assert due is not None
    assert (due.datum, due.orsak, due.forsenad) == (
        date(2026, 11, 12),
        Forfalloorsak.uppstartsmoten,
        forsenad,
    )
    assert "T 7.3" in due.beskrivning


def test_nothing_is_due_for_startup_once_both_meetings_are_held() -> None:
    assert (
        nasta_forfallodatum(
            fas=Fas.uppstart,
            beviljat=BEVILJAT,
            uppstartsmoten_hallna=True,
            nasta_uppfoljning=date(2026, 1, 1),
            uppstart_dagar=10,
            idag=date(2027, 1, 1),
        )
        is None
    )


@pytest.mark.parametrize("fas", list(Fas))
def test_a_planned_follow_up_is_due_only_while_the_plan_is_carried_out(fas: Fas) -> None:
    due = nasta_forfallodatum(
        fas=fas,
        beviljat=BEVILJAT,
        uppstartsmoten_hallna=True,
        nasta_uppfoljning=date(2026, 12, 1),
        uppstart_dagar=10,
        idag=date(2026, 12, 2),
    )
    if fas in (Fas.genomforande, Fas.uppfoljning):
        assert due is not None
        assert (due.orsak, due.forsenad) == (Forfalloorsak.uppfoljning, True)
    else:
        assert due is None
