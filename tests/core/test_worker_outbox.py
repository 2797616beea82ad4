"""Outbox delivery through real worker processes, including a worker killed mid-delivery."""

import os
import signal
from collections import Counter

import pytest
from sqlalchemy import select

from saasapp.core import events
from saasapp.core.models import DeliveryStatus, EventDelivery, PlatformEvent
from saasapp.db import new_session
from saasapp.queues import get_queue
from tests.core.outbox_subscribers import ENTERED_KEY, HANDLER_PID_KEY, HOLD_KEY
from tests.utils.processes import start_worker, stop, wait_for

SUBSCRIBERS = {"EVENT_SUBSCRIBER_MODULES": "tests.core.outbox_subscribers"}


def handled() -> Counter:
    with new_session() as session:
        rows = session.scalars(
            select(PlatformEvent).where(PlatformEvent.type == "test.handled")
        ).all()
    return Counter((r.payload["event_id"], r.payload["subscriber"]) for r in rows)


def delivery_states(event_id):
    with new_session() as session:
        rows = session.scalars(
            select(EventDelivery).where(EventDelivery.event_id == event_id)
        ).all()
    return {r.subscriber: (r.status, r.attempts) for r in rows}


def emit_work():
    with new_session() as session:
        ev = events.emit(session, "test.work", {"n": 1}, aggregate="job:1")
        session.commit()
    return ev.id


@pytest.fixture
def workers(db, redis_client):
    started = []

    def start():
        process = start_worker(env=SUBSCRIBERS)
        started.append(process)
        return process

    yield start
    redis_client.delete(HOLD_KEY)
    for process in started:
        stop(process)


def test_worker_delivers_an_emitted_event_to_each_subscriber(workers, redis_client):
    workers()
    event_id = emit_work()  # the commit wakes the dispatcher job
    wait_for(lambda: len(handled()) == 2, timeout=30)
    assert handled() == Counter({(event_id, "test.slow"): 1, (event_id, "test.fast"): 1})
    assert delivery_states(event_id) == {
        "test.slow": (DeliveryStatus.DELIVERED, 1),
        "test.fast": (DeliveryStatus.DELIVERED, 1),
    }


def test_worker_killed_during_a_delivery_delivers_exactly_once_after_restart(workers, redis_client):
    redis_client.set(HOLD_KEY, "1")
    first = workers()
    event_id = emit_work()
    wait_for(lambda: redis_client.get(ENTERED_KEY) == b"1", timeout=30)
    # Kill the process running the handler (RQ's work horse) mid-transaction, then its worker.
    os.kill(int(redis_client.get(HANDLER_PID_KEY)), signal.SIGKILL)
    stop(first, sig=signal.SIGKILL)

    redis_client.delete(HOLD_KEY)
    workers()
    get_queue().enqueue("saasapp.core.jobs.dispatch_events")  # as the periodic sweep does
    wait_for(
        lambda: delivery_states(event_id).get("test.slow", ("",))[0] == DeliveryStatus.DELIVERED,
        timeout=60,
    )
    wait_for(lambda: len(handled()) == 2, timeout=30)
    assert int(redis_client.get(ENTERED_KEY)) == 2  # the handler really ran twice...
    # ...but its effects were committed once per subscriber.
    assert handled() == Counter({(event_id, "test.slow"): 1, (event_id, "test.fast"): 1})
    assert delivery_states(event_id)["test.slow"] == (DeliveryStatus.DELIVERED, 1)
