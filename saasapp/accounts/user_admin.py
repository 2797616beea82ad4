"""Admin operations on users: search, role changes, bans."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlmodel import Session

from saasapp.accounts.models import Role, User
from saasapp.accounts.sessions import revoke_everything
from saasapp.core import audit
from saasapp.core.audit import AuditAction
from saasapp.core.errors import Conflict, NotFound, ServiceError


def search_users(
    session: Session, *, query: str = "", after_id: int | None = None, limit: int = 25
) -> list[User]:
    statement = users_query(query=query).order_by(User.id).limit(limit)
    if after_id is not None:
        statement = statement.where(User.id > after_id)
    return list(session.scalars(statement).all())


def users_query(*, query: str = "") -> Select:
    """Users whose email or display name contains ``query`` (unordered, for paging)."""
    statement = select(User)
    if query.strip():
        pattern = f"%{_escape_like(query.strip().lower())}%"
        statement = statement.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    return statement


def _escape_like(text: str) -> str:
    """``text`` matched literally by LIKE: its % and _ are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def update_user(
    session: Session,
    admin: User,
    user_id: int,
    *,
    role: str | None = None,
    banned: bool | None = None,
    ip: str = "",
) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("not_found", "No such user.")
    if user.id == admin.id and (role not in (None, user.role) or banned):
        raise Conflict(
            "cannot_change_self", "Admins cannot change their own role or ban themselves."
        )
    if role is not None and role != user.role:
        if role not in {r.value for r in Role}:
            raise ServiceError("invalid_role", "Role must be admin, user or promoter.")
        audit.record(session, AuditAction.ROLE_CHANGED, user_id=user.id, actor_id=admin.id,
                     ip=ip, before=user.role, after=role)  # fmt: skip
        user.role = role
    if banned is not None and banned != user.banned:
        user.banned = banned
        if banned:
            revoke_everything(session, user)
        action = AuditAction.BANNED if banned else AuditAction.UNBANNED
        audit.record(session, action, user_id=user.id, actor_id=admin.id, ip=ip)
    session.add(user)
    session.commit()
    return user
