"""Where the case meets absence data: the application's absence summary and a follow-up's
absence share, computed from the stored records (the share = absent minutes ÷ scheduled minutes
over the period). Without records for the period, the application shows what the school wrote
(T 7.1: "aktuell frånvaro") and a follow-up has no computed share: nothing is guessed.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Date, Integer, Uuid, and_, column, func, select, values
from sqlalchemy.orm import Session

from app.arenden.models import Arende
from app.core.time import SKOLTID
from app.franvaro.models import Franvaropost
from app.franvaro.rules import Fonster, Minuter, procent


class Franvarokalla(StrEnum):
    skolans_uppgift = "skolans_uppgift"
    franvarodata = "franvarodata"


@dataclass(frozen=True, slots=True)
class Franvarosammanfattning:
    kalla: Franvarokalla
    beskrivning: str
    andel_procent: float | None
    period_fran: date | None
    period_till: date | None


def _summor(session: Session, perioder: Sequence[tuple[uuid.UUID, date, date]]) -> list[Minuter]:
    """The pupil's sums over each (pupil, from, to), in one query whatever their number."""
    if not perioder:
        return []
    # A VALUES list as a CTE: SQLite names such a list's columns only there.
    wanted = (
        values(
            column("n", Integer),
            column("elev_id", Uuid()),
            column("fran", Date()),
            column("till", Date()),
            name="perioder",
        )
        .data([(n, *period) for n, period in enumerate(perioder)])
        .cte("perioder")
    )
    rows = session.execute(
        select(
            wanted.c.n,
            func.sum(Franvaropost.schemalagd),
            func.sum(Franvaropost.giltig),
            func.sum(Franvaropost.ogiltig),
        )
        .select_from(wanted)
        .join(
            Franvaropost,
            and_(
                Franvaropost.elev_id == wanted.c.elev_id,
                Franvaropost.datum >= wanted.c.fran,
                Franvaropost.datum <= wanted.c.till,
            ),
        )
        .group_by(wanted.c.n)
    )
    found = {n: Minuter(int(s), int(g), int(o)) for n, s, g, o in rows}
    return [found.get(n, Minuter()) for n in range(len(perioder))]


def _ansokans_period(arende: Arende) -> tuple[date, date]:
    """The period the school named, or else the eight weeks up to the application."""
    ansokt = arende.skapad.astimezone(SKOLTID).date()
    till = arende.franvaro_till or ansokt
    return arende.franvaro_fran or Fonster.per(till).a_fran, till


def sammanfattningar_for_ansokan(
    session: Session, arenden: Sequence[Arende]
) -> list[Franvarosammanfattning]:
    """The pupils' absence as the applications show it (T 7.1), computed over each period, with
    the school's text kept; for many cases in one query."""
    perioder = [_ansokans_period(arende) for arende in arenden]
    summor = _summor(
        session,
        [
            (arende.elev_id, fran, till)
            for arende, (fran, till) in zip(arenden, perioder, strict=True)
        ],
    )
    return [
        _sammanfattning(arende, fran, till, summa)
        for arende, (fran, till), summa in zip(arenden, perioder, summor, strict=True)
    ]


def _sammanfattning(
    arende: Arende, fran: date, till: date, summa: Minuter
) -> Franvarosammanfattning:
    if summa.schemalagd <= 0:
        return Franvarosammanfattning(
            kalla=Franvarokalla.skolans_uppgift,
            beskrivning=arende.franvaro_beskrivning,
            andel_procent=arende.franvaro_procent,
            period_fran=arende.franvaro_fran,
            period_till=arende.franvaro_till,
        )
    return Franvarosammanfattning(
        kalla=Franvarokalla.franvarodata,
        beskrivning=arende.franvaro_beskrivning,
        andel_procent=procent(summa.franvaro, summa.schemalagd),
        period_fran=fran,
        period_till=till,
    )


def andel_for_period(
    session: Session, *, elev_id: uuid.UUID, fran: date, till: date
) -> float | None:
    """The pupil's absence share in percent over the period a follow-up looks back on (T 7.7);
    None without scheduled time in it."""
    [summa] = _summor(session, [(elev_id, fran, till)])
    return procent(summa.franvaro, summa.schemalagd)
