"""The phase machine, exhaustively: every (from, to) pair of phases, with ready and with missing
facts, every closure reason from every phase, and a property test against an independent oracle.
"""

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.arenden.enums import Ansvarspart, Avslutsorsak, Fas, Motestyp
from app.arenden.lage import (
    Arendelage,
    Fasbegaran,
    Handlaggarlage,
    Malsuppgift,
    Motesuppgift,
    Planuppgift,
    Tidsplanpost,
)
from app.arenden.rules import brister, plan_brister, samtycke_brister
from app.samtycken.models import Part
from app.samtycken.rules import ELEVEN, Bedomning, SamtyckeStatus, vardnadshavare

IDAG = date(2026, 11, 24)
F = Fas

# Written out here, independently of the table in rules.py (DOMAIN.md: Case workflow; issue 4).
EDGES = frozenset(
    {
        (F.ansokan, F.beredning),
        (F.beredning, F.ansokan),
        (F.beredning, F.uppstart),
        (F.uppstart, F.kartlaggning),
        (F.kartlaggning, F.ansvarsplanering),
        (F.ansvarsplanering, F.genomforande),
        (F.genomforande, F.uppfoljning),
        (F.uppfoljning, F.genomforande),
    }
    | {(fas, F.avslutat) for fas in Fas if fas is not F.avslutat}
)

A = Avslutsorsak
OPEN = [fas for fas in Fas if fas is not F.avslutat]
CLOSURE_FROM: dict[Avslutsorsak, set[Fas]] = {
    A.tackar_nej: set(OPEN),
    A.flyttar: set(OPEN),
    A.ej_beviljad: {F.beredning},
    A.behov_upphort: {F.uppfoljning},
    A.andra_insatser: {F.uppfoljning},
}

GILTIGT = Bedomning(
    status=SamtyckeStatus.giltigt,
    parter=frozenset({Part.skola, Part.socialtjanst}),
    saknade_signaturer=(),
    ingen_vardnadshavare=False,
)
GUARDIAN = uuid.UUID(int=7)
VANTAR = Bedomning(
    status=SamtyckeStatus.vantar_signatur,
    parter=frozenset({Part.skola, Part.region}),
    saknade_signaturer=(vardnadshavare(GUARDIAN),),
    ingen_vardnadshavare=False,
)
HELA_PLANEN = Planuppgift(
    nulage=True,
    mal=(Malsuppgift(matt=True, maldatum=True),),
    ansvar=frozenset(Ansvarspart),
    planerade_insatser=(Tidsplanpost(IDAG, IDAG + timedelta(days=30)),),
    uppfoljningsdatum=(IDAG + timedelta(days=14),),
    uppfoljningsmetod=True,
)
HALLNA_MOTEN = (
    Motesuppgift(Motestyp.uppstart_skola, IDAG - timedelta(days=3), True, True),
    Motesuppgift(Motestyp.uppstart_elev_vardnadshavare, IDAG - timedelta(days=1), True),
)


def ready(fran: Fas) -> Arendelage:
    return Arendelage(
        fas=fran,
        idag=IDAG,
        samtycke=GILTIGT,
        moten=HALLNA_MOTEN,
        kartlaggning_dokumenterad=True,
        plan=HELA_PLANEN,
        uppfoljning_sedan_genomforande=True,
    )


def nothing(fran: Fas) -> Arendelage:
    return Arendelage(fas=fran, idag=IDAG, samtycke=VANTAR, komplettering_obesvarad=True)


def closing_reason(fran: Fas) -> Avslutsorsak:
    return {F.beredning: A.ej_beviljad, F.uppfoljning: A.behov_upphort}.get(fran, A.tackar_nej)


def ready_request(fran: Fas, till: Fas) -> Fasbegaran:
    orsak = closing_reason(fran)
    return Fasbegaran(
        till=till,
        saknas=("Frånvarosammanställning för hösten",),
        handlaggare=Handlaggarlage(i_kommunen=True),
        avslutsorsak=orsak,
        vidmakthallandeplan=orsak is not A.ej_beviljad,
    )


PAIRS = [(fran, till) for fran in Fas for till in Fas]


@pytest.mark.parametrize(("fran", "till"), PAIRS, ids=lambda fas: str(fas))
def test_with_every_fact_in_place_exactly_the_table_s_transitions_are_allowed(
    fran: Fas, till: Fas
) -> None:
    found = brister(ready(fran), ready_request(fran, till))

    if (fran, till) in EDGES:
        assert found == []
    else:
        assert [b.plats for b in found] == ["body.till"]
        assert str(fran) in found[0].meddelande or fran is F.avslutat


