"""The deviation status machine, every pair of statuses, and what each step needs (pure)."""

from datetime import date, timedelta
from itertools import product

import pytest

from app.avvikelser.enums import Avvikelsestatus, Verksamhet
from app.avvikelser.rules import Innehall, Lage, Steg, innehall_fel, steg_fel, tillatna

IDAG = date(2026, 11, 25)
DATUM = date(2026, 10, 1)

ALLOWED = {
    (Avvikelsestatus.registrerad, Avvikelsestatus.rapporterad_bus),
    (Avvikelsestatus.registrerad, Avvikelsestatus.avslutad),
    (Avvikelsestatus.rapporterad_bus, Avvikelsestatus.besvarad),
    (Avvikelsestatus.besvarad, Avvikelsestatus.avslutad),
}


def _lage(status: Avvikelsestatus) -> Lage:
    reported = None if status is Avvikelsestatus.registrerad else DATUM + timedelta(days=1)
    answered = (
        DATUM + timedelta(days=2)
        if status in (Avvikelsestatus.besvarad, Avvikelsestatus.avslutad)
        else None
    )
    return Lage(status=status, datum=DATUM, rapporterad_bus=reported, besvarad=answered)


def _full_step(till: Avvikelsestatus) -> Steg:
    return Steg(till=till, datum=DATUM + timedelta(days=3), svar=True, avslutskommentar=True)


@pytest.mark.parametrize(
    ("fran", "till"), list(product(Avvikelsestatus, Avvikelsestatus)), ids=lambda s: str(s)
)
def test_every_pair_of_statuses(fran: Avvikelsestatus, till: Avvikelsestatus) -> None:
    found = steg_fel(_lage(fran), _full_step(till), idag=IDAG)

    assert (not found) is ((fran, till) in ALLOWED)
    assert (till in tillatna(fran)) is ((fran, till) in ALLOWED)
    if found:
        [fel] = found
        assert fel.plats == "body.status"


def test_nothing_leaves_avslutad_and_nothing_goes_back() -> None:
    assert tillatna(Avvikelsestatus.avslutad) == frozenset()
    order = list(Avvikelsestatus)
    for fran, till in ALLOWED:
        assert order.index(till) > order.index(fran)


def test_a_response_is_needed_for_besvarad() -> None:
    step = Steg(till=Avvikelsestatus.besvarad, datum=DATUM + timedelta(days=3))
    [fel] = steg_fel(_lage(Avvikelsestatus.rapporterad_bus), step, idag=IDAG)
    assert fel.plats == "body.svar"


def test_closing_without_a_report_to_bus_needs_a_note_but_after_a_response_not() -> None:
    step = Steg(till=Avvikelsestatus.avslutad, datum=DATUM + timedelta(days=3))
    [fel] = steg_fel(_lage(Avvikelsestatus.registrerad), step, idag=IDAG)
    assert fel.plats == "body.avslutskommentar"
    assert steg_fel(_lage(Avvikelsestatus.besvarad), step, idag=IDAG) == []


@pytest.mark.parametrize(
    ("datum", "ok"),
    [
        (DATUM, False),
        (DATUM + timedelta(days=1), True),
        (DATUM + timedelta(days=2), True),
        (IDAG, True),
        (IDAG + timedelta(days=1), False),
    ],
)
def test_a_step_is_dated_no_earlier_than_the_previous_one_and_not_in_the_future(
    datum: date, ok: bool
) -> None:
    lage = Lage(
        status=Avvikelsestatus.rapporterad_bus,
        datum=DATUM,
        rapporterad_bus=DATUM + timedelta(days=1),
    )
    step = Steg(till=Avvikelsestatus.besvarad, datum=datum, svar=True)
    assert (steg_fel(lage, step, idag=IDAG) == []) is ok


def _innehall(**changes: object) -> Innehall:
    fields: dict[str, object] = {
        "rapporterande": Verksamhet.skola,
        "berorda": frozenset({Verksamhet.skola, Verksamhet.bup}),
        "datum": DATUM,
        "kan_ej_losas_lokalt": True,
        "principiell": False,
    }
    return Innehall(**(fields | changes))  # type: ignore[arg-type]


def test_a_report_concerns_two_agencies_the_reporter_among_them() -> None:
    assert innehall_fel(_innehall(), idag=IDAG) == []
    assert [
        f.plats for f in innehall_fel(_innehall(berorda=frozenset({Verksamhet.skola})), idag=IDAG)
    ] == ["body.berorda_verksamheter"]
    other = _innehall(berorda=frozenset({Verksamhet.bup, Verksamhet.socialtjanst}))
    assert [f.meddelande for f in innehall_fel(other, idag=IDAG)] == [
        "Den rapporterande verksamheten är en av de berörda."
    ]


@pytest.mark.parametrize(
    ("lokalt", "principiell", "ok"),
    [(True, False, True), (False, True, True), (True, True, True), (False, False, False)],
)
def test_it_cannot_be_solved_locally_or_is_a_matter_of_principle(
    lokalt: bool, principiell: bool, ok: bool
) -> None:
    innehall = _innehall(kan_ej_losas_lokalt=lokalt, principiell=principiell)
    assert (innehall_fel(innehall, idag=IDAG) == []) is ok


def test_the_event_is_not_in_the_future() -> None:
    [fel] = innehall_fel(_innehall(datum=IDAG + timedelta(days=1)), idag=IDAG)
    assert fel.plats == "body.datum"
