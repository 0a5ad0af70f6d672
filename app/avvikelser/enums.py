"""The vocabulary of a deviation report about collaboration between agencies (S, the section on
avvikelserapportering)."""

from enum import StrEnum


class Verksamhet(StrEnum):
    """The agencies a deviation can concern: "skola, socialtjänst, barnpsykiatri, barnmedicin samt
    habilitering" (S), and any other."""

    skola = "skola"
    socialtjanst = "socialtjanst"
    bup = "bup"
    barnmedicin = "barnmedicin"
    habilitering = "habilitering"
    annan = "annan"


class Avvikelsestatus(StrEnum):
    """From registration, through the report to the regional BUS secretariat and its response, to
    closure."""

    registrerad = "registrerad"
    rapporterad_bus = "rapporterad_bus"
    besvarad = "besvarad"
    avslutad = "avslutad"
