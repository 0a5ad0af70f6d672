"""Cases, interventions, follow-ups, reports and deviations written straight to the test's
database, so that every date is the test's to choose: the statistics count by dates in the past,
which the API (rightly) does not let anyone set."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.anvandare.models import Anvandare
from app.arenden.enums import Ansvarspart, Avslutsorsak, Fas, Insatsstatus, Insatstyp
from app.arenden.models import Arende, ArendeFas, Insats, Uppfoljning
from app.auth.roles import Organisation, Roll
from app.avvikelser.enums import Avvikelsestatus, Verksamhet
from app.avvikelser.models import Avvikelse, AvvikelseVerksamhet
from app.orosanmalningar.models import Orosanmalan
from app.samtycken.models import Samtycke
from app.skolor.models import Skola
from tests.factories import elev_i_databasen, skola_id

STATISTIK = "/api/v1/kvalitetsuppfoljning/statistik"
AR_2025 = {"fran": "2025-01-01", "till": "2025-12-31"}
MIDDAG = time(12, 0, tzinfo=UTC)


def kl12(dag: date) -> datetime:
    """Noon UTC: the same date in Europe/Stockholm whatever the season."""
    return datetime.combine(dag, MIDDAG)


@dataclass
class Bygge:
    db: Session

    def anvandare(self, anvandarnamn: str) -> Anvandare:
        return self.db.scalars(
            select(Anvandare).where(Anvandare.anvandarnamn == anvandarnamn)
        ).one()

    def elev(self, skolenhetskod: str) -> uuid.UUID:
        return uuid.UUID(elev_i_databasen(self.db, skolenhetskod)["id"])

    def _samtycke(self, elev_id: uuid.UUID, kommun_id: uuid.UUID, start: date) -> uuid.UUID:
        samtycke = Samtycke(
            kommun_id=kommun_id,
            elev_id=elev_id,
            parter=["skola", "socialtjanst"],
            syfte="Samverkan kring elevens närvaro",
            omfattning="Närvaro och insatser",
            giltig_fran=start,
            giltig_till=start + timedelta(days=730),
            elevens_signatur_kravs=False,
            registrerad_av=self.anvandare("kurator").id,
        )
        self.db.add(samtycke)
        self.db.flush()
        return samtycke.id

    def _nytt_arende(
        self, elev_id: uuid.UUID, skola: Skola, faser: Sequence[tuple[Fas, date]]
    ) -> Arende:
        sista_fas, sista_dag = faser[-1]
        return Arende(
            kommun_id=skola.kommun_id,
            elev_id=elev_id,
            ansokande_skola_id=skola.id,
            ansokt_av=self.anvandare("kurator").id,
            fas=sista_fas,
            orsak="Frånvaro",
            insatser_organisationsniva="Närvaroteam",
            insatser_gruppniva="Gruppindelning",
            insatser_individniva="Samtal",
            franvaro_beskrivning="En fjärdedel av lektionerna",
            samtycke_id=self._samtycke(elev_id, skola.kommun_id, faser[0][1]),
            avslutat=kl12(sista_dag) if sista_fas is Fas.avslutat else None,
            moten=[],
        )

    def arende(
        self,
        elev_id: uuid.UUID,
        skolenhetskod: str,
        faser: Sequence[tuple[Fas, date]],
        *,
        avslutsorsak: Avslutsorsak | None = None,
    ) -> Arende:
        """A case that went through the phases on the dates given (the first is the
        application); closed with the reason if the last phase is `avslutat`."""
        skola = self.db.get(Skola, skola_id(self.db, skolenhetskod))
        assert skola is not None
        arende = self._nytt_arende(elev_id, skola, faser)
        arende.avslutsorsak = avslutsorsak
        self.db.add(arende)
        self.db.flush()
        fran: Fas | None = None
        for fas, dag in faser:
            self.db.add(
                ArendeFas(
                    arende_id=arende.id,
                    fran=fran,
                    till=fas,
                    tidpunkt=kl12(dag),
                    utford_av=self.anvandare("team-skola").id,
                )
            )
            fran = fas
        self.db.flush()
        return arende

    def insats(
        self,
        arende: Arende,
        typ: Insatstyp,
        start: date,
        slut: date | None,
        status: Insatsstatus = Insatsstatus.avslutad,
    ) -> None:
        self.db.add(
            Insats(
                arende_id=arende.id,
                insatstyp=typ,
                ansvarig=Ansvarspart.skolsocialt_team,
                startdatum=start,
                slutdatum=slut,
                status=status,
                skapad_av=self.anvandare("team-skola").id,
            )
        )
        self.db.flush()

    def uppfoljning(self, arende: Arende, datum: date, resultat: dict[str, str]) -> None:
        """A held follow-up evaluating the goals named by id."""
        self.db.add(
            Uppfoljning(
                arende_id=arende.id,
                datum=datum,
                period_fran=datum - timedelta(days=28),
                plan_version=1,
                resultat=[
                    {"mal_id": mal_id, "beskrivning": "Mål", "resultat": utfall, "kommentar": None}
                    for mal_id, utfall in resultat.items()
                ],
                skapad=kl12(datum),
                skapad_av=self.anvandare("team-skola").id,
            )
        )
        self.db.flush()

    def orosanmalan(self, elev_id: uuid.UUID, skolenhetskod: str, datum: date) -> None:
        kurator = self.anvandare("kurator")
        self.db.add(
            Orosanmalan(
                kommun_id=kurator.kommun_id,
                elev_id=elev_id,
                skola_id=skola_id(self.db, skolenhetskod),
                anmald_av=kurator.id,
                anmalare_roll=Roll.elevhalsa,
                anmalare_organisation=Organisation.skola,
                datum=datum,
                mottagande_socialtjanst="Socialtjänstens mottagning",
                oro="Oro för hemsituationen.",
                registrerad=kl12(datum),
            )
        )
        self.db.flush()

    def avvikelse(self, skolenhetskod: str | None, datum: date, status: Avvikelsestatus) -> None:
        kurator = self.anvandare("kurator")
        self.db.add(
            Avvikelse(
                kommun_id=kurator.kommun_id,
                skola_id=None if skolenhetskod is None else skola_id(self.db, skolenhetskod),
                rapporterad_av=kurator.id,
                rapporterande_verksamhet=Verksamhet.skola,
                datum=datum,
                beskrivning="Remissen till BUP besvarades inte.",
                kan_ej_losas_lokalt=True,
                principiell=False,
                status=status,
                berorda=[
                    AvvikelseVerksamhet(verksamhet=Verksamhet.skola),
                    AvvikelseVerksamhet(verksamhet=Verksamhet.bup),
                ],
            )
        )
        self.db.flush()


def tidslinje(start: date, *, beredning: int, genomforande: int) -> list[tuple[Fas, date]]:
    """A full case from application to closure: one day in every phase but beredning and
    genomforande, so that application to closure is beredning + genomforande + 5 days."""
    dagar = [
        (Fas.ansokan, 1),
        (Fas.beredning, beredning),
        (Fas.uppstart, 1),
        (Fas.kartlaggning, 1),
        (Fas.ansvarsplanering, 1),
        (Fas.genomforande, genomforande),
        (Fas.uppfoljning, 1),
    ]
    found, dag = [], start
    for fas, langd in dagar:
        found.append((fas, dag))
        dag += timedelta(days=langd)
    found.append((Fas.avslutat, dag))
    return found


def varden(svar: dict[str, Any], figur: str) -> dict[tuple[str, str], object]:
    """A figure of the JSON answer as {(grupp, matt): varde}."""
    block = svar[figur]
    assert isinstance(block, dict)
    return {(v["grupp"], v["matt"]): v["varde"] for v in block["varden"]}
