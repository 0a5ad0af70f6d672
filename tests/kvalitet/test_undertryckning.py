"""Suppression as a pure function: below five pupils withheld, and no withheld value left alone
in a published sum; and the cells of schools, the kommun and a principal's schools."""

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from app.kvalitet.figurer import Figur
from app.kvalitet.statistik.celler import synliga
from app.kvalitet.statistik.repository import Raknat
from app.kvalitet.statistik.undertryckning import Cell, Samband, undertryck

TOTAL = "kommun"


def test_four_pupils_are_withheld_five_shown_and_zero_withheld() -> None:
    celler = {"fyra": Cell(9, 4), "fem": Cell(5, 5), "noll": Cell(0, 0)}
    assert undertryck(celler, []) == {"fyra", "noll"}


def test_one_withheld_part_of_a_shown_sum_takes_the_smallest_other_part_with_it() -> None:
    celler = {TOTAL: Cell(23, 23), "a": Cell(3, 3), "b": Cell(12, 12), "c": Cell(8, 8)}
    assert undertryck(celler, [Samband(TOTAL, ("a", "b", "c"))]) == {"a", "c"}


def test_a_single_part_equal_to_its_sum_is_withheld_with_it() -> None:
    celler = {"avslagna": Cell(7, 7), "ej_beviljad": Cell(7, 7)}
    fasta = {"ej_beviljad": True}
    assert undertryck(celler, [Samband("avslagna", ("ej_beviljad",))], fasta=fasta) == {
        "avslagna",
        "ej_beviljad",
    }


def test_fixed_parts_are_never_changed_so_the_sum_is_withheld_instead() -> None:
    celler = {"omfang": Cell(40, 40), "a": Cell(4, 4), "b": Cell(36, 36)}
    fasta = {"a": True, "b": False}
    assert undertryck(celler, [Samband("omfang", ("a", "b"))], fasta=fasta) == {"a", "omfang"}


def test_suppression_spreads_through_sums_that_share_a_value() -> None:
    celler = {
        "k": Cell(20, 20),
        "x": Cell(2, 2),
        "y": Cell(18, 18),
        "y_total": Cell(30, 30),
        "z": Cell(12, 12),
    }
    samband = [Samband("k", ("x", "y")), Samband("y_total", ("y", "z"))]
    assert undertryck(celler, samband) == {"x", "y", "z"}


@st.composite
def _tables(draw: st.DrawFn) -> tuple[dict[str, Cell], list[Samband[str]]]:
    """Schools × groups of counts with the kommun's total per group and each school's total."""
    schools = draw(st.integers(min_value=1, max_value=5))
    groups = draw(st.integers(min_value=1, max_value=4))
    celler: dict[str, Cell] = {}
    samband: list[Samband[str]] = []
    for g in range(groups):
        parts = []
        for s in range(schools):
            antal = draw(st.integers(min_value=0, max_value=12))
            celler[f"s{s}g{g}"] = Cell(antal, antal)
            parts.append(f"s{s}g{g}")
        total = sum(celler[p].antal for p in parts)
        celler[f"kg{g}"] = Cell(total, total)
        samband.append(Samband(f"kg{g}", tuple(parts)))
    for s in range(schools):
        parts = [f"s{s}g{g}" for g in range(groups)]
        total = sum(celler[p].antal for p in parts)
        celler[f"s{s}"] = Cell(total, total)
        samband.append(Samband(f"s{s}", tuple(parts)))
    return celler, samband


@settings(max_examples=300, deadline=None)
@given(_tables())
def test_no_withheld_value_can_be_worked_out_from_a_single_sum(
    table: tuple[dict[str, Cell], list[Samband[str]]],
) -> None:
    celler, samband = table
    dolda = undertryck(celler, samband)

    assert {k for k, cell in celler.items() if cell.elever < 5} <= dolda
    for relation in samband:
        unknown = [k for k in (relation.summa, *relation.delar) if k in dolda]
        assert len(unknown) != 1, (relation, unknown)


SKOLOR = [uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)]
ORO = str(Figur.orosanmalningar)


def _oro(skola: uuid.UUID | None, antal: int) -> Raknat:
    return Raknat(ORO, "antal", skola, antal, antal)


def test_a_principals_schools_are_summed_unless_the_sum_would_give_away_a_withheld_school() -> None:
    per_skola = [_oro(SKOLOR[0], 3), _oro(SKOLOR[1], 9), _oro(SKOLOR[2], 8)]
    i_kommunen = [_oro(None, 20)]

    def oro(omfang: frozenset[uuid.UUID] | None, i_omfanget: list[Raknat]) -> int | None:
        return synliga(
            figurer={Figur.orosanmalningar},
            skolor=SKOLOR,
            per_skola=per_skola,
            i_kommunen=i_kommunen,
            omfang=omfang,
            i_omfanget=i_omfanget,
        )[(ORO, "antal")]

    assert oro(None, []) == 20
    # 3 is withheld, so the smallest other school (8) is too: 20 − 9 would give 11, not 3 or 8.
    assert [oro(frozenset({s}), []) for s in SKOLOR] == [None, 9, None]
    # With 9 shown, 12 or 17 would give away 3 or 8; 3 + 8 gives away neither.
    assert oro(frozenset(SKOLOR[:2]), [_oro(None, 12)]) is None
    assert oro(frozenset(SKOLOR[1:]), [_oro(None, 17)]) is None
    assert oro(frozenset({SKOLOR[0], SKOLOR[2]}), [_oro(None, 11)]) == 11


def test_a_school_outside_the_kommun_is_never_shown_a_count() -> None:
    values = synliga(
        figurer={Figur.orosanmalningar},
        skolor=SKOLOR[:1],
        per_skola=[_oro(SKOLOR[0], 30)],
        i_kommunen=[_oro(None, 30)],
        omfang=frozenset({uuid.UUID(int=99)}),
    )
    assert values[(ORO, "antal")] is None
