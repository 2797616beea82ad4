"""Typed dependencies for API routes."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from saasapp.api.errors import ApiError
from saasapp.services import rate_limit as limits
from saasapp.settings import get_settings


def client_ip(request: Request) -> str:
    """The caller's IP; ``X-Forwarded-For`` is believed only when configured to."""
    if get_settings().trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "unknown"


def rate_limit(
    rule: str, scope: str, key: Callable[[Request], str] = client_ip
) -> Callable[[Request], object]:
    """A dependency limiting a route to ``rule`` (e.g. ``"10/minute"``) per ``key`` (the client
    IP by default); over the limit it answers 429 with ``Retry-After``."""

    async def dependency(request: Request) -> None:
        result = await run_in_threadpool(limits.hit, rule, scope, key(request))
        if not result.allowed:
            error = limits.RateLimited(result)
            raise ApiError(
                429,
                "rate_limited",
                error.message(),
                headers={"Retry-After": str(result.retry_after)},
                details={"limit": rule, "retry_after": result.retry_after},
            )

    return dependency
