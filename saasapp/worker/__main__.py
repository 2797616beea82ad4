"""``python -m saasapp.worker``: an RQ worker (with RQ's scheduler for delayed jobs).

``python -m saasapp.worker --cron``: the scheduler of periodic jobs (one per deployment).
"""

from __future__ import annotations

import argparse
import logging
import os
import socket

from rq import Worker
from rq.cron import CronScheduler

from saasapp.integrations.llm import get_client, llm_configured
from saasapp.log import configure_logging, get_logger
from saasapp.queues import worker_queues
from saasapp.redis_conn import get_redis
from saasapp.settings import get_settings
from saasapp.worker.heartbeat import HeartbeatThread
from saasapp.worker.schedule import PERIODIC_JOBS

log = get_logger("saasapp.worker")


def run_worker(burst: bool = False) -> None:
    settings = get_settings()
    connection = get_redis()
    name = f"{socket.gethostname()}:{os.getpid()}"
    worker = Worker(worker_queues(), connection=connection, name=name)
    if llm_configured():
        get_client()  # built once here, inherited by every forked job instead of rebuilt
    heartbeat = HeartbeatThread(connection, name, settings.worker_heartbeat_seconds)
    heartbeat.start()
    log.info("worker_started", name=name, queues=settings.queue_names)
    try:
        worker.work(burst=burst, with_scheduler=True, logging_level="WARNING")
    finally:
        heartbeat.stop()
        log.info("worker_stopped", name=name)


def run_cron() -> None:
    scheduler = CronScheduler(connection=get_redis(), logging_level=logging.WARNING)
    for job in PERIODIC_JOBS:
        scheduler.register(job.func, queue_name=job.queue, interval=job.interval_seconds)
    log.info("cron_started", jobs=[job.func.__name__ for job in PERIODIC_JOBS])
    scheduler.start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m saasapp.worker")
    parser.add_argument("--cron", action="store_true", help="run the periodic-job scheduler")
    parser.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    args = parser.parse_args(argv)
    configure_logging()
    if args.cron:
        run_cron()
    else:
        run_worker(burst=args.burst)


if __name__ == "__main__":
    main()
