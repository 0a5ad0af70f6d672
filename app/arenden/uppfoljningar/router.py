import uuid

from fastapi import APIRouter, status

from app.arenden import service as arenden_service
from app.arenden.dependencies import Lasare, Team
from app.arenden.uppfoljningar import service
from app.arenden.uppfoljningar.schemas import UppfoljningCreate, UppfoljningRead
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.pagination import Page, PageDep, page_of
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=f"{API_PREFIX}/arenden", tags=["arenden"], responses=PROTECTED)


@router.get(
    "/{arende_id}/uppfoljningar",
    summary="Lista ärendets uppföljningar",
    responses=problem_responses(404),
)
def lista_uppfoljningar(
    arende_id: uuid.UUID, session: SessionDep, principal: Lasare, page: PageDep
) -> Page[UppfoljningRead]:
    synligt = arenden_service.load(session, principal, arende_id)
    rows, cursor = page_of(service.list_uppfoljningar(session, synligt), page, key=lambda u: u.id)
    return Page(data=rows, nasta_cursor=cursor)


@router.post(
    "/{arende_id}/uppfoljningar",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera en hållen uppföljning",
    description=(
        "Varje mål i gällande ansvarsplan bedöms: uppnatt, delvis eller ej_uppnatt (T 7.7). "
        "Uppföljningen avser planens tidigaste ännu ej uppföljda datum. Frånvaroandelen för "
        "perioden sedan förra uppföljningen beräknas ur lagrad frånvaro när sådan finns."
    ),
    responses=problem_responses(404, 409),
)
def skapa_uppfoljning(
    arende_id: uuid.UUID, body: UppfoljningCreate, session: SessionDep, principal: Team
) -> UppfoljningRead:
    synligt = arenden_service.load(session, principal, arende_id, for_write=True)
    return service.create(session, principal, synligt, body)