# With nothing in place: the places of every unmet gate, per allowed transition.
SAMTYCKE_SAKNAS = ["samtycke", "samtycke"]  # a missing signature, and socialtjanst not named
PLAN_SAKNAS = [
    "ansvarsplan.nulage",
    "ansvarsplan.mal",
    "ansvarsplan.ansvar.elev_och_vardnadshavare",
    "ansvarsplan.ansvar.skola",
    "ansvarsplan.ansvar.skolsocialt_team",
    "ansvarsplan.planerade_insatser",
    "ansvarsplan.uppfoljningsdatum",
    "ansvarsplan.uppfoljningsmetod",
]
UNMET_WITH_NOTHING: dict[tuple[Fas, Fas], list[str]] = {
    (F.ansokan, F.beredning): [*SAMTYCKE_SAKNAS, "komplettering"],
    (F.beredning, F.ansokan): ["body.saknas"],
    (F.beredning, F.uppstart): [*SAMTYCKE_SAKNAS, "body.handlaggare_id"],
    (F.uppstart, F.kartlaggning): [
        *SAMTYCKE_SAKNAS,
        "moten.uppstart_skola",
        "moten.uppstart_skola.deltagare",
        "moten.uppstart_elev_vardnadshavare",
    ],
    (F.kartlaggning, F.ansvarsplanering): [*SAMTYCKE_SAKNAS, "kartlaggning.sammanfattning"],
    (F.ansvarsplanering, F.genomforande): [*SAMTYCKE_SAKNAS, *PLAN_SAKNAS],
    (F.genomforande, F.uppfoljning): [*SAMTYCKE_SAKNAS, "uppfoljningar"],
    (F.uppfoljning, F.genomforande): [*SAMTYCKE_SAKNAS, *PLAN_SAKNAS],
    **{(fas, F.avslutat): ["body.avslutsorsak", "body.vidmakthallandeplan"] for fas in OPEN},
}


@pytest.mark.parametrize(("fran", "till"), PAIRS, ids=lambda fas: str(fas))
def test_with_nothing_in_place_every_unmet_gate_is_listed(fran: Fas, till: Fas) -> None:
    found = brister(nothing(fran), Fasbegaran(till=till))

    expected = UNMET_WITH_NOTHING.get((fran, till), ["body.till"])
    assert [b.plats for b in found] == expected
    assert all(b.meddelande for b in found)


@pytest.mark.parametrize("orsak", list(Avslutsorsak))
@pytest.mark.parametrize("fran", list(Fas))
def test_each_closure_reason_applies_from_its_phases_only(fran: Fas, orsak: Avslutsorsak) -> None:
    begaran = Fasbegaran(
        till=F.avslutat, avslutsorsak=orsak, vidmakthallandeplan=orsak is not A.ej_beviljad
    )

    found = brister(ready(fran), begaran)

    if fran is F.avslutat:
        assert [b.plats for b in found] == ["body.till"]
    elif fran in CLOSURE_FROM[orsak]:
        assert found == []
    else:
        assert [b.plats for b in found] == ["body.avslutsorsak"]


@pytest.mark.parametrize("fran", OPEN)
def test_tackar_nej_closes_from_every_open_phase_even_without_consent(fran: Fas) -> None:
    lage = Arendelage(fas=fran, idag=IDAG, samtycke=VANTAR)
    begaran = Fasbegaran(F.avslutat, avslutsorsak=A.tackar_nej, vidmakthallandeplan=True)
    assert brister(lage, begaran) == []


def test_closure_needs_a_maintenance_plan_except_a_rejection() -> None:
    without = Fasbegaran(F.avslutat, avslutsorsak=A.behov_upphort)
    [missing] = brister(ready(F.uppfoljning), without)
    assert missing.plats == "body.vidmakthallandeplan"
    assert "T 7.8" in missing.meddelande

    rejection = Fasbegaran(F.avslutat, avslutsorsak=A.ej_beviljad)
    assert brister(ready(F.beredning), rejection) == []
    with_plan = Fasbegaran(F.avslutat, avslutsorsak=A.ej_beviljad, vidmakthallandeplan=True)
    assert [b.plats for b in brister(ready(F.beredning), with_plan)] == ["body.vidmakthallandeplan"]


@pytest.mark.parametrize(
    ("handlaggare", "expected"),
    [
        (Handlaggarlage(i_kommunen=False, aktiv=False, i_teamet=False), 1),
        (Handlaggarlage(i_kommunen=True, aktiv=False), 1),
        (Handlaggarlage(i_kommunen=True, i_teamet=False), 1),
        (Handlaggarlage(i_kommunen=True, omfattas_av_samtycke=False), 1),
        (Handlaggarlage(i_kommunen=True, aktiv=False, i_teamet=False), 2),
        (Handlaggarlage(i_kommunen=True), 0),
    ],
)
def test_approval_names_an_active_team_member_of_the_kommun_whom_the_consent_covers(
    handlaggare: Handlaggarlage, expected: int
) -> None:
    found = brister(ready(F.beredning), Fasbegaran(F.uppstart, handlaggare=handlaggare))
    assert [b.plats for b in found] == ["body.handlaggare_id"] * expected


