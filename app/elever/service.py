"""Pupils and guardians: registration, reading within the caller's scope, and audit."""

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.audit.chain import Atgard, Utfall
from app.audit.trail import record
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.ids import new_id
from app.core.time import today
from app.elever import repository
from app.elever.access import GRUND_EGEN_SKOLA, Atkomst, access_to, basis_in_list, list_scope
from app.elever.models import Arskurs, Elev, ElevExterntId, KontaktMixin, Vardnadshavare
from app.elever.personnummer import typ_av
from app.elever.repository import ElevFilter
from app.elever.schemas import (
    ElevCreate,
    ElevUpdate,
    ExterntId,
    Kontaktuppgifter,
    VardnadshavareCreate,
    VardnadshavareUpdate,
)
from app.franvaro import narvaro
from app.franvaro.rules import Fonster, Narvaroniva
from app.kit.pagination import PageParams
from app.samtycken import status as samtycke_status
from app.skolor.service import resolve_many

RESURS = "elev"
RESURS_VARDNADSHAVARE = "vardnadshavare"


@dataclass(frozen=True, slots=True)
class SynligElev:
    elev: Elev
    atkomst: Atkomst


def sokbart_namn(fornamn: str, efternamn: str) -> str:
    return f"{fornamn} {efternamn}".casefold()


def load(session: Session, principal: Principal, elev_id: uuid.UUID) -> SynligElev:
    """The pupil if the caller may see them now; otherwise 404, as if they did not exist."""
    elev = repository.get_in_kommun(session, kommun_id=principal.kommun_id, elev_id=elev_id)
    if elev is None:
        raise NotFound(RESURS, elev_id)
    atkomst = access_to(session, principal, elev, idag=today())
    if atkomst is None:
        raise NotFound(RESURS, elev_id, elev_id=elev.id)
    return SynligElev(elev, atkomst)


def audit(
    session: Session,
    synlig: SynligElev,
    atgard: Atgard,
    *,
    resurs_typ: str = RESURS,
    resurs_id: object | None = None,
) -> None:
    """Records an allowed access to the pupil's data with its legal basis."""
    record(
        session,
        atgard=atgard,
        resurs_typ=resurs_typ,
        resurs_id=synlig.elev.id if resurs_id is None else resurs_id,
        elev_id=synlig.elev.id,
        rattslig_grund=synlig.atkomst.grund,
    )


def read(session: Session, principal: Principal, elev_id: uuid.UUID) -> SynligElev:
    synlig = load(session, principal, elev_id)
    audit(session, synlig, Atgard.read)
    return synlig


def list_elever(
    session: Session,
    principal: Principal,
    *,
    skola_id: uuid.UUID | None,
    arskurs: Arskurs | None,
    namn: str | None,
    page: PageParams,
    narvaroniva: Narvaroniva | None = None,
) -> list[SynligElev]:
    scope = list_scope(session, principal, idag=today())
    if scope is None:
        return []
    tier = None
    if narvaroniva is not None:
        narvaro.ensure_current(session, principal.kommun_id, Fonster.per(today()))
        granser = narvaro.granser_for(session, principal.kommun_id)
        tier = narvaro.at_tier(Elev.id, principal.kommun_id, narvaroniva, granser)
    filter_ = ElevFilter(
        kommun_id=principal.kommun_id,
        skolor=scope.skolor,
        ids=None if scope.samtycken is None else frozenset(scope.samtycken),
        utan_skyddad_identitet=scope.utan_skyddad_identitet,
        med_arende=scope.med_arende,
        skola_id=skola_id,
        arskurs=arskurs,
        namn=namn,
        narvaroniva=tier,
    )
    rows = repository.list_filtered(session, filter_, page)
    found = [SynligElev(elev, basis_in_list(principal, elev, scope)) for elev in rows]
    for synlig in found[: page.limit]:
        audit(session, synlig, Atgard.search)
    return found


def search_by_personnummer(
    session: Session, principal: Principal, personnummer: str
) -> list[SynligElev]:
    """The pupil with that number, if the caller may see them; a hidden match is a denial."""
    elev = repository.by_personnummer(
        session, kommun_id=principal.kommun_id, personnummer=personnummer
    )
    atkomst = None if elev is None else access_to(session, principal, elev, idag=today())
    if elev is None or atkomst is None:
        record(
            session,
            atgard=Atgard.search,
            resurs_typ=RESURS,
            elev_id=None if elev is None else elev.id,
            utfall=Utfall.allowed if elev is None else Utfall.denied,
        )
        return []
    synlig = SynligElev(elev, atkomst)
    audit(session, synlig, Atgard.search)
    return [synlig]


