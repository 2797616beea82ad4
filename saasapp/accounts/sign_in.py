"""Signing in: password (with the second factor when on), emailed code, and the lockout."""

from __future__ import annotations

from sqlmodel import Session

from saasapp.accounts import codes, passwords, registration
from saasapp.accounts.models import CodePurpose, User
from saasapp.accounts.registration import NO_CLIENT, Client
from saasapp.core import audit, rate_limit
from saasapp.core.audit import AuditAction
from saasapp.core.columns import utcnow
from saasapp.core.errors import Forbidden, ServiceError, TooManyAttempts, Unauthorized
from saasapp.core.events import emit
from saasapp.settings import get_settings

GENERIC_LOGIN_ERROR = "Email or password is incorrect."


def request_login_code(session: Session, *, email: str) -> None:
    """Email a sign-in code; says nothing about whether the account exists."""
    email = registration.normalize_email(email)
    rate_limit.enforce("3/10minutes", "otp-request", email)
    user = registration.find_user(session, email)
    if user is not None and not user.banned:
        codes.send_code(session, user, CodePurpose.LOGIN)
        session.commit()


def login_with_code(session: Session, *, email: str, code: str, client: Client = NO_CLIENT) -> User:
    email = registration.normalize_email(email)
    refuse_if_locked(email)
    user = registration.find_user(session, email)
    try:
        if user is None:
            raise Unauthorized("invalid_code", "This code is wrong or has expired.")
        codes.check_code(session, user, CodePurpose.LOGIN, code)
    except Unauthorized:
        count_failure(session, email, user, client, method="code")
        raise
    if user.email_verified_at is None:  # a code received by email proves the address
        user.email_verified_at = utcnow()
        emit(session, "user.verified", {"user_id": user.id}, actor_id=user.id,
             aggregate=f"user:{user.id}")  # fmt: skip
    return signed_in(session, user, client, method="code")


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    totp_code: str = "",
    client: Client = NO_CLIENT,
) -> User:
    """Check a password sign-in (and the TOTP code when 2FA is on); commits the audit trail."""
    from saasapp.accounts import two_factor

    try:
        email = registration.normalize_email(email)
    except ServiceError as exc:
        raise Unauthorized("invalid_credentials", GENERIC_LOGIN_ERROR) from exc
    refuse_if_locked(email)
    user = registration.find_user(session, email)
    if not passwords.verify_password(password, user.password_hash if user else None):
        count_failure(session, email, user, client, method="password")
        raise Unauthorized("invalid_credentials", GENERIC_LOGIN_ERROR)
    if user.totp_enabled:
        if not totp_code:
            raise Unauthorized("totp_required", "Enter the code from your authenticator app.")
        if not two_factor.check(session, user, totp_code):
            count_failure(session, email, user, client, method="totp")
            raise Unauthorized("invalid_totp", "That authenticator code is not valid.")
    if user.email_verified_at is None:
        raise Forbidden(
            "email_not_verified", "Verify your email first: enter the code we sent you."
        )
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return signed_in(session, user, client, method="password")


def signed_in(session: Session, user: User, client: Client, *, method: str) -> User:
    if user.banned:
        raise Forbidden("account_banned", "This account is suspended.")
    user.last_login_at = utcnow()
    session.add(user)
    audit.record(session, AuditAction.LOGIN_OK, user_id=user.id, ip=client.ip, method=method)
    session.commit()
    rate_limit.reset(lockout_rule(), "login-failures", user.email)
    return user


def lockout_rule() -> str:
    settings = get_settings()
    return f"{settings.login_failures_before_lockout}/{settings.lockout_minutes}minutes"


def refuse_if_locked(email: str) -> None:
    state = rate_limit.peek(lockout_rule(), "login-failures", email)
    if not state.allowed:
        raise TooManyAttempts(
            "account_locked",
            "Too many failed sign-ins: this account is locked for "
            f"{max(1, state.retry_after // 60)} minute(s). Try again later or reset your password.",
            retry_after=state.retry_after,
        )


def count_failure(
    session: Session, email: str, user: User | None, client: Client, *, method: str
) -> None:
    session.rollback()
    result = rate_limit.hit(lockout_rule(), "login-failures", email)
    user_id = user.id if user else None
    audit.record(session, AuditAction.LOGIN_FAILED, user_id=user_id, ip=client.ip,
                 method=method, email=email)  # fmt: skip
    if result.remaining == 0:
        audit.record(session, AuditAction.LOCKOUT, user_id=user_id, ip=client.ip, email=email)
    session.commit()
