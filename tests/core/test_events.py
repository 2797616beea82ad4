"""Platform events through the outbox, on the real database (PostgreSQL in CI)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from saasapp.core import events
from saasapp.core.columns import utcnow
from saasapp.core.models import DeliveryStatus, EventDelivery, PlatformEvent
from saasapp.db import new_session
from saasapp.settings import get_settings


def dispatch():
    return events.dispatch(new_session)


@pytest.fixture
def recorder():
    """Registers subscribers for the test and forgets them afterwards."""
    names = []
    calls = []

    def register(name, *types, fail_times=0, fail_on=None):
        failures = {"left": fail_times}

        @events.subscribe(name, *types)
        def handler(session, event):
            if fail_on is not None and fail_on(event) and failures["left"] > 0:
                failures["left"] -= 1
                # A side effect that must roll back with the failed attempt.
                events.emit(session, "test.side_effect", {"of": event.id})
                raise RuntimeError(f"{name} refused {event.id}")
            if fail_on is None and failures["left"] > 0:
                failures["left"] -= 1
                raise RuntimeError(f"{name} refused {event.id}")
            calls.append((name, event.id, event.type))

        names.append(name)
        return handler

    register.calls = calls
    yield register
    for name in names:
        events.unsubscribe(name)


def emit_committed(type_, payload=None, aggregate=""):
    with new_session() as session:
        ev = events.emit(session, type_, payload or {}, actor_id=7, aggregate=aggregate)
        session.commit()
        return ev.id


def make_due(session_delivery_ids=None):
    with new_session() as session:
        session.execute(update(EventDelivery).values(next_attempt_at=utcnow()))
        session.commit()


def deliveries(event_id=None):
    with new_session() as session:
        query = select(EventDelivery).order_by(EventDelivery.id)
        if event_id is not None:
            query = query.where(EventDelivery.event_id == event_id)
        return list(session.scalars(query).all())


def test_event_in_a_rolled_back_transaction_is_never_delivered(db, recorder):
    recorder("audit", "user.registered")
    with new_session() as session:
        events.emit(session, "user.registered", {"user_id": 1})
        session.flush()
        session.rollback()
    assert dispatch() == {}
    assert recorder.calls == []
    with new_session() as session:
        assert session.scalars(select(PlatformEvent)).all() == []


def test_each_subscriber_gets_each_event_once(db, recorder):
    recorder("tokens", "tool.published")
    recorder("analytics")  # every event
    recorder("mailer", "user.registered")
    event_id = emit_committed("tool.published", {"tool_id": 3})
    assert dispatch() == {"delivered": 2}
    assert sorted(recorder.calls) == [
        ("analytics", event_id, "tool.published"),
        ("tokens", event_id, "tool.published"),
    ]
    assert dispatch() == {}  # nothing is delivered twice
    assert len(recorder.calls) == 2
    assert {d.status for d in deliveries()} == {DeliveryStatus.DELIVERED}


def test_payload_and_actor_reach_the_subscriber(db):
    seen = {}

    @events.subscribe("payload-check", "lead.captured")
    def handler(session, event):
        seen.update(payload=event.payload, actor=event.actor_id, aggregate=event.aggregate)

    try:
        emit_committed("lead.captured", {"email": "a@b.c", "n": 2}, aggregate="form:9")
        dispatch()
    finally:
        events.unsubscribe("payload-check")
    assert seen == {"payload": {"email": "a@b.c", "n": 2}, "actor": 7, "aggregate": "form:9"}


def test_failure_retries_with_backoff_and_rolls_back_the_attempt(db, recorder):
    recorder("flaky", "tool.generated", fail_times=1, fail_on=lambda e: True)
    event_id = emit_committed("tool.generated")
    before = utcnow()
    assert dispatch() == {"retry": 1}
    (delivery,) = deliveries(event_id)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "flaky refused" in delivery.last_error
    base = get_settings().event_retry_base_seconds
    delay = (delivery.next_attempt_at - before).total_seconds()
    assert base * 0.5 - 0.1 <= delay <= base + 1
    assert dispatch() == {}  # not due yet
    make_due()
    assert dispatch() == {"delivered": 1}
    with new_session() as session:  # the failed attempt's own writes were rolled back
        side = session.scalars(
            select(PlatformEvent).where(PlatformEvent.type == "test.side_effect")
        ).all()
    assert side == []
    assert recorder.calls == [("flaky", event_id, "tool.generated")]


def test_backoff_grows_exponentially_with_jitter_and_is_capped(monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "event_retry_base_seconds", 2.0)
    monkeypatch.setattr(settings, "event_retry_max_seconds", 30.0)
    delays = {n: [events.retry_delay(n) for _ in range(200)] for n in (1, 2, 3, 10)}
    assert all(1.0 <= d <= 2.0 for d in delays[1])
    assert all(2.0 <= d <= 4.0 for d in delays[2])
    assert all(4.0 <= d <= 8.0 for d in delays[3])
    assert all(15.0 <= d <= 30.0 for d in delays[10])
    assert len({round(d, 6) for d in delays[3]}) > 100  # jittered, not constant


def test_dead_letter_after_max_attempts_then_admin_retry(db, recorder, monkeypatch):
    monkeypatch.setattr(get_settings(), "event_max_attempts", 3)
    recorder("broken", "tool.published", fail_times=3)
    event_id = emit_committed("tool.published")
    outcomes = []
    for _ in range(3):
        outcomes.append(dispatch())
        make_due()
    assert outcomes == [{"retry": 1}, {"retry": 1}, {"dead": 1}]
    with new_session() as session:
        dead = [delivery for delivery, _event in events.dead_deliveries(session)]
        assert [(d.event_id, d.subscriber, d.attempts) for d in dead] == [(event_id, "broken", 3)]
        assert events.retry_dead(session, [dead[0].id]) == 1
    assert dispatch() == {"delivered": 1}
    assert recorder.calls == [("broken", event_id, "tool.published")]


def test_events_keep_their_order_per_aggregate(db, recorder):
    first = {}
    recorder(
        "ordered",
        "tokens.awarded",
        fail_times=1,
        fail_on=lambda e: e.id == first.get("id"),
    )
    first["id"] = emit_committed("tokens.awarded", {"n": 1}, aggregate="user:1")
    second = emit_committed("tokens.awarded", {"n": 2}, aggregate="user:1")
    other = emit_committed("tokens.awarded", {"n": 3}, aggregate="user:2")
    third = emit_committed("tokens.awarded", {"n": 4}, aggregate="user:1")
    # The first fails: the later events of user:1 wait; user:2 is not held up.
    assert dispatch() == {"retry": 1, "blocked": 2, "delivered": 1}
    assert recorder.calls == [("ordered", other, "tokens.awarded")]
    make_due()
    dispatch()
    assert [c[1] for c in recorder.calls] == [other, first["id"], second, third]


def test_a_dead_event_no_longer_blocks_its_aggregate(db, recorder, monkeypatch):
    monkeypatch.setattr(get_settings(), "event_max_attempts", 1)
    first = {}
    recorder("ordered", "x.y", fail_times=1, fail_on=lambda e: e.id == first.get("id"))
    first["id"] = emit_committed("x.y", aggregate="tool:5")
    second = emit_committed("x.y", aggregate="tool:5")
    assert dispatch() == {"dead": 1, "delivered": 1}
    assert recorder.calls == [("ordered", second, "x.y")]


def test_delivery_to_an_unknown_subscriber_fails_and_retries(db, recorder):
    recorder("temporary", "a.b")
    event_id = emit_committed("a.b")
    with new_session() as session:
        events.fan_out(session)
    events.unsubscribe("temporary")
    assert dispatch() == {"retry": 1}
    (delivery,) = deliveries(event_id)
    assert "no subscriber named 'temporary'" in delivery.last_error


def test_fan_out_is_idempotent(db, recorder):
    recorder("once", "a.b")
    event_id = emit_committed("a.b")
    with new_session() as session:
        assert events.fan_out(session) == 1
        session.execute(update(PlatformEvent).values(dispatched_at=None))
        session.commit()
        assert events.fan_out(session) == 1  # redone after a crash: no duplicate rows
    assert len(deliveries(event_id)) == 1


def test_commits_wake_one_waiting_dispatcher_job(db, recorder, redis_client):
    from saasapp.queues import get_queue

    queue = get_queue()
    queue.empty()
    emit_committed("a.b")
    emit_committed("a.b")  # a dispatcher is already waiting: no second job
    assert [job.func_name for job in queue.jobs] == ["saasapp.core.jobs.dispatch_events"]
    with new_session() as session:  # a rollback enqueues nothing
        events.emit(session, "a.b")
        session.rollback()
    assert len(queue.jobs) == 1
    dispatch()  # the dispatcher starts: the next commit wakes a new one
    emit_committed("a.b")
    assert len(queue.jobs) == 2


def test_a_full_batch_continues_in_a_new_job(db, recorder, redis_client):
    from saasapp.queues import get_queue

    recorder("counter", "a.b")
    for _ in range(3):
        emit_committed("a.b")
    queue = get_queue()
    queue.empty()
    assert events.dispatch(new_session, batch=2) == {"delivered": 2}
    assert len(queue.jobs) == 1
    assert events.dispatch(new_session, batch=2) == {"delivered": 1}
    assert len(queue.jobs) == 1


def test_retry_dead_ignores_deliveries_that_are_not_dead(db, recorder):
    recorder("fine", "a.b")
    emit_committed("a.b")
    dispatch()
    (delivery,) = deliveries()
    with new_session() as session:
        assert events.retry_dead(session, [delivery.id]) == 0
    assert deliveries()[0].status == DeliveryStatus.DELIVERED
    assert deliveries()[0].next_attempt_at <= utcnow() + timedelta(seconds=1)
