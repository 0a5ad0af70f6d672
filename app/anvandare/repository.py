import uuid
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.anvandare.models import Anvandare
from app.kit.pagination import PageParams


def get(session: Session, anvandare_id: uuid.UUID) -> Anvandare | None:
    return session.get(Anvandare, anvandare_id)


def get_in_kommun(
    session: Session, *, kommun_id: uuid.UUID, anvandare_id: uuid.UUID
) -> Anvandare | None:
    # Through the identity map: the caller's own row is usually loaded already this request.
    user = session.get(Anvandare, anvandare_id)
    return user if user is not None and user.kommun_id == kommun_id else None


def names_in_kommun(
    session: Session, *, kommun_id: uuid.UUID, anvandare_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    if not anvandare_ids:
        return {}
    rows = session.execute(
        select(Anvandare.id, Anvandare.namn).where(
            Anvandare.kommun_id == kommun_id, Anvandare.id.in_(set(anvandare_ids))
        )
    )
    return dict(rows.all())


def get_by_anvandarnamn(session: Session, anvandarnamn: str) -> Anvandare | None:
    return session.scalars(
        select(Anvandare).where(func.lower(Anvandare.anvandarnamn) == anvandarnamn.lower())
    ).first()


def list_in_kommun(session: Session, *, kommun_id: uuid.UUID, page: PageParams) -> list[Anvandare]:
    query = select(Anvandare).where(Anvandare.kommun_id == kommun_id).order_by(Anvandare.id)
    if (after := page.after_uuid()) is not None:
        query = query.where(Anvandare.id > after)
    return list(session.scalars(query.limit(page.limit + 1)))
