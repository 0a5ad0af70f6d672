import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.arenden import service as arenden_service
from app.arenden.ansvarsplan import service
from app.arenden.ansvarsplan.schemas import AnsvarsplanPut, AnsvarsplanRead, PlanversionRead
from app.arenden.dependencies import Lasare, Team
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, set_etag
from app.kit.pagination import Page, PageDep, page_of
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=f"{API_PREFIX}/arenden", tags=["arenden"], responses=PROTECTED)


@router.get(
    "/{arende_id}/ansvarsplan",
    summary="Hämta ansvarsplanen",
    description=(
        "Senaste versionen, eller den som anges med `version`. Svaret visar om planen är "
        'komplett för genomförande (T 7.5) och vad som saknas. Utan plan: version 0, ETag "0".'
    ),
    responses=problem_responses(404),
)
def hamta_ansvarsplan(
    arende_id: uuid.UUID,
    session: SessionDep,
    principal: Lasare,
    response: Response,
    version: Annotated[int | None, Query(ge=1, le=100_000, description="Planens version")] = None,
) -> AnsvarsplanRead:
    synligt = arenden_service.load(session, principal, arende_id)
    read = service.read(session, synligt, version)
    set_etag(response, read.version)
    return read


@router.get(
    "/{arende_id}/ansvarsplan/versioner",
    summary="Lista ansvarsplanens versioner",
    responses=problem_responses(404),
)
def lista_ansvarsplanversioner(
    arende_id: uuid.UUID, session: SessionDep, principal: Lasare, page: PageDep
) -> Page[PlanversionRead]:
    synligt = arenden_service.load(session, principal, arende_id)
    versions = service.versions(session, principal, synligt)
    rows, cursor = page_of(versions, page, key=lambda v: v.version)
    return Page(data=rows, nasta_cursor=cursor)


@router.put(
    "/{arende_id}/ansvarsplan",
    summary="Spara en ny version av ansvarsplanen",
    description=(
        'Varje sparning blir en ny version; tidigare versioner går att läsa. If-Match: "0" för '
        "den första, därefter senaste versionens ETag. Ett mål behåller sitt id mellan "
        "versionerna. Under genomförande och uppföljning måste planen förbli komplett (409 "
        "annars)."
    ),
    responses=problem_responses(404, 409, 412, 428),
)
def spara_ansvarsplan(
    arende_id: uuid.UUID,
    body: AnsvarsplanPut,
    session: SessionDep,
    principal: Team,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AnsvarsplanRead:
    synligt = arenden_service.load(session, principal, arende_id, for_write=True)
    read = service.put(session, principal, synligt, body, if_match=if_match)
    set_etag(response, read.version)
    return read
