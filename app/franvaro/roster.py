"""The roster from a school information system: school units (SS 12000 Organisation) and pupils
with their guardians (SS 12000 Person), as SS12000.md maps them.

A school unit is matched to one of the integration's schools by its skolenhetskod and its source
id is kept, so that enrolments find it. A Person with a current GR/GRS enrolment at one of those
schools is a pupil: found by the source's id, else by personnummer (a pupil the school registered
by hand, who then gets the source's id), else created; one found at a school that is not the
integration's is refused. Any other Person is a possible guardian, linked to pupils in
kallpersoner.py.

The whole batch runs in the request's transaction under the kommun's lock, with a few queries
per batch whatever its size.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.principal import Principal
from app.core.time import today
from app.elever.models import Arskurs, Elev, ElevExterntId, Skolform, SkyddadIdentitet
from app.elever.personnummer import Identitet, OgiltigtPersonnummer, parse_from_source
from app.elever.service import RESURS, sokbart_namn
from app.franvaro import kallpersoner, repository, ss12000
from app.franvaro.batch import validate_each
from app.franvaro.intake import Avvisad, Utfall, last_of_each, lock_kommun
from app.franvaro.kallpersoner import Ansvarspost, Personpost, Status, assign
from app.franvaro.models import SkolaExterntId
from app.franvaro.service import ANNAN_SKOLA, GRUND_INTEGRATION, audit_batch, upsert_by_id
from app.skolor.models import Skola

SKOLENHET = "Skolenhet"
VARDNADSHAVARE = "Vårdnadshavare"
_SKOLFORMER = {"GR": Skolform.grundskola, "GRS": Skolform.anpassad_grundskola}
_ARSKURSER = {0: Arskurs.F, **{n: Arskurs(str(n)) for n in range(1, 10)}}
_SKYDD = {
    "Ingen": SkyddadIdentitet.ingen,
    "Sekretessmarkering": SkyddadIdentitet.sekretessmarkering,
    "Skyddad folkbokföring": SkyddadIdentitet.skyddad_folkbokforing,
}

# Reasons and notes, as the answer says them.
UTAN_KOD = "Skolenheten saknar schoolUnitCode och kan inte matchas mot en skola."
PERSONNUMMER_SAKNAS = "Personnummer saknas (civicNo): en elev behöver ett personnummer."
ARSKURS_SAKNAS = "Årskurs saknas (schoolYear) i elevens inskrivning."
PERSONNUMMER_UPPTAGET = (
    "Personnumret hör redan till en annan elev i kommunen (med ett annat id i källan)."
)
PERSONNUMMER_I_BATCHEN = "Samma personnummer har en annan person tidigare i batchen."
INGEN_AKTUELL = (
    "Ingen aktuell inskrivning i grundskola eller anpassad grundskola; personen sparas som "
    "möjlig vårdnadshavare."
)


def _annan_kod(kod: str) -> str:
    return f"Skolenhetskoden {kod} hör inte till någon av integrationens skolor."


def _typ_anvands_inte(typ: str) -> str:
    return f"Organisationstypen {typ} används inte; posten sparas inte."


def _okand_skolenhet(extern_id: str) -> str:
    return f"Skolenheten {extern_id} är okänd för integrationen. Skicka Organisation först."


def _annan_skolenhet(extern_id: str) -> str:
    return f"Skolenheten {extern_id} är inte en av integrationens skolor."


def _ogiltig_arskurs(arskurs: int) -> str:
    return f"Årskurs {arskurs} finns inte här (förskoleklass 0 och årskurs 1–9)."


def _last_of_each(valid: list[tuple[int, Any]], utfall: Utfall) -> list[tuple[int, Any]]:
    """The last record with each id, in the batch's order (intake.last_of_each)."""
    return sorted(last_of_each(valid, itemgetter("id"), utfall).values(), key=itemgetter(0))


