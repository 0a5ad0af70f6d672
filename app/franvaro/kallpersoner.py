"""Guardians as a source system sends them (SS12000.md: link them whichever comes first).

A Person who is not a pupil here is kept as a possible guardian (Kallperson); a pupil's
`responsibles` are kept as the source named them (Kallansvar). Every (pupil, responsible) pair
whose both ends are known becomes the pupil's Vardnadshavare, so the order in which the source
sends pupils and guardians does not matter.

A Vardnadshavare the source no longer names for a pupil is left as it is: it may have signed
or withdrawn consents, whose history must stay, and the school removes it by hand when it
should go.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.principal import Principal
from app.core.ids import new_id
from app.elever.models import Elev, ElevExterntId, SkyddadIdentitet, Vardnadshavare
from app.elever.personnummer import typ_av
from app.elever.service import RESURS_VARDNADSHAVARE
from app.franvaro import repository
from app.franvaro.intake import Utfall
from app.franvaro.models import Kallansvar, Kallperson
from app.franvaro.service import GRUND_INTEGRATION


class Status:
    """Per record (by its index in the batch): created, updated or unchanged, as each step
    that touches the record finds it."""

    def __init__(self) -> None:
        self.skapade: set[int] = set()
        self.uppdaterade: set[int] = set()
        self.alla: set[int] = set()

    def count(self, utfall: Utfall) -> None:
        uppdaterade = self.uppdaterade - self.skapade
        utfall.skapade += len(self.skapade)
        utfall.uppdaterade += len(uppdaterade)
        utfall.oforandrade += len(self.alla - self.skapade - uppdaterade)


def assign(target: object, values: dict[str, Any]) -> bool:
    """Sets the values that differ; answers whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


@dataclass(frozen=True, slots=True)
class Personpost:
    """A Person who is not a pupil here. `skydd` None: the source did not say."""

    index: int
    extern_id: str
    fornamn: str
    efternamn: str
    personnummer: str | None
    skydd: SkyddadIdentitet | None


@dataclass(frozen=True, slots=True)
class Ansvarspost:
    """A stored pupil's responsibles as sent: person id → custody. None: the source did not
    send the list, so the stored one stands."""

    index: int
    elev_extern_id: str
    ansvariga: dict[str, bool] | None


def store_responsibles(
    session: Session, kalla: str, poster: list[Ansvarspost], status: Status
) -> None:
    """Each pupil's responsibles replaced by those the source sent now."""
    sent = [p for p in poster if p.ansvariga is not None]
    stored: dict[str, dict[str, Kallansvar]] = {}
    for condition in repository.among(
        session, Kallansvar.elev_extern_id, {p.elev_extern_id for p in sent}
    ):
        for row in session.scalars(select(Kallansvar).where(Kallansvar.kalla == kalla, condition)):
            stored.setdefault(row.elev_extern_id, {})[row.person_id] = row
    for p in sent:
        if _replace(session, kalla, p, stored.get(p.elev_extern_id, {})):
            status.uppdaterade.add(p.index)
    session.flush()


def _replace(session: Session, kalla: str, p: Ansvarspost, old: dict[str, Kallansvar]) -> bool:
    ansvariga = p.ansvariga or {}
    changed = False
    for person_id, row in old.items():
        if person_id not in ansvariga:
            session.delete(row)
            changed = True
    for person_id, har_vardnad in ansvariga.items():
        kept = old.get(person_id)
        if kept is not None:
            changed = assign(kept, {"har_vardnad": har_vardnad}) or changed
            continue
        session.add(
            Kallansvar(
                kalla=kalla,
                elev_extern_id=p.elev_extern_id,
                person_id=person_id,
                har_vardnad=har_vardnad,
            )
        )
        changed = True
    return changed


def store_persons(
    session: Session,
    principal: Principal,
    kalla: str,
    poster: list[Personpost],
    status: Status,
) -> None:
    """Persons who are not pupils here, kept as possible guardians. A missing securityMarking
    keeps the protection already stored."""
    stored = repository.by_source(session, Kallperson, kalla, {g.extern_id for g in poster})
    for g in poster:
        status.alla.add(g.index)
        row = stored.get(g.extern_id)
        if row is None:
            session.add(
                Kallperson(
                    kalla=kalla,
                    extern_id=g.extern_id,
                    kommun_id=principal.kommun_id,
                    fornamn=g.fornamn,
                    efternamn=g.efternamn,
                    personnummer=g.personnummer,
                    skyddad_identitet=str(g.skydd or SkyddadIdentitet.ingen),
                )
            )
            status.skapade.add(g.index)
            continue
        values = {
            "fornamn": g.fornamn,
            "efternamn": g.efternamn,
            "personnummer": g.personnummer,
            "skyddad_identitet": str(g.skydd or row.skyddad_identitet),
        }
        if assign(row, values):
            status.uppdaterade.add(g.index)
    session.flush()


