"""Logging in: the password grant for people, client credentials for integrations."""

from sqlalchemy.orm import Session

from app.anvandare import repository as anvandare_repository
from app.anvandare.models import Anvandare
from app.audit.chain import Atgard, Utfall
from app.audit.trail import Actor, record
from app.auth import throttle
from app.auth.passwords import burn_verification, verify_secret
from app.auth.principal import AktorTyp
from app.auth.roles import ROLE_SCOPES, Roll
from app.auth.schemas import TokenRead
from app.auth.tokens import issue_token
from app.core.config import Settings
from app.core.errors import Unauthorized
from app.db.session import on_rollback
from app.integrationer import repository as integration_repository
from app.integrationer.models import Integration

GRUND = "inloggning"


def _user_actor(user: Anvandare) -> Actor:
    return Actor(
        kommun_id=user.kommun_id,
        aktor_typ=AktorTyp.anvandare,
        aktor_id=user.id,
        roll=user.roll,
        organisation=user.organisation,
    )


def _client_actor(client: Integration) -> Actor:
    return Actor(
        kommun_id=client.kommun_id,
        aktor_typ=AktorTyp.klient,
        aktor_id=client.id,
        roll=Roll.integration,
        organisation=None,
    )


def _granted(role: Roll, requested: str) -> frozenset[str]:
    allowed = ROLE_SCOPES[role]
    wanted = frozenset(requested.split())
    return allowed & wanted if wanted else allowed


def _fail(
    session: Session,
    settings: Settings,
    keys: dict[str, str],
    *,
    actor: Actor | None,
    resurs_typ: str,
) -> Unauthorized:
    on_rollback(session, lambda own: throttle.record_failure(own, settings, keys))
    if actor is not None:
        record(
            session,
            atgard=Atgard.login,
            resurs_typ=resurs_typ,
            resurs_id=actor.aktor_id,
            rattslig_grund=GRUND,
            utfall=Utfall.denied,
            actor=actor,
        )
    return Unauthorized("Fel inloggningsuppgifter.")


def _issue(
    session: Session,
    settings: Settings,
    *,
    actor: Actor,
    resurs_typ: str,
    skolor: list[str],
    scope: str,
    generation: int | None = None,
) -> TokenRead:
    roll = Roll(actor.roll)
    scopes = " ".join(sorted(_granted(roll, scope)))
    record(
        session,
        atgard=Atgard.login,
        resurs_typ=resurs_typ,
        resurs_id=actor.aktor_id,
        rattslig_grund=GRUND,
        actor=actor,
    )
    claims: dict[str, object] = {
        "roll": roll,
        "kommun": str(actor.kommun_id),
        "skolor": sorted(skolor),
        "scope": scopes,
    }
    if actor.organisation is not None:
        claims["organisation"] = actor.organisation
    if generation is not None:
        claims["gen"] = generation
    token, lifetime = issue_token(
        settings=settings, subject=f"{actor.aktor_typ}:{actor.aktor_id}", claims=claims
    )
    return TokenRead(access_token=token, expires_in=lifetime, scope=scopes)


def login_with_password(
    session: Session,
    settings: Settings,
    *,
    anvandarnamn: str,
    losenord: str,
    address: str | None,
    scope: str,
) -> TokenRead:
    keys = throttle.keys_for(settings, account=anvandarnamn, address=address)
    throttle.check(session, settings, keys)
    user = anvandare_repository.get_by_anvandarnamn(session, anvandarnamn)
    if user is None:
        burn_verification(losenord)
        raise _fail(session, settings, keys, actor=None, resurs_typ="anvandare")
    if not verify_secret(losenord, user.losenord_hash) or not user.aktiv:
        raise _fail(session, settings, keys, actor=_user_actor(user), resurs_typ="anvandare")
    return _issue(
        session,
        settings,
        actor=_user_actor(user),
        resurs_typ="anvandare",
        skolor=[str(skola.id) for skola in user.skolor],
        scope=scope,
        generation=user.token_generation,
    )


def login_with_client_credentials(
    session: Session,
    settings: Settings,
    *,
    klient_id: str,
    hemlighet: str,
    address: str | None,
    scope: str,
) -> TokenRead:
    keys = throttle.keys_for(settings, account=f"klient:{klient_id}", address=address)
    throttle.check(session, settings, keys)
    client = integration_repository.get_by_klient_id(session, klient_id)
    if client is None:
        burn_verification(hemlighet)
        raise _fail(session, settings, keys, actor=None, resurs_typ="integration")
    usable = client.aktiv and client.borttagen is None
    if not verify_secret(hemlighet, client.hemlighet_hash) or not usable:
        raise _fail(session, settings, keys, actor=_client_actor(client), resurs_typ="integration")
    return _issue(
        session,
        settings,
        actor=_client_actor(client),
        resurs_typ="integration",
        skolor=[str(skola.id) for skola in client.skolor],
        scope=scope,
    )
