"""RQ entry points of the core: outbox dispatch and email sending. Ids in, rules called."""

from __future__ import annotations

from saasapp.core import events, mail
from saasapp.db import new_session


def dispatch_events() -> dict[str, int]:
    """Deliver platform events to their subscribers (woken on commit, and swept periodically)."""
    return events.dispatch(new_session)


def send_email(message_id: int) -> str:
    with new_session() as session:
        return mail.send_queued(session, message_id)


def send_unsent_emails() -> int:
    """Retry emails that are still queued or failed (periodic sweep)."""
    from saasapp.queues import get_queue

    with new_session() as session:
        ids = mail.unsent_ids(session)
    for message_id in ids:
        get_queue().enqueue(send_email, message_id, result_ttl=0)
    return len(ids)
