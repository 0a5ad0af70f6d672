"""Test harness: real migrations on a real database (SQLite file, or PostgreSQL via
TEST_DATABASE_URL), demo data loaded once, and every test inside a transaction that is rolled back.

Requests made by a test commit to savepoints of that transaction, exactly as they commit in
production, so the service's own transaction handling is what runs.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.db.engine import build_engine
from app.db.migrations import upgrade_to_head
from app.db.session import unit_of_work
from app.demo import seed_demo
from app.main import create_app
from tests.helpers import Tokens, login_all

TEST_SECRET = "test-hemlighet-som-bara-finns-i-testerna-0123456789"


def _database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'samverka-test.db'}"


def _reset_postgresql(url: str) -> None:
    engine = build_engine(Settings(database_url=url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    url = _database_url(tmp_path_factory.mktemp("db"))
    return Settings(
        database_url=url,
        jwt_secret=TEST_SECRET,
        login_max_failures_account=5,
        login_max_failures_address=50,
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> Iterator[FastAPI]:
    if not settings.is_sqlite:
        _reset_postgresql(settings.database_url)
    upgrade_to_head(settings)
    application = create_app(settings)
    with unit_of_work(application.state.sessionmaker) as session:
        seed_demo(session)
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="session")
def engine(app: FastAPI) -> Engine:
    engine: Engine = app.state.engine
    return engine


@pytest.fixture(scope="session")
def tokens(app: FastAPI) -> Tokens:
    """A real token per demo account and for the demo integration, from the token endpoint."""
    with TestClient(app) as client:
        return login_all(client)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def db(app: FastAPI, connection: Connection) -> Iterator[Session]:
    """A session on the test's transaction; the app's sessions share it through savepoints."""
    factory = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    original = app.state.sessionmaker
    app.state.sessionmaker = factory
    with factory() as session:
        yield session
    app.state.sessionmaker = original


@pytest.fixture
def client(app: FastAPI, db: Session) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
