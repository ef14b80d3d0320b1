"""Password policy and hashing after NIST SP 800-63B-4 (section 3.1.1.2, memorized secrets).

A minimum length (default 15: a passphrase; a site setting), a maximum of at least 64, no
composition rules, no forced rotation; refused when on a blocklist of common passwords
(resources/security/common-passwords.txt, Django's 20,000-entry list) or when it contains the
username. Stored as Argon2id hashes (argon2-cffi, RFC 9106 parameters).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.paths import resource

DEFAULT_MIN_LENGTH = 15
FLOOR_MIN_LENGTH = 8  # NIST's absolute minimum; a site may not configure less
MAX_LENGTH = 128  # NIST: permit at least 64

# Policy problem codes (translated by the UI).
TOO_SHORT = "password.too_short"
TOO_LONG = "password.too_long"
COMMON = "password.common"
CONTAINS_USERNAME = "password.contains_username"

_HASHER = PasswordHasher()  # argon2-cffi defaults: Argon2id, RFC 9106 low-memory profile


def _normalise(password: str) -> str:
    # NIST: apply Unicode normalisation (NFKC) before hashing and length checks.
    return unicodedata.normalize("NFKC", password)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The blocklist, lowercased; lines starting with '## ' are comments."""
    text = resource("security", "common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line and not line.startswith("## ")
    )


def check_password_policy(
    password: str, username: str = "", min_length: int = DEFAULT_MIN_LENGTH
) -> list[str]:
    """The policy codes this password violates (empty list: acceptable). Length in characters."""
    pw = _normalise(password)
    problems: list[str] = []
    if len(pw) < max(min_length, FLOOR_MIN_LENGTH):
        problems.append(TOO_SHORT)
    if len(pw) > MAX_LENGTH:
        problems.append(TOO_LONG)
    if pw.strip().lower() in common_passwords():
        problems.append(COMMON)
    name = username.strip().lower()
    if name and len(name) >= 3 and name in pw.lower():
        problems.append(CONTAINS_USERNAME)
    return problems


def hash_password(password: str) -> str:
    """An Argon2id PHC string (salt and parameters included)."""
    return _HASHER.hash(_normalise(password))


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; False for a mismatch or an unreadable hash."""
    try:
        return _HASHER.verify(password_hash, _normalise(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (rehash at next login)."""
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
