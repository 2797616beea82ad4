"""Event subscribers of the benchmarks, loaded by a worker with
``EVENT_SUBSCRIBER_MODULES=bench.subscribers``."""

from __future__ import annotations

from sqlmodel import Session

from bench.jobs import record_done
from saasapp.core.events import subscribe
from saasapp.core.models import PlatformEvent

NOOP_EVENT = "bench.noop"


@subscribe("bench.noop", NOOP_EVENT)
def noop(_session: Session, event: PlatformEvent) -> None:
    """Does nothing but say when it was delivered."""
    record_done(event.payload["run"], event.payload["index"])
