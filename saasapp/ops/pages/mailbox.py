"""/admin/mailbox: every email the platform sent, newest first (admins only)."""

from __future__ import annotations

import reflex as rx

from saasapp.accounts.models import User
from saasapp.core import mail
from saasapp.ui.auth import db_call
from saasapp.ui.guards import AdminPage, admin_only, admin_view
from saasapp.ui.layout import page_shell


class MailboxState(AdminPage, rx.State):
    messages: list[dict[str, str]] = []

    @rx.event
    @admin_only
    async def load(self, _admin: User):
        rows = await db_call(mail.mailbox, limit=50)
        self.messages = [
            {
                "id": str(m.id),
                "to": m.to,
                "subject": m.subject,
                "body": m.body_text,
                "status": m.status,
                "when": m.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            }
            for m in rows
        ]


def _message(row: dict) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.text.strong(row["subject"]), rx.spacer(), rx.badge(row["status"])),
            rx.text("To ", row["to"], " · ", row["when"], size="1", color_scheme="gray"),
            rx.code_block(row["body"], language="markdown", wrap_long_lines=True, width="100%"),
            width="100%",
        ),
        width="100%",
    )


def admin_mailbox_page() -> rx.Component:
    return page_shell(
        rx.heading("Mailbox", size="7", id="page-title"),
        rx.text(
            "Every email the platform sent, newest first. Without SMTP_URL, this is where they "
            "go (and to the log).",
            color_scheme="gray",
        ),
        admin_view(
            MailboxState,
            rx.cond(
                MailboxState.messages.length() > 0,
                rx.vstack(rx.foreach(MailboxState.messages, _message), width="100%",
                          id="mailbox-list"),
                rx.text("No emails yet. They appear here when someone registers or asks "
                        "for a code.", color_scheme="gray", id="mailbox-empty"),
            ),
        ),
    )  # fmt: skip
