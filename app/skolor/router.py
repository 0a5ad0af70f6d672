import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status

from app.auth.dependencies import require
from app.auth.principal import Principal
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses
from app.skolor import service
from app.skolor.schemas import SkolaCreate, SkolaRead, SkolaUpdate

router = APIRouter(prefix=f"{API_PREFIX}/skolor", tags=["skolor"], responses=PROTECTED)

Lasare = Annotated[Principal, require("skolor:read")]
Admin = Annotated[Principal, require("admin:write")]


@router.get("", summary="Lista kommunens skolor")
def lista_skolor(session: SessionDep, principal: Lasare, page: PageDep) -> Page[SkolaRead]:
    rows = service.list_skolor(session, principal, page)
    cursor = next_cursor(rows, page, lambda skola: [str(skola.id)])
    return Page(data=[SkolaRead.model_validate(row) for row in rows], nasta_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera en skola",
    responses=problem_responses(409),
)
def skapa_skola(
    body: SkolaCreate, session: SessionDep, principal: Admin, response: Response
) -> SkolaRead:
    skola = service.create(session, principal, body)
    set_etag(response, skola.version)
    return SkolaRead.model_validate(skola)


@router.get("/{skola_id}", summary="Hämta en skola", responses=problem_responses(404))
def hamta_skola(
    skola_id: uuid.UUID, session: SessionDep, principal: Lasare, response: Response
) -> SkolaRead:
    skola = service.read(session, principal, skola_id)
    set_etag(response, skola.version)
    return SkolaRead.model_validate(skola)


@router.patch(
    "/{skola_id}",
    summary="Ändra en skola",
    responses=problem_responses(404, 409, 412, 428),
)
def andra_skola(
    skola_id: uuid.UUID,
    body: SkolaUpdate,
    session: SessionDep,
    principal: Admin,
    response: Response,
    if_match: IfMatchHeader = None,
) -> SkolaRead:
    skola = service.load(session, principal, skola_id)
    check_if_match(if_match, skola.version)
    skola = service.update(session, skola, body)
    set_etag(response, skola.version)
    return SkolaRead.model_validate(skola)
