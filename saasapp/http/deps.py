"""Typed dependencies for API routes: database session, caller, roles, rate limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from saasapp.accounts import api_keys, permissions, sessions
from saasapp.accounts.models import Role, User
from saasapp.accounts.registration import Client
from saasapp.core import rate_limit as limits
from saasapp.core.errors import Unauthorized
from saasapp.db import new_session
from saasapp.log import bind_context
from saasapp.settings import get_settings


def db_session() -> Iterator[Session]:
    with new_session() as session:
        yield session


DbSession = Annotated[Session, Depends(db_session)]


def client_ip(request: Request) -> str:
    """The caller's IP; ``X-Forwarded-For`` is believed only when configured to."""
    if get_settings().trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "unknown"


def client_info(request: Request) -> Client:
    return Client(ip=client_ip(request), user_agent=request.headers.get("user-agent", "")[:300])


CallerClient = Annotated[Client, Depends(client_info)]

_bearer = HTTPBearer(auto_error=False, description="An access JWT or a personal API key.")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def optional_user(
    session: DbSession,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key_header)],
) -> User | None:
    if api_key:
        user = api_keys.user_for_key(session, api_key)
        if user is None:
            raise Unauthorized("invalid_api_key", "The API key is invalid or revoked.")
    elif bearer is not None:
        token = bearer.credentials
        if token.startswith(api_keys.KEY_PREFIX):
            user = api_keys.user_for_key(session, token)
            if user is None:
                raise Unauthorized("invalid_api_key", "The API key is invalid or revoked.")
        else:
            user = sessions.user_for_access_token(session, token)
    else:
        return None
    bind_context(user_id=user.id)
    return user


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    return permissions.require_role(user)


def require_roles(*roles: Role) -> Callable[..., User]:
    def dependency(user: Annotated[User | None, Depends(optional_user)]) -> User:
        return permissions.require_role(user, *roles)

    return dependency


CurrentUser = Annotated[User, Depends(current_user)]
AdminUser = Annotated[User, Depends(require_roles(Role.ADMIN))]


def rate_limit(
    rule: str, scope: str, key: Callable[[Request], str] = client_ip
) -> Callable[[Request], object]:
    """A dependency limiting a route to ``rule`` (e.g. ``"10/minute"``) per ``key`` (the client
    IP by default); over the limit it answers 429 with ``Retry-After``."""

    async def dependency(request: Request) -> None:
        # TooManyAttempts answers 429 in the error shape, with Retry-After.
        await run_in_threadpool(limits.enforce, rule, scope, key(request))

    return dependency
