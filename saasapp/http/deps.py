"""Typed dependencies for API routes: database session, caller, roles, rate limits.

A dependency that can refuse a request names the statuses it answers (``answers``); every
route that depends on it documents them (``document_dependency_errors``), so a route signed-in
only documents 401 and 403, a rate-limited one 429, without hand lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from saasapp.accounts import api_keys, permissions, sessions
from saasapp.accounts.models import Role, User
from saasapp.accounts.registration import Client
from saasapp.core import rate_limit as limits
from saasapp.core.errors import Unauthorized
from saasapp.db import new_session
from saasapp.http.errors import error_responses
from saasapp.log import bind_context
from saasapp.settings import get_settings

F = TypeVar("F", bound=Callable[..., object])


def answers(*statuses: int) -> Callable[[F], F]:
    """Mark a dependency as answering ``statuses`` (besides letting the request through)."""

    def mark(dependency: F) -> F:
        dependency.error_statuses = statuses  # type: ignore[attr-defined]
        return dependency

    return mark


def dependency_errors(dependant: Dependant) -> set[int]:
    """The statuses the dependencies of a route (or of a dependency) can answer."""
    statuses = set(getattr(dependant.call, "error_statuses", ()))
    for sub_dependant in dependant.dependencies:
        statuses |= dependency_errors(sub_dependant)
    return statuses


def document_dependency_errors(router: APIRouter) -> APIRouter:
    """Add the statuses that each route's dependencies answer to its documented responses.
    Call it before including ``router``: including copies the routes with their responses."""
    for route in router.routes:
        if isinstance(route, APIRoute):
            missing = dependency_errors(route.dependant) - set(route.responses)
            if missing:
                route.responses = {**route.responses, **error_responses(*sorted(missing))}
    return router


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


@answers(401)
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


@answers(401, 403)
def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    return permissions.require_role(user)


def require_roles(*roles: Role) -> Callable[..., User]:
    @answers(401, 403)
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

    @answers(429)
    async def dependency(request: Request) -> None:
        # TooManyAttempts answers 429 in the error shape, with Retry-After.
        await run_in_threadpool(limits.enforce, rule, scope, key(request))

    return dependency
