"""RQ job functions: thin, take ids, call services."""

from __future__ import annotations

from sqlmodel import Session

from saasapp.db import get_engine
from saasapp.services import events


def _session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


def dispatch_events() -> dict[str, int]:
    """Deliver platform events to their subscribers (woken on commit, and swept periodically)."""
    return events.dispatch(_session)
