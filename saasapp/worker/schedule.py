"""Periodic jobs, run by RQ's CronScheduler (``python -m saasapp.worker --cron``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from saasapp.core import jobs as core_jobs
from saasapp.tools import jobs as tools_jobs


@dataclass(frozen=True)
class PeriodicJob:
    func: Callable
    interval_seconds: int
    queue: str = "default"


PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob(core_jobs.dispatch_events, interval_seconds=5),
    PeriodicJob(core_jobs.send_unsent_emails, interval_seconds=60),
    PeriodicJob(tools_jobs.fail_stale_generations, interval_seconds=300),
]
