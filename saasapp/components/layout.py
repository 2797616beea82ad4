"""The shell every page sits in: top bar, side navigation, content, toasts."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from saasapp import routes

ACCENT = "indigo"


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    icon: str
    element_id: str


# Only pages that exist are listed; features add theirs here.
NAV_ITEMS: list[NavItem] = [
    NavItem("Home", routes.HOME, "house", "nav-home"),
    NavItem("Status", routes.STATUS, "activity", "nav-status"),
]


def _nav_link(item: NavItem) -> rx.Component:
    active = rx.State.router.page.path == item.path
    return rx.link(
        rx.hstack(rx.icon(item.icon, size=16), rx.text(item.label, size="2"), spacing="2"),
        href=item.path,
        id=item.element_id,
        underline="none",
        color_scheme=ACCENT,
        weight=rx.cond(active, "bold", "regular"),
        padding_x="3",
        padding_y="2",
        border_radius="6px",
        background=rx.cond(active, rx.color(ACCENT, 3), "transparent"),
        width="100%",
    )


def top_bar() -> rx.Component:
    return rx.hstack(
        rx.link(
            rx.hstack(
                rx.icon("sparkles", color=rx.color(ACCENT, 9)), rx.heading("saasapp", size="5")
            ),
            href=routes.HOME,
            id="brand",
            underline="none",
            color="inherit",
        ),
        rx.spacer(),
        rx.link("API docs", href=routes.API_DOCS, id="top-api-docs", size="2", is_external=True),
        rx.color_mode.button(id="color-mode", size="2", variant="ghost"),
        align="center",
        padding_x="5",
        padding_y="3",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        width="100%",
    )


def side_nav() -> rx.Component:
    return rx.vstack(
        *[_nav_link(item) for item in NAV_ITEMS],
        id="side-nav",
        spacing="1",
        padding="3",
        min_width="200px",
        border_right=f"1px solid {rx.color('gray', 5)}",
        display=["none", "none", "flex"],
        align="stretch",
    )


def page_shell(*children: rx.Component, title: str = "") -> rx.Component:
    return rx.box(
        top_bar(),
        rx.hstack(
            side_nav(),
            rx.box(
                *([rx.heading(title, size="7", margin_bottom="4")] if title else []),
                *children,
                id="content",
                padding="6",
                width="100%",
                max_width="1100px",
            ),
            align="start",
            spacing="0",
            width="100%",
            min_height="calc(100vh - 60px)",
        ),
        rx.toast.provider(),
        width="100%",
    )
