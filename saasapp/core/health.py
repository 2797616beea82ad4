"""State of the parts the platform needs: database, Redis, workers."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from saasapp.db import check_database
from saasapp.log import get_logger
from saasapp.redis_conn import get_redis
from saasapp.settings import get_settings
from saasapp.worker.heartbeat import live_workers

log = get_logger(__name__)


@dataclass
class ComponentState:
    ok: bool
    detail: str = ""
    latency_ms: float | None = None
    extra: dict = field(default_factory=dict)


def _timed(check) -> ComponentState:
    started = time.perf_counter()
    try:
        extra = check() or {}
    except Exception as exc:  # any failure means "down"; the reason goes to the log only
        log.warning("health_check_failed", check=check.__name__, error=repr(exc))
        return ComponentState(ok=False, detail="unavailable")
    return ComponentState(
        ok=True, latency_ms=round((time.perf_counter() - started) * 1000, 2), extra=extra
    )


def _database() -> dict:
    check_database()
    return {}


def _redis() -> dict:
    get_redis().ping()
    return {}


def _worker() -> dict:
    workers = live_workers(get_redis(), get_settings().worker_heartbeat_ttl)
    if not workers:
        raise RuntimeError("no worker heartbeat")
    return {"workers": len(workers), "last_beat_age_s": round(min(workers.values()), 1)}


def platform_health() -> dict[str, ComponentState]:
    """Check each part; a worker can only be seen through Redis, so it is down when Redis is."""
    database = _timed(_database)
    redis_state = _timed(_redis)
    worker = _timed(_worker) if redis_state.ok else ComponentState(ok=False, detail="unavailable")
    return {"database": database, "redis": redis_state, "worker": worker}
