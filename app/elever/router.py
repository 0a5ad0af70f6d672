import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.orm import Session

from app.auth.dependencies import require
from app.auth.principal import Principal
from app.core.errors import InvalidInput
from app.db.session import SessionDep
from app.elever import service
from app.elever.models import Arskurs
from app.elever.schemas import (
    ElevCreate,
    ElevRead,
    ElevSok,
    ElevUpdate,
    VardnadshavareCreate,
    VardnadshavareRead,
    VardnadshavareUpdate,
    elev_read,
    vardnadshavare_read,
)
from app.franvaro.rules import Narvaroniva
from app.kit import API_PREFIX
from app.kit.etag import IfMatchHeader, check_if_match, set_etag
from app.kit.pagination import Page, PageDep, PageParams, next_cursor, page_of
from app.kit.problem import PROTECTED, problem_responses

router = APIRouter(prefix=f"{API_PREFIX}/elever", tags=["elever"], responses=PROTECTED)

Lasare = Annotated[Principal, require("elever:read")]
Skrivare = Annotated[Principal, require("elever:write")]
CHANGE_RESPONSES = problem_responses(404, 409, 412, 428)


@dataclass(frozen=True, slots=True)
class Listfilter:
    skola: uuid.UUID | None
    arskurs: Arskurs | None
    narvaroniva: Narvaroniva | None


def _listfilter(
    skola: Annotated[uuid.UUID | None, Query(description="Skolans id")] = None,
    arskurs: Annotated[Arskurs | None, Query(description="Årskurs F–9")] = None,
    narvaroniva: Annotated[
        Narvaroniva | None,
        Query(description="Närvaronivån de senaste åtta veckorna (utan frånvarodata: gron)"),
    ] = None,
) -> Listfilter:
    return Listfilter(skola, arskurs, narvaroniva)


ListfilterDep = Annotated[Listfilter, Depends(_listfilter)]


def _list(
    session: Session, principal: Principal, page: PageParams, filter_: Listfilter, namn: str | None
) -> tuple[list[ElevRead], str | None]:
    """A page of the pupils in the caller's remit, filtered, and the next cursor."""
    rows = service.list_elever(
        session,
        principal,
        skola_id=filter_.skola,
        arskurs=filter_.arskurs,
        namn=namn,
        page=page,
        narvaroniva=filter_.narvaroniva,
    )
    cursor = next_cursor(rows, page, lambda synlig: [str(synlig.elev.id)])
    return [elev_read(s.elev, s.atkomst) for s in rows], cursor


@router.get(
    "",
    summary="Lista elever",
    description=(
        "Elever inom det egna uppdraget: elevhälsa och rektor ser sina skolors elever; det "
        "skolsociala teamet ser kommunens elever, personal utanför skolhuvudmannen bara elever "
        "med ett giltigt samtycke som omfattar deras organisation. Elever med skyddad identitet "
        "visas i listor bara för elevhälsa och rektor på elevens skola. Sök på personnummer eller "
        "namn med POST /elever/sok, aldrig i adressen."
    ),
)
def lista_elever(
    session: SessionDep,
    principal: Lasare,
    page: PageDep,
    filter_: ListfilterDep,
    request: Request,
) -> Page[ElevRead]:
    if "namn" in request.query_params:
        # Once a filter here; refused rather than ignored, so that a client that still sends it
        # does not get every pupil instead of those it searched for.
        raise InvalidInput(
            "Sök på namn med POST /api/v1/elever/sok: ett namn hör inte hemma i adressen.",
            errors=[{"plats": "query.namn", "meddelande": "Skicka namnet i kroppen till /sok."}],
        )
    data, cursor = _list(session, principal, page, filter_, None)
    return Page(data=data, nasta_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera en elev",
    responses=problem_responses(409),
)
def skapa_elev(
    body: ElevCreate, session: SessionDep, principal: Skrivare, response: Response
) -> ElevRead:
    synlig = service.create(session, principal, body)
    set_etag(response, synlig.elev.version)
    return elev_read(synlig.elev, synlig.atkomst)


