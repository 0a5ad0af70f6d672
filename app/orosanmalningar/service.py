"""Reports of concern: registered by whoever knows the pupil in their work here, without any
consent, and never changed afterwards (T 5; access.py says who)."""

import uuid

from sqlalchemy.orm import Session

from app.anvandare import repository as anvandare_repository
from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.principal import Principal
from app.auth.roles import Organisation
from app.core.errors import InvalidInput, NotFound
from app.core.time import today, utcnow
from app.elever import repository as elever_repository
from app.elever.models import Elev
from app.kit.pagination import PageParams
from app.orosanmalningar import repository
from app.orosanmalningar.access import GRUND_ANMALNINGSPLIKT, Lasratt, lasratt, may_report
from app.orosanmalningar.models import Orosanmalan
from app.orosanmalningar.schemas import OrosanmalanCreate, OrosanmalanRead

RESURS = "orosanmalan"
RESURS_ELEV = "elev"


def _elev(session: Session, principal: Principal, elev_id: uuid.UUID) -> Elev:
    elev = elever_repository.get_in_kommun(session, kommun_id=principal.kommun_id, elev_id=elev_id)
    if elev is None:
        raise NotFound(RESURS_ELEV, elev_id)
    return elev


def _lasratt(session: Session, principal: Principal, elev_id: uuid.UUID) -> tuple[Elev, Lasratt]:
    elev = _elev(session, principal, elev_id)
    ratt = lasratt(session, principal, elev)
    if ratt is None:
        raise NotFound(RESURS_ELEV, elev_id, elev_id=elev.id)
    return elev, ratt


def create(
    session: Session, principal: Principal, elev_id: uuid.UUID, data: OrosanmalanCreate
) -> OrosanmalanRead:
    """Registers the report on the duty to report (T 5), whatever the pupil's consents say."""
    elev = _elev(session, principal, elev_id)
    if not may_report(session, principal, elev):
        raise NotFound(RESURS_ELEV, elev_id, elev_id=elev.id)
    if data.datum > today():
        raise InvalidInput(
            "Anmälan registreras när den är gjord; datumet ligger i framtiden.",
            errors=[{"plats": "body.datum", "meddelande": "Datumet ligger i framtiden."}],
        )
    anmalan = Orosanmalan(
        kommun_id=principal.kommun_id,
        elev_id=elev.id,
        skola_id=elev.skola_id,
        anmald_av=principal.id,
        anmalare_roll=principal.roll,
        anmalare_organisation=principal.organisation or Organisation.skola,
        datum=data.datum,
        mottagande_socialtjanst=data.mottagande_socialtjanst,
        oro=data.oro,
        registrerad=utcnow(),
    )
    session.add(anmalan)
    session.flush()
    record(
        session,
        atgard=Atgard.create,
        resurs_typ=RESURS,
        resurs_id=anmalan.id,
        elev_id=elev.id,
        rattslig_grund=GRUND_ANMALNINGSPLIKT,
    )
    return _read_models(session, principal, [anmalan])[0]


def list_for(
    session: Session, principal: Principal, elev_id: uuid.UUID, page: PageParams
) -> list[OrosanmalanRead]:
    elev, ratt = _lasratt(session, principal, elev_id)
    rows = repository.list_for(
        session, elev_id=elev.id, bara_av=principal.id if ratt.bara_egna else None, page=page
    )
    record(
        session, atgard=Atgard.read, resurs_typ=RESURS, elev_id=elev.id, rattslig_grund=ratt.grund
    )
    return _read_models(session, principal, rows)


def read(
    session: Session, principal: Principal, elev_id: uuid.UUID, anmalan_id: uuid.UUID
) -> OrosanmalanRead:
    elev, ratt = _lasratt(session, principal, elev_id)
    anmalan = repository.get_for(
        session,
        elev_id=elev.id,
        anmalan_id=anmalan_id,
        bara_av=principal.id if ratt.bara_egna else None,
    )
    if anmalan is None:
        raise NotFound(RESURS, anmalan_id, elev_id=elev.id)
    record(
        session,
        atgard=Atgard.read,
        resurs_typ=RESURS,
        resurs_id=anmalan.id,
        elev_id=elev.id,
        rattslig_grund=ratt.grund,
    )
    return _read_models(session, principal, [anmalan])[0]


def _read_models(
    session: Session, principal: Principal, rows: list[Orosanmalan]
) -> list[OrosanmalanRead]:
    namn = anvandare_repository.names_in_kommun(
        session, kommun_id=principal.kommun_id, anvandare_ids={row.anmald_av for row in rows}
    )
    return [
        OrosanmalanRead.model_validate(
            {
                **{
                    name: getattr(row, name)
                    for name in OrosanmalanRead.model_fields
                    if name != "anmalare_namn"
                },
                "anmalare_namn": namn.get(row.anmald_av),
            }
        )
        for row in rows
    ]
