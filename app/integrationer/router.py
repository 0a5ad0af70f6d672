import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status

from app.auth.dependencies import require
from app.auth.principal import Principal
from app.db.session import SessionDep
from app.integrationer import service
from app.integrationer.schemas import IntegrationCreate, IntegrationRead, IntegrationSkapad
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(
    prefix=f"{API_PREFIX}/integrationer", tags=["integrationer"], responses=PROTECTED
)

Lasare = Annotated[Principal, require("admin:read")]
Admin = Annotated[Principal, require("admin:write")]


@router.get("", summary="Lista kommunens integrationsklienter")
def lista_integrationer(
    session: SessionDep, principal: Lasare, page: PageDep
) -> Page[IntegrationRead]:
    rows = service.list_integrationer(session, principal, page)
    cursor = next_cursor(rows, page, lambda client: [str(client.id)])
    return Page(data=[IntegrationRead.model_validate(row) for row in rows], nasta_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Skapa en integrationsklient",
    description="Klienthemligheten visas bara i detta svar; endast dess hash sparas.",
)
def skapa_integration(
    body: IntegrationCreate, session: SessionDep, principal: Admin, response: Response
) -> IntegrationSkapad:
    client, secret = service.create(session, principal, body)
    set_etag(response, client.version)
    return IntegrationSkapad.model_validate(
        {**IntegrationRead.model_validate(client).model_dump(), "klient_hemlighet": secret}
    )


@router.get(
    "/{integration_id}", summary="Hämta en integrationsklient", responses=problem_responses(404)
)
def hamta_integration(
    integration_id: uuid.UUID, session: SessionDep, principal: Lasare, response: Response
) -> IntegrationRead:
    client = service.read(session, principal, integration_id)
    set_etag(response, client.version)
    return IntegrationRead.model_validate(client)


@router.delete(
    "/{integration_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Återkalla en integrationsklient",
    responses=problem_responses(404, 412, 428),
)
def ta_bort_integration(
    integration_id: uuid.UUID,
    session: SessionDep,
    principal: Admin,
    if_match: IfMatchHeader = None,
) -> None:
    client = service.load(session, principal, integration_id)
    check_if_match(if_match, client.version)
    service.remove(session, client)
