import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.kit.pagination import PageParams
from app.skolor.models import Skola


def get_in_kommun(session: Session, *, kommun_id: uuid.UUID, skola_id: uuid.UUID) -> Skola | None:
    return session.scalars(
        select(Skola).where(Skola.id == skola_id, Skola.kommun_id == kommun_id)
    ).first()


def list_in_kommun(session: Session, *, kommun_id: uuid.UUID, page: PageParams) -> list[Skola]:
    query = select(Skola).where(Skola.kommun_id == kommun_id).order_by(Skola.id)
    if (after := page.after_uuid()) is not None:
        query = query.where(Skola.id > after)
    return list(session.scalars(query.limit(page.limit + 1)))


def many_in_kommun(
    session: Session, *, kommun_id: uuid.UUID, skola_ids: Collection[uuid.UUID]
) -> list[Skola]:
    if not skola_ids:
        return []
    return list(
        session.scalars(
            select(Skola).where(Skola.kommun_id == kommun_id, Skola.id.in_(set(skola_ids)))
        )
    )


def code_taken(session: Session, skolenhetskod: str, *, except_id: uuid.UUID | None = None) -> bool:
    query = select(Skola.id).where(Skola.skolenhetskod == skolenhetskod)
    if except_id is not None:
        query = query.where(Skola.id != except_id)
    return session.scalars(query).first() is not None


def by_codes(
    session: Session, *, kommun_id: uuid.UUID, codes: Collection[str]
) -> dict[str, uuid.UUID]:
    rows = session.execute(
        select(Skola.skolenhetskod, Skola.id).where(
            Skola.kommun_id == kommun_id, Skola.skolenhetskod.in_(set(codes))
        )
    )
    return dict(rows.all())
