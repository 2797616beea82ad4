"""Optional TOTP two-factor sign-in with single-use recovery codes."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

import pyotp
from sqlalchemy import delete, select
from sqlmodel import Session

from saasapp.accounts.models import RecoveryCode, User
from saasapp.core import audit
from saasapp.core.audit import AuditAction
from saasapp.core.columns import utcnow
from saasapp.core.crypto import code_hash, decrypt, encrypt, new_token, same, token_hash
from saasapp.core.errors import ServiceError, Unauthorized
from saasapp.redis_conn import get_redis

RECOVERY_CODES = 10
ISSUER = "saasapp"


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str  # otpauth:// URI for authenticator apps (shown as a QR code or typed in)


def begin_setup(session: Session, user: User) -> TotpSetup:
    """A new secret, stored encrypted but not active until ``confirm_setup``."""
    secret = pyotp.random_base32()
    user.totp_secret = encrypt(secret)
    user.totp_enabled = False
    session.add(user)
    session.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return TotpSetup(secret, uri)


def confirm_setup(session: Session, user: User, code: str, *, ip: str = "") -> list[str]:
    """Turn 2FA on once a code from the app checks out; returns fresh recovery codes."""
    if not user.totp_secret or not pyotp.TOTP(decrypt(user.totp_secret)).verify(
        code.strip(), valid_window=1
    ):
        raise ServiceError("invalid_totp", "That code is not valid. Check your app's clock.")
    user.totp_enabled = True
    session.add(user)
    codes = _new_recovery_codes(session, user)
    audit.record(session, AuditAction.TOTP_ENABLED, user_id=user.id, ip=ip)
    session.commit()
    return codes


def disable(session: Session, user: User, *, ip: str = "") -> None:
    user.totp_enabled = False
    user.totp_secret = None
    session.add(user)
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record(session, AuditAction.TOTP_DISABLED, user_id=user.id, ip=ip)
    session.commit()


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=code_hash(code)))
    return codes


def check(session: Session, user: User, code: str) -> bool:
    """A current TOTP code (each used once) or an unused recovery code."""
    code = code.strip().lower()
    if user.totp_secret and code.isdigit():
        totp = pyotp.TOTP(decrypt(user.totp_secret))
        if totp.verify(code, valid_window=1):
            # Refuse a replay of the same code within its window.
            return bool(get_redis().set(f"saasapp:totp-used:{user.id}:{code}", 1, nx=True, ex=90))
        return False
    for entry in session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ):
        if same(entry.code_hash, code_hash(code)):
            entry.used_at = utcnow()
            session.add(entry)
            return True
    return False


# A sign-in that passed its first factor elsewhere (an OAuth provider) and still owes the code.
PENDING_SECONDS = 300
PENDING_ATTEMPTS = 5
_PENDING_KEY = "saasapp:2fa-pending:"


def start_pending(user_id: int, next_path: str) -> str:
    """Park a sign-in until the user enters their code; returns the single-use token."""
    token = new_token(nbytes=24)
    get_redis().set(
        _PENDING_KEY + token_hash(token),
        json.dumps({"user_id": user_id, "next": next_path, "attempts": 0}),
        ex=PENDING_SECONDS,
    )
    return token


def finish_pending(session: Session, token: str, code: str) -> tuple[User, str]:
    """The parked user and next path once ``code`` checks out; the token then expires."""
    key = _PENDING_KEY + token_hash(token)
    raw = get_redis().get(key)
    expired = Unauthorized("second_factor_expired", "This sign-in expired. Please start again.")
    if raw is None:
        raise expired
    pending = json.loads(raw)
    user = session.get(User, pending["user_id"])
    if user is None or user.banned:
        get_redis().delete(key)
        raise expired
    if not check(session, user, code):
        pending["attempts"] += 1
        if pending["attempts"] >= PENDING_ATTEMPTS:
            get_redis().delete(key)
            raise expired
        get_redis().set(key, json.dumps(pending), keepttl=True)
        raise Unauthorized("invalid_totp", "That authenticator code is not valid.")
    get_redis().delete(key)
    session.commit()  # a recovery code, if used, is spent
    return user, pending["next"]
