"""Settings, read from the environment with the prefix ``SAMVERKA_``."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_JWT_SECRET = "dev-hemlighet-byt-ut-i-produktion"  # noqa: S105 - refused in prod below
MIN_PROD_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAMVERKA_", extra="ignore")

    env: Literal["dev", "prod"] = "dev"
    database_url: str = "sqlite:///./data/samverka.db"

    jwt_secret: str = DEFAULT_JWT_SECRET
    jwt_issuer: str = "samverka"
    jwt_audience: str = "samverka-api"
    jwt_lifetime_minutes: int = Field(default=30, ge=1, le=24 * 60)

    # Request bodies are capped; imports of absence batches get a larger cap of their own.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_import_body_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)

    # Login throttling: failures counted over a sliding window per account and per address.
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    login_max_failures_account: int = Field(default=5, ge=1)
    login_max_failures_address: int = Field(default=30, ge=1)

    # Connection pool: at least FastAPI's thread pool (40) so sync endpoints never wait on it.
    db_pool_size: int = Field(default=20, ge=1)
    db_max_overflow: int = Field(default=30, ge=0)

    # T 7.3: the start-up meetings are held "skyndsamt"; this many days after approval at most.
    uppstart_dagar: int = Field(default=10, ge=1, le=365)

    log_level: str = "INFO"

    @model_validator(mode="after")
    def _refuse_weak_secret_in_prod(self) -> "Settings":
        if self.env == "prod" and (
            self.jwt_secret == DEFAULT_JWT_SECRET or len(self.jwt_secret) < MIN_PROD_SECRET_LENGTH
        ):
            raise ValueError(
                "SAMVERKA_JWT_SECRET måste sättas till en egen hemlighet på minst "
                f"{MIN_PROD_SECRET_LENGTH} tecken när SAMVERKA_ENV=prod"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
