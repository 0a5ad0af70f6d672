import uuid

from fastapi import APIRouter, Response

from app.arenden import service as arenden_service
from app.arenden.dependencies import Lasare, Team
from app.arenden.kartlaggning import service
from app.arenden.kartlaggning.schemas import KartlaggningPut, KartlaggningRead
from app.arenden.kartlaggning.service import kartlaggning_read
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, set_etag
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=f"{API_PREFIX}/arenden", tags=["arenden"], responses=PROTECTED)


@router.get(
    "/{arende_id}/kartlaggning",
    summary="Hämta kartläggningen",
    description='Finns ingen kartläggning ännu är svaret tomt med version 0 och ETag "0".',
    responses=problem_responses(404),
)
def hamta_kartlaggning(
    arende_id: uuid.UUID, session: SessionDep, principal: Lasare, response: Response
) -> KartlaggningRead:
    synligt = arenden_service.load(session, principal, arende_id)
    read = kartlaggning_read(synligt, service.read(session, synligt))
    set_etag(response, read.version)
    return read


@router.put(
    "/{arende_id}/kartlaggning",
    summary="Spara kartläggningen",
    description=(
        'Ersätter hela kartläggningen. If-Match: "0" för den första, därefter senaste ETag. '
        "Kartläggningen är dokumenterad när sammanfattningen finns (T 7.4)."
    ),
    responses=problem_responses(404, 409, 412, 428),
)
def spara_kartlaggning(
    arende_id: uuid.UUID,
    body: KartlaggningPut,
    session: SessionDep,
    principal: Team,
    response: Response,
    if_match: IfMatchHeader = None,
) -> KartlaggningRead:
    synligt = arenden_service.load(session, principal, arende_id, for_write=True)
    kartlaggning = service.put(session, principal, synligt, body, if_match=if_match)
    set_etag(response, kartlaggning.version)
    return kartlaggning_read(synligt, kartlaggning)
