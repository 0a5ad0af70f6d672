"""All SQL of reports of concern."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.roles import EXTERNAL_ORGANISATIONS
from app.kit.pagination import PageParams
from app.orosanmalningar.models import Orosanmalan


def list_for(
    session: Session,
    *,
    elev_id: uuid.UUID,
    bara_av: uuid.UUID | None,
    page: PageParams,
) -> list[Orosanmalan]:
    """The pupil's reports, oldest first: those made within the school authority, or (with
    `bara_av`) only the named reporter's."""
    query = select(Orosanmalan).where(Orosanmalan.elev_id == elev_id)
    if bara_av is not None:
        query = query.where(Orosanmalan.anmald_av == bara_av)
    else:
        query = query.where(Orosanmalan.anmalare_organisation.not_in(EXTERNAL_ORGANISATIONS))
    if (after := page.after_uuid()) is not None:
        query = query.where(Orosanmalan.id > after)
    return list(session.scalars(query.order_by(Orosanmalan.id).limit(page.limit + 1)))


def get_for(
    session: Session, *, elev_id: uuid.UUID, anmalan_id: uuid.UUID, bara_av: uuid.UUID | None
) -> Orosanmalan | None:
    query = select(Orosanmalan).where(Orosanmalan.id == anmalan_id, Orosanmalan.elev_id == elev_id)
    if bara_av is not None:
        query = query.where(Orosanmalan.anmald_av == bara_av)
    else:
        query = query.where(Orosanmalan.anmalare_organisation.not_in(EXTERNAL_ORGANISATIONS))
    return session.scalars(query).first()
