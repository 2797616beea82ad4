"""Secrets at rest and opaque tokens: one key derivation, hashing and encryption for all."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from saasapp.settings import get_settings


def derive_key(purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        get_settings().secret_key.encode()
    )


@lru_cache
def _fernet(secret_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(derive_key(b"saasapp:encryption")))


def encrypt(plaintext: str) -> str:
    """Encrypt a credential for storage (Fernet: AES-128-CBC + HMAC, key from SECRET_KEY)."""
    return _fernet(get_settings().secret_key).encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet(get_settings().secret_key).decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong SECRET_KEY or damaged value") from exc


def new_token(prefix: str = "", nbytes: int = 32) -> str:
    return prefix + secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """Lookup hash of a high-entropy token (session, refresh token, API key)."""
    return hashlib.sha256(token.encode()).hexdigest()


def code_hash(code: str) -> str:
    """Keyed hash of a low-entropy code (6 digits): a leaked table cannot be brute-forced."""
    key = derive_key(b"saasapp:codes")
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