def test_startup_meetings_count_only_when_held_with_minutes_by_today_and_in_order() -> None:
    skola = Motesuppgift(Motestyp.uppstart_skola, IDAG - timedelta(days=2), True, True)
    hem_before = Motesuppgift(Motestyp.uppstart_elev_vardnadshavare, IDAG - timedelta(days=5), True)
    hem_planned = Motesuppgift(
        Motestyp.uppstart_elev_vardnadshavare, IDAG + timedelta(days=1), True
    )
    hem_no_minutes = Motesuppgift(Motestyp.uppstart_elev_vardnadshavare, IDAG, False)
    hem_same_day = Motesuppgift(Motestyp.uppstart_elev_vardnadshavare, skola.datum, True)
    skola_no_contact = Motesuppgift(Motestyp.uppstart_skola, skola.datum, True, False)

    def unmet(*moten: Motesuppgift) -> list[str]:
        lage = Arendelage(fas=F.uppstart, idag=IDAG, samtycke=GILTIGT, moten=moten)
        return [b.plats for b in brister(lage, Fasbegaran(F.kartlaggning))]

    assert unmet(skola, hem_same_day) == []
    assert unmet(skola, hem_before) == ["moten.uppstart_elev_vardnadshavare"]
    assert unmet(skola, hem_planned) == ["moten.uppstart_elev_vardnadshavare"]
    assert unmet(skola, hem_no_minutes) == ["moten.uppstart_elev_vardnadshavare"]
    assert unmet(skola_no_contact, hem_same_day) == ["moten.uppstart_skola.deltagare"]
    assert unmet(hem_same_day) == ["moten.uppstart_skola", "moten.uppstart_skola.deltagare"]


def test_an_incomplete_goal_or_timeline_entry_is_named_by_its_index() -> None:
    plan = Planuppgift(
        nulage=True,
        mal=(Malsuppgift(True, True), Malsuppgift(matt=False, maldatum=False)),
        ansvar=frozenset(Ansvarspart),
        planerade_insatser=(Tidsplanpost(IDAG, None),),
        uppfoljningsdatum=(IDAG,),
        uppfoljningsmetod=True,
    )
    assert [b.plats for b in plan_brister(plan)] == [
        "ansvarsplan.mal.1.matt",
        "ansvarsplan.mal.1.maldatum",
        "ansvarsplan.planerade_insatser.0",
    ]


def test_other_actors_responsibility_is_optional() -> None:
    plan = Planuppgift(
        **{
            **{name: getattr(HELA_PLANEN, name) for name in HELA_PLANEN.__slots__},
            "ansvar": frozenset(Ansvarspart) - {Ansvarspart.ovriga_aktorer},
        }
    )
    assert plan_brister(plan) == []


@pytest.mark.parametrize(
    ("bedomning", "expected"),
    [
        (GILTIGT, []),
        (
            Bedomning(SamtyckeStatus.aterkallat, frozenset(), (), False),
            ["Samtycket är återkallat."],
        ),
        (
            Bedomning(SamtyckeStatus.utgatt, frozenset(Part), (), False),
            ["Samtyckets giltighetstid har gått ut."],
        ),
        (
            Bedomning(SamtyckeStatus.giltigt, frozenset({Part.skola}), (), False),
            ["Samtycket omfattar inte socialtjanst."],
        ),
        (
            Bedomning(SamtyckeStatus.vantar_signatur, GILTIGT.parter, (), True),
            ["Ingen vårdnadshavare med vårdnad är registrerad."],
        ),
        (
            Bedomning(SamtyckeStatus.vantar_signatur, GILTIGT.parter, (ELEVEN,), False),
            ["Signatur saknas från eleven (elev)."],
        ),
        (
            Bedomning(SamtyckeStatus.vantar_signatur, GILTIGT.parter, (), False),
            ["Samtyckets giltighetstid har inte börjat."],
        ),
    ],
)
def test_the_consent_carries_the_case_only_in_force_and_naming_school_and_social_services(
    bedomning: Bedomning, expected: list[str]
) -> None:
    assert [b.meddelande for b in samtycke_brister(bedomning, plats="x")] == expected


# --- property: the gates agree with an oracle written another way ---------------------------

