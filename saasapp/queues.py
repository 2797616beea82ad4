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
_COALESCE_PREFIX = "saasapp:job-waiting:"
# A waiting job's mark expires, so a lost job (worker killed before it started) cannot block
# new ones for longer than this.
_COALESCE_SECONDS = 60
log = get_logger(__name__)


def get_queue(name: str = DEFAULT_QUEUE) -> Queue:
    return Queue(name, connection=get_redis())


def worker_queues() -> list[Queue]:
    return [get_queue(name) for name in get_settings().queue_names]


def enqueue_after_commit(
    session: Session, func_path: str, *args: object, coalesce_key: str = ""
) -> None:
    """Enqueue ``func_path(*args)`` once ``session`` commits; nothing if it rolls back.

    Identical requests in one transaction are enqueued once. With ``coalesce_key``, the job is
    not enqueued while another one with that key is still waiting (the job calls
    ``job_started(coalesce_key)`` when it begins). A job that cannot be enqueued (Redis down)
    is logged; callers that must not lose work keep it in the database and have a periodic job
    sweep it (as platform events and emails do).
    """
    pending: list[tuple[str, tuple, str]] = session.info.setdefault(_PENDING_JOBS, [])
    if (func_path, args, coalesce_key) not in pending:
        pending.append((func_path, args, coalesce_key))


def enqueue_coalesced(func_path: str, coalesce_key: str, *args: object) -> bool:
    """Enqueue unless a job with ``coalesce_key`` is already waiting; True if enqueued."""
    if not get_redis().set(_COALESCE_PREFIX + coalesce_key, 1, nx=True, ex=_COALESCE_SECONDS):
        return False
    get_queue().enqueue(func_path, *args, result_ttl=0)
    return True


def job_started(coalesce_key: str) -> None:
    """Called by a coalesced job as it starts: work committed from now on wakes a new one."""
    get_redis().delete(_COALESCE_PREFIX + coalesce_key)


@sa_event.listens_for(Session, "after_commit")
def _enqueue_pending(session: Session) -> None:
    for func_path, args, coalesce_key in session.info.pop(_PENDING_JOBS, []):
        try:
            if coalesce_key:
                enqueue_coalesced(func_path, coalesce_key, *args)
            else:
                get_queue().enqueue(func_path, *args, result_ttl=0)
        except Exception as exc:
            log.warning("enqueue_failed", job=func_path, error=repr(exc))


@sa_event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING_JOBS, None)
