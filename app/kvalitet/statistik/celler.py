"""From counted rows to the values a caller may see: every school's and the kommun's cells, the
sums they take part in, and the suppression of undertryckning.py run over them.

The kommun-wide run decides every school's cells, whoever asks, so that a school's figure is the
same for its principal and for the steering group and no pair of answers can be subtracted into a
withheld value. A principal with several schools gets their sum as one more cell, suppressed in a
second run that leaves the schools' cells as decided.
"""

import uuid
from collections.abc import Collection, Iterable

from app.arenden.enums import Avslutsorsak
from app.kvalitet.figurer import FIGURDEF, Figur, Periodgrupp
from app.kvalitet.statistik.repository import Raknat
from app.kvalitet.statistik.undertryckning import Cell, Samband, undertryck

Nyckel = tuple[str, str, str]
KOMMUN = "kommun"
OMFANG = "omfang"


def grupper(figurer: Collection[Figur]) -> list[tuple[str, str]]:
    return [(str(figur), grupp) for figur in figurer for grupp in FIGURDEF[figur].grupper]


def _tomma(platser: Iterable[str], figurgrupper: list[tuple[str, str]]) -> dict[Nyckel, Cell]:
    return {(plats, f, g): Cell(0, 0) for plats in platser for f, g in figurgrupper}


def _fyll(celler: dict[Nyckel, Cell], rader: Iterable[Raknat], plats_av: str | None) -> None:
    for rad in rader:
        plats = plats_av or str(rad.skola_id)
        key = (plats, rad.figur, rad.grupp)
        if key in celler:
            celler[key] = Cell(rad.antal, rad.elever)


def _inom(plats: str, figurer: Collection[Figur]) -> list[Samband[Nyckel]]:
    """Sums within one place: the closure reasons add up to the cases closed and rejected."""
    if not {Figur.arenden_i_perioden, Figur.avslutsorsaker} <= set(figurer):
        return []
    period, orsak = str(Figur.arenden_i_perioden), str(Figur.avslutsorsaker)
    ovriga = tuple(
        (plats, orsak, str(o)) for o in Avslutsorsak if o is not Avslutsorsak.ej_beviljad
    )
    return [
        Samband((plats, period, str(Periodgrupp.avslutade)), ovriga),
        Samband(
            (plats, period, str(Periodgrupp.avslagna)),
            ((plats, orsak, str(Avslutsorsak.ej_beviljad)),),
        ),
    ]


def _over(
    summa: str, delar: list[str], figurgrupper: list[tuple[str, str]]
) -> list[Samband[Nyckel]]:
    return [
        Samband((summa, f, g), tuple((plats, f, g) for plats in delar)) for f, g in figurgrupper
    ]


def synliga(
    *,
    figurer: Collection[Figur],
    skolor: list[uuid.UUID],
    per_skola: Iterable[Raknat],
    i_kommunen: Iterable[Raknat],
    omfang: frozenset[uuid.UUID] | None,
    i_omfanget: Iterable[Raknat] = (),
) -> dict[tuple[str, str], int | None]:
    """The count per (figur, grupp) for the scope asked for — the kommun (None), one school or a
    principal's schools — or None where it is withheld."""
    figurgrupper = grupper(figurer)
    platser = [str(skola) for skola in skolor]
    celler = _tomma([KOMMUN, *platser], figurgrupper)
    _fyll(celler, per_skola, None)
    _fyll(celler, i_kommunen, KOMMUN)
    samband = _over(KOMMUN, platser, figurgrupper)
    for plats in (KOMMUN, *platser):
        samband += _inom(plats, figurer)
    dolda = undertryck(celler, samband)
    if omfang is None or len(omfang) == 1:
        plats = KOMMUN if omfang is None else str(next(iter(omfang)))
    else:
        egna = [str(skola) for skola in sorted(omfang) if str(skola) in platser]
        fasta = {(p, f, g): (p, f, g) in dolda for p in egna for f, g in figurgrupper}
        celler = {**_tomma([OMFANG], figurgrupper), **{k: celler[k] for k in fasta}}
        _fyll(celler, i_omfanget, OMFANG)
        samband = _over(OMFANG, egna, figurgrupper) + _inom(OMFANG, figurer)
        dolda = undertryck(celler, samband, fasta=fasta)
        plats = OMFANG
    return {(f, g): _synlig(celler, dolda, (plats, f, g)) for f, g in figurgrupper}


def _synlig(celler: dict[Nyckel, Cell], dolda: frozenset[Nyckel], key: Nyckel) -> int | None:
    cell = celler.get(key)
    return None if cell is None or key in dolda else cell.antal
