import uuid

from sqlalchemy.orm import Session

from app.anvandare import repository
from app.anvandare.models import Anvandare
from app.anvandare.rules import role_problems
from app.anvandare.schemas import AnvandareCreate, AnvandareUpdate
from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.passwords import hash_secret
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound
from app.kit.pagination import PageParams
from app.skolor.service import resolve_many

RESURS = "anvandare"
GRUND = "administration"


def load(session: Session, principal: Principal, anvandare_id: uuid.UUID) -> Anvandare:
    user = repository.get_in_kommun(
        session, kommun_id=principal.kommun_id, anvandare_id=anvandare_id
    )
    if user is None:
        raise NotFound(RESURS, anvandare_id)
    return user


def read(session: Session, principal: Principal, anvandare_id: uuid.UUID) -> Anvandare:
    user = load(session, principal, anvandare_id)
    record(session, atgard=Atgard.read, resurs_typ=RESURS, resurs_id=user.id, rattslig_grund=GRUND)
    return user


def read_self(session: Session, principal: Principal) -> Anvandare:
    user = load(session, principal, principal.id)
    record(session, atgard=Atgard.read, resurs_typ=RESURS, resurs_id=user.id, rattslig_grund="egen")
    return user


def list_anvandare(session: Session, principal: Principal, page: PageParams) -> list[Anvandare]:
    record(session, atgard=Atgard.search, resurs_typ=RESURS, rattslig_grund=GRUND)
    return repository.list_in_kommun(session, kommun_id=principal.kommun_id, page=page)


def _check_role(user: Anvandare) -> None:
    problems = role_problems(
        roll=user.roll, organisation=user.organisation, antal_skolor=len(user.skolor)
    )
    if problems:
        raise InvalidInput(
            "Rollen passar inte ihop med organisation eller skolor.",
            errors=[{"plats": "body.roll", "meddelande": problem} for problem in problems],
        )


def create(session: Session, principal: Principal, data: AnvandareCreate) -> Anvandare:
    if repository.get_by_anvandarnamn(session, data.anvandarnamn) is not None:
        raise Conflict("Användarnamnet är upptaget.")
    user = Anvandare(
        kommun_id=principal.kommun_id,
        anvandarnamn=data.anvandarnamn,
        namn=data.namn,
        roll=data.roll,
        organisation=data.organisation,
        skolor=resolve_many(session, principal, data.skolor, field="skolor"),
        losenord_hash=hash_secret(data.losenord),
    )
    _check_role(user)
    session.add(user)
    session.flush()
    record(
        session, atgard=Atgard.create, resurs_typ=RESURS, resurs_id=user.id, rattslig_grund=GRUND
    )
    return user


def update(
    session: Session, principal: Principal, user: Anvandare, data: AnvandareUpdate
) -> Anvandare:
    if data.namn is not None:
        user.namn = data.namn
    if data.roll is not None:
        user.roll = data.roll
    if data.organisation is not None:
        user.organisation = data.organisation
    if data.skolor is not None:
        user.skolor = resolve_many(session, principal, data.skolor, field="skolor")
    if data.aktiv is not None:
        user.aktiv = data.aktiv
    if data.losenord is not None:
        user.losenord_hash = hash_secret(data.losenord)
    if data.aktiv is False or data.losenord is not None:
        # Tokens already handed out stop working on their next request.
        user.token_generation += 1
    _check_role(user)
    session.flush()
    record(
        session, atgard=Atgard.update, resurs_typ=RESURS, resurs_id=user.id, rattslig_grund=GRUND
    )
    return user
