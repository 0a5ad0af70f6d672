"""Absence intake from integrations: the native batch and the SS 12000 objects that carry absence
(CalendarEvent, Attendance, Absence). Each record is checked by itself; the valid ones are stored
by intake.store in the request's transaction."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Annotated, Any, NotRequired

from pydantic import ConfigDict, StringConstraints, TypeAdapter, with_config
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.principal import Principal
from app.core.time import SKOLTID, today, utcnow
from app.franvaro import repository, ss12000
from app.franvaro.batch import validate_each
from app.franvaro.intake import Avvisad, Post, Utfall, last_of_each, lock_kommun, store
from app.franvaro.models import Anmalningstyp, Franvaroanmalan, Kalenderhandelse
from app.franvaro.rules import vecka
from app.kit.schemas import NO_NUL, Datum

GRUND_INTEGRATION = "integration"

Id = ss12000.Id
Minuter = ss12000.Minuter


@with_config(ConfigDict(extra="forbid"))
class NativPost(TypedDict):
    """One lesson's or day's absence for one pupil, in Samverka's own shape."""

    kall_post_id: Id
    elev_id: NotRequired[uuid.UUID]
    kall_elev_id: NotRequired[Id]
    datum: Datum
    schemalagda_minuter: Minuter
    giltig_franvaro_minuter: Minuter
    ogiltig_franvaro_minuter: Minuter
    orsak: NotRequired[Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)] | None]


NATIVE = TypeAdapter(NativPost)

# Reasons a record is refused, as the answer says them.
OKAND_ELEV = "Okänd elev: källans person-id är inte inläst (skicka Person först)."
OKAND_ELEV_ID = "Okänd elev: inget elev-id i kommunen."
ANNAN_SKOLA = "Eleven går på en skola som integrationen inte är knuten till."
FRAMTIDA_DATUM = "Datumet ligger i framtiden; frånvaro rapporteras när den har inträffat."
FOR_MANGA_MINUTER = "Minuterna går inte ihop: frånvaro och närvaro är mer än den schemalagda tiden."
INSTALLD = "Lektionen är inställd (CalendarEvent.cancelled)."
UTAN_DATUM = (
    "Varken känd kalenderhändelse eller reportedTimestamp: postens datum går inte att avgöra."
)
BADA_ELEV = "Ange elev_id eller kall_elev_id, inte båda."
INGEN_ELEV = "Ange elev_id eller kall_elev_id."
INTE_RAPPORTERAD = (
    "Närvaron är inte rapporterad (isReported: false) och räknas inte; skicka posten igen när "
    "den är rapporterad."
)
SLUT_FORE_START = "endTime ligger före startTime."
OVER_ETT_DYGN = (
    "Minuterna går inte ihop: utan känd lektion är den schemalagda tiden summan av minuterna, "
    "och den är mer än ett dygn."
)
OKAND_HANDELSE = (
    "Kalenderhändelsen är okänd: datum från reportedTimestamp och schemalagd tid som summan av "
    "minuterna."
)


def audit_batch(session: Session, resurs_typ: str) -> None:
    """One row per batch: the integration writes on the kommun's behalf, and the batch is the
    unit it sends (the pupils' own reads of their data are audited per pupil)."""
    record(session, atgard=Atgard.create, resurs_typ=resurs_typ, rattslig_grund=GRUND_INTEGRATION)


@dataclass(frozen=True, slots=True)
class _Elever:
    """A batch's pupils by the source's person id: those at the integration's schools (their
    id as text, repository.pupils_served) and those the source knows at another school."""

    served: dict[str, str]
    elsewhere: frozenset[str]

    def check(self, utfall: Utfall, index: int, id_: str | None, kall_elev_id: str) -> str | None:
        """The pupil's id, or None with the record refused."""
        elev_id = self.served.get(kall_elev_id)
        if elev_id is None:
            skal = ANNAN_SKOLA if kall_elev_id in self.elsewhere else OKAND_ELEV
            utfall.avvisa(index, id_, skal)
        return elev_id


