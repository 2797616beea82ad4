"""The one role check, used by API routes and Reflex event handlers alike."""

from __future__ import annotations

from saasapp.accounts.models import Role, User
from saasapp.core.errors import Forbidden, Unauthorized


def has_role(user: User | None, *roles: Role) -> bool:
    return user is not None and not user.banned and (not roles or user.role in roles)


def require_role(user: User | None, *roles: Role) -> User:
    """Return ``user`` if signed in, not banned and holding one of ``roles`` (any if none)."""
    if user is None:
        raise Unauthorized("not_authenticated", "Sign in first.")
    if user.banned:
        raise Forbidden("account_banned", "This account is suspended.")
    if roles and user.role not in roles:
        raise Forbidden("forbidden", "You do not have access to this.")
    return user
