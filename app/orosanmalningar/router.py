"""Reports of concern per pupil. Registering needs no write permission on the pupil's record
(elever:write, which the team lacks): the duty to report is every staff member's own (T 5), so
the route asks for elever:read and access.py decides."""

import uuid
from typing import Annotated

from fastapi import APIRouter, status

from app.auth.dependencies import require
from app.auth.principal import Principal
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses
from app.orosanmalningar import service
from app.orosanmalningar.schemas import OrosanmalanCreate, OrosanmalanRead

router = APIRouter(prefix=f"{API_PREFIX}/elever", tags=["orosanmalningar"], responses=PROTECTED)

Personal = Annotated[Principal, require("elever:read")]

_RULES_TEXT = (
    "Anmälningsplikten väntar aldrig på samtycke (T 5): elevhälsa och rektor på elevens skola och "
    "varje medlem av det skolsociala teamet som har eleven i ett ärende registrerar, oavsett "
    "samtycke. En registrerad anmälan ändras eller tas aldrig bort (PATCH, PUT och DELETE finns "
    "inte: 405). Elevhälsa och rektor på elevens skola läser anmälningar gjorda inom "
    "skolhuvudmannen; övriga läser bara sina egna."
)


@router.get(
    "/{elev_id}/orosanmalningar",
    summary="Lista elevens orosanmälningar",
    description=_RULES_TEXT,
    responses=problem_responses(404),
)
def lista_orosanmalningar(
    elev_id: uuid.UUID, session: SessionDep, principal: Personal, page: PageDep
) -> Page[OrosanmalanRead]:
    rows = service.list_for(session, principal, elev_id, page)
    cursor = next_cursor(rows, page, lambda row: [str(row.id)])
    return Page(data=rows, nasta_cursor=cursor)


@router.post(
    "/{elev_id}/orosanmalningar",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera en orosanmälan",
    description=_RULES_TEXT,
    responses=problem_responses(404),
)
def skapa_orosanmalan(
    elev_id: uuid.UUID, body: OrosanmalanCreate, session: SessionDep, principal: Personal
) -> OrosanmalanRead:
    return service.create(session, principal, elev_id, body)


@router.get(
    "/{elev_id}/orosanmalningar/{anmalan_id}",
    summary="Hämta en orosanmälan",
    description=_RULES_TEXT,
    responses=problem_responses(404),
)
def hamta_orosanmalan(
    elev_id: uuid.UUID, anmalan_id: uuid.UUID, session: SessionDep, principal: Personal
) -> OrosanmalanRead:
    return service.read(session, principal, elev_id, anmalan_id)
