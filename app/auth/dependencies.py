"""The principal dependency: verifies the bearer token, reloads the caller, enforces scopes."""

import uuid
from dataclasses import replace
from typing import Annotated, Any, cast

from fastapi import Depends, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import OAuth2, SecurityScopes
from sqlalchemy.orm import Session

from app.anvandare import repository as anvandare_repository
from app.audit.trail import trail_of
from app.auth.principal import AktorTyp, Principal, parse_subject
from app.auth.roles import ROLE_SCOPES, SCOPES, Roll
from app.auth.tokens import InvalidToken, decode_token
from app.core.config import Settings
from app.core.errors import Forbidden, Unauthorized
from app.db.session import SessionDep
from app.integrationer import repository as integration_repository
from app.kit import API_PREFIX

TOKEN_URL = f"{API_PREFIX}/auth/token"

bearer = OAuth2(
    flows=OAuthFlows(
        password=OAuthFlowPassword(tokenUrl=TOKEN_URL, scopes=SCOPES),
        clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL, scopes=SCOPES),
    ),
    scheme_name="OAuth2",
    description="Bearer-token från POST /api/v1/auth/token",
    auto_error=False,
)


async def get_settings_from(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


SettingsDep = Annotated[Settings, Depends(get_settings_from)]


def load_principal(
    session: Session, kind: AktorTyp, subject_id: uuid.UUID, *, generation: object
) -> Principal | None:
    """The caller as the database says now: deactivation and role changes apply at once."""
    if kind is AktorTyp.anvandare:
        user = anvandare_repository.get(session, subject_id)
        if user is None or not user.aktiv or generation != user.token_generation:
            return None
        return Principal(
            aktor_typ=kind,
            id=user.id,
            kommun_id=user.kommun_id,
            roll=user.roll,
            organisation=user.organisation,
            skolor=frozenset(skola.id for skola in user.skolor),
            scopes=ROLE_SCOPES[user.roll],
        )
    if kind is not AktorTyp.klient:
        return None  # the system actor works at the command line and is never issued a token
    client = integration_repository.get(session, subject_id)
    if client is None or not client.aktiv or client.borttagen is not None:
        return None
    return Principal(
        aktor_typ=kind,
        id=client.id,
        kommun_id=client.kommun_id,
        roll=Roll.integration,
        organisation=None,
        skolor=frozenset(skola.id for skola in client.skolor),
        scopes=ROLE_SCOPES[Roll.integration],
    )


def get_principal(
    security_scopes: SecurityScopes,
    session: SessionDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Depends(bearer)],
) -> Principal:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Ange en bearer-token i Authorization-huvudet.")
    try:
        claims = decode_token(token.strip(), settings=settings)
    except InvalidToken as exc:
        raise Unauthorized("Token är ogiltig eller har gått ut.") from exc
    subject = parse_subject(claims.get("sub"))
    principal = subject and load_principal(session, *subject, generation=claims.get("gen"))
    if not principal:
        raise Unauthorized("Token är ogiltig eller har gått ut.")
    granted = claims.get("scope")
    token_scopes = frozenset(granted.split()) if isinstance(granted, str) else frozenset()
    principal = replace(principal, scopes=principal.scopes & token_scopes)
    trail_of(session).actor = principal.as_actor()
    missing = sorted(set(security_scopes.scopes) - principal.scopes)
    if missing:
        raise Forbidden(f"Behörighet saknas: {', '.join(missing)}.")
    return principal


def require(*scopes: str) -> Any:
    """`Annotated[Principal, require("elever:read")]`: the caller, holding every scope named."""
    if unknown := set(scopes) - SCOPES.keys():
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    return Security(get_principal, scopes=list(scopes))


def require_role(roles: frozenset[Roll], *scopes: str) -> Any:
    """`Annotated[Principal, require_role(TEAM, "arenden:write")]`: the caller, holding every scope
    named and one of the roles, for routes where roles sharing a scope divide the work."""
    scoped = require(*scopes)

    def dependency(principal: Annotated[Principal, scoped]) -> Principal:
        if principal.roll not in roles:
            raise Forbidden(f"Rollen {principal.roll} får inte göra detta.")
        return principal

    return Depends(dependency)


PrincipalDep = Annotated[Principal, require()]
