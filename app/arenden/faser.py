"""Phase changes of a case through the gates of rules.py, and the phase history (T 7).

Who moves a case: the skolsocialt team takes up an application, asks for completion, approves
or rejects it and leads it through the phases (T 7.2–7.8); the school, whose application it is,
may close it when the pupil and guardians decline (`tackar_nej`, T 6). Every gate is checked
before anything changes: a refused change leaves the case exactly as it was.
"""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.anvandare import repository as anvandare_repository
from app.arenden import fakta, repository
from app.arenden.enums import Avslutsorsak, Fas
from app.arenden.lage import Fasbegaran, Handlaggarlage
from app.arenden.models import Arende, ArendeFas
from app.arenden.rules import brister, tillatna_mal
from app.arenden.schemas import FasbyteCreate
from app.arenden.service import SynligtArende, audit, is_school
from app.arenden.timing import dagar, ledtid, tid_per_fas
from app.arenden.vy import Fashistorik
from app.audit.chain import Atgard
from app.auth.principal import Principal
from app.core.errors import Forbidden, GateNotMet
from app.core.time import today, utcnow
from app.samtycken.rules import Bedomning

RESURS = "arende_fas"


def _ensure_may(principal: Principal, data: FasbyteCreate) -> None:
    if not is_school(principal):
        return
    if data.till is not Fas.avslutat or data.avslutsorsak is not Avslutsorsak.tackar_nej:
        raise Forbidden(
            "Skolan kan avsluta ärendet när elev och vårdnadshavare tackar nej; övriga "
            "fasbyten gör det skolsociala teamet."
        )


def _begaran(
    session: Session, principal: Principal, data: FasbyteCreate, samtycke: Bedomning
) -> Fasbegaran:
    handlaggare: Handlaggarlage | None = None
    if data.handlaggare_id is not None:
        handlaggare = fakta.handlaggarlage(
            session,
            kommun_id=principal.kommun_id,
            anvandare_id=data.handlaggare_id,
            bedomning=samtycke,
        )
    return Fasbegaran(
        till=data.till,
        saknas=tuple(data.saknas or ()),
        handlaggare=handlaggare,
        avslutsorsak=data.avslutsorsak,
        vidmakthallandeplan=data.vidmakthallandeplan is not None,
    )


def _apply(arende: Arende, data: FasbyteCreate, *, now: datetime) -> dict[str, Any] | None:
    """Sets what the new phase brings; returns what the history row records of it."""
    if data.till is Fas.ansokan:
        arende.komplettering_saknas = list(data.saknas or ())
        arende.komplettering_begard, arende.komplettering_besvarad = now, None
        return {"saknas": arende.komplettering_saknas}
    if data.till is Fas.uppstart:
        arende.handlaggare_id = data.handlaggare_id
        arende.beviljat = today()
        return {"handlaggare_id": str(data.handlaggare_id)}
    if data.till is Fas.avslutat:
        plan = data.vidmakthallandeplan
        arende.avslutsorsak, arende.avslutat = data.avslutsorsak, now
        arende.vidmakthallande_plan = None if plan is None else plan.beskrivning
        arende.vidmakthallande_ansvar = None if plan is None else plan.ansvar
        arende.vidmakthallande_uppfoljning = None if plan is None else plan.uppfoljningsdatum
        return {"avslutsorsak": str(data.avslutsorsak)}
    return None


def change_phase(
    session: Session, principal: Principal, synligt: SynligtArende, data: FasbyteCreate
) -> ArendeFas:
    """Moves the case when every gate holds; otherwise 409 listing every unmet gate."""
    _ensure_may(principal, data)
    arende = synligt.arende
    lage = fakta.arendelage(session, arende, idag=today())
    found = brister(lage, _begaran(session, principal, data, lage.samtycke))
    if found:
        raise GateNotMet(
            f"Ärendet kan inte gå från {arende.fas} till {data.till}.",
            errors=[brist.som_fel() for brist in found],
        )
    now = utcnow()
    fran = arende.fas
    uppgifter = _apply(arende, data, now=now)
    arende.fas = data.till
    row = ArendeFas(
        arende_id=arende.id,
        fran=fran,
        till=data.till,
        tidpunkt=now,
        utford_av=principal.id,
        kommentar=data.kommentar,
        uppgifter=uppgifter,
    )
    session.add(row)
    session.flush()
    audit(session, synligt, Atgard.create, resurs_typ=RESURS, resurs_id=row.id)
    return row


def history(session: Session, principal: Principal, synligt: SynligtArende) -> Fashistorik:
    """Every phase change (from, to, when, by whom, why) and the time spent in each phase."""
    audit(session, synligt, Atgard.read, resurs_typ=RESURS)
    rows = repository.history(session, synligt.arende.id)
    namn = anvandare_repository.names_in_kommun(
        session, kommun_id=principal.kommun_id, anvandare_ids={row.utford_av for row in rows}
    )
    entered = [(row.till, row.tidpunkt) for row in rows]
    now = utcnow()
    return Fashistorik(
        arende=synligt.arende,
        overgangar=rows,
        namn=namn,
        perioder=tid_per_fas(entered, nu=now),
        ledtid_dagar=dagar(ledtid(entered, nu=now)),
        mojliga_faser=tillatna_mal(synligt.arende.fas),
    )
