"""RQ jobs of the benchmarks: the baseline no-op, and the record both no-ops leave."""

from __future__ import annotations

import time

from saasapp.redis_conn import get_redis

DONE_KEY = "bench:done:{run}"


def record_done(run: str, index: int) -> None:
    """Push ``"<index> <unix time>"`` for the benchmark process to collect."""
    get_redis().rpush(DONE_KEY.format(run=run), f"{index} {time.time():.6f}")


def noop(run: str, index: int) -> None:
    """The baseline job: does nothing but say when it ran."""
    record_done(run, index)
