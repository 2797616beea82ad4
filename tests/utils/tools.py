"""Helpers for tests of generated tools: users, running queued jobs in-process, lookups."""

from __future__ import annotations

from html.parser import HTMLParser

from rq import SimpleWorker
from sqlalchemy import select
from sqlmodel import Session

from saasapp.accounts.models import Role, User
from saasapp.core.models import PlatformEvent
from saasapp.db import new_session
from saasapp.queues import worker_queues
from saasapp.redis_conn import get_redis
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.offline import BuiltTool, build_tool, draft_spec
from saasapp.tools.generator.spec import ToolSpec, spec_from_dict
from saasapp.tools.models import Generation, Tool

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
    with new_session() as session:
        return session.get(Generation, generation_id)


def fresh_tool(tool_id: int) -> Tool:
    with new_session() as session:
        return session.get(Tool, tool_id)


def events_of(type_: str) -> list[PlatformEvent]:
    with new_session() as session:
        return list(session.scalars(select(PlatformEvent).where(PlatformEvent.type == type_)).all())


IMG = "<img src=x onerror=alert(1)>"


SCRIPT = "</script><script>alert(1)</script>"


PAYLOAD = IMG + SCRIPT


SAMPLE_IDEAS = {
    "calculator": "A mortgage calculator for first-time buyers",
    "converter": "Convert kilometres to miles for runners",
    "checklist": "A packing checklist for family trips",
    "quiz": "A quiz that tests cyber security awareness",
    "pricing": "Pricing estimator for my SaaS plans",
    "countdown": "Countdown to our product launch",
    "invoice": "Invoice builder for freelancers",
    "text_utility": "Word counter for essays",
}


def _poison(spec: ToolSpec) -> ToolSpec:
    data = spec.model_dump()
    data["name"] = "X " + PAYLOAD
    data["tagline"] = data["description"] = data["audience"] = PAYLOAD
    data["features"] = [PAYLOAD]
    data["seo"] = {"title": SCRIPT, "description": PAYLOAD, "keywords": [PAYLOAD]}
    for field in data["inputs"]:
        field["label"] = field["help"] = PAYLOAD
        for option in field["options"]:
            option["label"] = PAYLOAD
        if field["type"] in ("text", "textarea"):
            field["default"] = PAYLOAD
    for output in data["outputs"]:
        output["label"] = PAYLOAD

    def walk(value):
        if isinstance(value, str):
            return PAYLOAD if value and not value.replace("_", "").isalnum() else value
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            keep = {"key", "value", "symbol", "month_day", "format"}
            return {k: v if k in keep else walk(v) for k, v in value.items()}
        return value

    data["config"] = walk(data["config"])
    for item in data["config"].get("items", []) if isinstance(data["config"], dict) else []:
        if isinstance(item, dict):
            item["description"] = PAYLOAD
    if isinstance(data["config"].get("items"), list) and spec.archetype == "checklist":
        data["config"]["items"] = [PAYLOAD, "plain item"]
    for question in data["config"].get("questions", []):
        question["question"] = question["explanation"] = PAYLOAD
        question["options"] = [PAYLOAD, SCRIPT]
    return spec_from_dict(data)


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def poisoned_tool(archetype: str) -> BuiltTool:
    return build_tool(_poison(draft_spec(Brief(SAMPLE_IDEAS[archetype]))))
