"""Consent status as a pure function: signatures in any order, periods, withdrawals."""

import uuid
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from app.samtycken.models import Part
from app.samtycken.rules import (
    ELEVEN,
    SamtyckeStatus,
    Signerare,
    Underlag,
    bedom,
    remaining_parties,
    vardnadshavare,
)

IDAG = date(2026, 11, 23)
A, B, C = (uuid.UUID(int=n) for n in (1, 2, 3))


# Two custodians, both signed, in the middle of the period: valid.
BASE = Underlag(
    parter=frozenset({Part.skola, Part.socialtjanst}),
    giltig_fran=IDAG - timedelta(days=10),
    giltig_till=IDAG + timedelta(days=10),
    vardnadshavare_med_vardnad=frozenset({A, B}),
    elevens_signatur_kravs=False,
    signerat_av=frozenset({vardnadshavare(A), vardnadshavare(B)}),
)
_underlag = partial(replace, BASE)


def test_valid_when_both_custodians_have_signed_within_the_period() -> None:
    bedomning = bedom(_underlag(), idag=IDAG)
    assert bedomning.status is SamtyckeStatus.giltigt
    assert bedomning.tacker(Part.socialtjanst)
    assert not bedomning.tacker(Part.region)


def test_joint_custody_needs_both_signatures() -> None:
    bedomning = bedom(_underlag(signerat_av=frozenset({vardnadshavare(A)})), idag=IDAG)
    assert bedomning.status is SamtyckeStatus.vantar_signatur
    assert bedomning.saknade_signaturer == (vardnadshavare(B),)
    assert not bedomning.tacker(Part.skola)


def test_the_pupil_signs_when_required() -> None:
    required = _underlag(elevens_signatur_kravs=True)
    assert bedom(required, idag=IDAG).status is SamtyckeStatus.vantar_signatur
    assert bedom(required, idag=IDAG).saknade_signaturer == (ELEVEN,)
    signed = _underlag(
        elevens_signatur_kravs=True,
        signerat_av=frozenset({vardnadshavare(A), vardnadshavare(B), ELEVEN}),
    )
    assert bedom(signed, idag=IDAG).status is SamtyckeStatus.giltigt


def test_no_custodian_on_record_means_no_valid_consent() -> None:
    bedomning = bedom(
        _underlag(vardnadshavare_med_vardnad=frozenset(), signerat_av=frozenset()), idag=IDAG
    )
    assert bedomning.status is SamtyckeStatus.vantar_signatur
    assert bedomning.ingen_vardnadshavare


def test_a_new_custodian_must_sign_too() -> None:
    bedomning = bedom(_underlag(vardnadshavare_med_vardnad=frozenset({A, B, C})), idag=IDAG)
    assert bedomning.status is SamtyckeStatus.vantar_signatur
    assert bedomning.saknade_signaturer == (vardnadshavare(C),)


def test_period_boundaries_are_inclusive() -> None:
    assert bedom(_underlag(giltig_fran=IDAG), idag=IDAG).status is SamtyckeStatus.giltigt
    assert bedom(_underlag(giltig_till=IDAG), idag=IDAG).status is SamtyckeStatus.giltigt
    expired = _underlag(giltig_till=IDAG - timedelta(days=1))
    assert bedom(expired, idag=IDAG).status is SamtyckeStatus.utgatt
    not_begun = _underlag(giltig_fran=IDAG + timedelta(days=1))
    assert bedom(not_begun, idag=IDAG).status is SamtyckeStatus.vantar_signatur


def test_partial_withdrawal_removes_only_the_named_parties() -> None:
    underlag = _underlag(
        parter=frozenset({Part.skola, Part.socialtjanst, Part.region}),
        aterkallelser=(frozenset({Part.region}),),
    )
    bedomning = bedom(underlag, idag=IDAG)
    assert bedomning.status is SamtyckeStatus.giltigt
    assert bedomning.parter == {Part.skola, Part.socialtjanst}
    assert not bedomning.tacker(Part.region)
    assert bedomning.tacker(Part.socialtjanst)


