"""Intake from integrations: the native absence batch and the SS 12000 objects (SS12000.md).

Only integration clients (scope franvaro:write), and only for the schools they are bound to.
Every call answers per record; a batch is stored whole or, on a server fault, not at all.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from app.auth.dependencies import require
from app.auth.principal import Principal
from app.db.session import SessionDep
from app.franvaro import repository, roster, service, ss12000
from app.franvaro.batch import (
    MAX_POSTER,
    Batch,
    IdempotencyKey,
    Importresultat,
    body_schema,
    inline_schema,
    read_batch,
    with_idempotency,
)
from app.franvaro.intake import Utfall
from app.kit import API_PREFIX
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=API_PREFIX, tags=["import"], responses=PROTECTED)

Integration = Annotated[Principal, require("franvaro:write")]
BatchBody = Annotated[Batch, Depends(read_batch, scope="function")]
Importer = Callable[[Session, Principal, str, list[Any]], Utfall]

_BATCH_TEXT = (
    f"Högst {MAX_POSTER} poster per anrop (fler: 413). Svaret räknar mottagna, skapade, "
    "uppdaterade, oförändrade och avvisade poster och ger varje avvisad posts index och skäl; en "
    "felaktig post stoppar aldrig de andra. Samma post (källa och id) igen är oförändrad, en "
    "ändrad ersätter den gamla. Med Idempotency-Key ger ett nytt försök det första svaret."
)


def _run(
    session: Session,
    principal: Principal,
    batch: Batch,
    nyckel: str | None,
    operation: str,
    importer: Importer,
) -> Importresultat:
    kalla = repository.kalla_for(session, principal.id)
    return with_idempotency(
        session,
        kalla=kalla,
        nyckel=nyckel,
        operation=operation,
        batch=batch,
        run=lambda: Importresultat.of(importer(session, principal, kalla, batch.poster)),
    )


def _document(adapter: TypeAdapter[Any], *, envelope: bool = True) -> dict[str, Any]:
    return body_schema(inline_schema(adapter), envelope=envelope)


_RESPONSES = problem_responses(413)
# Absence records: a batch whose records other batches of the source keep writing at the same
# time is refused whole (409) and can be sent again.
_RECORD_RESPONSES = problem_responses(409, 413)


@router.post(
    "/franvaro",
    summary="Skicka in frånvaro (Samverkas eget format)",
    description=(
        "Frånvaro per lektion eller dag: eleven med Samverkas id (`elev_id`) eller källans "
        "person-id (`kall_elev_id`), datum, schemalagd tid och giltig och ogiltig frånvaro i "
        "minuter, och källans id för posten (`kall_post_id`). " + _BATCH_TEXT
    ),
    openapi_extra=_document(service.NATIVE, envelope=False),
    responses=_RECORD_RESPONSES,
)
def skicka_franvaro(
    session: SessionDep, principal: Integration, batch: BatchBody, nyckel: IdempotencyKey = None
) -> Importresultat:
    return _run(session, principal, batch, nyckel, "franvaro", service.import_native)


@router.post(
    "/import/ss12000/organisations",
    summary="Läs in skolenheter (SS 12000 Organisation)",
    description=(
        "En skolenhet (`organisationType` Skolenhet) matchas mot integrationens skolor på "
        "skolenhetskoden och dess id i källan sparas, så att elevernas inskrivningar hittar den. "
        "Andra organisationstyper tas emot utan att sparas. " + _BATCH_TEXT
    ),
    openapi_extra=_document(ss12000.ORGANISATIONS),
    responses=_RESPONSES,
)
def las_in_organisationer(
    session: SessionDep, principal: Integration, batch: BatchBody, nyckel: IdempotencyKey = None
) -> Importresultat:
    return _run(session, principal, batch, nyckel, "organisations", roster.import_organisations)


@router.post(
    "/import/ss12000/persons",
    summary="Läs in elever och vårdnadshavare (SS 12000 Person)",
    description=(
        "En person med en aktuell inskrivning i grundskola (GR) eller anpassad grundskola (GRS) "
        "på en av integrationens skolor blir elev (skapas eller uppdateras; källans id sparas). "
        "En person som nämns i en elevs `responsibles` blir elevens vårdnadshavare "
        "(`Vårdnadshavare` = vårdnad), oavsett om eleven eller den ansvarige kommer först. "
        + _BATCH_TEXT
    ),
    openapi_extra=_document(ss12000.PERSONS),
    responses=_RESPONSES,
)
def las_in_personer(
    session: SessionDep, principal: Integration, batch: BatchBody, nyckel: IdempotencyKey = None
) -> Importresultat:
    return _run(session, principal, batch, nyckel, "persons", roster.import_persons)


@router.post(
    "/import/ss12000/calendarEvents",
    summary="Läs in lektioner (SS 12000 CalendarEvent)",
    description=(
        "Lektionens datum och schemalagda tid för eleven (`teachingLengthStudent`, annars "
        "sluttid − starttid), som närvaroposterna sedan hämtar. " + _BATCH_TEXT
    ),
    openapi_extra=_document(ss12000.CALENDAR_EVENTS),
    responses=_RESPONSES,
)
def las_in_kalenderhandelser(
    session: SessionDep, principal: Integration, batch: BatchBody, nyckel: IdempotencyKey = None
) -> Importresultat:
    return _run(session, principal, batch, nyckel, "calendarEvents", service.import_calendar_events)


@router.post(
    "/import/ss12000/attendances",
    summary="Läs in närvaro per lektion (SS 12000 Attendance)",
    description=(
        "Datum och schemalagd tid kommer från lektionen (CalendarEvent); är den okänd, datumet "
        "ur `reportedTimestamp` och summan av minuterna, och svaret säger det. Frånvaro = "
        "`validAbsenceMinutes` + `invalidAbsenceMinutes`. En lektion vars närvaro inte är "
        "rapporterad (`isReported: false`) avvisas tills den skickas rapporterad. " + _BATCH_TEXT
    ),
    openapi_extra=_document(ss12000.ATTENDANCES),
    responses=_RECORD_RESPONSES,
)
def las_in_narvaro(
    session: SessionDep, principal: Integration, batch: BatchBody, nyckel: IdempotencyKey = None
) -> Importresultat:
    return _run(session, principal, batch, nyckel, "attendances", service.import_attendances)


@router.post(
    "/import/ss12000/absences",
    summary="Läs in anmäld frånvaro och beviljad ledighet (SS 12000 Absence)",
    description=(
        "Anmäld frånvaro och beviljad ledighet över en tidsperiod; visas med elevens frånvaro. "
        + _BATCH_TEXT
    ),
    openapi_extra=_document(ss12000.ABSENCES),
    responses=_RESPONSES,
)
def las_in_franvaroanmalningar(
    session: SessionDep, principal: Integration, batch: BatchBody, nyckel: IdempotencyKey = None
) -> Importresultat:
    return _run(session, principal, batch, nyckel, "absences", service.import_absences)


@router.post(
    "/import/ss12000/aggregatedAttendance",
    summary="Läs in närvaro per vecka (SS 12000 AggregatedAttendance)",
    description=(
        "Summor för en period utan lektioner, för system som bara lämnar ut veckosummor: "
        "schemalagd tid = `offeredSum`, frånvaro = `validAbsenceSum` + `invalidAbsenceSum`. "
        "Perioden ligger inom en vecka (måndag–söndag) och sparas på sin första dag. Objektet har "
        "inget id: samma elev, aktivitet och första dag ersätter den tidigare summan. Skicka "
        "antingen Attendance eller AggregatedAttendance för en elev och vecka, inte båda. "
        + _BATCH_TEXT
    ),
    openapi_extra=_document(ss12000.AGGREGATED_ATTENDANCES),
    responses=_RECORD_RESPONSES,
)
def las_in_veckonarvaro(
    session: SessionDep, principal: Integration, batch: BatchBody, nyckel: IdempotencyKey = None
) -> Importresultat:
    return _run(
        session,
        principal,
        batch,
        nyckel,
        "aggregatedAttendance",
        service.import_aggregated_attendances,
    )
