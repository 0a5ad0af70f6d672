"""Deviation reports as pure rules: the status machine and what each step needs (S, the section
on avvikelserapportering; DOMAIN.md: Other records).

The statuses only move forward: a report sent to the BUS secretariat cannot be unsent, and a
response cannot be taken back. One step may be skipped: a report still `registrerad` may be closed
without going to BUS when it turns out to be solvable locally after all — S reports only problems
"som inte går att lösa på lokal nivå" or of principle — and then the closure says why.
"""

from dataclasses import dataclass
from datetime import date

from app.avvikelser.enums import Avvikelsestatus, Verksamhet

MINSTA_ANTAL_VERKSAMHETER = 2

NASTA: dict[Avvikelsestatus, frozenset[Avvikelsestatus]] = {
    Avvikelsestatus.registrerad: frozenset(
        {Avvikelsestatus.rapporterad_bus, Avvikelsestatus.avslutad}
    ),
    Avvikelsestatus.rapporterad_bus: frozenset({Avvikelsestatus.besvarad}),
    Avvikelsestatus.besvarad: frozenset({Avvikelsestatus.avslutad}),
    Avvikelsestatus.avslutad: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Fel:
    """One unmet requirement: where, and what is wrong, in Swedish."""

    plats: str
    meddelande: str

    def som_fel(self) -> dict[str, str]:
        return {"plats": self.plats, "meddelande": self.meddelande}


@dataclass(frozen=True, slots=True)
class Innehall:
    """What a report says: the agencies, the event's date and why it is reported."""

    rapporterande: Verksamhet
    berorda: frozenset[Verksamhet]
    datum: date
    kan_ej_losas_lokalt: bool
    principiell: bool


@dataclass(frozen=True, slots=True)
class Lage:
    """The report's status and the dates it has reached so far."""

    status: Avvikelsestatus
    datum: date
    rapporterad_bus: date | None = None
    besvarad: date | None = None


@dataclass(frozen=True, slots=True)
class Steg:
    """A requested status change and what the request brings for it."""

    till: Avvikelsestatus
    datum: date
    svar: bool = False
    avslutskommentar: bool = False


def innehall_fel(innehall: Innehall, *, idag: date) -> list[Fel]:
    """What a report must hold (S): it concerns two or more agencies, the reporting one among
    them, and it cannot be solved locally or is a matter of principle."""
    found = []
    if len(innehall.berorda) < MINSTA_ANTAL_VERKSAMHETER:
        found.append(
            Fel("body.berorda_verksamheter", "En avvikelse berör två eller flera verksamheter.")
        )
    if innehall.rapporterande not in innehall.berorda:
        found.append(
            Fel("body.berorda_verksamheter", "Den rapporterande verksamheten är en av de berörda.")
        )
    if not (innehall.kan_ej_losas_lokalt or innehall.principiell):
        found.append(
            Fel(
                "body.kan_ej_losas_lokalt",
                "Rapportera samverkansproblem som inte går att lösa lokalt eller som är av "
                "principiell natur.",
            )
        )
    if innehall.datum > idag:
        found.append(Fel("body.datum", "Datumet ligger i framtiden."))
    return found


def tillatna(fran: Avvikelsestatus) -> frozenset[Avvikelsestatus]:
    return NASTA[fran]


def _senaste_datum(lage: Lage) -> date:
    return max(d for d in (lage.datum, lage.rapporterad_bus, lage.besvarad) if d is not None)


def steg_fel(lage: Lage, steg: Steg, *, idag: date) -> list[Fel]:
    """Everything that stops the step: a status it cannot reach from here, a missing response or
    closing note, or a date before the previous one or in the future."""
    if steg.till not in tillatna(lage.status):
        names = ", ".join(sorted(tillatna(lage.status))) or "inga"
        return [
            Fel(
                "body.status",
                f"Från {lage.status} kan avvikelsen gå till: {names}.",
            )
        ]
    found = []
    if steg.till is Avvikelsestatus.besvarad and not steg.svar:
        found.append(Fel("body.svar", "Svaret från BUS-sekretariatet anges när det kommit."))
    needs_note = lage.status is Avvikelsestatus.registrerad
    if steg.till is Avvikelsestatus.avslutad and needs_note and not steg.avslutskommentar:
        found.append(
            Fel(
                "body.avslutskommentar",
                "En avvikelse som avslutas utan att ha rapporterats till BUS behöver en "
                "kommentar om varför, t.ex. att den löstes lokalt.",
            )
        )
    if steg.datum > idag:
        found.append(Fel("body.status_datum", "Datumet ligger i framtiden."))
    elif steg.datum < _senaste_datum(lage):
        found.append(
            Fel("body.status_datum", f"Ligger före föregående datum ({_senaste_datum(lage)}).")
        )
    return found
