import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.arenden import faser, service
from app.arenden.dependencies import Lasare, Skola, Skrivare, UppstartDagar
from app.arenden.enums import Fas
from app.arenden.repository import ArendeFilter
from app.arenden.schemas import (
    ArendeCreate,
    ArendeRead,
    ArendeUpdate,
    AvslutCreate,
    FasbyteCreate,
    FashistorikRead,
    arende_read,
    fashistorik_read,
)
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=f"{API_PREFIX}/arenden", tags=["arenden"], responses=PROTECTED)

_ACCESS_TEXT = (
    "Elevhälsa och rektor ser ärenden för elever på sina skolor; det skolsociala teamet ser "
    "kommunens ärenden, personal från socialtjänst och region bara medan ett giltigt samtycke "
    "omfattar deras organisation."
)
_GATE_TEXT = (
    "Ett fasbyte vars villkor inte är uppfyllda besvaras med 409 och en lista (`errors`) över "
    "allt som saknas; ingenting ändras."
)


@router.get(
    "",
    summary="Lista ärenden",
    description=_ACCESS_TEXT
    + " `forsenade=true` visar ärenden där uppstartsmötena inte hållits inom "
    "SAMVERKA_UPPSTART_DAGAR dagar efter beviljandet eller där en planerad uppföljning har "
    "passerat.",
)
def lista_arenden(
    session: SessionDep,
    principal: Lasare,
    page: PageDep,
    uppstart_dagar: UppstartDagar,
    fas: Annotated[Fas | None, Query(description="Ärendets fas")] = None,
    skola: Annotated[uuid.UUID | None, Query(description="Elevens skola")] = None,
    handlaggare: Annotated[uuid.UUID | None, Query(description="Handläggarens id")] = None,
    forsenade: Annotated[bool | None, Query(description="Bara försenade (true) eller inte")] = None,
) -> Page[ArendeRead]:
    filter_ = ArendeFilter(
        kommun_id=principal.kommun_id,
        fas=fas,
        skola_id=skola,
        handlaggare_id=handlaggare,
        forsenade=forsenade,
    )
    rows = service.list_arenden(session, principal, filter_, page, uppstart_dagar=uppstart_dagar)
    cursor = next_cursor(rows, page, lambda vy: [str(vy.arende.id)])
    return Page(data=[arende_read(vy) for vy in rows], nasta_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Ansök om stöd från det skolsociala teamet",
    description=(
        "Skolans ansökan (T 7.1) för en elev på skolan: orsaken, vad skolan gjort på "
        "organisations-, grupp- och individnivå, aktuell frånvaro och ett giltigt samtycke som "
        "omfattar skola och socialtjänst. Saknas något i samtycket besvaras ansökan med 409 och "
        "det som saknas; ett samtycke som inte hör till eleven är 422."
    ),
    responses=problem_responses(404, 409),
)
def skicka_ansokan(
    body: ArendeCreate,
    session: SessionDep,
    principal: Skola,
    response: Response,
    uppstart_dagar: UppstartDagar,
) -> ArendeRead:
    vy = service.apply_for(session, principal, body, uppstart_dagar=uppstart_dagar)
    set_etag(response, vy.arende.version)
    return arende_read(vy)


@router.get(
    "/{arende_id}",
    summary="Hämta ett ärende",
    description=_ACCESS_TEXT
    + " Ett återkallat samtycke flaggar ärendet (samtycke_tacker_arendet = false).",
    responses=problem_responses(404),
)
def hamta_arende(
    arende_id: uuid.UUID,
    session: SessionDep,
    principal: Lasare,
    response: Response,
    uppstart_dagar: UppstartDagar,
) -> ArendeRead:
    vy = service.read(session, principal, arende_id, uppstart_dagar=uppstart_dagar)
    set_etag(response, vy.arende.version)
    return arende_read(vy)


@router.patch(
    "/{arende_id}",
    summary="Komplettera ansökan, byt samtycke eller handläggare",
    description=(
        "Skolan ändrar sin ansökan medan ärendet är i fasen ansokan (en ändring efter en "
        "begäran om komplettering är skolans svar). Skolan eller teamet kan byta till ett nytt "
        "giltigt samtycke. Teamet byter handläggare efter beviljandet."
    ),
    responses=problem_responses(404, 409, 412, 428),
)
def andra_arende(
    arende_id: uuid.UUID,
    body: ArendeUpdate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    uppstart_dagar: UppstartDagar,
    if_match: IfMatchHeader = None,
) -> ArendeRead:
    synligt = service.load(session, principal, arende_id, for_write=True)
    check_if_match(if_match, synligt.arende.version)
    vy = service.update(session, principal, synligt, body, uppstart_dagar=uppstart_dagar)
    set_etag(response, vy.arende.version)
    return arende_read(vy)


@router.get(
    "/{arende_id}/faser",
    summary="Ärendets fashistorik och tid i varje fas",
    responses=problem_responses(404),
)
def hamta_fashistorik(
    arende_id: uuid.UUID, session: SessionDep, principal: Lasare
) -> FashistorikRead:
    synligt = service.load(session, principal, arende_id)
    return fashistorik_read(faser.history(session, principal, synligt))


@router.post(
    "/{arende_id}/faser",
    summary="Byt fas",
    description=(
        "Teamet tar upp ansökan (till beredning), begär komplettering (till ansokan, med "
        "`saknas`), beviljar (till uppstart, med `handlaggare_id`), avslår (till avslutat med "
        "`avslutsorsak` ej_beviljad) och leder ärendet genom faserna. Skolan kan avsluta med "
        "tackar_nej. " + _GATE_TEXT
    ),
    responses=problem_responses(404, 409),
)
def byt_fas(
    arende_id: uuid.UUID,
    body: FasbyteCreate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    uppstart_dagar: UppstartDagar,
) -> ArendeRead:
    synligt = service.load(session, principal, arende_id, for_write=True)
    faser.change_phase(session, principal, synligt, body)
    vy = service.vy(session, synligt, uppstart_dagar=uppstart_dagar)
    set_etag(response, vy.arende.version)
    return arende_read(vy)


@router.post(
    "/{arende_id}/avslut",
    summary="Avsluta ärendet",
    description=(
        "Avslut med orsak och plan för vidmakthållande (T 7.8: vid avslut finns alltid en "
        "plan för vidmakthållande), utom vid avslag (ej_beviljad) från beredning. tackar_nej "
        "går från varje öppen fas, också efter ett återkallat samtycke, och kan göras av skolan. "
        + _GATE_TEXT
    ),
    responses=problem_responses(404, 409),
)
def avsluta_arende(
    arende_id: uuid.UUID,
    body: AvslutCreate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    uppstart_dagar: UppstartDagar,
) -> ArendeRead:
    synligt = service.load(session, principal, arende_id, for_write=True)
    change = FasbyteCreate(
        till=Fas.avslutat,
        kommentar=body.kommentar,
        avslutsorsak=body.orsak,
        vidmakthallandeplan=body.vidmakthallandeplan,
    )
    faser.change_phase(session, principal, synligt, change)
    vy = service.vy(session, synligt, uppstart_dagar=uppstart_dagar)
    set_etag(response, vy.arende.version)
    return arende_read(vy)
