"""Login throttling: too many recent failures for one account or one address answer 429."""

import hashlib
import hmac
from datetime import timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.auth.models import Inloggningsforsok
from app.core.config import Settings
from app.core.errors import TooManyRequests
from app.core.time import utcnow


def _key(settings: Settings, kind: str, value: str) -> str:
    message = f"{kind}:{value.strip().lower()}".encode()
    return hmac.new(settings.jwt_secret.encode(), message, hashlib.sha256).hexdigest()


def keys_for(settings: Settings, *, account: str, address: str | None) -> dict[str, str]:
    keys = {"konto": _key(settings, "konto", account)}
    if address:
        keys["adress"] = _key(settings, "adress", address)
    return keys


def check(session: Session, settings: Settings, keys: dict[str, str]) -> None:
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    limits = {
        "konto": settings.login_max_failures_account,
        "adress": settings.login_max_failures_address,
    }
    for kind, key in keys.items():
        failures = session.scalar(
            select(func.count())
            .select_from(Inloggningsforsok)
            .where(Inloggningsforsok.nyckel == key, Inloggningsforsok.tidpunkt >= since)
        )
        if failures is not None and failures >= limits[kind]:
            raise TooManyRequests(
                "För många misslyckade inloggningar. Försök igen senare.",
                headers={"Retry-After": str(settings.login_window_seconds)},
            )


def record_failure(session: Session, settings: Settings, keys: dict[str, str]) -> None:
    now = utcnow()
    session.execute(
        delete(Inloggningsforsok).where(
            Inloggningsforsok.tidpunkt < now - timedelta(seconds=settings.login_window_seconds)
        )
    )
    session.execute(
        insert(Inloggningsforsok), [{"nyckel": key, "tidpunkt": now} for key in keys.values()]
    )
