"""The API contract, checked from outside: requests generated from the OpenAPI document (valid
and invalid ones), sent to the app in-process, signed in as a verified user (as an admin on
/admin). Every answer must be documented, match its schema and content type, and none may be
a server error.

Every operation is fuzzed, the OAuth callback included: the providers are the stand-in on
127.0.0.1 (a generated ``state`` is never valid, so the callback answers its refusal redirect),
Vercel is its stand-in too, and the generator runs offline. Rate limits and the daily quota
are lifted for the run (``unlimited``); their 429s are still documented and tested elsewhere.
"""

from __future__ import annotations

import time
from collections import Counter

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update
from sqlmodel import Session

from saasapp.accounts import access_tokens, api_keys, registration
from saasapp.accounts.models import Role, User
from saasapp.core import rate_limit as limits
from saasapp.db import get_engine, new_session
from saasapp.http.app import create_api
from saasapp.settings import get_settings
from saasapp.tools import generations
from saasapp.worker.heartbeat import beat
from tests.utils.accounts import PASSWORD
from tests.utils.oauth_provider import ProviderServer
from tests.utils.tools import run_jobs

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
# Bounded and repeatable: the same cases on every run, about a minute in all.
FUZZ_SETTINGS = hypothesis.settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
WORKFLOW_SETTINGS = hypothesis.settings(FUZZ_SETTINGS, max_examples=30, stateful_step_count=8)

APP = create_api()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
# Requests sent per operation over the run (printed at the end with -s).
SENT: Counter[str] = Counter()


class FuzzAccounts:
    """A verified user and an admin. Each request starts with both as they were (not banned,
    not signed out, roles unchanged: a generated request may have done any of these) and with
    a fresh access token.

    The user owns a built tool and an API key, each with id 1 (the tables start empty): the
    boundary values tried for ids (1 is the minimum) then reach real resources."""

    def __init__(self) -> None:
        with new_session() as session:
            user = self._verified(session, "fuzz-user@example.com")
            self.user_id = user.id
            self.admin_id = self._verified(session, "admin@example.com").id
            generations.start_generation(session, user, prompt="A tip calculator")
            api_keys.create_key(session, user, name="fuzz")
        run_jobs()

    @staticmethod
    def _verified(session: Session, email: str) -> User:
        user = registration.register(session, email=email, password=PASSWORD, display_name="Fuzz")
        user.email_verified_at = user.created_at
        session.add(user)
        session.commit()
        return user

    def headers_for(self, case) -> dict[str, str]:
        SENT[case.operation.label] += 1
        with get_engine().begin() as connection:
            for user_id, role in ((self.user_id, Role.USER), (self.admin_id, Role.ADMIN)):
                connection.execute(
                    update(User)
                    .where(User.id == user_id)
                    .values(banned=False, tokens_valid_after=None, role=role)
                )
        caller = self.admin_id if case.path.startswith("/api/v1/admin/") else self.user_id
        token, _lifetime = access_tokens.issue(caller)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def unlimited(monkeypatch):
    """No rate limit or daily quota refuses a request in this test."""

    def allowed(rule, scope, key, **_kwargs):
        return limits.RateLimitResult(True, rule, 1, 0)

    monkeypatch.setattr(limits, "hit", allowed)
    monkeypatch.setattr(limits, "peek", allowed)
    monkeypatch.setattr(get_settings(), "generation_daily_quota", 10**6)


@pytest.fixture(scope="module")
def oauth_stand_in():
    server = ProviderServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module", autouse=True)
def report_requests():
    started = time.monotonic()
    yield
    if SENT:
        print(
            f"\nAPI fuzz: {sum(SENT.values())} requests to {len(SENT)} operations "
            f"in {time.monotonic() - started:.0f} s"
        )


@pytest.fixture
def fuzz_accounts(db, redis_client, unlimited, vercel_server, oauth_stand_in, monkeypatch):
    settings = get_settings()
    for name, value in oauth_stand_in.provider.settings("google", "github", "x").items():
        monkeypatch.setattr(settings, name, value)
    monkeypatch.setattr(settings, "openai_api_key", "")
    monkeypatch.setattr(settings, "openai_base_url", "")
    beat(redis_client, "fuzz-worker")  # health answers 200 only with a live worker
    return FuzzAccounts()


def test_every_operation_is_fuzzed():
    operations = {f"{op.method.upper()} {op.path}" for op in _operations()}
    assert len(operations) >= 40
    assert "POST /api/v1/tools/{tool_id}/revert" in operations


def _operations():
    return [result.ok() for result in schema.get_all_operations()]


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_contract(case, fuzz_accounts):
    case.call_and_validate(headers=fuzz_accounts.headers_for(case), checks=CHECKS)


def test_api_workflows(fuzz_accounts):
    """Sequences of calls along the links between operations (an id one answer returns is
    used by the next call), so that requests reach existing tools, keys and versions."""

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": fuzz_accounts.headers_for(case)}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Workflow.run(settings=WORKFLOW_SETTINGS)
