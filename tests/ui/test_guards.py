"""The page guards: what Reflex reads from a guarded handler, and who gets to run it."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from reflex_base.event import EventHandler

from saasapp.accounts.models import Role, User
from saasapp.ui import guards
from saasapp.ui.guards import admin_only, signed_in

MAKER = User(id=7, email="maker@example.com", role=Role.USER)
ADMIN = User(id=1, email="admin@example.com", role=Role.ADMIN)


@signed_in
async def revert(self, user: User, number: str):
    self.calls.append((user.id, number))
    return "reverted"


@signed_in
async def deploy(self, user: User):
    self.calls.append((user.id, "deploy"))
    yield "progress"
    yield "done"


@admin_only
async def retry(self, admin: User, delivery_id: str):
    self.calls.append((admin.id, delivery_id))


def tab(path: str = "/tools/3", **fields) -> SimpleNamespace:
    """A stand-in for a state: the page's URL, its fields, and what the handler did."""
    router = SimpleNamespace(url=SimpleNamespace(path=path))
    return SimpleNamespace(router=router, calls=[], **fields)


@pytest.fixture
def session_user(monkeypatch):
    """Who the server finds signed in on the tab: set ``session_user.value``."""
    found = SimpleNamespace(value=None)

    async def current_user(state):
        return found.value

    monkeypatch.setattr(guards, "current_user", current_user)
    return found


def run(events) -> list:
    async def collect():
        return [event async for event in events]

    return asyncio.run(collect())


def redirect_path(event) -> str:
    """Where an ``rx.redirect`` event goes (as the browser gets it)."""
    return {str(name): str(value) for name, value in event.args}["path"]


def test_reflex_sees_the_event_arguments_without_the_user():
    for fn, parameters, hints, coroutine in [
        (revert, ["self", "number"], {"number": str}, True),
        (deploy, ["self"], {}, False),  # an async generator stays one
        (retry, ["self", "delivery_id"], {"delivery_id": str}, True),
    ]:
        handler = EventHandler(fn=fn)
        assert list(handler.get_parameters()) == parameters
        assert handler._get_type_hints() == hints
        assert handler._is_coroutine_function is coroutine


def test_a_signed_out_tab_goes_to_sign_in_and_comes_back(session_user):
    state = tab("/tools/3")
    assert redirect_path(asyncio.run(revert(state, "2"))) == '"/login?next=/tools/3"'
    [redirect] = run(deploy(state))
    assert redirect_path(redirect) == '"/login?next=/tools/3"'
    assert state.calls == []


def test_a_signed_in_user_is_loaded_and_passed_on(session_user):
    session_user.value = MAKER
    state = tab()
    assert asyncio.run(revert(state, number="2")) == "reverted"
    assert run(deploy(state)) == ["progress", "done"]
    assert state.calls == [(7, "2"), (7, "deploy")]


def test_someone_else_gets_the_admin_pages_refusal(session_user):
    session_user.value = MAKER
    state = tab(allowed=False, loaded=False)
    assert asyncio.run(retry(state, "5")) is None  # the page shows its refusal, no toast
    assert (state.allowed, state.loaded, state.calls) == (False, True, [])
    # Demoted while the page showed admin content: the page changes and says why.
    state.allowed = True
    toast = asyncio.run(retry(state, "5"))
    assert guards.ADMINS_ONLY in str(toast.args)
    assert (state.allowed, state.calls) == (False, [])


def test_an_admin_runs_the_handler(session_user):
    session_user.value = ADMIN
    state = tab(allowed=False, loaded=False)
    asyncio.run(retry(state, "5"))
    assert (state.allowed, state.loaded, state.calls) == (True, True, [(1, "5")])


def test_a_banned_admin_is_refused(session_user):
    session_user.value = User(id=2, email="gone@example.com", role=Role.ADMIN, banned=True)
    state = tab(allowed=True, loaded=True)
    asyncio.run(retry(state, "5"))
    assert (state.allowed, state.calls) == (False, [])


def test_only_async_handlers_can_be_guarded():
    def rename(self, user: User, name: str): ...

    with pytest.raises(TypeError, match="async"):
        signed_in(rename)