def import_organisations(
    session: Session, principal: Principal, kalla: str, raw: list[Any]
) -> Utfall:
    """SS 12000 Organisation: a Skolenhet is matched by its schoolUnitCode to one of the
    integration's schools, and its id is kept for enrolments to find."""
    utfall = Utfall(mottagna=0)
    valid: list[tuple[int, ss12000.Organisation]] = _last_of_each(
        validate_each(ss12000.ORGANISATIONS, raw, utfall), utfall
    )
    lock_kommun(session, principal.kommun_id)
    # Only the integration's own schools: a code elsewhere is answered as if it did not exist.
    ours = select(Skola.skolenhetskod, Skola.id).where(Skola.id.in_(principal.skolor))
    skolor: dict[str, uuid.UUID] = {row[0]: row[1] for row in session.execute(ours)}
    rows: dict[str, tuple[int, SkolaExterntId]] = {}
    for index, o in valid:
        if o["organisationType"] != SKOLENHET:
            utfall.oforandrade += 1
            utfall.anmarkningar.append(
                Avvisad(index, o["id"], _typ_anvands_inte(o["organisationType"]))
            )
            continue
        kod = o.get("schoolUnitCode")
        if not kod:
            utfall.avvisa(index, o["id"], UTAN_KOD)
            continue
        skola_id = skolor.get(kod)
        if skola_id is None:
            utfall.avvisa(index, o["id"], _annan_kod(kod))
            continue
        rows[o["id"]] = (index, SkolaExterntId(kalla=kalla, extern_id=o["id"], skola_id=skola_id))
    stored = repository.by_source(session, SkolaExterntId, kalla, rows)
    upsert_by_id(session, utfall, rows, stored, ("skola_id",))
    audit_batch(session, "skolenhet")
    return utfall


@dataclass(slots=True)
class _Elevdata:
    index: int
    extern_id: str
    skola_id: uuid.UUID
    identitet: Identitet
    fornamn: str
    efternamn: str
    arskurs: Arskurs
    skolform: Skolform
    skydd: SkyddadIdentitet | None
    ansvariga: dict[str, bool] | None


def _current(person: ss12000.Person, idag: date) -> list[ss12000.Enrolment]:
    """The person's current enrolments in grundskola or anpassad grundskola, latest first."""
    found = [
        e
        for e in person.get("enrolments") or []
        if e["schoolType"] in _SKOLFORMER
        and not e.get("cancelled")
        and (e.get("startDate") or date.min) <= idag
        and (e.get("endDate") or date.max) >= idag
    ]
    return sorted(found, key=lambda e: e.get("startDate") or date.min, reverse=True)


def _civic_no(person: ss12000.Person, idag: date) -> Identitet | None:
    """The person's civicNo, parsed (raises OgiltigtPersonnummer), or None when there is none."""
    civic = person.get("civicNo")
    return None if civic is None else parse_from_source(civic["value"], idag=idag)


def _ogiltigt(error: OgiltigtPersonnummer) -> str:
    return f"Ogiltigt personnummer (civicNo): {error}"


def _skydd(person: ss12000.Person) -> SkyddadIdentitet | None:
    marking = person.get("securityMarking")
    return None if marking is None else _SKYDD[marking]


def _pupil(
    principal: Principal,
    utfall: Utfall,
    index: int,
    person: ss12000.Person,
    enrolments: list[ss12000.Enrolment],
    skolor: dict[str, uuid.UUID],
    idag: date,
) -> _Elevdata | None:
    id_ = person["id"]
    ours = [e for e in enrolments if skolor.get(e["enroledAt"]["id"]) in principal.skolor]
    if not ours:
        org = enrolments[0]["enroledAt"]["id"]
        known = org in skolor
        utfall.avvisa(index, id_, _annan_skolenhet(org) if known else _okand_skolenhet(org))
        return None
    enrolment = ours[0]
    arskurs = enrolment.get("schoolYear")
    if arskurs is None or arskurs not in _ARSKURSER:
        skal = ARSKURS_SAKNAS if arskurs is None else _ogiltig_arskurs(arskurs)
        utfall.avvisa(index, id_, skal)
        return None
    try:
        identitet = _civic_no(person, idag)
    except OgiltigtPersonnummer as error:
        utfall.avvisa(index, id_, _ogiltigt(error))
        return None
    if identitet is None:
        utfall.avvisa(index, id_, PERSONNUMMER_SAKNAS)
        return None
    return _Elevdata(
        index=index,
        extern_id=id_,
        skola_id=skolor[enrolment["enroledAt"]["id"]],
        identitet=identitet,
        fornamn=person["givenName"],
        efternamn=person["familyName"],
        arskurs=_ARSKURSER[arskurs],
        skolform=_SKOLFORMER[enrolment["schoolType"]],
        skydd=_skydd(person),
        ansvariga=_ansvariga(person),
    )