def link(
    session: Session,
    principal: Principal,
    kalla: str,
    elever: dict[str, Elev],
    personer: set[str],
) -> None:
    """A Vardnadshavare for every (pupil, responsible) pair this batch touched whose both ends
    are known: the batch's pupils with their responsibles, and the batch's persons with the
    pupils who named them earlier."""
    links: dict[tuple[str, str], bool] = {}
    for column, values in (
        (Kallansvar.elev_extern_id, set(elever)),
        (Kallansvar.person_id, personer),
    ):
        for condition in repository.among(session, column, values):
            for row in session.scalars(
                select(Kallansvar).where(Kallansvar.kalla == kalla, condition)
            ):
                links[(row.elev_extern_id, row.person_id)] = row.har_vardnad
    pupils = dict(elever)
    pupils.update(pupils_of_source(session, principal, kalla, {e for e, _ in links} - set(elever)))
    persons = repository.by_source(session, Kallperson, kalla, {pid for _, pid in links})
    pairs: dict[tuple[uuid.UUID, str], tuple[Elev, Kallperson, bool]] = {}
    for (elev_ext, pid), har_vardnad in links.items():
        # Only pupils of the integration's schools get guardians from it: one who has moved to
        # another school keeps the guardians that school knows.
        elev = pupils.get(elev_ext)
        if elev is not None and elev.skola_id in principal.skolor and pid in persons:
            # A pupil known by two ids of the source gets the guardian once.
            pairs[(elev.id, pid)] = (elev, persons[pid], har_vardnad)
    _store_guardians(session, principal, kalla, list(pairs.values()))


def pupils_of_source(
    session: Session, principal: Principal, kalla: str, extern_ids: set[str]
) -> dict[str, Elev]:
    """The kommun's pupils by their id in the source (their other ids not loaded up front)."""
    found: dict[str, Elev] = {}
    for condition in repository.among(session, ElevExterntId.extern_id, extern_ids):
        rows = session.execute(
            select(ElevExterntId.extern_id, Elev)
            .join(Elev, Elev.id == ElevExterntId.elev_id)
            .options(lazyload(Elev.externa_id))
            .where(
                ElevExterntId.kommun_id == principal.kommun_id,
                ElevExterntId.kalla == kalla,
                condition,
            )
        )
        found.update((extern_id, elev) for extern_id, elev in rows)
    return found


def _values(person: Kallperson, har_vardnad: bool) -> dict[str, Any]:
    return {
        "fornamn": person.fornamn,
        "efternamn": person.efternamn,
        "personnummer": person.personnummer,
        "identitetstyp": None if person.personnummer is None else typ_av(person.personnummer),
        "har_vardnad": har_vardnad,
        "skyddad_identitet": SkyddadIdentitet(person.skyddad_identitet),
    }


def _store_guardians(
    session: Session,
    principal: Principal,
    kalla: str,
    pairs: list[tuple[Elev, Kallperson, bool]],
) -> None:
    """Creates or updates the pupil's guardian from the source; one the school registered by
    hand with the same personnummer gets the source id instead of a duplicate."""
    by_source: dict[tuple[uuid.UUID, str], Vardnadshavare] = {}
    by_hand: dict[tuple[uuid.UUID, str], Vardnadshavare] = {}
    for condition in repository.among(
        session, Vardnadshavare.elev_id, {elev.id for elev, _, _ in pairs}
    ):
        for row in session.scalars(select(Vardnadshavare).where(condition)):
            if row.kalla == kalla and row.extern_id is not None:
                by_source[(row.elev_id, row.extern_id)] = row
            elif row.kalla is None and row.personnummer is not None:
                by_hand.setdefault((row.elev_id, row.personnummer), row)
    changed: list[tuple[Atgard, Vardnadshavare]] = []
    for elev, person, har_vardnad in pairs:
        values = _values(person, har_vardnad)
        guardian = by_source.get((elev.id, person.extern_id))
        if guardian is None and person.personnummer is not None:
            guardian = by_hand.pop((elev.id, person.personnummer), None)
            if guardian is not None:
                values.update(kalla=kalla, extern_id=person.extern_id)
        if guardian is None:
            guardian = Vardnadshavare(
                id=new_id(),
                kommun_id=principal.kommun_id,
                elev_id=elev.id,
                kalla=kalla,
                extern_id=person.extern_id,
                **values,
            )
            session.add(guardian)
            changed.append((Atgard.create, guardian))
        elif assign(guardian, values):
            changed.append((Atgard.update, guardian))
    session.flush()
    for atgard, guardian in changed:
        record(
            session,
            atgard=atgard,
            resurs_typ=RESURS_VARDNADSHAVARE,
            resurs_id=guardian.id,
            elev_id=guardian.elev_id,
            rattslig_grund=GRUND_INTEGRATION,
        )
