"""The signed-in user of a browser tab.

The browser keeps an opaque session token (local storage); the server keeps the session record.
Every protected handler loads the user from that token on the server (``current_user``): the
values below are for display only and never grant anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import reflex as rx

from saasapp import routes
from saasapp.accounts import oauth, sessions
from saasapp.accounts.models import Role, User
from saasapp.db import new_session

T = TypeVar("T")


async def db_call(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run ``fn(session, *args, **kwargs)`` in a worker thread (database work and bcrypt must
    not block the event loop)."""

    def run() -> T:
        with new_session() as session:
            return fn(session, *args, **kwargs)

    return await asyncio.to_thread(run)


def safe_next(path: str) -> str:
    """Only local paths (never a redirect to another site); the account page by default."""
    return oauth.safe_next(path) if path else routes.ACCOUNT


def login_url(next_path: str) -> str:
    return f"{routes.LOGIN}?next={quote(next_path, safe='/')}"


class AuthState(rx.State):
    session_token: str = rx.LocalStorage("", name="saasapp_session", sync=True)
    user_id: int = 0
    email: str = ""
    display_name: str = ""
    role: str = ""

    @rx.var
    def signed_in(self) -> bool:
        return self.user_id > 0

    @rx.var
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @rx.var
    def greeting_name(self) -> str:
        return self.display_name or self.email

    def _show(self, user: User | None) -> None:
        self.user_id = user.id if user else 0
        self.email = user.email if user else ""
        self.display_name = user.display_name if user else ""
        self.role = user.role if user else ""

    async def user(self) -> User | None:
        """The user of this tab's session, loaded from the database now."""
        user = await db_call(sessions.user_for_browser_session, self.session_token)
        self._show(user)
        return user

    @rx.event
    async def refresh(self):
        """Bring the top bar up to date (run on every page load)."""
        if self.session_token and await self.user() is None:
            self.session_token = ""

    async def begin_session(self, user: User) -> None:
        headers = self.router.headers
        self.session_token = await db_call(
            sessions.start_browser_session,
            user,
            user_agent=headers.user_agent,
            ip=self.router.session.client_ip,
        )
        self._show(user)

    @rx.event
    async def adopt_token(self):
        """/auth/complete: keep the session token an OAuth sign-in produced, then go on."""
        params = self.router.url.query_parameters
        self.session_token = params.get("token", "")
        if await self.user() is None:
            self.session_token = ""
            return rx.redirect(f"{routes.LOGIN}?error=session")
        # replace: the token in this page's URL does not stay in the history.
        return rx.redirect(safe_next(params.get("next", "")), replace=True)

    @rx.event
    async def logout(self):
        if self.session_token:
            await db_call(sessions.end_browser_session, self.session_token)
        self.session_token = ""
        self._show(None)
        return rx.redirect(routes.LOGIN)


async def current_user(state: rx.State) -> User | None:
    """The signed-in user of the tab, loaded from the session on the server now (None when
    signed out, banned or the session ended). Roles are checked by ``ui.guards``."""
    auth = await state.get_state(AuthState)
    return await auth.user()


def to_login(state: rx.State):
    return rx.redirect(login_url(state.router.url.path or routes.ACCOUNT))
