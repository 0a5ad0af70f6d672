"""Swedish identity numbers: validated with the `personnummer` library, stored as 12 digits.

Accepted input: 10 or 12 digits, with or without `-`; `+` marks someone aged 100 or more in the
10-digit form. Samordningsnummer (day + 60) are accepted and flagged. A "tillfälligt
personnummer" from a school information system (SS 12000: two letters after the date, e.g.
`20130101TF01`) has no check digit to trust; only source-system imports accept it, flagged.
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from personnummer import personnummer

_ALLOWED = re.compile(r"^(\d{6}|\d{8})[-+]?\d{4}$", re.ASCII)
_TEMPORARY = re.compile(r"^(\d{8})[-]?([A-Za-z]{2}\d{2})$", re.ASCII)


class IdentitetsTyp(StrEnum):
    personnummer = "personnummer"
    samordningsnummer = "samordningsnummer"
    tillfalligt = "tillfalligt"


@dataclass(frozen=True, slots=True)
class Identitet:
    nummer: str
    typ: IdentitetsTyp


class OgiltigtPersonnummer(ValueError):
    """The message says what is wrong, in Swedish, without repeating the number."""


def parse(value: str, *, idag: date) -> Identitet:
    """A personnummer or samordningsnummer in its canonical 12-digit form."""
    text = value.strip()
    if not _ALLOWED.match(text):
        raise OgiltigtPersonnummer(
            "Ska vara 10 eller 12 siffror, ev. med - eller + före de fyra sista."
        )
    try:
        parsed = personnummer.parse(text)
    except personnummer.PersonnummerException as exc:
        raise OgiltigtPersonnummer(
            "Kontrollsiffran stämmer inte eller datumet finns inte."
        ) from exc
    if parsed.get_date() > idag:
        raise OgiltigtPersonnummer("Födelsedatumet ligger i framtiden.")
    typ = (
        IdentitetsTyp.samordningsnummer
        if parsed.is_coordination_number()
        else IdentitetsTyp.personnummer
    )
    return Identitet(nummer=parsed.format(long_format=True), typ=typ)


def parse_from_source(value: str, *, idag: date) -> Identitet:
    """As `parse`, but a source system's temporary number (`20130101TF01`) is accepted too."""
    temporary = _TEMPORARY.match(value.strip())
    if temporary is None:
        return parse(value, idag=idag)
    birth, suffix = temporary.groups()
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError as exc:
        raise OgiltigtPersonnummer("Datumet i det tillfälliga numret finns inte.") from exc
    if born > idag:
        raise OgiltigtPersonnummer("Födelsedatumet ligger i framtiden.")
    return Identitet(nummer=f"{birth}{suffix.upper()}", typ=IdentitetsTyp.tillfalligt)


def typ_av(nummer: str) -> IdentitetsTyp:
    """The kind of a stored (canonical) number."""
    if not nummer.isdigit():
        return IdentitetsTyp.tillfalligt
    return IdentitetsTyp.samordningsnummer if int(nummer[6:8]) > 60 else IdentitetsTyp.personnummer
