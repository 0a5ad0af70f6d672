import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.auth.dependencies import require
from app.auth.principal import Principal
from app.avvikelser import service
from app.avvikelser.enums import Avvikelsestatus, Verksamhet
from app.avvikelser.repository import AvvikelseFilter
from app.avvikelser.schemas import (
    AvvikelseCreate,
    AvvikelseRead,
    AvvikelseUpdate,
    avvikelse_read,
)
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses
from app.kit.schemas import Datum

router = APIRouter(prefix=f"{API_PREFIX}/avvikelser", tags=["avvikelser"], responses=PROTECTED)

Lasare = Annotated[Principal, require("avvikelser:read")]
Skrivare = Annotated[Principal, require("avvikelser:write")]

_ACCESS_TEXT = (
    "Avvikelser i samverkan mellan två eller flera verksamheter (skola, socialtjänst, BUP, "
    "barnmedicin, habilitering) som inte går att lösa lokalt eller är av principiell natur, för "
    "rapportering till BUS-sekretariatet. Det skolsociala teamet ser kommunens alla avvikelser; "
    "skolans personal ser sina skolors och sina egna."
)


@router.get("", summary="Lista avvikelser", description=_ACCESS_TEXT)
def lista_avvikelser(
    session: SessionDep,
    principal: Lasare,
    page: PageDep,
    status: Annotated[Avvikelsestatus | None, Query(description="Status nu")] = None,
    fran: Annotated[Datum | None, Query(description="Händelsedatum från och med")] = None,
    till: Annotated[Datum | None, Query(description="Händelsedatum till och med")] = None,
    verksamhet: Annotated[Verksamhet | None, Query(description="En berörd verksamhet")] = None,
    skola: Annotated[uuid.UUID | None, Query(description="Skolan avvikelsen gäller")] = None,
) -> Page[AvvikelseRead]:
    filter_ = AvvikelseFilter(
        status=status, fran=fran, till=till, verksamhet=verksamhet, skola_id=skola
    )
    rows = service.list_avvikelser(session, principal, filter_, page)
    cursor = next_cursor(rows, page, lambda row: [str(row.id)])
    return Page(data=[avvikelse_read(row) for row in rows], nasta_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera en avvikelse",
    description=(
        "Skolans personal och det skolsociala teamet registrerar. Avvikelsen berör minst två "
        "verksamheter, den rapporterande bland dem, och går inte att lösa lokalt eller är av "
        "principiell natur."
    ),
)
def skapa_avvikelse(
    body: AvvikelseCreate, session: SessionDep, principal: Skrivare, response: Response
) -> AvvikelseRead:
    avvikelse = service.create(session, principal, body)
    set_etag(response, avvikelse.version)
    return avvikelse_read(avvikelse)


@router.get(
    "/{avvikelse_id}",
    summary="Hämta en avvikelse",
    description=_ACCESS_TEXT,
    responses=problem_responses(404),
)
def hamta_avvikelse(
    avvikelse_id: uuid.UUID, session: SessionDep, principal: Lasare, response: Response
) -> AvvikelseRead:
    avvikelse = service.read(session, principal, avvikelse_id)
    set_etag(response, avvikelse.version)
    return avvikelse_read(avvikelse)


@router.patch(
    "/{avvikelse_id}",
    summary="Ändra en avvikelse eller byt status",
    description=(
        "Innehållet ändras medan avvikelsen är registrerad, av den som rapporterade den, rektor "
        "på skolan eller teamet. Status går framåt, ett steg i taget: registrerad → "
        "rapporterad_bus → besvarad (med svaret) → avslutad; en registrerad avvikelse kan "
        "avslutas direkt med en avslutskommentar. Rektor på skolan och teamet byter status. "
        "Ett statusbyte som inte går besvaras med 409 och vad som saknas."
    ),
    responses=problem_responses(404, 409, 412, 428),
)
def andra_avvikelse(
    avvikelse_id: uuid.UUID,
    body: AvvikelseUpdate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AvvikelseRead:
    avvikelse = service.load(session, principal, avvikelse_id, for_write=True)
    check_if_match(if_match, avvikelse.version)
    service.update(session, principal, avvikelse, body)
    set_etag(response, avvikelse.version)
    return avvikelse_read(avvikelse)
