from sqlalchemy.orm import Session

from app.audit import repository
from app.audit.chain import Atgard
from app.audit.models import AuditHandelse
from app.audit.repository import AuditFilter
from app.audit.trail import record
from app.audit.verify import Verifiering, verify_chain
from app.auth.principal import Principal
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
