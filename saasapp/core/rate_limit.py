"""Rate limits on Redis with the ``limits`` library (moving window).

Counters live in Redis, so every web process and worker shares them and they survive restarts.
When Redis is unreachable a limit lets the request through and logs a warning: the platform
stays usable, and the outage shows on the health endpoint.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from saasapp.core.errors import TooManyAttempts
from saasapp.log import get_logger
from saasapp.settings import get_settings

log = get_logger(__name__)
KEY_PREFIX = "saasapp:rl"


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    limit: str
    remaining: int
    retry_after: int  # seconds until a request would be allowed again (0 when allowed)


def refusal_message(result: RateLimitResult) -> str:
    """What a user is told when ``result`` is over its limit."""
    return f"Too many attempts. Try again in {_in_words(result.retry_after)}."


def _in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def storage_uri(redis_url: str) -> str:
    return (
        "redis+unix://" + redis_url.removeprefix("unix://")
        if redis_url.startswith("unix://")
        else redis_url
    )


@lru_cache
def get_limiter() -> MovingWindowRateLimiter:
    storage = RedisStorage(
        storage_uri(get_settings().effective_redis_url),
        key_prefix=KEY_PREFIX,
        wrap_exceptions=True,
        socket_timeout=2,
        socket_connect_timeout=2,
    )
    return MovingWindowRateLimiter(storage)


@lru_cache(maxsize=256)
def _rule(rule: str) -> RateLimitItem:
    return parse(rule)


def hit(rule: str, scope: str, key: str, *, limiter: MovingWindowRateLimiter | None = None):
    """Count one request of ``key`` (an IP, a user id, an email) against ``rule`` (e.g.
    ``"5/minute"``) in ``scope`` (e.g. ``"login"``); returns whether it is allowed."""
    limiter = limiter or get_limiter()
    item = _rule(rule)
    try:
        allowed = limiter.hit(item, scope, key)
        stats = limiter.get_window_stats(item, scope, key)
    except (StorageError, RedisError, OSError) as exc:
        log.warning("rate_limit_unavailable", scope=scope, error=repr(exc))
        return RateLimitResult(True, rule, item.amount, 0)
    retry_after = 0 if allowed else max(1, math.ceil(stats.reset_time - time.time()))
    return RateLimitResult(allowed, rule, stats.remaining, retry_after)


def peek(rule: str, scope: str, key: str) -> RateLimitResult:
    """Whether ``key`` is still within ``rule`` right now, without counting a request."""
    item = _rule(rule)
    try:
        stats = get_limiter().get_window_stats(item, scope, key)
    except (StorageError, RedisError, OSError) as exc:
        log.warning("rate_limit_unavailable", scope=scope, error=repr(exc))
        return RateLimitResult(True, rule, item.amount, 0)
    if stats.remaining > 0:
        return RateLimitResult(True, rule, stats.remaining, 0)
    return RateLimitResult(False, rule, 0, max(1, math.ceil(stats.reset_time - time.time())))


def enforce(rule: str, scope: str, key: str, **kwargs) -> RateLimitResult:
    """Like ``hit`` but raises TooManyAttempts ``rate_limited`` (429, Retry-After) when the
    limit is exceeded."""
    result = hit(rule, scope, key, **kwargs)
    if not result.allowed:
        raise TooManyAttempts(
            "rate_limited", refusal_message(result), retry_after=result.retry_after, limit=rule
        )
    return result


def reset(rule: str, scope: str, key: str) -> None:
    """Forget ``key``'s count (e.g. after a successful login)."""
    try:
        get_limiter().clear(_rule(rule), scope, key)
    except (StorageError, RedisError, OSError) as exc:
        log.warning("rate_limit_unavailable", scope=scope, error=repr(exc))
