import uuid

from fastapi import APIRouter, Response, status

from app.arenden import service as arenden_service
from app.arenden.dependencies import Lasare, Team
from app.arenden.moten import service
from app.arenden.moten.schemas import MoteCreate, MoteRead, MoteUpdate
from app.arenden.moten.service import mote_read
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, page_of
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=f"{API_PREFIX}/arenden", tags=["arenden"], responses=PROTECTED)


@router.get(
    "/{arende_id}/moten",
    summary="Lista ärendets möten",
    responses=problem_responses(404),
)
def lista_moten(
    arende_id: uuid.UUID, session: SessionDep, principal: Lasare, page: PageDep
) -> Page[MoteRead]:
    synligt = arenden_service.load(session, principal, arende_id)
    rows, cursor = page_of(service.list_moten(session, synligt), page, key=lambda mote: mote.id)
    return Page(data=[mote_read(mote) for mote in rows], nasta_cursor=cursor)


@router.post(
    "/{arende_id}/moten",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera ett möte",
    description=(
        "Teamet kallar till möten och för dagordning och minnesanteckningar (T 7.3). På "
        "uppstartsmötet med skolan utses en av skolans deltagare till kontaktperson."
    ),
    responses=problem_responses(404, 409),
)
def skapa_mote(
    arende_id: uuid.UUID,
    body: MoteCreate,
    session: SessionDep,
    principal: Team,
    response: Response,
) -> MoteRead:
    synligt = arenden_service.load(session, principal, arende_id, for_write=True)
    mote = service.create(session, principal, synligt, body)
    set_etag(response, mote.version)
    return mote_read(mote)


@router.patch(
    "/{arende_id}/moten/{mote_id}",
    summary="Ändra ett möte, t.ex. föra minnesanteckningar",
    responses=problem_responses(404, 409, 412, 428),
)
def andra_mote(
    arende_id: uuid.UUID,
    mote_id: uuid.UUID,
    body: MoteUpdate,
    session: SessionDep,
    principal: Team,
    response: Response,
    if_match: IfMatchHeader = None,
) -> MoteRead:
    synligt = arenden_service.load(session, principal, arende_id, for_write=True)
    mote = service.load(session, synligt, mote_id)
    check_if_match(if_match, mote.version)
    service.update(session, synligt, mote, body)
    set_etag(response, mote.version)
    return mote_read(mote)
