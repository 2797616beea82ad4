"""Cache on Redis: get-or-set with a TTL, and invalidation by key or key prefix.

Values are stored as JSON under ``saasapp:cache:<key>``. Keys are hierarchical with ``:``; end a
prefix with ``:`` to invalidate a whole family (``page:12:``) without touching ``page:120:``.
When Redis is unreachable, reads fall through to the loader and writes are skipped: a cache
outage makes the platform slower, never broken.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis

from saasapp.log import get_logger
from saasapp.redis_conn import get_redis

log = get_logger(__name__)
T = TypeVar("T")
NAMESPACE = "saasapp:cache:"
_DELETE_BATCH = 500


class Cache:
    def __init__(
        self, connection: Callable[[], redis.Redis] = get_redis, pause_seconds: float = 5.0
    ) -> None:
        self._connection = connection
        # After a failure, skip Redis for a few seconds so an outage costs one timeout, not one
        # per read.
        self._pause_seconds = pause_seconds
        self._paused_until = 0.0

    def _client(self) -> redis.Redis:
        if time.monotonic() < self._paused_until:
            raise redis.ConnectionError("cache paused after a Redis failure")
        return self._connection()

    def _failed(self, op: str, exc: Exception, **context: object) -> None:
        if time.monotonic() >= self._paused_until:
            log.warning("cache_unavailable", op=op, error=repr(exc), **context)
        self._paused_until = time.monotonic() + self._pause_seconds

    def get_or_set(self, key: str, ttl_seconds: int, loader: Callable[[], T]) -> T:
        """The cached value of ``key``, or ``loader()``'s, stored for ``ttl_seconds``."""
        full_key = NAMESPACE + key
        try:
            cached = self._client().get(full_key)
        except redis.RedisError as exc:
            self._failed("get", exc, key=key)
            return loader()
        if cached is not None:
            return json.loads(cached)
        value = loader()
        try:
            self._client().set(full_key, json.dumps(value), ex=ttl_seconds)
        except redis.RedisError as exc:
            self._failed("set", exc, key=key)
        return value

    def get(self, key: str) -> Any | None:
        try:
            cached = self._client().get(NAMESPACE + key)
        except redis.RedisError as exc:
            self._failed("get", exc, key=key)
            return None
        return None if cached is None else json.loads(cached)

    def invalidate(self, *keys: str) -> int:
        """Drop the given keys; returns how many existed."""
        if not keys:
            return 0
        try:
            return int(self._client().unlink(*(NAMESPACE + k for k in keys)))
        except redis.RedisError as exc:
            self._failed("invalidate", exc, keys=list(keys))
            return 0

    def invalidate_prefix(self, prefix: str) -> int:
        """Drop every key starting with ``prefix``; returns how many."""
        pattern = _escape_glob(NAMESPACE + prefix) + "*"
        removed = 0
        try:
            client = self._client()
            batch: list[bytes] = []
            for found in client.scan_iter(match=pattern, count=_DELETE_BATCH):
                batch.append(found)
                if len(batch) >= _DELETE_BATCH:
                    removed += int(client.unlink(*batch))
                    batch = []
            if batch:
                removed += int(client.unlink(*batch))
        except redis.RedisError as exc:
            self._failed("invalidate_prefix", exc, prefix=prefix)
        return removed


def _escape_glob(text: str) -> str:
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


cache = Cache()
