"""Platform events through a transactional outbox.

``emit`` adds an event row to the caller's session, so the event exists exactly when the change
it describes is committed. The dispatcher (a worker job) fans each event out to the registered
subscribers and delivers it. A delivery runs the subscriber's handler and marks itself delivered
in one transaction: a crash in between rolls both back, so a subscriber's database effects happen
exactly once per event. Subscribers with outside effects get at-least-once delivery and should
use the event id as their idempotency key. Failures retry with exponential backoff and jitter,
then end in the ``dead`` state, from which an admin can retry them.

Order: for one subscriber, events of the same ``aggregate`` are delivered in the order they were
emitted; a later event waits while an earlier one is pending (dead ones no longer block).
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased
from sqlmodel import Session

from saasapp.core.columns import utcnow
from saasapp.core.models import DeliveryStatus, EventDelivery, PlatformEvent
from saasapp.log import get_logger
from saasapp.queues import enqueue_after_commit, enqueue_coalesced, job_started
from saasapp.settings import get_settings

log = get_logger(__name__)

Handler = Callable[[Session, PlatformEvent], None]

# Modules that register the platform's own subscribers; features add theirs here.
BUILTIN_SUBSCRIBER_MODULES: list[str] = []


@dataclass(frozen=True)
class Subscriber:
    name: str
    event_types: frozenset[str]  # empty: every event
    handler: Handler

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


_subscribers: dict[str, Subscriber] = {}
DISPATCH_JOB = "saasapp.core.jobs.dispatch_events"


def subscribe(name: str, *event_types: str) -> Callable[[Handler], Handler]:
    """Register ``handler(session, event)`` under a stable ``name`` for the given event types
    (none: all). The name keys the delivery records, so never reuse one for another handler."""

    def register(handler: Handler) -> Handler:
        _subscribers[name] = Subscriber(name, frozenset(event_types), handler)
        return handler

    return register


def unsubscribe(name: str) -> None:
    _subscribers.pop(name, None)


def subscribers() -> dict[str, Subscriber]:
    return dict(_subscribers)


def load_subscribers() -> None:
    """Import every module that registers subscribers (idempotent)."""
    extra = [m.strip() for m in get_settings().event_subscriber_modules.split(",") if m.strip()]
    for module in [*BUILTIN_SUBSCRIBER_MODULES, *extra]:
        importlib.import_module(module)


def emit(
    session: Session,
    type: str,
    payload: dict[str, Any] | None = None,
    actor_id: int | None = None,
    *,
    aggregate: str = "",
) -> PlatformEvent:
    """Record an event in ``session``'s transaction; it is delivered only if that commits.

    ``aggregate`` (e.g. ``"user:42"``) names the thing the event is about; events of one
    aggregate reach each subscriber in order.
    """
    platform_event = PlatformEvent(
        type=type, payload=payload or {}, actor_id=actor_id, aggregate=aggregate
    )
    session.add(platform_event)
    # Wake the dispatcher on commit; if Redis is down then, the periodic sweep delivers it.
    enqueue_after_commit(session, DISPATCH_JOB, coalesce_key=DISPATCH_JOB)
    return platform_event


def _insert_ignoring_duplicates(session: Session):
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(EventDelivery).on_conflict_do_nothing(
        index_elements=["event_id", "subscriber"]
    )


def fan_out(session: Session, limit: int = 500) -> int:
    """Create a pending delivery per interested subscriber for undispatched events."""
    query = (
        select(PlatformEvent)
        .where(PlatformEvent.dispatched_at.is_(None))
        .order_by(PlatformEvent.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    events = session.scalars(query).all()
    if not events:
        return 0
    now = utcnow()
    rows = [
        {
            "event_id": ev.id,
            "subscriber": sub.name,
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
            "last_error": "",
            "next_attempt_at": now,
            "created_at": now,
        }
        for ev in events
        for sub in _subscribers.values()
        if sub.wants(ev.type)
    ]
    if rows:
        session.execute(_insert_ignoring_duplicates(session), rows)
    session.execute(
        update(PlatformEvent)
        .where(PlatformEvent.id.in_([ev.id for ev in events]))
        .values(dispatched_at=now)
    )
    session.commit()
    return len(events)


def _due_delivery_ids(session: Session, limit: int) -> list[int]:
    query = (
        select(EventDelivery.id)
        .where(
            EventDelivery.status == DeliveryStatus.PENDING,
            EventDelivery.next_attempt_at <= utcnow(),
        )
        .order_by(EventDelivery.event_id, EventDelivery.id)
        .limit(limit)
    )
    return list(session.scalars(query).all())


def _blocked_by_earlier(session: Session, delivery: EventDelivery, ev: PlatformEvent) -> bool:
    if not ev.aggregate:
        return False
    earlier = aliased(EventDelivery)
    earlier_event = aliased(PlatformEvent)
    return bool(
        session.scalar(
            select(
                exists().where(
                    earlier.subscriber == delivery.subscriber,
                    earlier.status == DeliveryStatus.PENDING,
                    earlier.event_id < delivery.event_id,
                    earlier.event_id == earlier_event.id,
                    earlier_event.aggregate == ev.aggregate,
                )
            )
        )
    )


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter: base * 2^(attempts-1), capped, times 0.5..1."""
    settings = get_settings()
    ceiling = min(
        settings.event_retry_max_seconds,
        settings.event_retry_base_seconds * (2 ** max(0, attempts - 1)),
    )
    return ceiling * random.uniform(0.5, 1.0)


