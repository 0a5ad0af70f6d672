"""All SQL of deviation reports; every list starts from the caller's kommun and scope."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from app.avvikelser.enums import Avvikelsestatus, Verksamhet
from app.avvikelser.models import Avvikelse, AvvikelseVerksamhet
from app.kit.pagination import PageParams


@dataclass(frozen=True, slots=True)
class Synlighet:
    """Which reports the caller sees: all of the kommun (`skolor` None), or those of the named
    schools and those the caller reported."""

    kommun_id: uuid.UUID
    skolor: frozenset[uuid.UUID] | None
    rapportor_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class AvvikelseFilter:
    status: Avvikelsestatus | None = None
    fran: date | None = None
    till: date | None = None
    verksamhet: Verksamhet | None = None
    skola_id: uuid.UUID | None = None


def _visible(synlighet: Synlighet) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Avvikelse.kommun_id == synlighet.kommun_id]
    if synlighet.skolor is not None:
        conditions.append(
            or_(
                Avvikelse.skola_id.in_(synlighet.skolor),
                Avvikelse.rapporterad_av == synlighet.rapportor_id,
            )
        )
    return conditions


def get_visible(
    session: Session, synlighet: Synlighet, avvikelse_id: uuid.UUID, *, for_update: bool = False
) -> Avvikelse | None:
    query = select(Avvikelse).where(Avvikelse.id == avvikelse_id, *_visible(synlighet))
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalars(query).first()


def list_visible(
    session: Session, synlighet: Synlighet, filter_: AvvikelseFilter, page: PageParams
) -> list[Avvikelse]:
    query = select(Avvikelse).where(*_visible(synlighet))
    if filter_.status is not None:
        query = query.where(Avvikelse.status == filter_.status)
    if filter_.fran is not None:
        query = query.where(Avvikelse.datum >= filter_.fran)
    if filter_.till is not None:
        query = query.where(Avvikelse.datum <= filter_.till)
    if filter_.skola_id is not None:
        query = query.where(Avvikelse.skola_id == filter_.skola_id)
    if filter_.verksamhet is not None:
        query = query.where(
            exists().where(
                AvvikelseVerksamhet.avvikelse_id == Avvikelse.id,
                AvvikelseVerksamhet.verksamhet == filter_.verksamhet,
            )
        )
    if (after := page.after_uuid()) is not None:
        query = query.where(Avvikelse.id > after)
    return list(session.scalars(query.order_by(Avvikelse.id).limit(page.limit + 1)))
