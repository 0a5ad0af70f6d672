"""All SQL of documentation entries. A caller sees a pupil's signed entries and their own drafts."""

import uuid
from collections.abc import Collection

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from app.anteckningar.models import Anteckning, Anteckningsstatus
from app.kit.pagination import PageParams


def _visible(elev_id: uuid.UUID, lasare_id: uuid.UUID) -> list[ColumnElement[bool]]:
    return [
        Anteckning.elev_id == elev_id,
        or_(
            Anteckning.status == Anteckningsstatus.signerad,
            Anteckning.forfattare_id == lasare_id,
        ),
    ]


def list_visible(
    session: Session, *, elev_id: uuid.UUID, lasare_id: uuid.UUID, page: PageParams
) -> list[Anteckning]:
    """Oldest first: ids are time-ordered, so a chain reads from the entry to its corrections."""
    query = select(Anteckning).where(*_visible(elev_id, lasare_id))
    if (after := page.after_uuid()) is not None:
        query = query.where(Anteckning.id > after)
    return list(session.scalars(query.order_by(Anteckning.id).limit(page.limit + 1)))


def get_visible(
    session: Session,
    *,
    elev_id: uuid.UUID,
    lasare_id: uuid.UUID,
    anteckning_id: uuid.UUID,
    for_update: bool = False,
) -> Anteckning | None:
    query = select(Anteckning).where(Anteckning.id == anteckning_id, *_visible(elev_id, lasare_id))
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalars(query).first()


def corrections_of(
    session: Session, *, lasare_id: uuid.UUID, anteckning_ids: Collection[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID, Anteckningsstatus]]:
    """(corrected, correcting, status of the correcting) for the visible corrections of the
    named entries."""
    if not anteckning_ids:
        return []
    rows = session.execute(
        select(Anteckning.rattar_id, Anteckning.id, Anteckning.status)
        .where(
            Anteckning.rattar_id.in_(set(anteckning_ids)),
            or_(
                Anteckning.status == Anteckningsstatus.signerad,
                Anteckning.forfattare_id == lasare_id,
            ),
        )
        .order_by(Anteckning.id)
    )
    return [(rattar, rattande, status) for rattar, rattande, status in rows if rattar is not None]
