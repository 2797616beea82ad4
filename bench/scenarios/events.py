"""Scenario ``events``: a no-op platform event, emit → delivery, vs a raw RQ no-op job.

One real worker (``python -m saasapp.worker``, with ``bench.subscribers`` loaded) serves both.
Ours: each event is emitted in its own committed transaction (``session_scope`` + ``emit``); the
commit wakes the dispatcher job, which fans the event out and delivers it to a no-op
subscriber. Baseline: ``bench.jobs.noop`` enqueued on the same queue. Both no-ops push their
index and the time they ran onto a Redis list; latency runs from just before the producer's call
(the emitting transaction, or the enqueue) to that time.

Each target is measured twice:

- burst: N items produced as fast as one producer can; throughput is N over the time from the
  first production to the last run (latency then includes queueing behind the others);
- one in flight: produce one, wait until it ran, then the next; latency is the bare round trip.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from bench.harness import Comparison, Environment, Figure, Options, percentile, wait_until
from bench.jobs import DONE_KEY
from bench.subscribers import NOOP_EVENT

NAME = "events"

Producer = Callable[[str, int], None]


def emit_event(run: str, index: int) -> None:
    from saasapp.core import events
    from saasapp.db import session_scope

    with session_scope() as session:
        events.emit(session, NOOP_EVENT, {"run": run, "index": index})


def enqueue_job(run: str, index: int) -> None:
    from saasapp.queues import get_queue

    # result_ttl=0 as for the dispatcher's own wake-up job.
    get_queue().enqueue("bench.jobs.noop", run, index, result_ttl=0)


def _collect(run: str, expected: set[int], deadline: float) -> dict[int, float]:
    """Wait for the records of ``expected`` indexes until ``deadline``; index -> run time."""
    from saasapp.redis_conn import get_redis

    redis = get_redis()
    done: dict[int, float] = {}
    while expected - done.keys():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        item = redis.blpop([DONE_KEY.format(run=run)], timeout=min(remaining, 2.0))
        if item is None:
            continue
        index, stamp = item[1].decode().split()
        done.setdefault(int(index), float(stamp))
    return done


def _figure(label: str, unit: str, started: dict[int, float], done: dict[int, float],
            elapsed: float) -> Figure:  # fmt: skip
    latencies = [(done[i] - started[i]) * 1000 for i in started if i in done]
    return Figure(
        scenario=NAME,
        target=label,
        throughput=len(latencies) / elapsed if elapsed > 0 else float("nan"),
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        unit=unit,
        count=len(latencies),
        errors=len(started) - len(latencies),
    )


def measure_burst(produce: Producer, label: str, unit: str, options: Options) -> Figure:
    run = uuid.uuid4().hex
    deadline = time.monotonic() + options.time_limit
    started: dict[int, float] = {}
    for index in range(options.events):
        started[index] = time.time()
        produce(run, index)
    done = _collect(run, set(started), deadline)
    elapsed = (max(done.values()) - min(started.values())) if done else 0.0
    return _figure(label, unit, started, done, elapsed)


def measure_one_in_flight(produce: Producer, label: str, unit: str, options: Options) -> Figure:
    run = uuid.uuid4().hex
    deadline = time.monotonic() + options.time_limit
    started: dict[int, float] = {}
    done: dict[int, float] = {}
    begin = time.time()
    for index in range(options.events):
        if time.monotonic() >= deadline:
            break
        started[index] = time.time()
        produce(run, index)
        done.update(_collect(run, {index}, min(deadline, time.monotonic() + 30)))
    return _figure(label, unit, started, done, time.time() - begin)


def _queue_idle() -> bool:
    from rq.registry import StartedJobRegistry

    from saasapp.queues import get_queue

    queue = get_queue()
    return queue.count == 0 and StartedJobRegistry(queue=queue).count == 0


def settle(timeout: float) -> float:
    """Wait until the queue is empty and nothing runs; returns the seconds it took."""
    started = time.monotonic()
    wait_until(_queue_idle, timeout, "an idle queue")
    return time.monotonic() - started


def start_worker(env: Environment, extra_env: dict[str, str] | None = None):
    """A real ``python -m saasapp.worker`` (``bench.subscribers`` loaded), once it is live."""
    from saasapp.redis_conn import get_redis
    from saasapp.settings import get_settings
    from saasapp.worker.heartbeat import live_workers

    worker_env = {**env.env, "EVENT_SUBSCRIBER_MODULES": "bench.subscribers", **(extra_env or {})}
    process = env.processes.start("worker", [_python(), "-m", "saasapp.worker"], worker_env)
    ttl = get_settings().worker_heartbeat_ttl
    try:
        wait_until(
            lambda: any(n.endswith(f":{process.pid}") for n in live_workers(get_redis(), ttl)),
            30,
            "the worker",
        )
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\n{env.processes.log_tail('worker')}") from exc
    return process


def _python() -> str:
    import sys

    return sys.executable


def run(env: Environment, options: Options) -> list[Comparison]:
    process = start_worker(env)
    try:
        # Warm-up: the first fork, import and connection of each kind are not counted.
        for produce in (enqueue_job, emit_event):
            warm = Options.make(True, events=3, time_limit=30)
            measure_one_in_flight(produce, "warm-up", "", warm)
        settle(options.time_limit)

        n = options.events
        burst_base = measure_burst(enqueue_job, f"RQ no-op job, burst of {n}", "jobs/s", options)
        settle(options.time_limit)
        burst_ours = measure_burst(emit_event, f"event emit→delivery, burst of {n}", "events/s",
                                   options)  # fmt: skip
        drain = settle(options.time_limit)
        single_base = measure_one_in_flight(
            enqueue_job, "RQ no-op job, one in flight", "jobs/s", options
        )
        settle(options.time_limit)
        single_ours = measure_one_in_flight(
            emit_event, "event emit→delivery, one in flight", "events/s", options
        )
        settle(options.time_limit)
    finally:
        env.processes.stop(process)
    for figure in (burst_base, single_base):
        figure.baseline = True
    return [
        Comparison(
            burst_ours,
            burst_base,
            notes=[
                "events: one `python -m saasapp.worker` (forking RQ worker) for both targets; "
                "latency from before the emitting transaction (or the enqueue) to the no-op's "
                "run; burst throughput = n / (last run - first production).",
                f"events burst: the queue was idle {drain:.1f}s after the last delivery "
                f"(left-over dispatcher wake-ups).",
            ],
        ),
        Comparison(single_ours, single_base),
    ]
