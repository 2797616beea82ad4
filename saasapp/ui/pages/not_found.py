"""The page shown for an unknown path."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.ui.layout import page_shell


def not_found_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.heading("Page not found", size="8", id="not-found-title"),
            rx.text(
                "There is nothing at this address. Check the link, or start again from the "
                "home page.",
                color_scheme="gray",
            ),
            rx.link(rx.button("Back to home", id="not-found-home"), href=routes.HOME),
            spacing="4",
            align="start",
        )
    )
