"""A small hand-built kommun whose statistics for the year 2025 are known.

Ekbacken (E): six closed cases — application to closure 30, 40, 50, 60, 70 and 200 days, of which
1–6 days in beredning; five closed as behov_upphort, one (the 200-day case) as flyttar.
Åsen (A): five closed cases — 35, 45, 55, 65 and 75 days, 7–11 days in beredning, all
behov_upphort — and five open cases in genomforande, applied for in 2024.
Every phase but beredning and genomforande lasts one day. Each closed case had one
motiverande_samtal, and its goal was evaluated ej_uppnatt and later uppnatt. The open cases have
a planned krissamtal, a pedagogisk_handledning that ended in 2024 and an evaluation in 2024.
Five reports of concern at E in 2025 and one in 2024; three deviations at E and one for the
whole kommun in 2025, one at E in 2024.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from app.arenden.enums import Avslutsorsak, Fas, Insatsstatus, Insatstyp
from app.avvikelser.enums import Avvikelsestatus
from tests.factories import ASEN, EKBACKEN
from tests.kvalitet.data import Bygge, tidslinje

E_TOTAL = (30, 40, 50, 60, 70, 200)
A_TOTAL = (35, 45, 55, 65, 75)
OPPEN = [
    (Fas.ansokan, date(2024, 11, 1)),
    (Fas.beredning, date(2024, 11, 2)),
    (Fas.uppstart, date(2024, 11, 5)),
    (Fas.kartlaggning, date(2024, 11, 10)),
    (Fas.ansvarsplanering, date(2024, 11, 20)),
    (Fas.genomforande, date(2024, 12, 1)),
]


def _avslutade(bygge: Bygge, skola: str, totals: tuple[int, ...], forsta_beredning: int) -> None:
    for index, total in enumerate(totals):
        beredning = forsta_beredning + index
        start = date(2025, 2, 1) + timedelta(days=3 * index)
        orsak = Avslutsorsak.flyttar if total == 200 else Avslutsorsak.behov_upphort
        elev = bygge.elev(skola)
        arende = bygge.arende(
            elev,
            skola,
            tidslinje(start, beredning=beredning, genomforande=total - beredning - 5),
            avslutsorsak=orsak,
        )
        bygge.insats(arende, Insatstyp.motiverande_samtal, start + timedelta(days=5), None)
        bygge.uppfoljning(arende, start + timedelta(days=10), {"m1": "ej_uppnatt"})
        bygge.uppfoljning(arende, start + timedelta(days=25), {"m1": "uppnatt"})
        if skola == EKBACKEN and total != 200:
            bygge.orosanmalan(elev, skola, start + timedelta(days=7))


def _oppna(bygge: Bygge) -> None:
    for _ in range(5):
        arende = bygge.arende(bygge.elev(ASEN), ASEN, OPPEN)
        bygge.insats(
            arende, Insatstyp.krissamtal, date(2025, 3, 1), None, status=Insatsstatus.planerad
        )
        bygge.insats(
            arende, Insatstyp.pedagogisk_handledning, date(2024, 11, 20), date(2024, 12, 15)
        )
        bygge.uppfoljning(arende, date(2024, 12, 15), {"m1": "ej_uppnatt"})


@pytest.fixture
def kommunen(db: Session) -> Bygge:
    bygge = Bygge(db)
    _avslutade(bygge, EKBACKEN, E_TOTAL, 1)
    _avslutade(bygge, ASEN, A_TOTAL, 7)
    _oppna(bygge)
    bygge.orosanmalan(bygge.elev(EKBACKEN), EKBACKEN, date(2024, 12, 1))
    for _ in range(3):
        bygge.avvikelse(EKBACKEN, date(2025, 5, 1), Avvikelsestatus.registrerad)
    bygge.avvikelse(None, date(2025, 6, 1), Avvikelsestatus.avslutad)
    bygge.avvikelse(EKBACKEN, date(2024, 6, 1), Avvikelsestatus.registrerad)
    return bygge
