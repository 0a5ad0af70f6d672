"""Two writers at once never lose an update (PostgreSQL, two real connections).

The data is committed so that both connections see it, and removed afterwards. Nothing here
writes to the audit log, which cannot be cleaned up: the service code runs with its audit
entries collected and dropped.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.anvandare.models import Anvandare
from app.arenden import service as arenden_service
from app.arenden.ansvarsplan import service as ansvarsplan_service
from app.arenden.ansvarsplan.schemas import AnsvarsplanPut
from app.arenden.enums import Fas
from app.arenden.models import Ansvarsplan, Arende
from app.audit.trail import trail_of
from app.auth.dependencies import load_principal
from app.auth.principal import AktorTyp, Principal
from app.core.errors import PreconditionFailed
from app.core.time import today, utcnow
from app.elever.models import Arskurs, Elev, Skolform, SkyddadIdentitet
from app.samtycken.models import Samtycke
from app.skolor.models import Skola
from tests.factories import EKBACKEN, nytt_personnummer
from tests.helpers import LOCK_WAIT_SECONDS, started_until_blocked


@dataclass(frozen=True)
class Committed:
    factory: sessionmaker[Session]
    arende_id: uuid.UUID
    team_id: uuid.UUID


def _seed(session: Session) -> tuple[uuid.UUID, uuid.UUID]:
    skola = session.scalars(select(Skola).where(Skola.skolenhetskod == EKBACKEN)).one()
    team = session.scalars(select(Anvandare).where(Anvandare.anvandarnamn == "team-skola")).one()
    nummer = nytt_personnummer()
    elev = Elev(
        kommun_id=skola.kommun_id,
        skola_id=skola.id,
        personnummer=nummer,
        identitetstyp="personnummer",
        fornamn="Samtidig",
        efternamn="Skrivning",
        sokbart_namn="samtidig skrivning",
        arskurs=Arskurs.AK8,
        skolform=Skolform.grundskola,
        skyddad_identitet=SkyddadIdentitet.ingen,
    )
    session.add(elev)
    session.flush()
    samtycke = Samtycke(
        kommun_id=skola.kommun_id,
        elev_id=elev.id,
        parter=["skola", "socialtjanst"],
        syfte="Närvaro",
        omfattning="Närvaro",
        giltig_fran=today(),
        giltig_till=today(),
        elevens_signatur_kravs=False,
        registrerad_av=team.id,
    )
    session.add(samtycke)
    session.flush()
    arende = Arende(
        kommun_id=skola.kommun_id,
        elev_id=elev.id,
        ansokande_skola_id=skola.id,
        ansokt_av=team.id,
        fas=Fas.ansvarsplanering,
        orsak="Frånvaro",
        insatser_organisationsniva="-",
        insatser_gruppniva="-",
        insatser_individniva="-",
        franvaro_beskrivning="-",
        samtycke_id=samtycke.id,
        moten=[],
    )
    session.add(arende)
    session.flush()
    session.add(
        Ansvarsplan(
            arende_id=arende.id,
            version=1,
            innehall={"nulage": "Version 1"},
            skapad=utcnow(),
            skapad_av=team.id,
        )
    )
    return arende.id, team.id


def _remove(session: Session, arende_id: uuid.UUID) -> None:
    arende = session.get(Arende, arende_id)
    assert arende is not None
    elev_id, samtycke_id = arende.elev_id, arende.samtycke_id
    session.execute(delete(Ansvarsplan).where(Ansvarsplan.arende_id == arende_id))
    session.execute(delete(Arende).where(Arende.id == arende_id))
    session.execute(delete(Samtycke).where(Samtycke.id == samtycke_id))
    session.execute(delete(Elev).where(Elev.id == elev_id))


@pytest.fixture
def committed(engine: Engine) -> Iterator[Committed]:
    if engine.dialect.name != "postgresql":
        pytest.skip(
            "SQLite serialises writers (one connection, BEGIN IMMEDIATE): two write "
            "transactions are never open at once there"
        )
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session, session.begin():
        arende_id, team_id = _seed(session)
    yield Committed(factory, arende_id, team_id)
    with factory() as session, session.begin():
        _remove(session, arende_id)


def _principal(session: Session, committed: Committed) -> Principal:
    user = session.get(Anvandare, committed.team_id)
    assert user is not None
    principal = load_principal(
        session, AktorTyp.anvandare, user.id, generation=user.token_generation
    )
    assert principal is not None
    trail_of(session).actor = principal.as_actor()
    return principal


def _save_plan(session: Session, committed: Committed, nulage: str, if_match: str) -> None:
    """What PUT …/ansvarsplan does: lock the case, check If-Match, store a new version."""
    principal = _principal(session, committed)
    synligt = arenden_service.load(session, principal, committed.arende_id, for_write=True)
    ansvarsplan_service.put(
        session, principal, synligt, AnsvarsplanPut(nulage=nulage), if_match=if_match
    )


def test_the_second_of_two_plan_writers_waits_and_then_gets_412(
    committed: Committed, engine: Engine
) -> None:
    outcome: list[BaseException | None] = []

    def second_writer() -> None:
        with committed.factory() as session:
            try:
                _save_plan(session, committed, "Andra skrivaren", if_match='"1"')
                session.commit()
                outcome.append(None)
            except PreconditionFailed as exc:
                session.rollback()
                outcome.append(exc)

    with committed.factory() as first:
        _save_plan(first, committed, "Första skrivaren", if_match='"1"')
        thread = started_until_blocked(engine, second_writer, "the second writer")
        first.commit()
    thread.join(LOCK_WAIT_SECONDS)

    assert not thread.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], PreconditionFailed)
    with committed.factory() as session:
        versions = session.scalars(
            select(Ansvarsplan)
            .where(Ansvarsplan.arende_id == committed.arende_id)
            .order_by(Ansvarsplan.version)
        ).all()
        assert [(v.version, v.innehall["nulage"]) for v in versions] == [
            (1, "Version 1"),
            (2, "Första skrivaren"),
        ]


def test_version_locking_refuses_a_write_based_on_a_row_another_transaction_changed(
    committed: Committed,
) -> None:
    with committed.factory() as first, committed.factory() as second:
        mine = first.get(Arende, committed.arende_id)
        theirs = second.get(Arende, committed.arende_id)
        assert mine is not None
        assert theirs is not None
        assert mine.version == theirs.version
        read_version = mine.version

        mine.orsak = "Först"
        first.commit()
        theirs.orsak = "Sist"
        with pytest.raises(StaleDataError):
            second.flush()
        second.rollback()

    with committed.factory() as session:
        stored = session.get(Arende, committed.arende_id)
        assert stored is not None
        assert (stored.orsak, stored.version) == ("Först", read_version + 1)
