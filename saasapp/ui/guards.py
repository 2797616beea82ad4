"""Page guards: who may run a Reflex event handler, and what the others see.

Protecting a page is not protecting data: a guarded handler loads the user from the tab's
session on the server every time it runs, and receives it right after ``self``::

    @rx.event
    @signed_in
    async def revert(self, user: User, number: str): ...

Signed out, the handler does not run and the tab goes to the sign-in page (``?next=`` brings it
back). ``admin_only`` does the same for administrators, on an ``AdminPage`` state: anyone else
gets the page's refusal (``admin_view`` shows the ``forbidden`` callout instead of the content).

Reflex reads a handler's event arguments (``number: str``, a form's ``form: dict``) from its
signature and type hints, so the guarded handler shows those of the handler without the user.
Coroutines and async generators (handlers that ``yield`` progress) are guarded alike. Not for
background tasks: they load the user inside ``async with self``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import reflex as rx

from saasapp.accounts import permissions
from saasapp.accounts.models import Role, User
from saasapp.ui.auth import current_user, to_login

ADMINS_ONLY = "Only administrators can do this."

# (the admitted user, None) or (None, what the tab gets instead: an event, or None)
Admission = tuple[User | None, Any]
Admit = Callable[[rx.State], Awaitable[Admission]]


def _guard(admit: Admit, handler: Callable) -> Callable:
    """``handler(state, user, *args)`` as a handler ``(state, *args)`` run for admitted users."""
    if inspect.isasyncgenfunction(handler):

        async def guarded_stream(state: rx.State, *args: Any, **kwargs: Any):
            user, refusal = await admit(state)
            if user is None:
                if refusal is not None:
                    yield refusal
                return
            async for update in handler(state, user, *args, **kwargs):
                yield update

        guarded = guarded_stream
    elif inspect.iscoroutinefunction(handler):

        async def guarded_call(state: rx.State, *args: Any, **kwargs: Any):
            user, refusal = await admit(state)
            if user is None:
                return refusal
            return await handler(state, user, *args, **kwargs)

        guarded = guarded_call
    else:
        msg = f"{handler.__qualname__}: a guarded handler is async (it loads the user)"
        raise TypeError(msg)

    # __wrapped__ (set here) stays: type hints resolve in the handler's module.
    functools.update_wrapper(guarded, handler)
    signature = inspect.signature(handler)
    state_param, user_param, *event_params = signature.parameters.values()
    guarded.__signature__ = signature.replace(parameters=[state_param, *event_params])
    guarded.__annotations__ = {
        name: hint for name, hint in handler.__annotations__.items() if name != user_param.name
    }
    return guarded


async def _admit_signed_in(state: rx.State) -> Admission:
    user = await current_user(state)
    return (user, None) if user is not None else (None, to_login(state))


def signed_in(handler: Callable) -> Callable:
    """Run the handler for the signed-in user (passed after ``self``); else go to sign in."""
    return _guard(_admit_signed_in, handler)


class AdminPage(rx.State, mixin=True):
    """The state of a page for administrators.

    ``allowed``: the last guarded event found the user an administrator (set by ``admin_only``);
    ``loaded``: the server has answered this tab, with the content or the refusal.
    """

    allowed: bool = False
    loaded: bool = False


async def _admit_admin(state: AdminPage) -> Admission:
    user = await current_user(state)
    if user is None:
        return None, to_login(state)
    if not permissions.has_role(user, Role.ADMIN):
        # The page shows the refusal; one that was showing admin content also says why.
        was_allowed = state.allowed
        state.allowed, state.loaded = False, True
        return None, rx.toast.error(ADMINS_ONLY) if was_allowed else None
    state.allowed = state.loaded = True
    return user, None


def admin_only(handler: Callable) -> Callable:
    """Run the handler of an ``AdminPage`` state for an administrator (passed after ``self``);
    signed out, go to sign in; anyone else gets the page's refusal."""
    return _guard(_admit_admin, handler)


def forbidden() -> rx.Component:
    return rx.callout(
        "This page is for administrators. Ask an admin if you need access.",
        color_scheme="red",
        icon="shield-alert",
        id="forbidden",
    )


def admin_view(state: type[AdminPage], content: rx.Component) -> rx.Component:
    """The content once the server has let the user in; the refusal, or a spinner until then."""
    return rx.cond(
        state.loaded,
        rx.cond(state.allowed, content, forbidden()),
        rx.center(rx.spinner(size="3"), padding="8"),
    )
