import uuid

from fastapi import APIRouter, Response, status

from app.arenden import service as arenden_service
from app.arenden.dependencies import Lasare, Team
from app.arenden.insatser import service
from app.arenden.insatser.schemas import InsatsCreate, InsatsRead, InsatsUpdate
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, page_of
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=f"{API_PREFIX}/arenden", tags=["arenden"], responses=PROTECTED)


@router.get(
    "/{arende_id}/insatser",
    summary="Lista ärendets insatser",
    responses=problem_responses(404),
)
def lista_insatser(
    arende_id: uuid.UUID, session: SessionDep, principal: Lasare, page: PageDep
) -> Page[InsatsRead]:
    synligt = arenden_service.load(session, principal, arende_id)
    rows, cursor = page_of(service.list_insatser(session, synligt), page, key=lambda i: i.id)
    return Page(data=[InsatsRead.model_validate(i) for i in rows], nasta_cursor=cursor)


@router.post(
    "/{arende_id}/insatser",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera en insats",
    description="Typ (T 7.6), vem som ansvarar, start och slut, status.",
    responses=problem_responses(404, 409),
)
def skapa_insats(
    arende_id: uuid.UUID,
    body: InsatsCreate,
    session: SessionDep,
    principal: Team,
    response: Response,
) -> InsatsRead:
    synligt = arenden_service.load(session, principal, arende_id, for_write=True)
    insats = service.create(session, principal, synligt, body)
    set_etag(response, insats.version)
    return InsatsRead.model_validate(insats)


@router.patch(
    "/{arende_id}/insatser/{insats_id}",
    summary="Ändra en insats, t.ex. dess status",
    responses=problem_responses(404, 409, 412, 428),
)
def andra_insats(
    arende_id: uuid.UUID,
    insats_id: uuid.UUID,
    body: InsatsUpdate,
    session: SessionDep,
    principal: Team,
    response: Response,
    if_match: IfMatchHeader = None,
) -> InsatsRead:
    synligt = arenden_service.load(session, principal, arende_id, for_write=True)
    insats = service.load(session, synligt, insats_id)
    check_if_match(if_match, insats.version)
    service.update(session, synligt, insats, body)
    set_etag(response, insats.version)
    return InsatsRead.model_validate(insats)
