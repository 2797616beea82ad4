"""RQ queues on the shared Redis connection, and jobs enqueued when a transaction commits."""

from __future__ import annotations

from rq import Queue
from sqlalchemy import event as sa_event
from sqlmodel import Session

from saasapp.log import get_logger
from saasapp.redis_conn import get_redis
from saasapp.settings import get_settings

DEFAULT_QUEUE = "default"
_PENDING_JOBS = "saasapp_jobs_after_commit"
log = get_logger(__name__)


def get_queue(name: str = DEFAULT_QUEUE) -> Queue:
    return Queue(name, connection=get_redis())


def worker_queues() -> list[Queue]:
    return [get_queue(name) for name in get_settings().queue_names]


def enqueue_after_commit(session: Session, func_path: str, *args: object) -> None:
    """Enqueue ``func_path(*args)`` once ``session`` commits; nothing if it rolls back.

    Identical requests in one transaction are enqueued once. A job that cannot be enqueued
    (Redis down) is logged; callers that must not lose work keep it in the database and have
    a periodic job sweep it (as platform events and emails do).
    """
    pending: list[tuple[str, tuple]] = session.info.setdefault(_PENDING_JOBS, [])
    if (func_path, args) not in pending:
        pending.append((func_path, args))


@sa_event.listens_for(Session, "after_commit")
def _enqueue_pending(session: Session) -> None:
    for func_path, args in session.info.pop(_PENDING_JOBS, []):
        try:
            get_queue().enqueue(func_path, *args, result_ttl=0)
        except Exception as exc:
            log.warning("enqueue_failed", job=func_path, error=repr(exc))


@sa_event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING_JOBS, None)
