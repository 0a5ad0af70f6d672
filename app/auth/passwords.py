"""Password and client-secret hashing (Argon2id)."""

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(secret: str, hashed: str) -> bool:
    return _hasher.verify(secret, hashed)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("ingen-anvandare-har-detta-losenord")


def burn_verification(secret: str) -> None:
    """Spends one verification's time, so an unknown name answers as slowly as a wrong secret."""
    _hasher.verify(secret, _dummy_hash())
