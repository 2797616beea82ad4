"""Accounts: registration and email verification, finding users, the profile."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlmodel import Session

from saasapp.accounts import codes, passwords
from saasapp.accounts.models import CodePurpose, Role, User
from saasapp.core import audit
from saasapp.core.audit import AuditAction
from saasapp.core.columns import utcnow
from saasapp.core.errors import Conflict, ServiceError, Unauthorized
from saasapp.core.events import emit
from saasapp.settings import get_settings


@dataclass(frozen=True)
class Client:
    """Where a request comes from, for limits and the audit log."""

    ip: str = ""
    user_agent: str = ""


# Callers that know nothing of the request (tests, scripts, the worker).
NO_CLIENT = Client()


def normalize_email(email: str) -> str:
    """Lower-cased, syntax-checked address; raises ServiceError(invalid_email)."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ServiceError("invalid_email", f"Invalid email address: {exc}") from exc


def clean_display_name(name: str) -> str:
    name = " ".join(name.split())
    if len(name) > 80:
        raise ServiceError("invalid_display_name", "Display name: at most 80 characters.")
    return name


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.lower())).first()


def register(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str = "",
    referral_code: str = "",
    client: Client = NO_CLIENT,
) -> User:
    """Create an account and email a verification code; commits."""
    email = normalize_email(email)
    display_name = clean_display_name(display_name)
    try:
        passwords.check_strength(password, email=email, display_name=display_name)
    except passwords.WeakPassword as exc:
        raise ServiceError("weak_password", str(exc), field="password") from exc
    if find_user(session, email) is not None:
        raise Conflict("email_taken", "An account with this email already exists. Sign in instead.")
    role = Role.ADMIN if email in get_settings().admin_email_set else Role.USER
    user = User(
        email=email,
        display_name=display_name,
        password_hash=passwords.hash_password(password),
        role=role,
        referral_code=referral_code.strip()[:40],
        password_changed_at=utcnow(),
    )
    session.add(user)
    session.flush()
    audit.record(session, AuditAction.REGISTERED, user_id=user.id, ip=client.ip)
    emit(session, "user.registered", {"user_id": user.id, "referral_code": user.referral_code},
         actor_id=user.id, aggregate=f"user:{user.id}")  # fmt: skip
    codes.send_code(session, user, CodePurpose.VERIFY)
    session.commit()
    return user


def verify_email(session: Session, *, email: str, code: str, client: Client = NO_CLIENT) -> User:
    user = find_user(session, normalize_email(email))
    if user is None:
        raise Unauthorized("invalid_code", "This code is wrong or has expired. Ask for a new one.")
    if user.email_verified_at is not None:
        return user
    codes.check_code(session, user, CodePurpose.VERIFY, code)
    user.email_verified_at = utcnow()
    session.add(user)
    audit.record(session, AuditAction.EMAIL_VERIFIED, user_id=user.id, ip=client.ip)
    emit(session, "user.verified", {"user_id": user.id}, actor_id=user.id,
         aggregate=f"user:{user.id}")  # fmt: skip
    session.commit()
    return user


def resend_verification(session: Session, *, email: str) -> None:
    """Send a new verification code if the account exists and is unverified (silent otherwise)."""
    user = find_user(session, normalize_email(email))
    if user is not None and user.email_verified_at is None:
        codes.send_code(session, user, CodePurpose.VERIFY)
        session.commit()


def update_profile(session: Session, user: User, *, display_name: str) -> User:
    user.display_name = clean_display_name(display_name)
    session.add(user)
    session.commit()
    return user
