"""Tokens forged inside the tests: a real token's claims, altered and re-signed (or not signed).

Only tests build tokens this way; the service's own tokens come from app/auth/tokens.py.
"""

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from jose import jwt

from app.auth.roles import ROLE_SCOPES, Roll

HOUR = 3600


def now() -> int:
    return int(time.time())


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.get_unverified_claims(token))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def segment(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def signed(
    claims: dict[str, Any],
    secret: str,
    *,
    algorithm: str = "HS256",
    headers: dict[str, Any] | None = None,
) -> str:
    return jwt.encode(claims, secret, algorithm=algorithm, headers=headers)


def hand_built(header: dict[str, Any], claims: dict[str, Any], secret: str | None) -> str:
    """Assembled byte by byte: HMAC-SHA256 over the first two segments, or no signature at all."""
    signing_input = f"{segment(header)}.{segment(claims)}"
    if secret is None:
        return f"{signing_input}."
    mac = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def with_payload(token: str, claims: dict[str, Any]) -> str:
    """The token with another payload and its old header and signature."""
    header, _, signature = token.split(".")
    return f"{header}.{segment(claims)}.{signature}"


def tampered(token: str) -> str:
    """A valid token whose payload now claims the administrator's role and every scope."""
    widened = " ".join(sorted(frozenset().union(*ROLE_SCOPES.values())))
    return with_payload(token, {**claims_of(token), "roll": Roll.admin, "scope": widened})


def expired(token: str, secret: str) -> str:
    issued = now() - 2 * HOUR
    return signed({**claims_of(token), "iat": issued, "exp": issued + HOUR}, secret)
