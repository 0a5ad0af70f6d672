"""Reading absence and tiers, and the kommun's thresholds."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.auth.dependencies import require
from app.auth.principal import Principal
from app.db.session import SessionDep
from app.elever.models import Arskurs
from app.franvaro import lasning
from app.franvaro.rules import Narvaroniva
from app.franvaro.schemas import (
    ElevensFranvaro,
    NarvarogranserRead,
    NarvarogranserUpdate,
    Narvarovarning,
)
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses
from app.kit.schemas import Datum

router = APIRouter(prefix=API_PREFIX, tags=["franvaro"], responses=PROTECTED)

Lasare = Annotated[Principal, require("franvaro:read")]
AdminLasare = Annotated[Principal, require("admin:read")]
AdminSkrivare = Annotated[Principal, require("admin:write")]

_NIVATEXT = (
    "Närvaronivån gäller de senaste åtta veckorna: `gul` från kommunens nedre gräns (standard "
    "10 % frånvaro av schemalagd tid), `orange` från den övre (standard 20 %), och all ogiltig "
    "frånvaro ger minst `gul` (Tomelilla 2.1–2.3)."
)


@router.get(
    "/elever/{elev_id}/franvaro",
    summary="Elevens frånvaro",
    description=(
        "Poster, summor och andelar (giltig, ogiltig, total) per vecka och för perioden, anmäld "
        "frånvaro och beviljad ledighet, och elevens närvaronivå med skälet. Perioden är som "
        "standard de åtta veckorna fram till i dag, högst 400 dagar. " + _NIVATEXT
    ),
    responses=problem_responses(404),
)
def elevens_franvaro(
    elev_id: uuid.UUID,
    session: SessionDep,
    principal: Lasare,
    fran: Annotated[Datum | None, Query(description="Från och med")] = None,
    till: Annotated[Datum | None, Query(description="Till och med (standard: i dag)")] = None,
) -> ElevensFranvaro:
    return lasning.elevens_franvaro(session, principal, elev_id, fran, till)


@router.get(
    "/narvarovarningar",
    summary="Tidiga varningar",
    description=(
        "Elever inom det egna uppdraget på nivå `gul` eller `orange`: de som har stigit en nivå "
        "sedan de åtta veckorna innan först, sedan efter nivå och andel. " + _NIVATEXT
    ),
)
def narvarovarningar(
    session: SessionDep,
    principal: Lasare,
    page: PageDep,
    skola: Annotated[uuid.UUID | None, Query(description="En skola")] = None,
    niva: Annotated[Narvaroniva | None, Query(description="Bara den här nivån")] = None,
    arskurs: Annotated[Arskurs | None, Query(description="Årskurs F–9")] = None,
) -> Page[Narvarovarning]:
    rows = lasning.varningar(
        session, principal, skola_id=skola, niva=niva, arskurs=arskurs, page=page
    )
    cursor = next_cursor(rows, page, lambda row: row[1])
    return Page(data=[varning for varning, _ in rows[: page.limit]], nasta_cursor=cursor)


@router.get(
    "/narvarogranser",
    summary="Kommunens gränser för närvaronivåer",
    description=_NIVATEXT,
)
def hamta_narvarogranser(
    session: SessionDep, principal: AdminLasare, response: Response
) -> NarvarogranserRead:
    read, version = lasning.granser(session, principal)
    set_etag(response, version)
    return read


@router.put(
    "/narvarogranser",
    summary="Ändra kommunens gränser för närvaronivåer",
    description="Gränserna i procent av schemalagd tid; `orange_procent` över `gul_procent`. "
    + _NIVATEXT,
    responses=problem_responses(412, 428),
)
def andra_narvarogranser(
    body: NarvarogranserUpdate,
    session: SessionDep,
    principal: AdminSkrivare,
    response: Response,
    if_match: IfMatchHeader = None,
) -> NarvarogranserRead:
    _, version = lasning.granser(session, principal)
    check_if_match(if_match, version)
    row = lasning.set_granser(session, principal, body)
    read, _ = lasning.granser(session, principal)
    set_etag(response, row.version)
    return read
