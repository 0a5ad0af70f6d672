"""Demo data for development: two kommuner, schools, one user per role and an integration client.

Never loaded in production mode. Every password is `demo`; the client's secret is `demo-secret`.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.anvandare.models import Anvandare
from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.passwords import hash_secret
from app.auth.principal import system_principal
from app.auth.roles import Organisation, Roll
from app.integrationer.models import Integration
from app.kommuner import repository as kommuner
from app.kommuner.models import Kommun
from app.skolor.models import Skola

DEMO_KOMMUN = "Demo kommun"
GRANNKOMMUN = "Grannkommun"
DEMO_PASSWORD = "demo"  # noqa: S105 - dev-only demo accounts, refused in prod
DEMO_CLIENT_ID = "demo-integration"
DEMO_CLIENT_SECRET = "demo-secret"  # noqa: S105 - dev-only demo client, refused in prod


@dataclass(frozen=True)
class DemoUser:
    anvandarnamn: str
    namn: str
    roll: Roll
    organisation: Organisation
    skolor: tuple[str, ...] = ()


# Skolenhetskoder match the SS 12000 example payloads, so they can be imported as they are.
DEMO_SKOLOR = {"12345678": "Ekbackens skola", "87654321": "Åsens skola"}
GRANN_SKOLOR = {"11223344": "Grannbyns skola"}

DEMO_USERS = (
    DemoUser("admin", "Ada Admin", Roll.admin, Organisation.skola),
    DemoUser("rektor", "Rut Rektor", Roll.rektor, Organisation.skola, ("12345678",)),
    DemoUser("kurator", "Kim Kurator", Roll.elevhalsa, Organisation.skola, ("12345678",)),
    DemoUser("team-skola", "Tove Team", Roll.skolsocialt_team, Organisation.central_elevhalsa),
    DemoUser("team-soc", "Sam Socialsekreterare", Roll.skolsocialt_team, Organisation.socialtjanst),
    DemoUser("styrgrupp", "Stina Styrgrupp", Roll.styrgrupp, Organisation.central_elevhalsa),
    DemoUser("granskare", "Greta Granskare", Roll.granskare, Organisation.skola),
)
GRANN_USERS = (
    DemoUser("admin2", "Alex Admin", Roll.admin, Organisation.skola),
    DemoUser("kurator2", "Kai Kurator", Roll.elevhalsa, Organisation.skola, ("11223344",)),
)


def _add_kommun(
    session: Session, namn: str, kommunkod: str, skolor: dict[str, str], users: tuple[DemoUser, ...]
) -> tuple[Kommun, dict[str, Skola]]:
    kommun = kommuner.add(session, namn=namn, kommunkod=kommunkod)
    by_code = {
        code: Skola(kommun_id=kommun.id, namn=skolnamn, skolenhetskod=code)
        for code, skolnamn in skolor.items()
    }
    session.add_all(by_code.values())
    password_hash = hash_secret(DEMO_PASSWORD)
    accounts = [
        Anvandare(
            kommun_id=kommun.id,
            anvandarnamn=user.anvandarnamn,
            namn=user.namn,
            roll=user.roll,
            organisation=user.organisation,
            losenord_hash=password_hash,
            skolor=[by_code[code] for code in user.skolor],
        )
        for user in users
    ]
    session.add_all(accounts)
    session.flush()
    actor = system_principal(kommun.id).as_actor()
    for account in accounts:
        record(
            session,
            atgard=Atgard.create,
            resurs_typ="anvandare",
            resurs_id=account.id,
            rattslig_grund="demodata",
            actor=actor,
        )
    return kommun, by_code


def seed_demo(session: Session) -> bool:
    """Loads the demo data unless it is there already; returns whether anything was added."""
    if kommuner.get_by_namn(session, DEMO_KOMMUN) is not None:
        return False
    demo, demo_skolor = _add_kommun(session, DEMO_KOMMUN, "9901", DEMO_SKOLOR, DEMO_USERS)
    _add_kommun(session, GRANNKOMMUN, "9902", GRANN_SKOLOR, GRANN_USERS)
    session.add(
        Integration(
            kommun_id=demo.id,
            namn="Demo närvarosystem",
            klient_id=DEMO_CLIENT_ID,
            hemlighet_hash=hash_secret(DEMO_CLIENT_SECRET),
            skolor=list(demo_skolor.values()),
        )
    )
    session.flush()
    return True