def _ansvariga(person: ss12000.Person) -> dict[str, bool] | None:
    """Responsible person id → custody; None when the source left the list out (or null)."""
    sent = person.get("responsibles")
    if sent is None:
        return None
    ansvariga: dict[str, bool] = {}
    for ansvarig in sent:
        pid = ansvarig["person"]["id"]
        ansvariga[pid] = ansvariga.get(pid, False) or ansvarig.get("relationType") == VARDNADSHAVARE
    return ansvariga


def _guardian(utfall: Utfall, index: int, person: ss12000.Person, idag: date) -> Personpost | None:
    try:
        identitet = _civic_no(person, idag)
    except OgiltigtPersonnummer as error:
        utfall.avvisa(index, person["id"], _ogiltigt(error))
        return None
    if any(e["schoolType"] in _SKOLFORMER for e in person.get("enrolments") or []):
        utfall.anmarkningar.append(Avvisad(index, person["id"], INGEN_AKTUELL))
    return Personpost(
        index=index,
        extern_id=person["id"],
        fornamn=person["givenName"],
        efternamn=person["familyName"],
        personnummer=None if identitet is None else identitet.nummer,
        skydd=_skydd(person),
    )


def _schools_by_source(session: Session, kalla: str, orgs: set[str]) -> dict[str, uuid.UUID]:
    """Source organisation id → school, for the school units the source has sent."""
    found: dict[str, uuid.UUID] = {}
    for condition in repository.among(session, SkolaExterntId.extern_id, orgs):
        rows = session.execute(
            select(SkolaExterntId.extern_id, SkolaExterntId.skola_id).where(
                SkolaExterntId.kalla == kalla, condition
            )
        )
        found.update((extern_id, skola_id) for extern_id, skola_id in rows)
    return found


def import_persons(session: Session, principal: Principal, kalla: str, raw: list[Any]) -> Utfall:
    """SS 12000 Person: pupils of the integration's schools, and their guardians."""
    utfall = Utfall(mottagna=0)
    valid: list[tuple[int, ss12000.Person]] = _last_of_each(
        validate_each(ss12000.PERSONS, raw, utfall), utfall
    )
    lock_kommun(session, principal.kommun_id)
    idag = today()
    current = {index: _current(person, idag) for index, person in valid}
    skolor = _schools_by_source(
        session, kalla, {e["enroledAt"]["id"] for found in current.values() for e in found}
    )
    pupils: list[_Elevdata] = []
    guardians: list[Personpost] = []
    for index, person in valid:
        if current[index]:
            pupil = _pupil(principal, utfall, index, person, current[index], skolor, idag)
            if pupil is not None:
                pupils.append(pupil)
        elif (guardian := _guardian(utfall, index, person, idag)) is not None:
            guardians.append(guardian)
    status = Status()
    elever = _store_pupils(session, principal, kalla, pupils, utfall, status)
    ansvar = [
        Ansvarspost(p.index, p.extern_id, p.ansvariga) for p in pupils if p.extern_id in elever
    ]
    kallpersoner.store_responsibles(session, kalla, ansvar, status)
    kallpersoner.store_persons(session, principal, kalla, guardians, status)
    kallpersoner.link(session, principal, kalla, elever, {g.extern_id for g in guardians})
    status.count(utfall)
    audit_batch(session, "person")
    return utfall


def _pupils_found(
    session: Session, principal: Principal, kalla: str, pupils: list[_Elevdata]
) -> tuple[dict[str, Elev], dict[str, Elev]]:
    """The batch's pupils already here: by their source id, and by personnummer (only the
    numbers that are new to the pupil they were sent for)."""
    by_source = kallpersoner.pupils_of_source(
        session, principal, kalla, {p.extern_id for p in pupils}
    )
    by_number: dict[str, Elev] = {}
    numbers = {
        p.identitet.nummer
        for p in pupils
        if (known := by_source.get(p.extern_id)) is None or known.personnummer != p.identitet.nummer
    }
    for condition in repository.among(session, Elev.personnummer, numbers):
        by_number.update(
            (elev.personnummer, elev)
            for elev in session.scalars(
                select(Elev).where(Elev.kommun_id == principal.kommun_id, condition)
            )
        )
    return by_source, by_number


