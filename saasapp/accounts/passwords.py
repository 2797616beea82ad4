"""Password hashing (bcrypt) and the strength rules.

bcrypt only reads the first 72 bytes of its input (and bcrypt 5 refuses longer input). Every
password is therefore first reduced with SHA-256 and base64 (44 bytes) before bcrypt, so all of
a long passphrase counts and no input can be truncated or rejected by the hash itself.
Passwords are capped at 256 characters to bound the work an attacker can ask for.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

import bcrypt

from saasapp.settings import get_settings

MIN_LENGTH = 10
MAX_LENGTH = 256

# A short list of the most common passwords (checked case-insensitively).
COMMON = frozenset(
    [
        "password",
        "password1",
        "password123",
        "passw0rd",
        "123456789",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "qwerty123",
        "iloveyou1",
        "letmein123",
        "welcome123",
        "admin12345",
        "administrator",
        "abc1234567",
        "football1",
        "baseball1",
        "princess1",
        "sunshine1",
        "monkey1234",
        "dragon1234",
        "trustno1234",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "zaq12wsx",
        "qazwsxedc",
        "superman1",
        "starwars1",
        "whatever1",
        "changeme123",
        "azertyuiop",
        "0123456789",
        "987654321",
        "aaaaaaaaaa",
    ]
)


class WeakPassword(ValueError):
    """The password breaks a strength rule; the message says which, for the user."""


def check_strength(password: str, *, email: str = "", display_name: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Use at most {MAX_LENGTH} characters.")
    if not password.strip():
        raise WeakPassword("The password cannot be only spaces.")
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) < 4:
        raise WeakPassword("This password is too common or too simple; choose another.")
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        raise WeakPassword("The password must not contain your email address.")
    if len(display_name) >= 4 and display_name.lower() in lowered:
        raise WeakPassword("The password must not contain your name.")


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str, rounds: int | None = None) -> str:
    """bcrypt hash (cost from settings); slow by design: call it off the event loop."""
    salt = bcrypt.gensalt(rounds or get_settings().bcrypt_rounds)
    return bcrypt.hashpw(_prehash(password), salt).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant work whether or not the account has a password (no timing oracle)."""
    if len(password) > MAX_LENGTH:
        return False
    candidate = password_hash or _dummy_hash()
    ok = bcrypt.checkpw(_prehash(password), candidate.encode())
    return ok and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return int(password_hash.split("$")[2]) != get_settings().bcrypt_rounds


@lru_cache
def _dummy_hash() -> str:
    return hash_password("not a real password; equalises timing")
