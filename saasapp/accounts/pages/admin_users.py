"""/admin/users: search users, change their role, ban and unban (admins only)."""

from __future__ import annotations

import reflex as rx

from saasapp.accounts import user_admin
from saasapp.accounts.models import Role, User
from saasapp.core.errors import ServiceError
from saasapp.ui.auth import db_call
from saasapp.ui.guards import AdminPage, admin_only, admin_view
from saasapp.ui.layout import page_shell

PAGE_SIZE = 20
ROLES = [r.value for r in Role]


class AdminUsersState(AdminPage, rx.State):
    query: str = ""
    rows: list[dict[str, str]] = []
    cursors: list[int] = []  # the after_id of each page seen, for going back
    has_next: bool = False

    async def _fetch(self, admin: User, after_id: int | None) -> None:
        users = await db_call(
            user_admin.search_users, query=self.query, after_id=after_id, limit=PAGE_SIZE + 1
        )
        self.has_next = len(users) > PAGE_SIZE
        self.rows = [
            {
                "id": str(u.id),
                "email": u.email,
                "name": u.display_name,
                "role": u.role,
                "banned": "yes" if u.banned else "",
                "verified": "yes" if u.email_verified_at else "",
                "self": "yes" if u.id == admin.id else "",
            }
            for u in users[:PAGE_SIZE]
        ]

    @rx.event
    @admin_only
    async def load(self, admin: User):
        self.query, self.cursors = "", []
        await self._fetch(admin, None)

    @rx.event
    @admin_only
    async def search(self, admin: User, form: dict):
        self.query = form.get("q", "")[:200]
        self.cursors = []
        await self._fetch(admin, None)

    @rx.event
    @admin_only
    async def next_page(self, admin: User):
        if self.has_next and self.rows:
            self.cursors.append(int(self.rows[-1]["id"]))
            await self._fetch(admin, self.cursors[-1])

    @rx.event
    @admin_only
    async def previous_page(self, admin: User):
        if self.cursors:
            self.cursors.pop()
            await self._fetch(admin, self.cursors[-1] if self.cursors else None)

    async def _update(self, admin: User, user_id: str, **changes):
        try:
            user = await db_call(
                user_admin.update_user, admin, int(user_id), ip=self.router.session.client_ip,
                **changes,
            )  # fmt: skip
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._fetch(admin, self.cursors[-1] if self.cursors else None)
        return rx.toast.success(f"Updated {user.email}.")

    @rx.event
    @admin_only
    async def set_role(self, admin: User, user_id: str, role: str):
        return await self._update(admin, user_id, role=role)

    @rx.event
    @admin_only
    async def toggle_ban(self, admin: User, user_id: str, banned: str):
        return await self._update(admin, user_id, banned=banned != "yes")


def _user_row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.text(row["email"]),
            rx.cond(row["verified"] == "",
                    rx.badge("unverified", color_scheme="gray", margin_left="2")),
        ),
        rx.table.cell(row["name"]),
        rx.table.cell(
            rx.select(
                ROLES,
                value=row["role"],
                on_change=lambda role: AdminUsersState.set_role(row["id"], role),
                disabled=row["self"] == "yes",
                id="role-" + row["email"],
                size="1",
            )
        ),
        rx.table.cell(
            rx.button(
                rx.cond(row["banned"] == "yes", "Unban", "Ban"),
                size="1",
                variant="soft",
                color_scheme=rx.cond(row["banned"] == "yes", "gray", "red"),
                disabled=row["self"] == "yes",
                on_click=AdminUsersState.toggle_ban(row["id"], row["banned"]),
                id="ban-" + row["email"],
            )
        ),
    )  # fmt: skip


def admin_users_page() -> rx.Component:
    return page_shell(
        rx.heading("Users", size="7", id="page-title"),
        admin_view(
            AdminUsersState,
            rx.vstack(
                rx.form(
                    rx.hstack(
                        rx.input(name="q", placeholder="Search email or name",
                                 id="users-search", width="320px"),
                        rx.button("Search", type="submit", id="users-search-submit"),
                    ),
                    on_submit=AdminUsersState.search,
                    reset_on_submit=False,
                ),
                rx.cond(
                    AdminUsersState.rows.length() > 0,
                    rx.table.root(
                        rx.table.header(rx.table.row(
                            rx.table.column_header_cell("Email"),
                            rx.table.column_header_cell("Name"),
                            rx.table.column_header_cell("Role"),
                            rx.table.column_header_cell("Access"),
                        )),
                        rx.table.body(rx.foreach(AdminUsersState.rows, _user_row)),
                        id="users-table",
                        width="100%",
                    ),
                    rx.text("No users match this search.", color_scheme="gray",
                            id="users-empty"),
                ),
                rx.hstack(
                    rx.button("Previous", variant="soft",
                              disabled=AdminUsersState.cursors.length() == 0,
                              on_click=AdminUsersState.previous_page, id="users-prev"),
                    rx.button("Next", variant="soft", disabled=~AdminUsersState.has_next,
                              on_click=AdminUsersState.next_page, id="users-next"),
                ),
                spacing="4",
                width="100%",
            ),
        ),
    )  # fmt: skip
