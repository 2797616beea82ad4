"""Test set-up: PostgreSQL and Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set (CI), else
a SQLite file and an embedded Redis server in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

# Fixtures shared by every area's tests: API client and callers, browser, stand-in servers.
pytest_plugins = [
    "tests.utils.api",
    "tests.utils.browser",
    "tests.utils.openai_server",
    "tests.utils.vercel_server",
]

_TMP = Path(tempfile.mkdtemp(prefix="saasapp-tests-"))
_embedded_redis: subprocess.Popen | None = None
_smtp: list = []


def pytest_configure(config: pytest.Config) -> None:
    global _embedded_redis
    os.environ["APP_ENV"] = "test"
    os.environ["DATA_DIR"] = str(_TMP)
    os.environ["LOG_JSON"] = "true"
    os.environ["BCRYPT_ROUNDS"] = "4"  # the production cost (12) is checked in test_settings
    os.environ["ADMIN_EMAILS"] = "admin@example.com"
    os.environ["OFFLINE_STREAM_DELAY_MS"] = "0"  # tests that need a slow stream set it
    os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{_TMP / 'test.db'}"
    )
    if os.environ.get("TEST_REDIS_URL"):
        os.environ["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    else:
        os.environ["REDIS_URL"] = ""
        from saasapp.redis_conn import start_embedded_redis

        _embedded_redis = start_embedded_redis(_TMP / "redis.sock")
    # Every email of the run goes to a real SMTP server on loopback (read by the tests).
    from tests.utils.mailbox import SmtpCapture

    _smtp.append(SmtpCapture().start())
    os.environ["SMTP_URL"] = _smtp[0].url

    from saasapp.log import configure_logging
    from saasapp.settings import get_settings

    get_settings.cache_clear()
    configure_logging()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests are named by kind (test_api_*, test_worker_*, test_browser_*): mark them so, and run
    the browser tests last, once the one app they share has been built."""
    for item in items:
        name = item.path.name
        for kind in ("api", "worker", "browser"):
            if name.startswith(f"test_{kind}_"):
                item.add_marker(kind)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_unconfigure(config: pytest.Config) -> None:
    for capture in _smtp:
        capture.stop()
    if _embedded_redis is not None:
        _embedded_redis.terminate()
        _embedded_redis.wait(10)


@pytest.fixture(scope="session")
def migrated_database() -> str:
    """The test database, emptied and migrated to head once per run."""
    from tests.utils.database import reset_database

    return reset_database()


@pytest.fixture
def db(migrated_database):
    """A clean database for one test: every table emptied first."""
    from tests.utils.database import empty_tables

    empty_tables()
    return migrated_database


@pytest.fixture
def redis_client():
    """The test Redis, emptied before the test."""
    from saasapp.redis_conn import get_redis

    client = get_redis()
    client.flushdb()
    return client


@pytest.fixture
def session(db):

    from saasapp.db import new_session

    with new_session() as s:
        yield s


@pytest.fixture(scope="session")
def smtp_server():
    """The run's SMTP server on loopback (SMTP_URL points at it)."""
    return _smtp[0]


@pytest.fixture
def mailbox(smtp_server):
    """The SMTP capture, emptied; ``deliver()`` runs the queued send jobs in-process."""
    from rq import SimpleWorker

    from saasapp.queues import worker_queues
    from saasapp.redis_conn import get_redis

    smtp_server.clear()

    def deliver() -> None:
        SimpleWorker(worker_queues(), connection=get_redis()).work(burst=True)

    smtp_server.deliver = deliver
    return smtp_server
