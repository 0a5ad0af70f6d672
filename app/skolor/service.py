import uuid
from collections.abc import Collection

from sqlalchemy.orm import Session

from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound
from app.kit.pagination import PageParams
from app.skolor import repository
from app.skolor.models import Skola
from app.skolor.schemas import SkolaCreate, SkolaUpdate

RESURS = "skola"
GRUND = "administration"


def load(session: Session, principal: Principal, skola_id: uuid.UUID) -> Skola:
    """The school if it belongs to the caller's kommun; otherwise 404."""
    skola = repository.get_in_kommun(session, kommun_id=principal.kommun_id, skola_id=skola_id)
    if skola is None:
        raise NotFound(RESURS, skola_id)
    return skola


def read(session: Session, principal: Principal, skola_id: uuid.UUID) -> Skola:
    skola = load(session, principal, skola_id)
    record(session, atgard=Atgard.read, resurs_typ=RESURS, resurs_id=skola.id, rattslig_grund=GRUND)
    return skola


def list_skolor(session: Session, principal: Principal, page: PageParams) -> list[Skola]:
    record(session, atgard=Atgard.search, resurs_typ=RESURS, rattslig_grund=GRUND)
    return repository.list_in_kommun(session, kommun_id=principal.kommun_id, page=page)


def _ensure_code_free(session: Session, code: str, *, except_id: uuid.UUID | None = None) -> None:
    if repository.code_taken(session, code, except_id=except_id):
        raise Conflict(f"Skolenhetskoden {code} är redan registrerad.")


def create(session: Session, principal: Principal, data: SkolaCreate) -> Skola:
    _ensure_code_free(session, data.skolenhetskod)
    skola = Skola(kommun_id=principal.kommun_id, namn=data.namn, skolenhetskod=data.skolenhetskod)
    session.add(skola)
    session.flush()
    record(
        session, atgard=Atgard.create, resurs_typ=RESURS, resurs_id=skola.id, rattslig_grund=GRUND
    )
    return skola


def update(session: Session, skola: Skola, data: SkolaUpdate) -> Skola:
    if data.skolenhetskod is not None and data.skolenhetskod != skola.skolenhetskod:
        _ensure_code_free(session, data.skolenhetskod, except_id=skola.id)
        skola.skolenhetskod = data.skolenhetskod
    if data.namn is not None:
        skola.namn = data.namn
    session.flush()
    record(
        session, atgard=Atgard.update, resurs_typ=RESURS, resurs_id=skola.id, rattslig_grund=GRUND
    )
    return skola


def resolve_many(
    session: Session, principal: Principal, skola_ids: Collection[uuid.UUID], *, field: str
) -> list[Skola]:
    """The named schools of the caller's kommun; any other id is a validation error."""
    skolor = repository.many_in_kommun(session, kommun_id=principal.kommun_id, skola_ids=skola_ids)
    unknown = set(skola_ids) - {skola.id for skola in skolor}
    if unknown:
        raise InvalidInput(
            "En eller flera skolor finns inte i kommunen.",
            errors=[
                {"plats": f"body.{field}", "meddelande": f"Okänd skola: {skola_id}"}
                for skola_id in sorted(unknown)
            ],
        )
    return skolor
