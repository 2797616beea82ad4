"""The shell every page sits in: top bar, side navigation, content, toasts."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from saasapp import routes
from saasapp.ui.auth import AuthState

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
SIGNED_IN_ITEMS: list[NavItem] = [
    NavItem("Generate", routes.GENERATOR, "wand-sparkles", "nav-generator"),
    NavItem("My tools", routes.TOOLS, "boxes", "nav-tools"),
    NavItem("Account", routes.ACCOUNT, "user-round", "nav-account"),
]
ADMIN_ITEMS: list[NavItem] = [
    NavItem("Users", routes.ADMIN_USERS, "users", "nav-admin-users"),
    NavItem("Audit log", routes.ADMIN_AUDIT, "scroll-text", "nav-admin-audit"),
    NavItem("Mailbox", routes.ADMIN_MAILBOX, "mail", "nav-admin-mailbox"),
    NavItem("Failed events", routes.ADMIN_EVENTS, "triangle-alert", "nav-admin-events"),
]


def _nav_link(item: NavItem) -> rx.Component:
    active = rx.State.router.url.path == item.path
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
        rx.cond(
            AuthState.signed_in,
            rx.hstack(
                rx.link(AuthState.greeting_name, href=routes.ACCOUNT, id="top-user", size="2"),
                rx.button(
                    "Sign out", size="1", variant="soft", on_click=AuthState.logout, id="top-logout"
                ),
                align="center",
            ),
            rx.hstack(
                rx.link("Sign in", href=routes.LOGIN, id="top-login", size="2"),
                rx.link(
                    rx.button("Create account", size="1"), href=routes.REGISTER, id="top-register"
                ),
                align="center",
            ),
        ),
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
        rx.cond(
            AuthState.signed_in,
            rx.vstack(*[_nav_link(i) for i in SIGNED_IN_ITEMS], spacing="1", width="100%"),
        ),
        rx.cond(
            AuthState.is_admin,
            rx.vstack(
                rx.text("Admin", size="1", color_scheme="gray", padding_x="3", padding_top="3"),
                *[_nav_link(item) for item in ADMIN_ITEMS],
                spacing="1",
                width="100%",
            ),
        ),
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
