"""RQ queues on the shared Redis connection."""

from __future__ import annotations

from rq import Queue

from saasapp.redis_conn import get_redis
from saasapp.settings import get_settings

DEFAULT_QUEUE = "default"


def get_queue(name: str = DEFAULT_QUEUE) -> Queue:
    return Queue(name, connection=get_redis())


def worker_queues() -> list[Queue]:
    return [get_queue(name) for name in get_settings().queue_names]