def _pupils(session: Session, principal: Principal, kalla: str, extern_ids: set[str]) -> _Elever:
    served = repository.pupils_served(
        session,
        kommun_id=principal.kommun_id,
        kalla=kalla,
        extern_ids=extern_ids,
        skolor=principal.skolor,
    )
    # Only the rest, usually none, are looked up again to tell an unknown pupil from one at
    # another school.
    rest = extern_ids - served.keys()
    elsewhere = repository.pupils_by_source(
        session, kommun_id=principal.kommun_id, kalla=kalla, extern_ids=rest
    )
    return _Elever(served, frozenset(elsewhere))


def _students(
    session: Session, principal: Principal, kalla: str, valid: list[tuple[int, Any]]
) -> _Elever:
    """The pupils the SS 12000 records name by the source's person id (`student.id`)."""
    return _pupils(session, principal, kalla, {record["student"]["id"] for _, record in valid})


def _accept(
    utfall: Utfall, index: int, post: Post, *, idag: date, poster: list[tuple[int, Post]]
) -> None:
    extern_id, _elev_id, datum, schemalagd, giltig, ogiltig, _orsak = post
    if datum > idag:
        utfall.avvisa(index, extern_id, FRAMTIDA_DATUM)
    elif giltig + ogiltig > schemalagd:
        utfall.avvisa(index, extern_id, FOR_MANGA_MINUTER)
    else:
        poster.append((index, post))


def _finish(
    session: Session,
    principal: Principal,
    kalla: str,
    utfall: Utfall,
    poster: list[tuple[int, Post]],
) -> Utfall:
    stored = store(session, kommun_id=principal.kommun_id, kalla=kalla, poster=poster)
    utfall.skapade, utfall.uppdaterade, utfall.oforandrade = (
        stored.skapade,
        stored.uppdaterade,
        stored.oforandrade,
    )
    utfall.avvisade.extend(stored.avvisade)
    return utfall


def import_native(session: Session, principal: Principal, kalla: str, raw: list[Any]) -> Utfall:
    utfall = Utfall(mottagna=0)
    valid = validate_each(NATIVE, raw, utfall)
    by_source = _pupils(
        session, principal, kalla, {r["kall_elev_id"] for _, r in valid if "kall_elev_id" in r}
    )
    by_id = repository.pupils_by_id(
        session,
        kommun_id=principal.kommun_id,
        ids={r["elev_id"] for _, r in valid if "elev_id" in r},
    )
    idag = today()
    poster: list[tuple[int, Post]] = []
    for index, r in valid:
        id_ = r["kall_post_id"]
        if ("elev_id" in r) == ("kall_elev_id" in r):
            utfall.avvisa(index, id_, BADA_ELEV if "elev_id" in r else INGEN_ELEV)
            continue
        elev_id: uuid.UUID | str | None
        if "elev_id" in r:
            elev_id = r["elev_id"]
            skola = by_id.get(elev_id)
            if skola is None or skola not in principal.skolor:
                utfall.avvisa(index, id_, OKAND_ELEV_ID if skola is None else ANNAN_SKOLA)
                continue
        else:
            elev_id = by_source.check(utfall, index, id_, r["kall_elev_id"])
        if elev_id is None:
            continue
        post = (
            id_,
            elev_id,
            r["datum"],
            r["schemalagda_minuter"],
            r["giltig_franvaro_minuter"],
            r["ogiltig_franvaro_minuter"],
            r.get("orsak") or None,
        )
        _accept(utfall, index, post, idag=idag, poster=poster)
    _finish(session, principal, kalla, utfall, poster)
    audit_batch(session, "franvaro")
    return utfall


def _skoldag(when: datetime) -> date:
    return when.astimezone(SKOLTID).date()


_ATTENDANCE_LIST = TypeAdapter(list[ss12000.Attendance])


