"""Subscribers loaded by real worker processes in the outbox tests
(EVENT_SUBSCRIBER_MODULES=tests.core.outbox_subscribers).

Each records its handling as a ``test.handled`` event written in the delivery's own transaction;
``test.slow`` can be held inside that transaction so a test can kill the worker mid-delivery.
"""

from __future__ import annotations

import os
import time

from saasapp.core.events import emit, subscribe
from saasapp.redis_conn import get_redis

HOLD_KEY = "outbox-test:hold"
ENTERED_KEY = "outbox-test:entered"
HANDLER_PID_KEY = "outbox-test:handler-pid"  # RQ runs jobs in a forked process of its own


def _record(session, event, subscriber: str) -> None:
    emit(session, "test.handled", {"event_id": event.id, "subscriber": subscriber})
    session.flush()  # the write is in the open transaction, not yet committed


@subscribe("test.slow", "test.work")
def slow(session, event) -> None:
    _record(session, event, "test.slow")
    redis = get_redis()
    redis.set(HANDLER_PID_KEY, os.getpid())
    redis.incr(ENTERED_KEY)
    deadline = time.monotonic() + 60
    while redis.exists(HOLD_KEY) and time.monotonic() < deadline:
        time.sleep(0.05)


@subscribe("test.fast", "test.work")
def fast(session, event) -> None:
    _record(session, event, "test.fast")
