"""Documentation entries in a pupil's matter (S 8): drafts, signing, corrections.

Who: the student health staff and principal of the pupil's school, as elever.service.load
decides for school staff. S 8 is the school's own documentation of its student health work, so
the skolsocialt team — also its central student health staff — does not read it: the team
documents its work in the case (meetings, mapping, plan, follow-ups), and social services and the
region reach nothing here, consent or not. A draft is its author's alone until signed; only the
author changes or signs it. A signed entry is never changed (409): a correction is a new entry
pointing to it, and the list shows both.
"""

import uuid
from collections import defaultdict

from sqlalchemy.orm import Session

from app.anteckningar import repository
from app.anteckningar.models import Anteckning, Anteckningsstatus
from app.anteckningar.schemas import AnteckningCreate, AnteckningUpdate, AnteckningVy
from app.anvandare import repository as anvandare_repository
from app.arenden import repository as arenden_repository
from app.audit.chain import Atgard
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.time import utcnow
from app.elever.service import SynligElev, audit
from app.kit.pagination import PageParams

RESURS = "anteckning"
SIGNED_TEXT = "En signerad anteckning ändras aldrig; skriv en ny anteckning som rättar den."


def load(
    session: Session,
    principal: Principal,
    synlig: SynligElev,
    anteckning_id: uuid.UUID,
    *,
    for_write: bool = False,
) -> Anteckning:
    """The entry if it is signed or the caller's own draft; otherwise 404."""
    anteckning = repository.get_visible(
        session,
        elev_id=synlig.elev.id,
        lasare_id=principal.id,
        anteckning_id=anteckning_id,
        for_update=for_write,
    )
    if anteckning is None:
        raise NotFound(RESURS, anteckning_id, elev_id=synlig.elev.id)
    return anteckning


def vyer(session: Session, principal: Principal, rows: list[Anteckning]) -> list[AnteckningVy]:
    """The entries with their authors' names and the corrections that point to them."""
    rattad_av: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    rattad: set[uuid.UUID] = set()
    corrections = repository.corrections_of(
        session, lasare_id=principal.id, anteckning_ids=[row.id for row in rows]
    )
    for rattar, rattande, status in corrections:
        rattad_av[rattar].append(rattande)
        if status is Anteckningsstatus.signerad:
            rattad.add(rattar)
    namn = anvandare_repository.names_in_kommun(
        session, kommun_id=principal.kommun_id, anvandare_ids={row.forfattare_id for row in rows}
    )
    return [
        AnteckningVy(
            anteckning=row,
            forfattare_namn=namn.get(row.forfattare_id),
            rattad_av=rattad_av[row.id],
            rattad=row.id in rattad,
        )
        for row in rows
    ]


def list_for(
    session: Session, principal: Principal, synlig: SynligElev, page: PageParams
) -> list[AnteckningVy]:
    audit(session, synlig, Atgard.read, resurs_typ=RESURS)
    rows = repository.list_visible(
        session, elev_id=synlig.elev.id, lasare_id=principal.id, page=page
    )
    return vyer(session, principal, rows)


def read(
    session: Session, principal: Principal, synlig: SynligElev, anteckning_id: uuid.UUID
) -> AnteckningVy:
    anteckning = load(session, principal, synlig, anteckning_id)
    audit(session, synlig, Atgard.read, resurs_typ=RESURS, resurs_id=anteckning.id)
    return vyer(session, principal, [anteckning])[0]


def _check_arende(
    session: Session, principal: Principal, synlig: SynligElev, arende_id: uuid.UUID | None
) -> None:
    if arende_id is None:
        return
    arende = arenden_repository.get_in_kommun(
        session, kommun_id=principal.kommun_id, arende_id=arende_id
    )
    if arende is None or arende.elev_id != synlig.elev.id:
        raise InvalidInput(
            "Ärendet hör inte till eleven.",
            errors=[{"plats": "body.arende_id", "meddelande": "Okänt ärende för eleven."}],
        )


def _check_rattar(
    session: Session, principal: Principal, synlig: SynligElev, rattar_id: uuid.UUID | None
) -> None:
    if rattar_id is None:
        return
    rattad = repository.get_visible(
        session, elev_id=synlig.elev.id, lasare_id=principal.id, anteckning_id=rattar_id
    )
    if rattad is None:
        raise InvalidInput(
            "Anteckningen som ska rättas finns inte för eleven.",
            errors=[{"plats": "body.rattar_id", "meddelande": "Okänd anteckning för eleven."}],
        )
    if rattad.status is not Anteckningsstatus.signerad:
        raise Conflict("Ett utkast rättas genom att ändras; bara signerade anteckningar rättas.")


def create(
    session: Session, principal: Principal, synlig: SynligElev, data: AnteckningCreate
) -> AnteckningVy:
    _check_arende(session, principal, synlig, data.arende_id)
    _check_rattar(session, principal, synlig, data.rattar_id)
    anteckning = Anteckning(
        kommun_id=principal.kommun_id,
        elev_id=synlig.elev.id,
        skola_id=synlig.elev.skola_id,
        arende_id=data.arende_id,
        forfattare_id=principal.id,
        text=data.text,
        status=Anteckningsstatus.utkast,
        rattar_id=data.rattar_id,
    )
    session.add(anteckning)
    session.flush()
    audit(session, synlig, Atgard.create, resurs_typ=RESURS, resurs_id=anteckning.id)
    return vyer(session, principal, [anteckning])[0]


def _ensure_draft(anteckning: Anteckning) -> None:
    """409 for a signed entry. A draft that load() found is the caller's own: others' drafts are
    hidden from everyone but their author."""
    if anteckning.status is Anteckningsstatus.signerad:
        raise Conflict(SIGNED_TEXT)


def update(
    session: Session,
    principal: Principal,
    synlig: SynligElev,
    anteckning: Anteckning,
    *,
    data: AnteckningUpdate,
) -> AnteckningVy:
    _ensure_draft(anteckning)
    if data.text is not None:
        anteckning.text = data.text
    if "arende_id" in data.model_fields_set:
        _check_arende(session, principal, synlig, data.arende_id)
        anteckning.arende_id = data.arende_id
    session.flush()
    audit(session, synlig, Atgard.update, resurs_typ=RESURS, resurs_id=anteckning.id)
    return vyer(session, principal, [anteckning])[0]


def sign(
    session: Session, principal: Principal, synlig: SynligElev, anteckning: Anteckning
) -> AnteckningVy:
    """The author signs their draft; from then on it is part of the pupil's documentation."""
    _ensure_draft(anteckning)
    anteckning.status = Anteckningsstatus.signerad
    anteckning.signerad = utcnow()
    session.flush()
    audit(session, synlig, Atgard.update, resurs_typ=RESURS, resurs_id=anteckning.id)
    return vyer(session, principal, [anteckning])[0]
