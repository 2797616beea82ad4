"""The security audit log."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Select, or_, select
from sqlmodel import Session

from saasapp.core.models import AuditEntry


class AuditAction(StrEnum):
    REGISTERED = "registered"
    EMAIL_VERIFIED = "email_verified"
    LOGIN_OK = "login_ok"
    LOGIN_FAILED = "login_failed"
    LOCKOUT = "lockout"
    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    REFRESH_REUSED = "refresh_reused"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (an action name)
    PASSWORD_RESET = "password_reset"  # noqa: S105
    ROLE_CHANGED = "role_changed"
    BANNED = "banned"
    UNBANNED = "unbanned"
    API_KEY_CREATED = "api_key_created"
    API_KEY_REVOKED = "api_key_revoked"
    PROVIDER_LINKED = "provider_linked"
    PROVIDER_UNLINKED = "provider_unlinked"
    TOTP_ENABLED = "totp_enabled"
    TOTP_DISABLED = "totp_disabled"
    SESSION_REVOKED = "session_revoked"


def record(
    session: Session,
    action: AuditAction,
    *,
    user_id: int | None = None,
    actor_id: int | None = None,
    ip: str = "",
    **detail: object,
) -> AuditEntry:
    """Add an audit entry to the caller's transaction."""
    entry = AuditEntry(
        action=action.value, user_id=user_id, actor_id=actor_id, ip=ip[:64], detail=detail
    )
    session.add(entry)
    return entry


def list_entries(
    session: Session,
    *,
    action: str = "",
    user_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """Newest first; ``before_id`` pages backwards."""
    query = entries_query(action=action, user_id=user_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)).all())


def entries_query(*, action: str = "", user_id: int | None = None) -> Select:
    """Entries of ``action`` (any if empty) by or about ``user_id`` (unordered, for paging)."""
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if user_id is not None:
        query = query.where(or_(AuditEntry.user_id == user_id, AuditEntry.actor_id == user_id))
    return query
