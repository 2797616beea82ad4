"""/admin/audit: the audit log, filtered by action and paged (admins only)."""

from __future__ import annotations

import reflex as rx

from saasapp.accounts.models import User
from saasapp.core import audit
from saasapp.ui.auth import db_call
from saasapp.ui.guards import AdminPage, admin_only, admin_view
from saasapp.ui.layout import page_shell

PAGE_SIZE = 20


class AdminAuditState(AdminPage, rx.State):
    action: str = ""
    rows: list[dict[str, str]] = []
    before_ids: list[int] = []
    has_next: bool = False

    async def _fetch(self, before_id: int | None) -> None:
        entries = await db_call(
            audit.list_entries, action=self.action, before_id=before_id, limit=PAGE_SIZE + 1
        )
        self.has_next = len(entries) > PAGE_SIZE
        self.rows = [
            {
                "id": str(e.id),
                "when": e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                "action": e.action,
                "user": str(e.user_id or ""),
                "actor": str(e.actor_id or ""),
                "ip": e.ip,
                "detail": ", ".join(f"{k}={v}" for k, v in e.detail.items()),
            }
            for e in entries[:PAGE_SIZE]
        ]

    @rx.event
    @admin_only
    async def load(self, _admin: User):
        self.action, self.before_ids = "", []
        await self._fetch(None)

    @rx.event
    @admin_only
    async def filter_action(self, _admin: User, action: str):
        self.action = "" if action == "all" else action
        self.before_ids = []
        await self._fetch(None)

    @rx.event
    @admin_only
    async def older(self, _admin: User):
        if self.has_next and self.rows:
            self.before_ids.append(int(self.rows[-1]["id"]))
            await self._fetch(self.before_ids[-1])

    @rx.event
    @admin_only
    async def newer(self, _admin: User):
        if self.before_ids:
            self.before_ids.pop()
            await self._fetch(self.before_ids[-1] if self.before_ids else None)


def _audit_row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["when"]),
        rx.table.cell(rx.badge(row["action"])),
        rx.table.cell(row["user"]),
        rx.table.cell(row["actor"]),
        rx.table.cell(row["ip"]),
        rx.table.cell(rx.text(row["detail"], size="1")),
    )


def admin_audit_page() -> rx.Component:
    actions = ["all", *[a.value for a in audit.AuditAction]]
    return page_shell(
        rx.heading("Audit log", size="7", id="page-title"),
        admin_view(
            AdminAuditState,
            rx.vstack(
                rx.select(actions, default_value="all", on_change=AdminAuditState.filter_action,
                          id="audit-filter"),
                rx.cond(
                    AdminAuditState.rows.length() > 0,
                    rx.table.root(
                        rx.table.header(rx.table.row(
                            *[rx.table.column_header_cell(h) for h in
                              ["When (UTC)", "Action", "User", "By", "IP", "Detail"]]
                        )),
                        rx.table.body(rx.foreach(AdminAuditState.rows, _audit_row)),
                        id="audit-table",
                        width="100%",
                    ),
                    rx.text("Nothing recorded yet for this filter.", color_scheme="gray"),
                ),
                rx.hstack(
                    rx.button("Newer", variant="soft", on_click=AdminAuditState.newer,
                              disabled=AdminAuditState.before_ids.length() == 0),
                    rx.button("Older", variant="soft", on_click=AdminAuditState.older,
                              disabled=~AdminAuditState.has_next),
                ),
                spacing="4",
                width="100%",
            ),
        ),
    )  # fmt: skip
