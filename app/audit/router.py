import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.audit import service
from app.audit.chain import Atgard, Utfall
from app.audit.repository import AuditFilter
from app.audit.schemas import AtkomstRead, AuditRead, BrottRead, VerifieringRead
from app.auth.dependencies import require
from app.auth.principal import Principal
from app.core.errors import InvalidInput
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.pagination import Page, PageDep, next_cursor
from app.kit.problem import PROTECTED, problem_responses
from app.kit.schemas import Tidpunkt

router = APIRouter(prefix=f"{API_PREFIX}/audit", tags=["audit"], responses=PROTECTED)
elev_router = APIRouter(prefix=f"{API_PREFIX}/elever", tags=["audit"], responses=PROTECTED)

Granskare = Annotated[Principal, require("audit:read")]


def _aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput(
            "Tidpunkter ska anges med tidszon.",
            errors=[{"plats": f"query.{field}", "meddelande": "Tidpunkten ska ha tidszon."}],
        )
    return value


@router.get(
    "",
    summary="Sök i granskningsloggen",
    description=(
        "Kommunens loggrader, nyast först. Filtrera på användare, elev, tid, åtgärd och utfall."
    ),
)
def sok_audit(
    session: SessionDep,
    principal: Granskare,
    page: PageDep,
    anvandare: Annotated[uuid.UUID | None, Query(description="Användare eller klient")] = None,
    elev: Annotated[uuid.UUID | None, Query(description="Elevens id")] = None,
    fran: Annotated[Tidpunkt | None, Query(description="Från och med (RFC 3339)")] = None,
    till: Annotated[Tidpunkt | None, Query(description="Till, ej med (RFC 3339)")] = None,
    atgard: Atgard | None = None,
    utfall: Utfall | None = None,
) -> Page[AuditRead]:
    filter_ = AuditFilter(
        aktor_id=anvandare,
        elev_id=elev,
        fran=_aware(fran, "fran"),
        till=_aware(till, "till"),
        atgard=atgard,
        utfall=utfall,
    )
    rows = service.search(session, principal, filter_, page)
    cursor = next_cursor(rows, page, lambda row: [row.id])
    return Page(data=[AuditRead.model_validate(row) for row in rows], nasta_cursor=cursor)


@router.get(
    "/verifiering",
    summary="Verifiera loggens hashkedja",
    description="Går igenom kommunens kedja och anger den första rad som inte stämmer.",
)
def verifiera_audit(session: SessionDep, principal: Granskare) -> VerifieringRead:
    result = service.verify(session, principal)
    brott = result.forsta_brott
    return VerifieringRead(
        kommun_id=result.kommun_id,
        hel=result.hel,
        antal_rader=result.antal_rader,
        forsta_brott=None
        if brott is None
        else BrottRead(rad_id=brott.rad_id, lopnummer=brott.lopnummer, orsak=brott.orsak),
    )


@elev_router.get(
    "/{elev_id}/atkomstlogg",
    summary="Elevens åtkomstlogg",
    description=(
        "Varje åtkomst till elevens uppgifter: vem, roll, organisation, när, vad, rättslig grund "
        "och utfall, nyast först. Underlag för logguttag till elev och vårdnadshavare."
    ),
    responses=problem_responses(404),
)
def hamta_atkomstlogg(
    elev_id: uuid.UUID, session: SessionDep, principal: Granskare, page: PageDep
) -> Page[AtkomstRead]:
    rows = service.access_log(session, principal, elev_id, page)
    cursor = next_cursor(rows, page, lambda row: [row[0].id])
    return Page(
        data=[
            AtkomstRead.model_validate(
                {**AuditRead.model_validate(row).model_dump(), "aktor_namn": namn}
            )
            for row, namn in rows
        ],
        nasta_cursor=cursor,
    )
