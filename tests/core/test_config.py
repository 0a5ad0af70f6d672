import pytest
from pydantic import ValidationError

from app.core.config import DEFAULT_JWT_SECRET, Settings
from app.main import create_app


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="SAMVERKA_JWT_SECRET"):
        Settings(env="prod", jwt_secret=DEFAULT_JWT_SECRET)


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ValidationError, match="minst 32 tecken"):
        Settings(env="prod", jwt_secret="kort-hemlighet")


def test_production_starts_with_a_real_secret() -> None:
    settings = Settings(env="prod", jwt_secret="x" * 48, database_url="sqlite://")
    assert create_app(settings).state.settings.env == "prod"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMVERKA_ENV", "prod")
    monkeypatch.setenv("SAMVERKA_JWT_SECRET", "y" * 40)
    monkeypatch.setenv("SAMVERKA_DATABASE_URL", "postgresql+psycopg://db/samverka")
    settings = Settings()
    assert settings.env == "prod"
    assert not settings.is_sqlite

    monkeypatch.setenv("SAMVERKA_JWT_SECRET", DEFAULT_JWT_SECRET)
    with pytest.raises(ValidationError):
        Settings()
