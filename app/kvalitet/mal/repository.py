"""All SQL of the quality goals; every read starts from the caller's kommun and scope."""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from app.kit.pagination import PageParams
from app.kvalitet.mal.models import Forbattringsatgard, Kvalitetsmal, Malniva


@dataclass(frozen=True, slots=True)
class Malsynlighet:
    """Which goals the caller sees: schools' goals (of the named schools; None: all of the
    kommun's), and the team's when `team`."""

    kommun_id: uuid.UUID
    skolor: frozenset[uuid.UUID] | None
    team: bool


@dataclass(frozen=True, slots=True)
class MalFilter:
    niva: Malniva | None = None
    skola_id: uuid.UUID | None = None
    aktiva_den: date | None = None


def _visible(synlighet: Malsynlighet) -> ColumnElement[bool]:
    skolor: ColumnElement[bool] = Kvalitetsmal.niva == Malniva.skola
    if synlighet.skolor is not None:
        skolor = and_(skolor, Kvalitetsmal.skola_id.in_(synlighet.skolor))
    team = Kvalitetsmal.niva == Malniva.team if synlighet.team else false()
    return and_(Kvalitetsmal.kommun_id == synlighet.kommun_id, or_(skolor, team))


def get_visible(
    session: Session, synlighet: Malsynlighet, mal_id: uuid.UUID, *, for_update: bool = False
) -> Kvalitetsmal | None:
    query = select(Kvalitetsmal).where(Kvalitetsmal.id == mal_id, _visible(synlighet))
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalars(query).first()


def list_visible(
    session: Session, synlighet: Malsynlighet, filter_: MalFilter, page: PageParams
) -> list[Kvalitetsmal]:
    query = select(Kvalitetsmal).where(_visible(synlighet))
    if filter_.niva is not None:
        query = query.where(Kvalitetsmal.niva == filter_.niva)
    if filter_.skola_id is not None:
        query = query.where(Kvalitetsmal.skola_id == filter_.skola_id)
    if filter_.aktiva_den is not None:
        query = query.where(
            Kvalitetsmal.period_fran <= filter_.aktiva_den,
            Kvalitetsmal.period_till >= filter_.aktiva_den,
        )
    if (after := page.after_uuid()) is not None:
        query = query.where(Kvalitetsmal.id > after)
    return list(session.scalars(query.order_by(Kvalitetsmal.id).limit(page.limit + 1)))


def sources_of(
    session: Session, mal_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Forbattringsatgard]:
    """For each goal that came from an improvement action, that action."""
    if not mal_ids:
        return {}
    rows = session.scalars(
        select(Forbattringsatgard).where(Forbattringsatgard.overford_till_mal_id.in_(set(mal_ids)))
    )
    return {row.overford_till_mal_id: row for row in rows if row.overford_till_mal_id is not None}
