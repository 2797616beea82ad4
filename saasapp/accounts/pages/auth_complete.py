"""/auth/complete: where an OAuth sign-in lands; AuthState.adopt_token (on load) keeps its
session and goes on."""

from __future__ import annotations

import reflex as rx

from saasapp.ui.layout import page_shell


def auth_complete_page() -> rx.Component:
    return page_shell(rx.center(rx.hstack(rx.spinner(), rx.text("Signing you in…")), padding="8"))