@router.post(
    "/sok",
    summary="Sök elever på personnummer eller namn",
    description=(
        "Personnumret eller namnet skickas i kroppen så att det aldrig hamnar i en adress eller "
        "logg. Ett personnummer ger eleven med det numret, om du får se eleven. Ett namn ger "
        "elever inom ditt uppdrag vars för- eller efternamn innehåller texten, sidvis och med "
        "samma filter som GET /elever."
    ),
)
def sok_elev(
    body: ElevSok,
    session: SessionDep,
    principal: Lasare,
    page: PageDep,
    filter_: ListfilterDep,
) -> Page[ElevRead]:
    if body.personnummer is not None:
        found = service.search_by_personnummer(session, principal, body.personnummer)
        # One pupil at most: no next page.
        return Page(data=[elev_read(s.elev, s.atkomst) for s in found], nasta_cursor=None)
    data, cursor = _list(session, principal, page, filter_, body.namn)
    return Page(data=data, nasta_cursor=cursor)


@router.get("/{elev_id:uuid}", summary="Hämta en elev", responses=problem_responses(404))
def hamta_elev(
    elev_id: uuid.UUID, session: SessionDep, principal: Lasare, response: Response
) -> ElevRead:
    synlig = service.read(session, principal, elev_id)
    set_etag(response, synlig.elev.version)
    return elev_read(synlig.elev, synlig.atkomst)


@router.patch("/{elev_id:uuid}", summary="Ändra en elev", responses=CHANGE_RESPONSES)
def andra_elev(
    elev_id: uuid.UUID,
    body: ElevUpdate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ElevRead:
    synlig = service.load(session, principal, elev_id)
    check_if_match(if_match, synlig.elev.version)
    service.update(session, principal, synlig, body)
    set_etag(response, synlig.elev.version)
    return elev_read(synlig.elev, synlig.atkomst)


@router.get(
    "/{elev_id}/vardnadshavare",
    summary="Lista elevens vårdnadshavare",
    responses=problem_responses(404),
)
def lista_vardnadshavare(
    elev_id: uuid.UUID, session: SessionDep, principal: Lasare, page: PageDep
) -> Page[VardnadshavareRead]:
    synlig = service.load(session, principal, elev_id)
    rows, cursor = page_of(service.list_guardians(session, synlig), page, key=lambda g: g.id)
    data = [vardnadshavare_read(g, synlig.elev, synlig.atkomst) for g in rows]
    return Page(data=data, nasta_cursor=cursor)


@router.post(
    "/{elev_id}/vardnadshavare",
    status_code=status.HTTP_201_CREATED,
    summary="Registrera en vårdnadshavare",
    responses=problem_responses(404),
)
def skapa_vardnadshavare(
    elev_id: uuid.UUID,
    body: VardnadshavareCreate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
) -> VardnadshavareRead:
    synlig = service.load(session, principal, elev_id)
    guardian = service.add_guardian(session, principal, synlig, body)
    set_etag(response, guardian.version)
    return vardnadshavare_read(guardian, synlig.elev, synlig.atkomst)


@router.patch(
    "/{elev_id}/vardnadshavare/{vardnadshavare_id}",
    summary="Ändra en vårdnadshavare",
    responses=CHANGE_RESPONSES,
)
def andra_vardnadshavare(
    elev_id: uuid.UUID,
    vardnadshavare_id: uuid.UUID,
    body: VardnadshavareUpdate,
    session: SessionDep,
    principal: Skrivare,
    response: Response,
    if_match: IfMatchHeader = None,
) -> VardnadshavareRead:
    synlig = service.load(session, principal, elev_id)
    guardian = service.load_guardian(session, synlig, vardnadshavare_id)
    check_if_match(if_match, guardian.version)
    service.update_guardian(session, synlig, guardian, body)
    set_etag(response, guardian.version)
    return vardnadshavare_read(guardian, synlig.elev, synlig.atkomst)


@router.delete(
    "/{elev_id}/vardnadshavare/{vardnadshavare_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Ta bort en felregistrerad vårdnadshavare",
    description="Den som har signerat eller återkallat ett samtycke kan inte tas bort.",
    responses=CHANGE_RESPONSES,
)
def ta_bort_vardnadshavare(
    elev_id: uuid.UUID,
    vardnadshavare_id: uuid.UUID,
    session: SessionDep,
    principal: Skrivare,
    if_match: IfMatchHeader = None,
) -> None:
    synlig = service.load(session, principal, elev_id)
    guardian = service.load_guardian(session, synlig, vardnadshavare_id)
    check_if_match(if_match, guardian.version)
    service.remove_guardian(session, synlig, guardian)