def _store_pupils(
    session: Session,
    principal: Principal,
    kalla: str,
    pupils: list[_Elevdata],
    utfall: Utfall,
    status: Status,
) -> dict[str, Elev]:
    """Creates or updates each pupil; a pupil the school registered by hand is found by
    personnummer and gets the source id. Answers source id → pupil for the stored ones."""
    by_source, by_number = _pupils_found(session, principal, kalla, pupils)
    claimed: set[str] = set()
    stored: dict[str, Elev] = {}
    for p in pupils:
        nummer = p.identitet.nummer
        elev = by_source.get(p.extern_id)
        owner = by_number.get(nummer)
        if nummer in claimed:
            utfall.avvisa(p.index, p.extern_id, PERSONNUMMER_I_BATCHEN)
            continue
        # A pupil of another school is that school's: the source may not move, rename or
        # unprotect them, whether it finds them by its own id or by personnummer.
        if any(e is not None and e.skola_id not in principal.skolor for e in (elev, owner)):
            utfall.avvisa(p.index, p.extern_id, ANNAN_SKOLA)
            continue
        if elev is None and owner is not None:
            if any(e.kalla == kalla for e in owner.externa_id):
                utfall.avvisa(p.index, p.extern_id, PERSONNUMMER_UPPTAGET)
                continue
            elev = owner
            elev.externa_id.append(
                ElevExterntId(kommun_id=principal.kommun_id, kalla=kalla, extern_id=p.extern_id)
            )
            status.uppdaterade.add(p.index)
        elif owner is not None and owner is not elev:
            utfall.avvisa(p.index, p.extern_id, PERSONNUMMER_UPPTAGET)
            continue
        claimed.add(nummer)
        status.alla.add(p.index)
        if elev is None:
            elev = _new_pupil(session, principal, kalla, p)
            status.skapade.add(p.index)
        elif _update_pupil(elev, p):
            status.uppdaterade.add(p.index)
        stored[p.extern_id] = elev
    session.flush()
    _audit_pupils(session, pupils, stored, status)
    return stored


def _audit_pupils(
    session: Session, pupils: list[_Elevdata], stored: dict[str, Elev], status: Status
) -> None:
    """One row per pupil created or changed, so that the pupil's access log shows it."""
    for p in pupils:
        elev = stored.get(p.extern_id)
        if elev is None:
            continue
        if p.index in status.skapade:
            atgard = Atgard.create
        elif p.index in status.uppdaterade:
            atgard = Atgard.update
        else:
            continue
        record(
            session,
            atgard=atgard,
            resurs_typ=RESURS,
            resurs_id=elev.id,
            elev_id=elev.id,
            rattslig_grund=GRUND_INTEGRATION,
        )


def _new_pupil(session: Session, principal: Principal, kalla: str, p: _Elevdata) -> Elev:
    elev = Elev(
        kommun_id=principal.kommun_id,
        skola_id=p.skola_id,
        personnummer=p.identitet.nummer,
        identitetstyp=p.identitet.typ,
        fornamn=p.fornamn,
        efternamn=p.efternamn,
        sokbart_namn=sokbart_namn(p.fornamn, p.efternamn),
        arskurs=p.arskurs,
        skolform=p.skolform,
        skyddad_identitet=p.skydd or SkyddadIdentitet.ingen,
        externa_id=[
            ElevExterntId(kommun_id=principal.kommun_id, kalla=kalla, extern_id=p.extern_id)
        ],
    )
    session.add(elev)
    return elev


def _update_pupil(elev: Elev, p: _Elevdata) -> bool:
    """The source's values for the pupil (a pupil may move between the kommun's schools).
    A missing securityMarking keeps the protection the pupil has."""
    return assign(
        elev,
        {
            "skola_id": p.skola_id,
            "personnummer": p.identitet.nummer,
            "identitetstyp": p.identitet.typ,
            "fornamn": p.fornamn,
            "efternamn": p.efternamn,
            "sokbart_namn": sokbart_namn(p.fornamn, p.efternamn),
            "arskurs": p.arskurs,
            "skolform": p.skolform,
            "skyddad_identitet": p.skydd or elev.skyddad_identitet,
        },
    )
