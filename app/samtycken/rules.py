"""Consent status as a pure function of what has happened (DOMAIN.md: Consent; T 4.2, 7.1).

A consent is `giltigt` only while every guardian with custody (and the pupil, when required) has
signed, today lies within its period, and it has not been withdrawn. Withdrawal by any signer
ends it at once, wholly or for the parties named.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.samtycken.models import Part, Undertecknare


class SamtyckeStatus(StrEnum):
    vantar_signatur = "vantar_signatur"
    giltigt = "giltigt"
    utgatt = "utgatt"
    aterkallat = "aterkallat"


@dataclass(frozen=True, slots=True, order=True)
class Signerare:
    undertecknare: Undertecknare
    vardnadshavare_id: uuid.UUID | None = None

    @property
    def nyckel(self) -> str:
        return "elev" if self.vardnadshavare_id is None else str(self.vardnadshavare_id)


ELEVEN = Signerare(Undertecknare.elev)


def vardnadshavare(vardnadshavare_id: uuid.UUID) -> Signerare:
    return Signerare(Undertecknare.vardnadshavare, vardnadshavare_id)


@dataclass(frozen=True, slots=True)
class Underlag:
    """What the status rests on. `aterkallade_parter` None in the tuple means a whole withdrawal."""

    parter: frozenset[Part]
    giltig_fran: date
    giltig_till: date
    vardnadshavare_med_vardnad: frozenset[uuid.UUID]
    elevens_signatur_kravs: bool
    signerat_av: frozenset[Signerare]
    aterkallelser: tuple[frozenset[Part] | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Bedomning:
    status: SamtyckeStatus
    # The parties the consent still names after partial withdrawals.
    parter: frozenset[Part]
    saknade_signaturer: tuple[Signerare, ...]
    ingen_vardnadshavare: bool

    def tacker(self, *parter: Part) -> bool:
        """Whether the consent is in force for all the parties named."""
        return self.status is SamtyckeStatus.giltigt and set(parter) <= self.parter


def required_signers(underlag: Underlag) -> frozenset[Signerare]:
    required = {vardnadshavare(guardian) for guardian in underlag.vardnadshavare_med_vardnad}
    if underlag.elevens_signatur_kravs:
        required.add(ELEVEN)
    return frozenset(required)


def remaining_parties(
    parter: Iterable[Part], aterkallelser: Iterable[frozenset[Part] | None]
) -> frozenset[Part]:
    remaining = frozenset(parter)
    for withdrawn in aterkallelser:
        remaining = frozenset() if withdrawn is None else remaining - withdrawn
    return remaining


def bedom(underlag: Underlag, *, idag: date) -> Bedomning:
    parter = remaining_parties(underlag.parter, underlag.aterkallelser)
    missing = tuple(sorted(required_signers(underlag) - underlag.signerat_av))
    no_guardian = not underlag.vardnadshavare_med_vardnad
    if not parter:
        status = SamtyckeStatus.aterkallat
    elif idag > underlag.giltig_till:
        status = SamtyckeStatus.utgatt
    elif missing or no_guardian or idag < underlag.giltig_fran:
        # Not in force yet: a signature is missing or its period has not begun.
        status = SamtyckeStatus.vantar_signatur
    else:
        status = SamtyckeStatus.giltigt
    return Bedomning(
        status=status, parter=parter, saknade_signaturer=missing, ingen_vardnadshavare=no_guardian
    )
