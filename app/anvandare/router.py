import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status

from app.anvandare import service
from app.anvandare.schemas import AnvandareCreate, AnvandareRead, AnvandareUpdate
from app.auth.dependencies import require
from app.auth.principal import Principal
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=f"{API_PREFIX}/anvandare", tags=["anvandare"], responses=PROTECTED)

Lasare = Annotated[Principal, require("admin:read")]
Admin = Annotated[Principal, require("admin:write")]


@router.get("", summary="Lista kommunens användare")
def lista_anvandare(session: SessionDep, principal: Lasare, page: PageDep) -> Page[AnvandareRead]:
    rows = service.list_anvandare(session, principal, page)
    cursor = next_cursor(rows, page, lambda user: [str(user.id)])
    return Page(data=[AnvandareRead.model_validate(row) for row in rows], nasta_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Skapa en användare",
    responses=problem_responses(409),
)
def skapa_anvandare(
    body: AnvandareCreate, session: SessionDep, principal: Admin, response: Response
) -> AnvandareRead:
    user = service.create(session, principal, body)
    set_etag(response, user.version)
    return AnvandareRead.model_validate(user)


@router.get("/{anvandare_id}", summary="Hämta en användare", responses=problem_responses(404))
def hamta_anvandare(
    anvandare_id: uuid.UUID, session: SessionDep, principal: Lasare, response: Response
) -> AnvandareRead:
    user = service.read(session, principal, anvandare_id)
    set_etag(response, user.version)
    return AnvandareRead.model_validate(user)


@router.patch(
    "/{anvandare_id}",
    summary="Ändra, inaktivera eller byta lösenord för en användare",
    description="Inaktivering och lösenordsbyte gäller från användarens nästa anrop.",
    responses=problem_responses(404, 412, 428),
)
def andra_anvandare(
    anvandare_id: uuid.UUID,
    body: AnvandareUpdate,
    session: SessionDep,
    principal: Admin,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AnvandareRead:
    user = service.load(session, principal, anvandare_id)
    check_if_match(if_match, user.version)
    user = service.update(session, principal, user, body)
    set_etag(response, user.version)
    return AnvandareRead.model_validate(user)