def deliver_one(session: Session, delivery_id: int) -> str:
    """Try one delivery; returns "delivered", "retry", "dead", "blocked" or "skipped"."""
    query = select(EventDelivery).where(
        EventDelivery.id == delivery_id, EventDelivery.status == DeliveryStatus.PENDING
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    delivery = session.scalars(query).first()
    if delivery is None:
        session.rollback()
        return "skipped"  # done, or being delivered by another dispatcher right now
    ev = session.get(PlatformEvent, delivery.event_id)
    if _blocked_by_earlier(session, delivery, ev):
        session.rollback()
        return "blocked"
    sub = _subscribers.get(delivery.subscriber)
    try:
        if sub is None:
            raise LookupError(f"no subscriber named {delivery.subscriber!r} in this process")
        sub.handler(session, ev)
        delivery.status = DeliveryStatus.DELIVERED
        delivery.attempts += 1
        delivery.delivered_at = utcnow()
        delivery.last_error = ""
        session.add(delivery)
        session.commit()
        return "delivered"
    except Exception as exc:
        session.rollback()
        return _record_failure(session, delivery_id, exc)


def _record_failure(session: Session, delivery_id: int, exc: Exception) -> str:
    delivery = session.get(EventDelivery, delivery_id)
    delivery.attempts += 1
    delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if delivery.attempts >= get_settings().event_max_attempts:
        delivery.status = DeliveryStatus.DEAD
        outcome = "dead"
    else:
        delivery.next_attempt_at = utcnow() + timedelta(seconds=retry_delay(delivery.attempts))
        outcome = "retry"
    session.add(delivery)
    session.commit()
    log.warning(
        "event_delivery_failed",
        delivery_id=delivery_id,
        event_id=delivery.event_id,
        subscriber=delivery.subscriber,
        attempts=delivery.attempts,
        outcome=outcome,
        error=delivery.last_error,
    )
    return outcome


def dispatch(session_factory: Callable[[], Session], batch: int = 200) -> dict[str, int]:
    """Fan out new events, then deliver every due delivery; returns counts per outcome."""
    load_subscribers()
    job_started(DISPATCH_JOB)
    counts: dict[str, int] = {}
    with session_factory() as session:
        while fan_out(session):
            pass
        ids = _due_delivery_ids(session, batch)
    for delivery_id in ids:
        with session_factory() as session:
            outcome = deliver_one(session, delivery_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    if len(ids) == batch:  # more may be due: continue in a fresh job
        enqueue_coalesced(DISPATCH_JOB, DISPATCH_JOB)
    return counts


def dead_deliveries(
    session: Session, limit: int = 100
) -> list[tuple[EventDelivery, PlatformEvent]]:
    """The dead-letter view: each dead delivery with the event it failed to deliver."""
    query = (
        select(EventDelivery, PlatformEvent)
        .join(PlatformEvent, PlatformEvent.id == EventDelivery.event_id)
        .where(EventDelivery.status == DeliveryStatus.DEAD)
        .order_by(EventDelivery.id.desc())
        .limit(limit)
    )
    return [(delivery, ev) for delivery, ev in session.execute(query).all()]


def dead_deliveries_query() -> Select:
    """Dead deliveries alone (unordered, for paging)."""
    return select(EventDelivery).where(EventDelivery.status == DeliveryStatus.DEAD)


def retry_dead(session: Session, delivery_ids: Iterable[int]) -> int:
    """Put dead deliveries back to pending with fresh attempts; returns how many."""
    result = session.execute(
        update(EventDelivery)
        .where(EventDelivery.id.in_(list(delivery_ids)), EventDelivery.status == "dead")
        .values(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=utcnow())
    )
    session.commit()
    return result.rowcount or 0