def _set_contact(target: KontaktMixin, data: Kontaktuppgifter | None) -> None:
    data = data or Kontaktuppgifter()
    target.adress = data.adress
    target.postnummer = data.postnummer
    target.ort = data.ort
    target.telefon = data.telefon
    target.epost = data.epost


def _school_of_caller(principal: Principal, skola_id: uuid.UUID) -> None:
    if skola_id not in principal.skolor:
        raise InvalidInput(
            "Eleven kan bara registreras på en av dina skolor.",
            errors=[{"plats": "body.skola_id", "meddelande": "Inte en av dina skolor."}],
        )


def _ensure_personnummer_free(
    session: Session, principal: Principal, personnummer: str, *, except_id: uuid.UUID | None
) -> None:
    other = repository.by_personnummer(
        session, kommun_id=principal.kommun_id, personnummer=personnummer
    )
    if other is not None and other.id != except_id:
        raise Conflict("En elev med det personnumret finns redan i kommunen.")


def _external_ids(
    session: Session, principal: Principal, elev: Elev, externa_id: list[ExterntId]
) -> list[ElevExterntId]:
    pairs = {(item.kalla, item.id) for item in externa_id}
    for kalla in {kalla for kalla, _ in pairs}:
        taken = repository.by_external_ids(
            session,
            kommun_id=principal.kommun_id,
            kalla=kalla,
            extern_ids=[extern for source, extern in pairs if source == kalla],
        )
        if any(owner != elev.id for owner in taken.values()):
            raise Conflict("Ett av de externa id:na hör redan till en annan elev.")
    kept = {(item.kalla, item.extern_id): item for item in elev.externa_id}
    return [
        kept.get(pair)
        or ElevExterntId(kommun_id=principal.kommun_id, kalla=pair[0], extern_id=pair[1])
        for pair in sorted(pairs)
    ]


def create(session: Session, principal: Principal, data: ElevCreate) -> SynligElev:
    _school_of_caller(principal, data.skola_id)
    _ensure_personnummer_free(session, principal, data.personnummer, except_id=None)
    elev = Elev(
        id=new_id(),
        kommun_id=principal.kommun_id,
        skola_id=data.skola_id,
        personnummer=data.personnummer,
        identitetstyp=typ_av(data.personnummer),
        fornamn=data.fornamn,
        efternamn=data.efternamn,
        sokbart_namn=sokbart_namn(data.fornamn, data.efternamn),
        arskurs=data.arskurs,
        skolform=data.skolform,
        skyddad_identitet=data.skyddad_identitet,
        externa_id=[],
    )
    _set_contact(elev, data.kontaktuppgifter)
    elev.externa_id = _external_ids(session, principal, elev, data.externa_id)
    session.add(elev)
    session.flush()
    synlig = SynligElev(elev, Atkomst(GRUND_EGEN_SKOLA, ser_skyddade=True))
    audit(session, synlig, Atgard.create)
    return synlig


def update(session: Session, principal: Principal, synlig: SynligElev, data: ElevUpdate) -> None:
    elev = synlig.elev
    fields = data.model_fields_set
    if data.personnummer is not None and data.personnummer != elev.personnummer:
        _ensure_personnummer_free(session, principal, data.personnummer, except_id=elev.id)
        elev.personnummer = data.personnummer
        elev.identitetstyp = typ_av(data.personnummer)
    if data.skola_id is not None and data.skola_id != elev.skola_id:
        # A pupil may move to any school of the kommun; the old school registers the move.
        resolve_many(session, principal, [data.skola_id], field="skola_id")
        elev.skola_id = data.skola_id
    elev.fornamn = data.fornamn or elev.fornamn
    elev.efternamn = data.efternamn or elev.efternamn
    elev.sokbart_namn = sokbart_namn(elev.fornamn, elev.efternamn)
    elev.arskurs = data.arskurs or elev.arskurs
    elev.skolform = data.skolform or elev.skolform
    elev.skyddad_identitet = data.skyddad_identitet or elev.skyddad_identitet
    if "kontaktuppgifter" in fields:
        _set_contact(elev, data.kontaktuppgifter)
    if data.externa_id is not None:
        elev.externa_id = _external_ids(session, principal, elev, data.externa_id)
    session.flush()
    audit(session, synlig, Atgard.update)


