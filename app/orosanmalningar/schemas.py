"""Bodies of reports of concern (T 5)."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.auth.roles import Organisation, Roll
from app.kit.schemas import NO_NUL, Datum, RequestModel, ResponseModel


class OrosanmalanCreate(RequestModel):
    datum: Datum = Field(description="När anmälan gjordes till socialtjänsten; inte i framtiden")
    mottagande_socialtjanst: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)] = (
        Field(description="Socialtjänstens kontor eller enhet som tog emot anmälan")
    )
    oro: Annotated[str, Field(min_length=1, max_length=8000, pattern=NO_NUL)] = Field(
        description="Vad oron gäller, som i anmälan. Sekretessbelagd text."
    )


class OrosanmalanRead(ResponseModel):
    id: uuid.UUID
    elev_id: uuid.UUID
    skola_id: uuid.UUID = Field(description="Elevens skola när anmälan gjordes")
    anmald_av: uuid.UUID
    anmalare_namn: str | None
    anmalare_roll: Roll
    anmalare_organisation: Organisation
    datum: Datum
    mottagande_socialtjanst: str
    oro: str
    registrerad: datetime
