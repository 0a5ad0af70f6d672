import uuid
from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.samtycken.models import Samtycke


def get_in_kommun(
    session: Session, *, kommun_id: uuid.UUID, samtycke_id: uuid.UUID
) -> Samtycke | None:
    samtycke = session.get(Samtycke, samtycke_id)
    return samtycke if samtycke is not None and samtycke.kommun_id == kommun_id else None


def many_by_ids(session: Session, samtycke_ids: Collection[uuid.UUID]) -> list[Samtycke]:
    if not samtycke_ids:
        return []
    return list(session.scalars(select(Samtycke).where(Samtycke.id.in_(set(samtycke_ids)))))


def for_elev(session: Session, elev_id: uuid.UUID) -> list[Samtycke]:
    """Newest first."""
    return list(
        session.scalars(
            select(Samtycke).where(Samtycke.elev_id == elev_id).order_by(Samtycke.id.desc())
        )
    )


def within_period(session: Session, *, kommun_id: uuid.UUID, idag: date) -> list[Samtycke]:
    """The kommun's consents whose period includes today: the only ones that can be in force."""
    return list(
        session.scalars(
            select(Samtycke).where(
                Samtycke.kommun_id == kommun_id,
                Samtycke.giltig_fran <= idag,
                Samtycke.giltig_till >= idag,
            )
        )
    )
