import uuid

from sqlalchemy.orm import Session

from app.audit import repository
from app.audit.chain import Atgard
from app.audit.models import AuditHandelse
from app.audit.repository import AuditFilter
from app.audit.trail import record
from app.audit.verify import Verifiering, verify_chain
from app.auth.principal import Principal
from app.core.errors import NotFound
from app.elever import repository as elever_repository
from app.kit.pagination import PageParams

RESURS = "audit"
GRUND = "logggranskning"


def search(
    session: Session, principal: Principal, filter_: AuditFilter, page: PageParams
) -> list[AuditHandelse]:
    record(
        session,
        atgard=Atgard.search,
        resurs_typ=RESURS,
        elev_id=filter_.elev_id,
        rattslig_grund=GRUND,
    )
    return repository.list_in_kommun(
        session, kommun_id=principal.kommun_id, filter_=filter_, page=page
    )


def verify(session: Session, principal: Principal) -> Verifiering:
    record(session, atgard=Atgard.read, resurs_typ="audit_kedja", rattslig_grund=GRUND)
    return verify_chain(session, principal.kommun_id)


def access_log(
    session: Session, principal: Principal, elev_id: uuid.UUID, page: PageParams
) -> list[tuple[AuditHandelse, str | None]]:
    """The pupil's access log: the basis of a log extract for the pupil and guardians."""
    elev = elever_repository.get_in_kommun(session, kommun_id=principal.kommun_id, elev_id=elev_id)
    if elev is None:
        raise NotFound("elev", elev_id)
    record(
        session,
        atgard=Atgard.read,
        resurs_typ="atkomstlogg",
        resurs_id=elev.id,
        elev_id=elev.id,
        rattslig_grund=GRUND,
    )
    return repository.access_log(session, kommun_id=principal.kommun_id, elev_id=elev.id, page=page)
