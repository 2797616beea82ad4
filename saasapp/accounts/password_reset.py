"""Changing a password: the emailed reset link, and a change from the account page."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from saasapp.accounts import codes, passwords, registration, sign_in
from saasapp.accounts.models import CodePurpose, OneTimeCode, User
from saasapp.accounts.registration import NO_CLIENT, Client
from saasapp.core import audit, rate_limit
from saasapp.core.audit import AuditAction
from saasapp.core.columns import utcnow
from saasapp.core.crypto import token_hash
from saasapp.core.errors import ServiceError, Unauthorized


def request_password_reset(session: Session, *, email: str) -> None:
    """Email a reset link; says nothing about whether the account exists."""
    email = registration.normalize_email(email)
    rate_limit.enforce("3/10minutes", "reset-request", email)
    user = registration.find_user(session, email)
    if user is not None and not user.banned:
        codes.send_code(session, user, CodePurpose.RESET)
        session.commit()


def reset_password(
    session: Session,
    *,
    token: str,
    new_password: str,
    client: Client = NO_CLIENT,
):
    entry = session.scalars(
        select(OneTimeCode)
        .where(
            OneTimeCode.link_token_hash == token_hash(token),
            OneTimeCode.purpose == CodePurpose.RESET.value,
            OneTimeCode.used_at.is_(None),
        )
        .with_for_update()
    ).first()
    if entry is None or entry.expires_at <= utcnow():
        raise Unauthorized("invalid_token", "This reset link is invalid or expired. Ask again.")
    user = session.get(User, entry.user_id)
    set_password(session, user, new_password)
    entry.used_at = utcnow()
    session.add(entry)
    if user.email_verified_at is None:  # the link arrived by email
        user.email_verified_at = utcnow()
    audit.record(session, AuditAction.PASSWORD_RESET, user_id=user.id, ip=client.ip)
    session.commit()
    rate_limit.reset(sign_in.lockout_rule(), "login-failures", user.email)
    return user


def change_password(
    session: Session,
    user: User,
    *,
    current_password: str,
    new_password: str,
    client: Client = NO_CLIENT,
) -> None:
    if user.password_hash and not passwords.verify_password(current_password, user.password_hash):
        raise Unauthorized("invalid_credentials", "The current password is incorrect.")
    set_password(session, user, new_password)
    audit.record(session, AuditAction.PASSWORD_CHANGED, user_id=user.id, ip=client.ip)
    session.commit()


def set_password(session: Session, user: User, new_password: str) -> None:
    """New hash, and every other session and token of the user ends."""
    from saasapp.accounts import sessions

    try:
        passwords.check_strength(new_password, email=user.email, display_name=user.display_name)
    except passwords.WeakPassword as exc:
        raise ServiceError("weak_password", str(exc), field="new_password") from exc
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    session.add(user)
    sessions.revoke_everything(session, user)
