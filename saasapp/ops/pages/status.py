"""/status: whether the database, Redis and the workers are up, as the health API sees them."""

from __future__ import annotations

import asyncio

import reflex as rx

from saasapp import routes
from saasapp.core.health import ComponentState, platform_health
from saasapp.ui.layout import page_shell
from saasapp.ui.rate_limit import limit_handler


class StatusState(rx.State):
    components: list[dict[str, str]] = []
    loading: bool = False
    error: str = ""

    @rx.event
    async def load(self):
        # Each check touches the database and Redis: refreshing is capped per client.
        if message := await limit_handler(self, "30/minute", "status-check"):
            self.error = message
            return
        self.loading = True
        self.error = ""
        yield
        try:
            states = await asyncio.to_thread(platform_health)
        except Exception:
            self.error = "Could not check the platform. Try again in a moment."
            states = {}
        self.components = [
            {"name": name, "ok": "yes" if s.ok else "no", "detail": _describe(s)}
            for name, s in states.items()
        ]
        self.loading = False


def _describe(state: ComponentState) -> str:
    if state.detail:
        return state.detail
    if "workers" in state.extra:
        return (
            f"{state.extra['workers']} running, "
            f"last heartbeat {state.extra['last_beat_age_s']}s ago"
        )
    return f"answered in {state.latency_ms} ms"


def _component_row(component: dict) -> rx.Component:
    ok = component["ok"] == "yes"
    return rx.table.row(
        rx.table.cell(rx.text(component["name"], weight="medium")),
        rx.table.cell(
            rx.badge(
                rx.cond(ok, "up", "down"),
                color_scheme=rx.cond(ok, "green", "red"),
                id="status-" + component["name"],
            )
        ),
        rx.table.cell(rx.text(component["detail"], size="2", color_scheme="gray")),
    )


def status_page() -> rx.Component:
    return page_shell(
        rx.hstack(
            rx.heading("Platform status", size="7"),
            rx.spacer(),
            rx.button(
                rx.icon("refresh-cw", size=14),
                "Check again",
                on_click=StatusState.load,
                loading=StatusState.loading,
                id="status-refresh",
                variant="soft",
            ),
            width="100%",
            align="center",
        ),
        rx.text(
            "The same checks as ",
            rx.code("GET /api/v1/health"),
            ": the database, Redis, and the background workers' heartbeats.",
            color_scheme="gray",
            margin_y="3",
        ),
        rx.cond(StatusState.error != "", rx.callout(StatusState.error, color_scheme="red")),
        rx.cond(
            StatusState.components.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Component"),
                        rx.table.column_header_cell("State"),
                        rx.table.column_header_cell("Detail"),
                    )
                ),
                rx.table.body(rx.foreach(StatusState.components, _component_row)),
                id="status-table",
                width="100%",
            ),
            rx.hstack(rx.spinner(), rx.text("Checking…"), id="status-loading"),
        ),
    )


ROUTE = routes.STATUS
