"""All SQL of the case domain. User-facing lists start from the caller's kommun and scope."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, not_, or_, select
from sqlalchemy.orm import Session

from app.arenden.enums import Fas, Motestyp
from app.arenden.models import (
    Ansvarsplan,
    Arende,
    ArendeFas,
    Insats,
    Kartlaggning,
    Mote,
    Uppfoljning,
)
from app.arenden.timing import UPPFOLJANDE_FASER
from app.elever.models import Elev
from app.kit.pagination import PageParams


@dataclass(frozen=True, slots=True)
class Forsening:
    """When a case is overdue (timing.nasta_forfallodatum, in SQL): start-up meetings not both
    held by today although approval was before `uppstart_senast`, or a planned follow-up
    before today."""

    idag: date
    uppstart_senast: date


@dataclass(frozen=True, slots=True)
class ArendeFilter:
    """Which cases a list may show. `skolor`/`elever` None means no limit of that kind."""

    kommun_id: uuid.UUID
    skolor: frozenset[uuid.UUID] | None = None
    elever: frozenset[uuid.UUID] | None = None
    fas: Fas | None = None
    skola_id: uuid.UUID | None = None
    handlaggare_id: uuid.UUID | None = None
    forsenade: bool | None = None
    forsening: Forsening | None = None


def get_in_kommun(
    session: Session, *, kommun_id: uuid.UUID, arende_id: uuid.UUID, for_update: bool = False
) -> Arende | None:
    """The case; `for_update` locks its row until commit, so that writes to one case and its
    parts happen one at a time and every gate reads what the previous writer left."""
    query = select(Arende).where(Arende.id == arende_id, Arende.kommun_id == kommun_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalars(query).first()


def lock_elev(session: Session, elev_id: uuid.UUID) -> None:
    """Serialises applications for one pupil, so that two never open two cases at once."""
    session.execute(select(Elev.id).where(Elev.id == elev_id).with_for_update())


def open_case_of(session: Session, elev_id: uuid.UUID) -> Arende | None:
    return session.scalars(
        select(Arende).where(Arende.elev_id == elev_id, Arende.fas != Fas.avslutat)
    ).first()


def has_case(session: Session, elev_id: uuid.UUID) -> bool:
    """Whether the pupil has, or has had, a case with the team."""
    return (
        session.scalars(select(Arende.id).where(Arende.elev_id == elev_id).limit(1)).first()
        is not None
    )


def pupils_with_case(kommun_id: uuid.UUID) -> Select[uuid.UUID]:
    """The kommun's pupils who have, or have had, a case with the team (as a subquery)."""
    return select(Arende.elev_id).where(Arende.kommun_id == kommun_id)


def _held(typ: Motestyp, idag: date) -> ColumnElement[bool]:
    return exists().where(
        Mote.arende_id == Arende.id,
        Mote.typ == typ,
        Mote.minnesanteckningar.is_not(None),
        Mote.datum <= idag,
    )


def overdue(forsening: Forsening) -> ColumnElement[bool]:
    startup_late = and_(
        Arende.fas == Fas.uppstart,
        Arende.beviljat < forsening.uppstart_senast,
        or_(
            not_(_held(Motestyp.uppstart_skola, forsening.idag)),
            not_(_held(Motestyp.uppstart_elev_vardnadshavare, forsening.idag)),
        ),
    )
    follow_up_late = and_(
        Arende.fas.in_(UPPFOLJANDE_FASER), Arende.nasta_uppfoljning < forsening.idag
    )
    return or_(startup_late, follow_up_late)


def _filtered(filter_: ArendeFilter) -> Select[Arende, Elev]:
    query = (
        select(Arende, Elev)
        .join(Elev, Elev.id == Arende.elev_id)
        .where(Arende.kommun_id == filter_.kommun_id)
    )
    if filter_.skolor is not None:
        query = query.where(Elev.skola_id.in_(filter_.skolor))
    if filter_.elever is not None:
        query = query.where(Arende.elev_id.in_(filter_.elever))
    if filter_.fas is not None:
        query = query.where(Arende.fas == filter_.fas)
    if filter_.skola_id is not None:
        query = query.where(Elev.skola_id == filter_.skola_id)
    if filter_.handlaggare_id is not None:
        query = query.where(Arende.handlaggare_id == filter_.handlaggare_id)
    if filter_.forsenade is not None and filter_.forsening is not None:
        late = overdue(filter_.forsening)
        query = query.where(late if filter_.forsenade else not_(late))
    return query


