"""Rate limits for Reflex event handlers (the same Redis counters as the API's)."""

from __future__ import annotations

import asyncio

import reflex as rx

from saasapp.core import rate_limit as limits


def handler_client_key(state: rx.State) -> str:
    """The client IP Reflex saw for this tab's websocket."""
    return state.router.session.client_ip or state.router.session.client_token


async def limit_handler(state: rx.State, rule: str, scope: str, key: str = "") -> str | None:
    """Count one call; returns a message for the user when over the limit, else None.

    Usage in a handler: ``if msg := await limit_handler(self, "5/minute", "login"):``
    ``return rx.toast.error(msg)``.
    """
    result = await asyncio.to_thread(limits.hit, rule, scope, key or handler_client_key(state))
    return None if result.allowed else limits.refusal_message(result)
