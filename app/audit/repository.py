import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.anvandare.models import Anvandare
from app.audit.chain import Atgard, Utfall
from app.audit.models import AuditHandelse
from app.integrationer.models import Integration
from app.kit.pagination import PageParams


@dataclass(frozen=True, slots=True)
class AuditFilter:
    aktor_id: uuid.UUID | None = None
    elev_id: uuid.UUID | None = None
    fran: datetime | None = None
    till: datetime | None = None
    atgard: Atgard | None = None
    utfall: Utfall | None = None


def list_in_kommun(
    session: Session, *, kommun_id: uuid.UUID, filter_: AuditFilter, page: PageParams
) -> list[AuditHandelse]:
    """Newest first."""
    query = select(AuditHandelse).where(AuditHandelse.kommun_id == kommun_id)
    if filter_.aktor_id is not None:
        query = query.where(AuditHandelse.aktor_id == filter_.aktor_id)
    if filter_.elev_id is not None:
        query = query.where(AuditHandelse.elev_id == filter_.elev_id)
    if filter_.fran is not None:
        query = query.where(AuditHandelse.tidpunkt >= filter_.fran)
    if filter_.till is not None:
        query = query.where(AuditHandelse.tidpunkt < filter_.till)
    if filter_.atgard is not None:
        query = query.where(AuditHandelse.atgard == filter_.atgard)
    if filter_.utfall is not None:
        query = query.where(AuditHandelse.utfall == filter_.utfall)
    if (after := page.after_int()) is not None:
        query = query.where(AuditHandelse.id < after)
    query = query.order_by(AuditHandelse.id.desc()).limit(page.limit + 1)
    return list(session.scalars(query))


def access_log(
    session: Session, *, kommun_id: uuid.UUID, elev_id: uuid.UUID, page: PageParams
) -> list[tuple[AuditHandelse, str | None]]:
    """Every logged access to one pupil's data, newest first, with the actor's name."""
    namn = func.coalesce(Anvandare.namn, Integration.namn)
    query = (
        select(AuditHandelse, namn)
        .outerjoin(Anvandare, Anvandare.id == AuditHandelse.aktor_id)
        .outerjoin(Integration, Integration.id == AuditHandelse.aktor_id)
        .where(AuditHandelse.kommun_id == kommun_id, AuditHandelse.elev_id == elev_id)
    )
    if (after := page.after_int()) is not None:
        query = query.where(AuditHandelse.id < after)
    query = query.order_by(AuditHandelse.id.desc()).limit(page.limit + 1)
    return [(row, namn) for row, namn in session.execute(query)]