def import_attendances(
    session: Session, principal: Principal, kalla: str, raw: list[Any]
) -> Utfall:
    """SS 12000 Attendance: date and scheduled minutes from the lesson (CalendarEvent); absent
    minutes are the valid and the invalid absence. A lesson whose attendance is not yet reported
    is refused rather than stored as attended."""
    utfall = Utfall(mottagna=0)
    valid: list[tuple[int, ss12000.Attendance]] = validate_each(
        ss12000.ATTENDANCES, raw, utfall, alla=_ATTENDANCE_LIST
    )
    pupils = _students(session, principal, kalla, valid)
    events = repository.events_by_id(
        session,
        kalla=kalla,
        extern_ids={e["id"] for _, a in valid if (e := a.get("calendarEvent"))},
    )
    idag = today()
    poster: list[tuple[int, Post]] = []
    for index, a in valid:
        id_ = a["id"]
        elev_id = pupils.check(utfall, index, id_, a["student"]["id"])
        if elev_id is None:
            continue
        if a.get("isReported") is False:
            utfall.avvisa(index, id_, INTE_RAPPORTERAD)
            continue
        giltig = a.get("validAbsenceMinutes") or 0
        ogiltig = a.get("invalidAbsenceMinutes") or 0
        narvaro = (a.get("attendanceMinutes") or 0) + (a.get("otherAttendanceMinutes") or 0)
        ref = a.get("calendarEvent")
        event = None if ref is None else events.get(ref["id"])
        if event is not None:
            datum, schemalagd, installd = event
            if installd:
                utfall.avvisa(index, id_, INSTALLD)
                continue
            if giltig + ogiltig + narvaro > schemalagd:
                utfall.avvisa(index, id_, FOR_MANGA_MINUTER)
                continue
        else:
            reported = a.get("reportedTimestamp")
            if reported is None:
                utfall.avvisa(index, id_, UTAN_DATUM)
                continue
            datum, schemalagd = _skoldag(reported), giltig + ogiltig + narvaro
            if schemalagd > ss12000.DYGN:
                utfall.avvisa(index, id_, OVER_ETT_DYGN)
                continue
            utfall.anmarkningar.append(Avvisad(index, id_, OKAND_HANDELSE))
        post = (id_, elev_id, datum, schemalagd, giltig, ogiltig, a.get("absenceReason") or None)
        _accept(utfall, index, post, idag=idag, poster=poster)
    _finish(session, principal, kalla, utfall, poster)
    audit_batch(session, "franvaro")
    return utfall


# The stored record's id for an AggregatedAttendance (which has none of its own): the same pupil,
# activity and first day always give the same id, so a corrected total replaces the earlier one.
_AGGREGERAD = uuid.UUID("6f1d7d0e-3a51-5c2e-9a4b-2f6c1e0d8b17")
SLUT_FORE_START_DATUM = "endDate ligger före startDate."
FLERA_VECKOR = (
    "Perioden ska ligga inom en vecka (måndag–söndag); skicka en AggregatedAttendance per vecka."
)


def _aggregerat_id(a: ss12000.AggregatedAttendance) -> str:
    activity = a.get("activity")
    key = "\n".join((a["student"]["id"], activity["id"] if activity else "", str(a["startDate"])))
    return str(uuid.uuid5(_AGGREGERAD, key))


def import_aggregated_attendances(
    session: Session, principal: Principal, kalla: str, raw: list[Any]
) -> Utfall:
    """SS 12000 AggregatedAttendance: a week's totals without lesson detail, stored as one record
    on the period's first day, with `offeredSum` as the scheduled time (SS12000.md)."""
    utfall = Utfall(mottagna=0)
    valid: list[tuple[int, ss12000.AggregatedAttendance]] = validate_each(
        ss12000.AGGREGATED_ATTENDANCES, raw, utfall
    )
    pupils = _students(session, principal, kalla, valid)
    idag = today()
    poster: list[tuple[int, Post]] = []
    for index, a in valid:
        elev_id = pupils.check(utfall, index, None, a["student"]["id"])
        if elev_id is None:
            continue
        start, slut = a["startDate"], a["endDate"]
        giltig = a.get("validAbsenceSum") or 0
        ogiltig = a.get("invalidAbsenceSum") or 0
        narvaro = (a.get("attendanceSum") or 0) + (a.get("otherAttendanceSum") or 0)
        if slut < start:
            utfall.avvisa(index, None, SLUT_FORE_START_DATUM)
        elif vecka(slut) != vecka(start):
            utfall.avvisa(index, None, FLERA_VECKOR)
        elif start > idag:
            utfall.avvisa(index, None, FRAMTIDA_DATUM)
        elif giltig + ogiltig + narvaro > a["offeredSum"]:
            utfall.avvisa(index, None, FOR_MANGA_MINUTER)
        else:
            post = (_aggregerat_id(a), elev_id, start, a["offeredSum"], giltig, ogiltig, None)
            poster.append((index, post))
    _finish(session, principal, kalla, utfall, poster)
    audit_batch(session, "franvaro")
    return utfall


