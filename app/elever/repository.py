import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from app.arenden import repository as arenden_repository
from app.elever.models import Arskurs, Elev, ElevExterntId, SkyddadIdentitet, Vardnadshavare
from app.kit.pagination import PageParams
from app.samtycken.models import SamtyckeAterkallelse, SamtyckeSignatur


@dataclass(frozen=True, slots=True)
class ElevFilter:
    """Which pupils a list may show. `skolor`/`ids` None means no limit of that kind."""

    kommun_id: uuid.UUID
    skolor: frozenset[uuid.UUID] | None = None
    ids: frozenset[uuid.UUID] | None = None
    utan_skyddad_identitet: bool = False
    med_arende: bool = False
    skola_id: uuid.UUID | None = None
    arskurs: Arskurs | None = None
    namn: str | None = None
    # Pupils at this tier now (a condition from app.franvaro.narvaro.at_tier).
    narvaroniva: ColumnElement[bool] | None = None


def get_in_kommun(session: Session, *, kommun_id: uuid.UUID, elev_id: uuid.UUID) -> Elev | None:
    elev = session.get(Elev, elev_id)
    return elev if elev is not None and elev.kommun_id == kommun_id else None


def by_personnummer(session: Session, *, kommun_id: uuid.UUID, personnummer: str) -> Elev | None:
    return session.scalars(
        select(Elev).where(Elev.kommun_id == kommun_id, Elev.personnummer == personnummer)
    ).first()


def by_external_ids(
    session: Session, *, kommun_id: uuid.UUID, kalla: str, extern_ids: Collection[str]
) -> dict[str, uuid.UUID]:
    rows = session.execute(
        select(ElevExterntId.extern_id, ElevExterntId.elev_id).where(
            ElevExterntId.kommun_id == kommun_id,
            ElevExterntId.kalla == kalla,
            ElevExterntId.extern_id.in_(set(extern_ids)),
        )
    )
    return dict(rows.all())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(filter_: ElevFilter) -> Select[Elev]:
    query = select(Elev).where(Elev.kommun_id == filter_.kommun_id)
    if filter_.skolor is not None:
        query = query.where(Elev.skola_id.in_(filter_.skolor))
    if filter_.ids is not None:
        query = query.where(Elev.id.in_(filter_.ids))
    if filter_.utan_skyddad_identitet:
        query = query.where(Elev.skyddad_identitet == SkyddadIdentitet.ingen)
    if filter_.med_arende:
        query = query.where(Elev.id.in_(arenden_repository.pupils_with_case(filter_.kommun_id)))
    if filter_.skola_id is not None:
        query = query.where(Elev.skola_id == filter_.skola_id)
    if filter_.arskurs is not None:
        query = query.where(Elev.arskurs == filter_.arskurs)
    if filter_.namn:
        pattern = f"%{_escape_like(filter_.namn.casefold())}%"
        query = query.where(Elev.sokbart_namn.like(pattern, escape="\\"))
    if filter_.narvaroniva is not None:
        query = query.where(filter_.narvaroniva)
    return query


def list_filtered(session: Session, filter_: ElevFilter, page: PageParams) -> list[Elev]:
    query = filtered(filter_).order_by(Elev.id)
    if (after := page.after_uuid()) is not None:
        query = query.where(Elev.id > after)
    return list(session.scalars(query.limit(page.limit + 1)))


def guardians_of(session: Session, elev_id: uuid.UUID) -> list[Vardnadshavare]:
    return list(
        session.scalars(
            select(Vardnadshavare)
            .where(Vardnadshavare.elev_id == elev_id)
            .order_by(Vardnadshavare.efternamn, Vardnadshavare.fornamn, Vardnadshavare.id)
        )
    )


def custodians_of(
    session: Session, elev_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
    """Each pupil's guardians with custody: the people whose signatures a consent needs."""
    found: dict[uuid.UUID, set[uuid.UUID]] = {elev_id: set() for elev_id in elev_ids}
    if not elev_ids:
        return {}
    rows = session.execute(
        select(Vardnadshavare.elev_id, Vardnadshavare.id).where(
            Vardnadshavare.elev_id.in_(set(elev_ids)), Vardnadshavare.har_vardnad.is_(True)
        )
    )
    for elev_id, guardian_id in rows:
        found[elev_id].add(guardian_id)
    return {elev_id: frozenset(ids) for elev_id, ids in found.items()}


def get_guardian(
    session: Session, *, elev_id: uuid.UUID, vardnadshavare_id: uuid.UUID
) -> Vardnadshavare | None:
    guardian = session.get(Vardnadshavare, vardnadshavare_id)
    return guardian if guardian is not None and guardian.elev_id == elev_id else None


def guardian_has_signed(session: Session, vardnadshavare_id: uuid.UUID) -> bool:
    """Whether consents refer to the guardian, as signer or as the one who withdrew."""
    signed = select(SamtyckeSignatur.id).where(
        SamtyckeSignatur.vardnadshavare_id == vardnadshavare_id
    )
    withdrew = select(SamtyckeAterkallelse.id).where(
        SamtyckeAterkallelse.vardnadshavare_id == vardnadshavare_id
    )
    return session.scalars(signed.union_all(withdrew).limit(1)).first() is not None
