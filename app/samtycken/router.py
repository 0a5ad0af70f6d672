import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status

from app.auth.dependencies import require
from app.auth.principal import Principal
from app.db.session import SessionDep
from app.elever import service as elever_service
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, page_of
from app.kit.problem import PROTECTED, problem_responses
from app.samtycken import service
from app.samtycken.schemas import (
    AterkallelseCreate,
    SamtyckeCreate,
    SamtyckeRead,
    SamtyckeUpdate,
    SignaturCreate,
    samtycke_read,
)

router = APIRouter(prefix=API_PREFIX, tags=["samtycken"], responses=PROTECTED)

Lasare = Annotated[Principal, require("samtycken:read")]
Skrivare = Annotated[Principal, require("samtycken:write")]

_STATUS_TEXT = (
    "Status härleds vid varje läsning: `vantar_signatur` tills alla vårdnadshavare med vårdnad "
    "(och eleven, när det krävs) har signerat, `giltigt` inom perioden, `utgatt` efter den och "
    "`aterkallat` efter en återkallelse."
)


@router.get(
    "/elever/{elev_id}/samtycken",
    summary="Lista elevens samtycken",
    description=_STATUS_TEXT,
    responses=problem_responses(404),
)
def lista_samtycken(
    elev_id: uuid.UUID, session: SessionDep, principal: Lasare, page: PageDep
) -> Page[SamtyckeRead]:
    synlig = elever_service.load(session, principal, elev_id)
    rows, cursor = page_of(service.list_for(session, synlig), page, key=lambda row: row[0].id)
    return Page(data=[samtycke_read(s, b) for s, b in rows], nasta_cursor=cursor)


@router.post(
    "/elever/{elev_id}/samtycken",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera ett samtycke",
    description=(
        "Samtycket namnger parterna som får utbyta uppgifter, syftet, vad det omfattar och "
        "perioden. Det gäller först när alla signaturer finns. " + _STATUS_TEXT
    ),
    responses=problem_responses(404),
)
def skapa_samtycke(
    elev_id: uuid.UUID,
    body: SamtyckeCreate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
) -> SamtyckeRead:
    synlig = elever_service.load(session, principal, elev_id)
    samtycke, bedomning = service.create(session, principal, synlig, body)
    set_etag(response, samtycke.version)
    return samtycke_read(samtycke, bedomning)


@router.get(
    "/samtycken/{samtycke_id}",
    summary="Hämta ett samtycke",
    description=_STATUS_TEXT,
    responses=problem_responses(404),
)
def hamta_samtycke(
    samtycke_id: uuid.UUID, session: SessionDep, principal: Lasare, response: Response
) -> SamtyckeRead:
    samtycke, bedomning = service.read(session, principal, samtycke_id)
    set_etag(response, samtycke.version)
    return samtycke_read(samtycke, bedomning)


@router.patch(
    "/samtycken/{samtycke_id}",
    summary="Ändra ett samtycke som ännu inte har signerats",
    responses=problem_responses(404, 409, 412, 428),
)
def andra_samtycke(
    samtycke_id: uuid.UUID,
    body: SamtyckeUpdate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    if_match: IfMatchHeader = None,
) -> SamtyckeRead:
    found = service.load(session, principal, samtycke_id)
    check_if_match(if_match, found.samtycke.version)
    samtycke, bedomning = service.update(session, found, body)
    set_etag(response, samtycke.version)
    return samtycke_read(samtycke, bedomning)


@router.post(
    "/samtycken/{samtycke_id}/signaturer",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera en signatur",
    description=(
        "En vårdnadshavare med vårdnad eller eleven signerar: digitalt, på papper eller muntligt "
        "(noterat av personal)."
    ),
    responses=problem_responses(404, 409),
)
def signera_samtycke(
    samtycke_id: uuid.UUID,
    body: SignaturCreate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
) -> SamtyckeRead:
    found = service.load(session, principal, samtycke_id)
    samtycke, bedomning = service.sign(session, principal, found, body)
    set_etag(response, samtycke.version)
    return samtycke_read(samtycke, bedomning)


@router.post(
    "/samtycken/{samtycke_id}/aterkallelse",
    status_code=status.HTTP_201_CREATED,
    summary="Återkalla samtycket helt eller för vissa parter",
    description=(
        "Den som har signerat kan återkalla när som helst. Återkallelsen gäller direkt: den som "
        "hade åtkomst genom samtycket nekas redan vid nästa anrop."
    ),
    responses=problem_responses(404, 409),
)
def aterkalla_samtycke(
    samtycke_id: uuid.UUID,
    body: AterkallelseCreate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
) -> SamtyckeRead:
    found = service.load(session, principal, samtycke_id)
    samtycke, bedomning = service.withdraw(session, principal, found, body)
    set_etag(response, samtycke.version)
    return samtycke_read(samtycke, bedomning)
