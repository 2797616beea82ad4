"""Worker heartbeats: each worker process writes its name and time into one Redis hash."""

from __future__ import annotations

import contextlib
import threading
import time

import redis

HEARTBEATS_KEY = "saasapp:worker:heartbeats"


def beat(connection: redis.Redis, worker_name: str) -> None:
    connection.hset(HEARTBEATS_KEY, worker_name, f"{time.time():.3f}")


def forget(connection: redis.Redis, worker_name: str) -> None:
    connection.hdel(HEARTBEATS_KEY, worker_name)


def live_workers(connection: redis.Redis, ttl_seconds: float) -> dict[str, float]:
    """Workers whose last heartbeat is younger than ``ttl_seconds``, with each one's age."""
    now = time.time()
    ages: dict[str, float] = {}
    stale: list[bytes] = []
    for name, stamp in connection.hgetall(HEARTBEATS_KEY).items():
        age = now - float(stamp)
        if age <= ttl_seconds:
            ages[name.decode()] = age
        elif age > ttl_seconds * 10:
            stale.append(name)
    if stale:
        connection.hdel(HEARTBEATS_KEY, *stale)
    return ages


class HeartbeatThread(threading.Thread):
    """Beats every ``interval`` seconds until stopped; a daemon, so it never blocks exit."""

    def __init__(self, connection: redis.Redis, worker_name: str, interval: float) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.connection = connection
        self.worker_name = worker_name
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            # Redis briefly down: the next beat retries; health shows the gap meanwhile.
            with contextlib.suppress(redis.RedisError):
                beat(self.connection, self.worker_name)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        with contextlib.suppress(redis.RedisError):
            forget(self.connection, self.worker_name)
