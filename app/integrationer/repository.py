import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.integrationer.models import Integration
from app.kit.pagination import PageParams


def get(session: Session, integration_id: uuid.UUID) -> Integration | None:
    return session.get(Integration, integration_id)


def get_in_kommun(
    session: Session, *, kommun_id: uuid.UUID, integration_id: uuid.UUID
) -> Integration | None:
    client = session.get(Integration, integration_id)
    if client is None or client.kommun_id != kommun_id or client.borttagen is not None:
        return None
    return client


def get_by_klient_id(session: Session, klient_id: str) -> Integration | None:
    return session.scalars(select(Integration).where(Integration.klient_id == klient_id)).first()


def list_in_kommun(
    session: Session, *, kommun_id: uuid.UUID, page: PageParams
) -> list[Integration]:
    query = (
        select(Integration)
        .where(Integration.kommun_id == kommun_id, Integration.borttagen.is_(None))
        .order_by(Integration.id)
    )
    if (after := page.after_uuid()) is not None:
        query = query.where(Integration.id > after)
    return list(session.scalars(query.limit(page.limit + 1)))