bedomningar = st.builds(
    Bedomning,
    status=st.sampled_from(SamtyckeStatus),
    parter=st.frozensets(st.sampled_from(Part)),
    saknade_signaturer=st.just(()),
    ingen_vardnadshavare=st.booleans(),
)
moten = st.lists(
    st.builds(
        Motesuppgift,
        typ=st.sampled_from(Motestyp),
        datum=st.dates(IDAG - timedelta(days=20), IDAG + timedelta(days=5)),
        har_minnesanteckningar=st.booleans(),
        kontaktperson_utsedd=st.booleans(),
    ),
    max_size=4,
)
planer = st.builds(
    Planuppgift,
    nulage=st.booleans(),
    mal=st.lists(st.builds(Malsuppgift, st.booleans(), st.booleans()), max_size=2).map(tuple),
    ansvar=st.frozensets(st.sampled_from(Ansvarspart)),
    planerade_insatser=st.lists(
        st.builds(Tidsplanpost, st.none() | st.just(IDAG), st.none() | st.just(IDAG)), max_size=2
    ).map(tuple),
    uppfoljningsdatum=st.lists(st.just(IDAG), max_size=1).map(tuple),
    uppfoljningsmetod=st.booleans(),
)
lagen = st.builds(
    Arendelage,
    fas=st.sampled_from(Fas),
    idag=st.just(IDAG),
    samtycke=bedomningar,
    komplettering_obesvarad=st.booleans(),
    moten=moten.map(tuple),
    kartlaggning_dokumenterad=st.booleans(),
    plan=planer,
    uppfoljning_sedan_genomforande=st.booleans(),
)
begaranden = st.builds(
    Fasbegaran,
    till=st.sampled_from(Fas),
    saknas=st.lists(st.just("x"), max_size=1).map(tuple),
    handlaggare=st.none() | st.builds(Handlaggarlage, *(st.booleans() for _ in range(4))),
    avslutsorsak=st.none() | st.sampled_from(Avslutsorsak),
    vidmakthallandeplan=st.booleans(),
)


def _consent_ok(b: Bedomning) -> bool:
    return (
        b.status is SamtyckeStatus.giltigt
        and not b.ingen_vardnadshavare
        and {Part.skola, Part.socialtjanst} <= b.parter
    )


def _held(lage: Arendelage, typ: Motestyp) -> list[Motesuppgift]:
    return [
        m
        for m in lage.moten
        if m.typ == typ and m.har_minnesanteckningar and not m.datum > lage.idag
    ]


def _plan_ok(plan: Planuppgift) -> bool:
    return (
        plan.nulage
        and bool(plan.mal)
        and all(m.matt and m.maldatum for m in plan.mal)
        and {Ansvarspart.elev_och_vardnadshavare, Ansvarspart.skola, Ansvarspart.skolsocialt_team}
        <= plan.ansvar
        and bool(plan.planerade_insatser)
        and all(p.start and p.slut for p in plan.planerade_insatser)
        and bool(plan.uppfoljningsdatum)
        and plan.uppfoljningsmetod
    )


def oracle(lage: Arendelage, begaran: Fasbegaran) -> bool:
    if (lage.fas, begaran.till) not in EDGES:
        return False
    till = begaran.till
    h = begaran.handlaggare
    if till is F.beredning:
        return _consent_ok(lage.samtycke) and not lage.komplettering_obesvarad
    if till is F.ansokan:
        return bool(begaran.saknas)
    if till is F.uppstart:
        return (
            _consent_ok(lage.samtycke)
            and h is not None
            and all((h.i_kommunen, h.aktiv, h.i_teamet, h.omfattas_av_samtycke))
        )
    if till is not F.avslutat and not _consent_ok(lage.samtycke):
        # Every step of the team's work needs the consent to carry the case still.
        return False
    if till is F.kartlaggning:
        skola = _held(lage, Motestyp.uppstart_skola)
        hem = _held(lage, Motestyp.uppstart_elev_vardnadshavare)
        return (
            any(m.kontaktperson_utsedd for m in skola)
            and bool(hem)
            and max(m.datum for m in hem) >= min(m.datum for m in skola)
        )
    if till is F.ansvarsplanering:
        return lage.kartlaggning_dokumenterad
    if till is F.genomforande:
        return _plan_ok(lage.plan)
    if till is F.uppfoljning:
        return lage.uppfoljning_sedan_genomforande
    orsak = begaran.avslutsorsak
    return (
        orsak is not None
        and lage.fas in CLOSURE_FROM[orsak]
        and begaran.vidmakthallandeplan == (orsak is not A.ej_beviljad)
    )


@given(lage=lagen, begaran=begaranden)
def test_a_change_is_allowed_exactly_when_the_oracle_says_so(
    lage: Arendelage, begaran: Fasbegaran
) -> None:
    assert (brister(lage, begaran) == []) == oracle(lage, begaran)