def list_guardians(session: Session, synlig: SynligElev) -> list[Vardnadshavare]:
    audit(session, synlig, Atgard.read, resurs_typ=RESURS_VARDNADSHAVARE)
    return repository.guardians_of(session, synlig.elev.id)


def load_guardian(
    session: Session, synlig: SynligElev, vardnadshavare_id: uuid.UUID
) -> Vardnadshavare:
    guardian = repository.get_guardian(
        session, elev_id=synlig.elev.id, vardnadshavare_id=vardnadshavare_id
    )
    if guardian is None:
        raise NotFound(RESURS_VARDNADSHAVARE, vardnadshavare_id, elev_id=synlig.elev.id)
    return guardian


def add_guardian(
    session: Session, principal: Principal, synlig: SynligElev, data: VardnadshavareCreate
) -> Vardnadshavare:
    guardian = Vardnadshavare(
        kommun_id=principal.kommun_id,
        elev_id=synlig.elev.id,
        fornamn=data.fornamn,
        efternamn=data.efternamn,
        personnummer=data.personnummer,
        identitetstyp=None if data.personnummer is None else typ_av(data.personnummer),
        har_vardnad=data.har_vardnad,
        skyddad_identitet=data.skyddad_identitet,
    )
    _set_contact(guardian, data.kontaktuppgifter)
    session.add(guardian)
    session.flush()
    audit(session, synlig, Atgard.create, resurs_typ=RESURS_VARDNADSHAVARE, resurs_id=guardian.id)
    return guardian


def update_guardian(
    session: Session, synlig: SynligElev, guardian: Vardnadshavare, data: VardnadshavareUpdate
) -> Vardnadshavare:
    fields = data.model_fields_set
    guardian.fornamn = data.fornamn or guardian.fornamn
    guardian.efternamn = data.efternamn or guardian.efternamn
    if "personnummer" in fields:
        guardian.personnummer = data.personnummer
        guardian.identitetstyp = None if data.personnummer is None else typ_av(data.personnummer)
    if data.har_vardnad is not None:
        if not data.har_vardnad:
            _refuse_if_a_consent_awaits(
                session, guardian, "registreras utan vårdnad", plats="body.har_vardnad"
            )
        guardian.har_vardnad = data.har_vardnad
    guardian.skyddad_identitet = data.skyddad_identitet or guardian.skyddad_identitet
    if "kontaktuppgifter" in fields:
        _set_contact(guardian, data.kontaktuppgifter)
    session.flush()
    audit(session, synlig, Atgard.update, resurs_typ=RESURS_VARDNADSHAVARE, resurs_id=guardian.id)
    return guardian


def _refuse_if_a_consent_awaits(
    session: Session, guardian: Vardnadshavare, change: str, *, plats: str | None = None
) -> None:
    """A custodian whose signature a consent waits for stays one: otherwise the consent would
    come into force without it, on the other custodian's signature alone."""
    if guardian.har_vardnad and samtycke_status.awaits_signature_of(
        session, elev_id=guardian.elev_id, vardnadshavare_id=guardian.id, idag=today()
    ):
        raise Conflict(
            "Ett samtycke väntar på vårdnadshavarens signatur, så vårdnadshavaren kan inte "
            f"{change} förrän hen har signerat eller samtycket har återkallats.",
            errors=None
            if plats is None
            else [{"plats": plats, "meddelande": "Ett samtycke väntar på signaturen."}],
        )


def remove_guardian(session: Session, synlig: SynligElev, guardian: Vardnadshavare) -> None:
    if repository.guardian_has_signed(session, guardian.id):
        raise Conflict(
            "Vårdnadshavaren har signerat eller återkallat samtycken och kan inte tas bort. "
            "Ändra har_vardnad i stället."
        )
    _refuse_if_a_consent_awaits(session, guardian, "tas bort")
    session.delete(guardian)
    session.flush()
    audit(session, synlig, Atgard.delete, resurs_typ=RESURS_VARDNADSHAVARE, resurs_id=guardian.id)
