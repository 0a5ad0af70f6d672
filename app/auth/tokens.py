"""Issuing and verifying access tokens. The only module that imports jose.

HS256 is pinned; every token must carry exp, iat, iss, aud, sub and jti; headers that point at
outside keys or demand unknown processing (crit, jku, x5u, jwk, x5c) are refused, as are
oversized tokens.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from jose import JWTError, jwt
from jose.exceptions import JWSError

from app.core.config import Settings
from app.core.time import utcnow

ALGORITHM = "HS256"
MAX_TOKEN_BYTES = 4096
_REFUSED_HEADERS = frozenset({"crit", "jku", "x5u", "jwk", "x5c"})
_DECODE_OPTIONS = {
    "verify_signature": True,
    "verify_aud": True,
    "verify_iat": True,
    "verify_exp": True,
    "verify_nbf": True,
    "verify_iss": True,
    "verify_sub": True,
    "verify_jti": True,
    "require_exp": True,
    "require_iat": True,
    "require_iss": True,
    "require_aud": True,
    "require_sub": True,
    "require_jti": True,
    "leeway": 0,
}


class InvalidToken(Exception):
    """The token cannot be trusted; the reason is for logs, never for the client."""


def issue_token(
    *, settings: Settings, subject: str, claims: dict[str, Any], issued_at: datetime | None = None
) -> tuple[str, int]:
    """Returns the signed token and its lifetime in seconds."""
    now = issued_at or utcnow()
    lifetime = timedelta(minutes=settings.jwt_lifetime_minutes)
    payload = {
        **claims,
        "sub": subject,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": str(uuid.uuid4()),
    }
    token = jwt.encode(payload, settings.jwt_secret, algorithm=ALGORITHM)
    return token, int(lifetime.total_seconds())


def decode_token(token: str, *, settings: Settings) -> dict[str, Any]:
    if len(token.encode()) > MAX_TOKEN_BYTES:
        raise InvalidToken("token too large")
    try:
        header = jwt.get_unverified_header(token)
    except (JWTError, JWSError) as exc:
        raise InvalidToken("malformed header") from exc
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("algorithm not allowed")
    if _REFUSED_HEADERS & header.keys():
        raise InvalidToken("refused header parameter")
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options=_DECODE_OPTIONS,
        )
    except (JWTError, JWSError) as exc:
        raise InvalidToken(type(exc).__name__) from exc
    if not isinstance(claims, dict):
        raise InvalidToken("claims are not an object")
    return claims