def list_filtered(
    session: Session, filter_: ArendeFilter, page: PageParams
) -> list[tuple[Arende, Elev]]:
    """A page of cases with their pupils (one row more than the limit, for the cursor)."""
    query = _filtered(filter_).order_by(Arende.id)
    if (after := page.after_uuid()) is not None:
        query = query.where(Arende.id > after)
    return [(arende, elev) for arende, elev in session.execute(query.limit(page.limit + 1))]


def history(session: Session, arende_id: uuid.UUID) -> list[ArendeFas]:
    return list(
        session.scalars(
            select(ArendeFas)
            .where(ArendeFas.arende_id == arende_id)
            .order_by(ArendeFas.tidpunkt, ArendeFas.id)
        )
    )


def last_entry_into(session: Session, arende_id: uuid.UUID, fas: Fas) -> ArendeFas | None:
    return session.scalars(
        select(ArendeFas)
        .where(ArendeFas.arende_id == arende_id, ArendeFas.till == fas)
        .order_by(ArendeFas.tidpunkt.desc(), ArendeFas.id.desc())
        .limit(1)
    ).first()


def first_entry_into(session: Session, arende_id: uuid.UUID, fas: Fas) -> ArendeFas | None:
    return session.scalars(
        select(ArendeFas)
        .where(ArendeFas.arende_id == arende_id, ArendeFas.till == fas)
        .order_by(ArendeFas.tidpunkt, ArendeFas.id)
        .limit(1)
    ).first()


def get_mote(session: Session, *, arende_id: uuid.UUID, mote_id: uuid.UUID) -> Mote | None:
    mote = session.get(Mote, mote_id, populate_existing=True)
    return mote if mote is not None and mote.arende_id == arende_id else None


def kartlaggning_of(session: Session, arende_id: uuid.UUID) -> Kartlaggning | None:
    return session.scalars(
        select(Kartlaggning)
        .where(Kartlaggning.arende_id == arende_id)
        .execution_options(populate_existing=True)
    ).first()


def plan_versions(session: Session, arende_id: uuid.UUID) -> list[Ansvarsplan]:
    return list(
        session.scalars(
            select(Ansvarsplan)
            .where(Ansvarsplan.arende_id == arende_id)
            .order_by(Ansvarsplan.version)
        )
    )


def plan(session: Session, arende_id: uuid.UUID, version: int | None = None) -> Ansvarsplan | None:
    """The named version of the plan, or the latest."""
    query = select(Ansvarsplan).where(Ansvarsplan.arende_id == arende_id)
    if version is not None:
        query = query.where(Ansvarsplan.version == version)
    return session.scalars(query.order_by(Ansvarsplan.version.desc()).limit(1)).first()


def insatser_of(session: Session, arende_id: uuid.UUID) -> list[Insats]:
    return list(
        session.scalars(
            select(Insats)
            .where(Insats.arende_id == arende_id)
            .order_by(Insats.startdatum, Insats.id)
        )
    )


def get_insats(session: Session, *, arende_id: uuid.UUID, insats_id: uuid.UUID) -> Insats | None:
    insats = session.get(Insats, insats_id, populate_existing=True)
    return insats if insats is not None and insats.arende_id == arende_id else None


def uppfoljningar_of(session: Session, arende_id: uuid.UUID) -> list[Uppfoljning]:
    return list(
        session.scalars(
            select(Uppfoljning)
            .where(Uppfoljning.arende_id == arende_id)
            .order_by(Uppfoljning.datum, Uppfoljning.skapad, Uppfoljning.id)
        )
    )
