"""Helpers for tests of generated tools: users, running queued jobs in-process, lookups."""

from __future__ import annotations

from rq import SimpleWorker
from sqlalchemy import select
from sqlmodel import Session

from saasapp.db import get_engine
from saasapp.models import Generation, PlatformEvent, Role, Tool, User
from saasapp.queues import worker_queues
from saasapp.redis_conn import get_redis

# Loads a script from a host nobody allowed: publishing must refuse it.
FOREIGN_SCRIPT = '<script src="https://cdn.evil.example/x.js"></script>'


def make_user(session: Session, email: str, role: Role = Role.USER) -> User:
    user = User(email=email, role=role, display_name=email.split("@")[0])
    session.add(user)
    session.commit()
    return user


def run_jobs() -> None:
    """Run every queued job in this process (as a worker would)."""
    SimpleWorker(worker_queues(), connection=get_redis()).work(burst=True)


def fresh_generation(generation_id: int) -> Generation:
    with Session(get_engine()) as session:
        return session.get(Generation, generation_id)


def fresh_tool(tool_id: int) -> Tool:
    with Session(get_engine()) as session:
        return session.get(Tool, tool_id)


def events_of(type_: str) -> list[PlatformEvent]:
    with Session(get_engine()) as session:
        return list(session.scalars(select(PlatformEvent).where(PlatformEvent.type == type_)).all())
