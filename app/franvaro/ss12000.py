"""The SS 12000 objects Samverka takes in, as the standard writes them (SS12000.md).

Only the fields Samverka uses are declared; every other field (`meta`, `_embedded`, `emails`, …)
is ignored, never a reason to refuse a record. Text refuses NUL (no database keeps it).
"""

from datetime import date
from typing import Annotated, Literal, NotRequired

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, with_config
from typing_extensions import TypedDict

from app.kit.schemas import NO_NUL, Datum, Tidpunkt

Id = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NO_NUL)]
# Stripped, so that a name of only whitespace is an empty one and refused.
Namn = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_NUL)
]
DYGN = 24 * 60
Minuter = Annotated[int, Field(ge=0, le=DYGN)]
# An AggregatedAttendance covers at most a week.
Veckominuter = Annotated[int, Field(ge=0, le=7 * DYGN)]

_IGNORE = ConfigDict(extra="ignore")


@with_config(_IGNORE)
class Ref(TypedDict):
    id: Id


@with_config(_IGNORE)
class Organisation(TypedDict):
    id: Id
    displayName: NotRequired[Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)]]
    organisationType: Annotated[str, StringConstraints(max_length=50, pattern=NO_NUL)]
    schoolUnitCode: NotRequired[
        Annotated[str, StringConstraints(max_length=20, pattern=NO_NUL)] | None
    ]


@with_config(_IGNORE)
class CivicNo(TypedDict):
    value: Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=NO_NUL)]


@with_config(_IGNORE)
class Enrolment(TypedDict):
    enroledAt: Ref
    schoolYear: NotRequired[Annotated[int, Field(ge=0, le=10)] | None]
    schoolType: Annotated[str, StringConstraints(max_length=20, pattern=NO_NUL)]
    startDate: NotRequired[date | None]
    endDate: NotRequired[date | None]
    cancelled: NotRequired[bool | None]


@with_config(_IGNORE)
class Responsible(TypedDict):
    person: Ref
    relationType: NotRequired[
        Annotated[str, StringConstraints(max_length=50, pattern=NO_NUL)] | None
    ]


Skyddsmarkering = Literal["Ingen", "Sekretessmarkering", "Skyddad folkbokföring"]


@with_config(_IGNORE)
class Person(TypedDict):
    id: Id
    givenName: Namn
    familyName: Namn
    civicNo: NotRequired[CivicNo | None]
    securityMarking: NotRequired[Skyddsmarkering | None]
    enrolments: NotRequired[Annotated[list[Enrolment], Field(max_length=50)] | None]
    responsibles: NotRequired[Annotated[list[Responsible], Field(max_length=20)] | None]


@with_config(_IGNORE)
class CalendarEvent(TypedDict):
    id: Id
    startTime: Tidpunkt
    endTime: Tidpunkt
    teachingLengthStudent: NotRequired[Minuter | None]
    cancelled: NotRequired[bool | None]


@with_config(_IGNORE)
class Attendance(TypedDict):
    id: Id
    student: Ref
    calendarEvent: NotRequired[Ref | None]
    attendanceMinutes: NotRequired[Minuter | None]
    validAbsenceMinutes: NotRequired[Minuter | None]
    invalidAbsenceMinutes: NotRequired[Minuter | None]
    otherAttendanceMinutes: NotRequired[Minuter | None]
    isReported: NotRequired[bool | None]
    absenceReason: NotRequired[
        Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)] | None
    ]
    reportedTimestamp: NotRequired[Tidpunkt | None]


@with_config(_IGNORE)
class Absence(TypedDict):
    id: Id
    student: Ref
    organisation: NotRequired[Ref | None]
    startTime: Tidpunkt
    endTime: Tidpunkt
    type: Literal["Anmäld frånvaro", "Beviljad ledighet"]


@with_config(_IGNORE)
class AggregatedAttendance(TypedDict):
    """Totals over a period (SS 12000 has no id for it: the pupil, the activity and the first
    day name it)."""

    student: Ref
    activity: NotRequired[Ref | None]
    startDate: Datum
    endDate: Datum
    offeredSum: Veckominuter
    attendanceSum: NotRequired[Veckominuter | None]
    validAbsenceSum: NotRequired[Veckominuter | None]
    invalidAbsenceSum: NotRequired[Veckominuter | None]
    otherAttendanceSum: NotRequired[Veckominuter | None]
    reportedSum: NotRequired[Veckominuter | None]


ORGANISATIONS = TypeAdapter(Organisation)
PERSONS = TypeAdapter(Person)
CALENDAR_EVENTS = TypeAdapter(CalendarEvent)
ATTENDANCES = TypeAdapter(Attendance)
ABSENCES = TypeAdapter(Absence)
AGGREGATED_ATTENDANCES = TypeAdapter(AggregatedAttendance)