def import_calendar_events(
    session: Session, principal: Principal, kalla: str, raw: list[Any]
) -> Utfall:
    """SS 12000 CalendarEvent: a lesson's date and its scheduled minutes for the pupil
    (`teachingLengthStudent`, else end − start)."""
    utfall = Utfall(mottagna=0)
    valid: list[tuple[int, ss12000.CalendarEvent]] = validate_each(
        ss12000.CALENDAR_EVENTS, raw, utfall
    )
    lektioner: list[tuple[int, Kalenderhandelse]] = []
    for index, e in valid:
        if e["endTime"] < e["startTime"]:
            utfall.avvisa(index, e["id"], SLUT_FORE_START)
            continue
        minuter = e.get("teachingLengthStudent")
        if minuter is None:
            minuter = int((e["endTime"] - e["startTime"]).total_seconds() // 60)
        lektioner.append(
            (
                index,
                Kalenderhandelse(
                    kalla=kalla,
                    extern_id=e["id"],
                    kommun_id=principal.kommun_id,
                    datum=_skoldag(e["startTime"]),
                    minuter=min(minuter, 24 * 60),
                    installd=bool(e.get("cancelled")),
                ),
            )
        )
    rows = last_of_each(lektioner, attrgetter("extern_id"), utfall)
    lock_kommun(session, principal.kommun_id)
    stored = repository.by_source(session, Kalenderhandelse, kalla, rows)
    upsert_by_id(session, utfall, rows, stored, ("datum", "minuter", "installd"))
    audit_batch(session, "kalenderhandelse")
    return utfall


def upsert_by_id(
    session: Session,
    utfall: Utfall,
    rows: dict[str, tuple[int, Any]],
    stored: dict[str, Any],
    fields: tuple[str, ...],
) -> None:
    """Small objects (lessons, notices, schools): new ones added, changed ones updated."""
    for _index, row in rows.values():
        old = stored.get(row.extern_id)
        if old is None:
            session.add(row)
            utfall.skapade += 1
        elif any(getattr(old, f) != getattr(row, f) for f in fields):
            for f in fields:
                setattr(old, f, getattr(row, f))
            utfall.uppdaterade += 1
        else:
            utfall.oforandrade += 1
    session.flush()


_TYPER = {
    "Anmäld frånvaro": Anmalningstyp.anmald_franvaro,
    "Beviljad ledighet": Anmalningstyp.beviljad_ledighet,
}


def import_absences(session: Session, principal: Principal, kalla: str, raw: list[Any]) -> Utfall:
    """SS 12000 Absence: reported absence or granted leave over an interval, shown with the
    pupil's absence."""
    utfall = Utfall(mottagna=0)
    valid: list[tuple[int, ss12000.Absence]] = validate_each(ss12000.ABSENCES, raw, utfall)
    pupils = _students(session, principal, kalla, valid)
    now = utcnow()
    anmalningar: list[tuple[int, Franvaroanmalan]] = []
    for index, a in valid:
        elev_id = pupils.check(utfall, index, a["id"], a["student"]["id"])
        if elev_id is None:
            continue
        if a["endTime"] < a["startTime"]:
            utfall.avvisa(index, a["id"], SLUT_FORE_START)
            continue
        anmalningar.append(
            (
                index,
                Franvaroanmalan(
                    kommun_id=principal.kommun_id,
                    kalla=kalla,
                    extern_id=a["id"],
                    elev_id=uuid.UUID(elev_id),
                    typ=_TYPER[a["type"]],
                    start=a["startTime"],
                    slut=a["endTime"],
                    mottagen=now,
                ),
            )
        )
    rows = last_of_each(anmalningar, attrgetter("extern_id"), utfall)
    lock_kommun(session, principal.kommun_id)
    stored = repository.by_source(session, Franvaroanmalan, kalla, rows)
    upsert_by_id(session, utfall, rows, stored, ("elev_id", "typ", "start", "slut"))
    audit_batch(session, "franvaroanmalan")
    return utfall
