"""RQ job functions: thin, take ids, call services.

Services are imported here, at the top, so that the worker imports them once before it forks:
a work horse that imported them itself would pay for it on every job (``tool_runner`` brings
the model client with it, about half a second).
"""

from __future__ import annotations

from sqlmodel import Session

from saasapp.db import get_engine
from saasapp.services import events, mail, tool_runner


def _session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


def dispatch_events() -> dict[str, int]:
    """Deliver platform events to their subscribers (woken on commit, and swept periodically)."""
    return events.dispatch(_session)


def send_email(message_id: int) -> str:
    with _session() as session:
        return mail.send_queued(session, message_id)


def send_unsent_emails() -> int:
    """Retry emails that are still queued or failed (periodic sweep)."""
    from saasapp.queues import get_queue

    with _session() as session:
        ids = mail.unsent_ids(session)
    for message_id in ids:
        get_queue().enqueue(send_email, message_id, result_ttl=0)
    return len(ids)


def run_generation(generation_id: int) -> str:
    """Build or refine a tool: stream the page, then make it the tool's current version."""
    return tool_runner.run_generation(generation_id, _session)


def fail_stale_generations() -> int:
    """Fail generations whose worker died (periodic sweep)."""
    return tool_runner.fail_stale_generations(_session)
