import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.auth.dependencies import require, require_role
from app.auth.principal import Principal
from app.auth.roles import Roll
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses
from app.kit.schemas import Datum
from app.kvalitet.mal import service
from app.kvalitet.mal.models import Malniva
from app.kvalitet.mal.repository import MalFilter
from app.kvalitet.mal.schemas import MalCreate, MalRead, MalUpdate, NastaMalCreate, mal_read

router = APIRouter(
    prefix=f"{API_PREFIX}/kvalitetsuppfoljning/mal",
    tags=["kvalitetsuppfoljning"],
    responses=PROTECTED,
)

# The administrator reads the statistics but not the goals' analysis (no part of the cycle).
Lasare = Annotated[
    Principal,
    require_role(
        frozenset({Roll.rektor, Roll.elevhalsa, Roll.styrgrupp, Roll.skolsocialt_team}),
        "kvalitet:read",
    ),
]
Skrivare = Annotated[Principal, require("kvalitet:write")]

_ACCESS_TEXT = (
    "Kvalitetscykeln (S 9): mål per skola eller för teamet och period, med indikator, målvärde, "
    "utfall, analys och förbättringsåtgärder. Rektor sätter och följer upp sina skolors mål "
    "(S 3) och elevhälsan på skolan läser dem; styrgruppen sätter teamets mål och läser "
    "kommunens alla (T 4.1); teamet läser sina."
)
CHANGE_RESPONSES = problem_responses(404, 409, 412, 428)


@router.get("", summary="Lista mål", description=_ACCESS_TEXT)
def lista_mal(
    session: SessionDep,
    principal: Lasare,
    page: PageDep,
    niva: Annotated[Malniva | None, Query(description="skola eller team")] = None,
    skola: Annotated[uuid.UUID | None, Query(description="Skolans id")] = None,
    aktiva_den: Annotated[Datum | None, Query(description="Mål vars period omfattar dagen")] = None,
) -> Page[MalRead]:
    filter_ = MalFilter(niva=niva, skola_id=skola, aktiva_den=aktiva_den)
    rows = service.list_mal(session, principal, filter_, page)
    cursor = next_cursor(rows, page, lambda vy: [str(vy.mal.id)])
    return Page(data=[mal_read(vy) for vy in rows], nasta_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Sätt ett mål",
    description=_ACCESS_TEXT,
)
def skapa_mal(
    body: MalCreate, session: SessionDep, principal: Skrivare, response: Response
) -> MalRead:
    vy = service.create(session, principal, body)
    set_etag(response, vy.mal.version)
    return mal_read(vy)


@router.get(
    "/{mal_id}",
    summary="Hämta ett mål",
    description=_ACCESS_TEXT,
    responses=problem_responses(404),
)
def hamta_mal(
    mal_id: uuid.UUID, session: SessionDep, principal: Lasare, response: Response
) -> MalRead:
    vy = service.read(session, principal, mal_id)
    set_etag(response, vy.mal.version)
    return mal_read(vy)


@router.patch(
    "/{mal_id}",
    summary="Ändra ett mål: utfall, analys, förbättringsåtgärder",
    description=_ACCESS_TEXT,
    responses=CHANGE_RESPONSES,
)
def andra_mal(
    mal_id: uuid.UUID,
    body: MalUpdate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    if_match: IfMatchHeader = None,
) -> MalRead:
    mal = service.load(session, principal, mal_id, for_write=True)
    check_if_match(if_match, mal.version)
    vy = service.update(session, principal, mal, body)
    set_etag(response, vy.mal.version)
    return mal_read(vy)


@router.post(
    "/{mal_id}/utfall",
    summary="Fyll i utfallet ur statistiken",
    description=(
        "För en beräknad indikator: utfallet hämtas ur statistiken för målets skola (hela "
        "kommunen för teamets mål) och period, med samma undertryckning som statistiken; det "
        "sparas med tidpunkten. En manuell indikator är 409."
    ),
    responses=problem_responses(404, 409),
)
def berakna_utfall(
    mal_id: uuid.UUID, session: SessionDep, principal: Skrivare, response: Response
) -> MalRead:
    mal = service.load(session, principal, mal_id, for_write=True)
    vy = service.compute_outcome(session, principal, mal)
    set_etag(response, vy.mal.version)
    return mal_read(vy)


@router.post(
    "/{mal_id}/forbattringsatgarder/{atgard_id}/nasta_mal",
    status_code=status.HTTP_201_CREATED,
    summary="Gör en förbättringsåtgärd till nästa periods mål",
    description=(
        "Skapar målet för nästa period ur åtgärden (S 9) och behåller kopplingen: det nya "
        "målet visar `harleds_fran`, åtgärden `overford_till_mal_id`. En åtgärd förs över en "
        "gång (409 annars)."
    ),
    responses=problem_responses(404, 409),
)
def skapa_nasta_mal(
    mal_id: uuid.UUID,
    atgard_id: uuid.UUID,
    body: NastaMalCreate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
) -> MalRead:
    kalla = service.load(session, principal, mal_id, for_write=True)
    vy = service.carry_over(session, principal, kalla, atgard_id=atgard_id, data=body)
    set_etag(response, vy.mal.version)
    return mal_read(vy)