def test_withdrawing_every_party_or_the_whole_consent_ends_it() -> None:
    whole = bedom(_underlag(aterkallelser=(None,)), idag=IDAG)
    every = bedom(_underlag(aterkallelser=(frozenset({Part.skola, Part.socialtjanst}),)), idag=IDAG)
    assert whole.status is every.status is SamtyckeStatus.aterkallat
    assert not whole.tacker(Part.skola)


# Property-based: the status depends on what happened, not on the order it was recorded in.

guardians = st.frozensets(st.sampled_from([A, B, C]), max_size=3)
parties = st.frozensets(st.sampled_from(list(Part)), min_size=2)
withdrawals = st.lists(
    st.one_of(st.none(), st.frozensets(st.sampled_from(list(Part)), min_size=1)), max_size=3
)
offsets = st.integers(min_value=-30, max_value=30)


@st.composite
def underlag(draw: st.DrawFn) -> Underlag:
    custodians = draw(guardians)
    signers = [vardnadshavare(g) for g in draw(guardians)] + draw(st.sampled_from([[], [ELEVEN]]))
    start = IDAG + timedelta(days=draw(offsets))
    return Underlag(
        parter=draw(parties),
        giltig_fran=start,
        giltig_till=start + timedelta(days=draw(st.integers(min_value=0, max_value=60))),
        vardnadshavare_med_vardnad=custodians,
        elevens_signatur_kravs=draw(st.booleans()),
        signerat_av=frozenset(signers),
        aterkallelser=tuple(draw(withdrawals)),
    )


@given(underlag(), st.randoms())
def test_the_order_of_withdrawals_does_not_matter(fakta: Underlag, random: Random) -> None:
    shuffled = list(fakta.aterkallelser)
    random.shuffle(shuffled)
    reordered = replace(fakta, aterkallelser=tuple(shuffled))
    assert bedom(reordered, idag=IDAG) == bedom(fakta, idag=IDAG)


@given(underlag())
def test_valid_exactly_when_every_condition_holds(fakta: Underlag) -> None:
    required = {vardnadshavare(g) for g in fakta.vardnadshavare_med_vardnad}
    if fakta.elevens_signatur_kravs:
        required.add(ELEVEN)
    expected = (
        bool(remaining_parties(fakta.parter, fakta.aterkallelser))
        and fakta.giltig_fran <= IDAG <= fakta.giltig_till
        and bool(fakta.vardnadshavare_med_vardnad)
        and required <= fakta.signerat_av
    )
    assert (bedom(fakta, idag=IDAG).status is SamtyckeStatus.giltigt) == expected


@given(underlag())
def test_a_whole_withdrawal_always_wins(fakta: Underlag) -> None:
    withdrawn = replace(fakta, aterkallelser=(*fakta.aterkallelser, None))
    assert bedom(withdrawn, idag=IDAG).status is SamtyckeStatus.aterkallat


@given(underlag())
def test_signatures_nobody_needs_change_nothing(fakta: Underlag) -> None:
    outsider = vardnadshavare(uuid.UUID(int=99))
    extra = replace(fakta, signerat_av=fakta.signerat_av | {outsider})
    assert bedom(extra, idag=IDAG) == bedom(fakta, idag=IDAG)


@given(underlag())
def test_losing_any_required_signature_ends_validity(fakta: Underlag) -> None:
    bedomning = bedom(fakta, idag=IDAG)
    if bedomning.status is not SamtyckeStatus.giltigt:
        return
    for signer in fakta.signerat_av:
        fewer = replace(fakta, signerat_av=fakta.signerat_av - {signer})
        still = bedom(fewer, idag=IDAG).status is SamtyckeStatus.giltigt
        assert still == (not _required(fakta, signer))


@given(underlag())
def test_a_consent_covers_a_party_only_while_valid_and_still_named(fakta: Underlag) -> None:
    bedomning = bedom(fakta, idag=IDAG)
    for part in Part:
        assert bedomning.tacker(part) == (
            bedomning.status is SamtyckeStatus.giltigt and part in bedomning.parter
        )


def _required(fakta: Underlag, signer: Signerare) -> bool:
    if signer == ELEVEN:
        return fakta.elevens_signatur_kravs
    return signer.vardnadshavare_id in fakta.vardnadshavare_med_vardnad
