"""/admin/events: platform event deliveries that ran out of retries, with a retry button."""

from __future__ import annotations

import reflex as rx

from saasapp.accounts.models import User
from saasapp.core import events
from saasapp.ui.auth import db_call
from saasapp.ui.guards import AdminPage, admin_only, admin_view
from saasapp.ui.layout import page_shell


class DeadEventsState(AdminPage, rx.State):
    rows: list[dict[str, str]] = []

    async def _fetch(self) -> None:
        self.rows = [
            {
                "id": str(d.id),
                "event": f"#{ev.id} {ev.type}",
                "aggregate": ev.aggregate,
                "subscriber": d.subscriber,
                "attempts": str(d.attempts),
                "error": d.last_error,
                "when": ev.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            }
            for d, ev in await db_call(events.dead_deliveries)
        ]

    @rx.event
    @admin_only
    async def load(self, _admin: User):
        await self._fetch()

    @rx.event
    @admin_only
    async def retry(self, _admin: User, delivery_id: str):
        retried = await db_call(events.retry_dead, [int(delivery_id)])
        await self._fetch()
        if retried:
            return rx.toast.success("Queued again: the dispatcher delivers it within seconds.")
        return rx.toast.info("Already retried.")


def _row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["when"]),
        rx.table.cell(rx.code(row["event"])),
        rx.table.cell(row["aggregate"]),
        rx.table.cell(row["subscriber"]),
        rx.table.cell(row["attempts"]),
        rx.table.cell(rx.text(row["error"], size="1", color_scheme="red")),
        rx.table.cell(
            rx.button("Retry", size="1", on_click=DeadEventsState.retry(row["id"]),
                      id="retry-" + row["id"])
        ),
    )  # fmt: skip


def admin_events_page() -> rx.Component:
    headers = ["Emitted (UTC)", "Event", "About", "Subscriber", "Attempts", "Last error", ""]
    return page_shell(
        rx.heading("Failed event deliveries", size="7", id="page-title"),
        rx.text(
            "Deliveries that failed every retry. Fix the cause, then retry: each subscriber "
            "still runs at most once per event.",
            color_scheme="gray",
        ),
        admin_view(
            DeadEventsState,
            rx.cond(
                DeadEventsState.rows.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(*[rx.table.column_header_cell(h) for h in headers])
                    ),
                    rx.table.body(rx.foreach(DeadEventsState.rows, _row)),
                    id="dead-events-table",
                    width="100%",
                ),
                rx.callout("Nothing failed: every event reached its subscribers.",
                           color_scheme="green", id="dead-events-empty"),
            ),
        ),
    )  # fmt: skip
