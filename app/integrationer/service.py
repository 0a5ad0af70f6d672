import secrets
import uuid

from sqlalchemy.orm import Session

from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.passwords import hash_secret
from app.auth.principal import Principal
from app.core.errors import NotFound
from app.core.time import utcnow
from app.integrationer import repository
from app.integrationer.models import Integration
from app.integrationer.schemas import IntegrationCreate
from app.kit.pagination import PageParams
from app.skolor.service import resolve_many

RESURS = "integration"
GRUND = "administration"


def load(session: Session, principal: Principal, integration_id: uuid.UUID) -> Integration:
    client = repository.get_in_kommun(
        session, kommun_id=principal.kommun_id, integration_id=integration_id
    )
    if client is None:
        raise NotFound(RESURS, integration_id)
    return client


def read(session: Session, principal: Principal, integration_id: uuid.UUID) -> Integration:
    client = load(session, principal, integration_id)
    record(
        session, atgard=Atgard.read, resurs_typ=RESURS, resurs_id=client.id, rattslig_grund=GRUND
    )
    return client


def list_integrationer(
    session: Session, principal: Principal, page: PageParams
) -> list[Integration]:
    record(session, atgard=Atgard.search, resurs_typ=RESURS, rattslig_grund=GRUND)
    return repository.list_in_kommun(session, kommun_id=principal.kommun_id, page=page)


def new_client_id() -> str:
    return f"int-{secrets.token_hex(8)}"


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def create(
    session: Session, principal: Principal, data: IntegrationCreate
) -> tuple[Integration, str]:
    """Creates the client; the secret is returned once and only its hash is kept."""
    secret = new_client_secret()
    client = Integration(
        kommun_id=principal.kommun_id,
        namn=data.namn,
        klient_id=new_client_id(),
        hemlighet_hash=hash_secret(secret),
        skolor=resolve_many(session, principal, data.skolor, field="skolor"),
    )
    session.add(client)
    session.flush()
    record(
        session, atgard=Atgard.create, resurs_typ=RESURS, resurs_id=client.id, rattslig_grund=GRUND
    )
    return client, secret


def remove(session: Session, client: Integration) -> None:
    """Revokes the client at once; the row stays, since the audit log refers to it."""
    client.aktiv = False
    client.borttagen = utcnow()
    session.flush()
    record(
        session, atgard=Atgard.delete, resurs_typ=RESURS, resurs_id=client.id, rattslig_grund=GRUND
    )
