"""/tools: the signed-in maker's tools."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.accounts.models import User
from saasapp.tools import generations, tools
from saasapp.ui.auth import db_call
from saasapp.ui.guards import signed_in
from saasapp.ui.layout import page_shell


class MyToolsState(rx.State):
    loaded: bool = False
    rows: list[dict[str, str]] = []
    quota: str = ""

    @rx.event
    @signed_in
    async def load(self, user: User):
        self.loaded = False

        def gather(session):
            return (
                [tools.tool_info(session, t) for t in tools.list_tools(session, user)],
                generations.quota_status(session, user),
            )

        infos, (used, limit, _) = await db_call(gather)
        self.rows = [
            {
                "id": str(i["id"]),
                "name": i["name"],
                "tagline": i["tagline"] or "",
                "status": i["status"],
                "version": f"v{i['current_version']}" if i["current_version"] else "building…",
                "generator": "offline generator" if i["offline"] else i["generator"],
                "public": i["public_path"] or "",
                "href": routes.tool_path(i["id"]),
            }
            for i in infos
        ]
        self.quota = f"{used} of {limit} builds used today"
        self.loaded = True


def _card(row: dict) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(row["name"], size="4"),
                    rx.spacer(),
                    rx.badge(
                        row["status"],
                        color_scheme=rx.cond(row["status"] == "published", "green", "gray"),
                    ),
                    width="100%",
                ),
                rx.text(row["tagline"], size="2", color_scheme="gray"),
                rx.hstack(
                    rx.badge(row["version"], variant="soft"),
                    rx.text(row["generator"], size="1", color_scheme="gray"),
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        href=row["href"],
        underline="none",
        color="inherit",
        id="tool-" + row["id"],
    )


def my_tools_page() -> rx.Component:
    return page_shell(
        rx.hstack(
            rx.heading("My tools", size="7", id="page-title"),
            rx.spacer(),
            rx.text(MyToolsState.quota, size="2", color_scheme="gray"),
            rx.link(rx.button(rx.icon("plus", size=16), "New tool"), href=routes.GENERATOR,
                    id="new-tool"),
            width="100%",
            align="center",
        ),
        rx.cond(
            MyToolsState.loaded,
            rx.cond(
                MyToolsState.rows.length() > 0,
                rx.grid(rx.foreach(MyToolsState.rows, _card), columns=rx.breakpoints(
                    initial="1", md="2", lg="3"), spacing="4", width="100%", margin_top="4",
                    id="tools-grid"),
                rx.center(
                    rx.vstack(
                        rx.icon("wand-sparkles", size=40, color=rx.color("indigo", 9)),
                        rx.heading("No tools yet", size="5"),
                        rx.text("Describe an idea and the generator builds a working tool you "
                                "can preview, refine and publish.", color_scheme="gray"),
                        rx.link(rx.button("Generate your first tool", size="3"),
                                href=routes.GENERATOR, id="empty-generate"),
                        align="center",
                        spacing="3",
                    ),
                    padding="8",
                    id="tools-empty",
                ),
            ),
            rx.center(rx.spinner(size="3"), padding="8"),
        ),
    )  # fmt: skip
