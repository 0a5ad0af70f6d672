import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status

from app.anteckningar import service
from app.anteckningar.schemas import (
    AnteckningCreate,
    AnteckningRead,
    AnteckningUpdate,
    anteckning_read,
)
from app.auth.dependencies import require, require_role
from app.auth.principal import Principal
from app.db.session import SessionDep
from app.elever import service as elever_service
from app.elever.access import SCHOOL_ROLES
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=f"{API_PREFIX}/elever", tags=["anteckningar"], responses=PROTECTED)

# S 8: the school's student health documentation; the team documents in the case instead.
Lasare = Annotated[Principal, require_role(SCHOOL_ROLES, "elever:read")]
Skrivare = Annotated[Principal, require("elever:write")]

_RULES_TEXT = (
    "Dokumentation av elevens ärenden (S 8) för elevhälsa och rektor på elevens skola. Ett utkast "
    "syns bara för den som skrev det tills det signeras. En signerad anteckning ändras aldrig "
    "(409): en rättelse är en ny anteckning med `rattar_id`, och listan visar kedjan "
    "(`rattar_id`, `rattad_av`, `rattad`)."
)
CHANGE_RESPONSES = problem_responses(404, 409, 412, 428)


@router.get(
    "/{elev_id}/anteckningar",
    summary="Lista elevens anteckningar",
    description=_RULES_TEXT,
    responses=problem_responses(404),
)
def lista_anteckningar(
    elev_id: uuid.UUID, session: SessionDep, principal: Lasare, page: PageDep
) -> Page[AnteckningRead]:
    synlig = elever_service.load(session, principal, elev_id)
    rows = service.list_for(session, principal, synlig, page)
    cursor = next_cursor(rows, page, lambda vy: [str(vy.anteckning.id)])
    return Page(data=[anteckning_read(vy) for vy in rows], nasta_cursor=cursor)


@router.post(
    "/{elev_id}/anteckningar",
    status_code=status.HTTP_201_CREATED,
    summary="Skriv en anteckning (utkast)",
    description=_RULES_TEXT,
    responses=problem_responses(404, 409),
)
def skapa_anteckning(
    elev_id: uuid.UUID,
    body: AnteckningCreate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
) -> AnteckningRead:
    synlig = elever_service.load(session, principal, elev_id)
    vy = service.create(session, principal, synlig, body)
    set_etag(response, vy.anteckning.version)
    return anteckning_read(vy)


@router.get(
    "/{elev_id}/anteckningar/{anteckning_id}",
    summary="Hämta en anteckning",
    description=_RULES_TEXT,
    responses=problem_responses(404),
)
def hamta_anteckning(
    elev_id: uuid.UUID,
    anteckning_id: uuid.UUID,
    session: SessionDep,
    principal: Lasare,
    response: Response,
) -> AnteckningRead:
    synlig = elever_service.load(session, principal, elev_id)
    vy = service.read(session, principal, synlig, anteckning_id)
    set_etag(response, vy.anteckning.version)
    return anteckning_read(vy)


@router.patch(
    "/{elev_id}/anteckningar/{anteckning_id}",
    summary="Ändra ett eget utkast",
    description="Bara utkast ändras, och bara av den som skrev dem; en signerad anteckning "
    "besvaras med 409.",
    responses=CHANGE_RESPONSES,
)
def andra_anteckning(
    elev_id: uuid.UUID,
    anteckning_id: uuid.UUID,
    body: AnteckningUpdate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AnteckningRead:
    synlig = elever_service.load(session, principal, elev_id)
    anteckning = service.load(session, principal, synlig, anteckning_id, for_write=True)
    check_if_match(if_match, anteckning.version)
    vy = service.update(session, principal, synlig, anteckning, data=body)
    set_etag(response, vy.anteckning.version)
    return anteckning_read(vy)


@router.post(
    "/{elev_id}/anteckningar/{anteckning_id}/signering",
    summary="Signera ett eget utkast",
    description=(
        "Den som skrev utkastet signerar det; därefter ändras det aldrig. If-Match anger "
        "versionen som signeras, så att det som signeras är den text som lästes."
    ),
    responses=CHANGE_RESPONSES,
)
def signera_anteckning(
    elev_id: uuid.UUID,
    anteckning_id: uuid.UUID,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AnteckningRead:
    synlig = elever_service.load(session, principal, elev_id)
    anteckning = service.load(session, principal, synlig, anteckning_id, for_write=True)
    check_if_match(if_match, anteckning.version)
    vy = service.sign(session, principal, synlig, anteckning)
    set_etag(response, vy.anteckning.version)
    return anteckning_read(vy)
