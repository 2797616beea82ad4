"""/tools/[tool_id]: live build, sandboxed preview, code, versions, refine, publish, export."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.tools.pages.tool.state import ToolState
from saasapp.ui.forms import form_message
from saasapp.ui.layout import page_shell


def _header() -> rx.Component:
    tool = ToolState.tool
    return rx.vstack(
        rx.hstack(
            rx.heading(tool["name"], size="7", id="tool-name"),
            rx.badge(tool["status"], id="tool-status", size="2",
                     color_scheme=rx.cond(tool["status"] == "published", "green", "gray")),
            rx.cond(tool["current"] != "",
                    rx.badge("v" + tool["current"], variant="soft", id="tool-version")),
            rx.spacer(),
            rx.badge(tool["generator"], variant="outline", id="tool-generator"),
            width="100%",
            align="center",
        ),
        rx.text(tool["tagline"], color_scheme="gray"),
        rx.cond(
            tool["public_path"] != "",
            rx.text("Live at ", rx.link(tool["public_path"], href=tool["public_path"],
                                        is_external=True, id="public-link"), size="2"),
        ),
        width="100%",
        spacing="1",
    )  # fmt: skip


def _build_panel() -> rx.Component:
    return rx.cond(
        ToolState.building,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.spinner(),
                    rx.text(rx.cond(ToolState.gen_kind == "refine", "Refining", "Building"),
                            " · ", ToolState.gen_status, weight="medium", id="build-status"),
                    rx.text(ToolState.elapsed, size="2", color_scheme="gray", id="build-elapsed"),
                    rx.spacer(),
                    rx.button("Cancel", size="1", color_scheme="red", variant="soft",
                              on_click=ToolState.cancel, id="build-cancel"),
                    width="100%",
                    align="center",
                ),
                rx.text(ToolState.gen_detail, size="1", color_scheme="gray"),
                rx.code_block(ToolState.gen_text, language="markup", id="build-stream",
                              width="100%", max_height="320px", overflow="auto",
                              wrap_long_lines=True),
                width="100%",
            ),
            width="100%",
        ),
        rx.cond(
            ToolState.gen_status == "failed",
            rx.callout(rx.text("The last build failed: ", ToolState.gen_error,
                               ". The previous version is kept."),
                       color_scheme="red", id="build-failed", width="100%"),
            rx.cond(ToolState.gen_status == "cancelled",
                    rx.callout("The last build was cancelled; the previous version is kept.",
                               color_scheme="amber", id="build-cancelled", width="100%")),
        ),
    )  # fmt: skip


def _preview() -> rx.Component:
    return rx.cond(
        ToolState.preview_src != "",
        rx.el.iframe(
            src=ToolState.preview_src,
            sandbox="allow-scripts",  # no allow-same-origin: the tool cannot reach the app
            id="tool-preview",
            title="Tool preview",
            style={"width": "100%", "height": "640px", "border": "1px solid var(--gray-6)",
                   "borderRadius": "8px", "background": "white"},
        ),
        rx.text("The preview appears when the first build finishes.", color_scheme="gray"),
    )  # fmt: skip


def _code() -> rx.Component:
    return rx.cond(
        ToolState.code != "",
        rx.code_block(ToolState.code, language="markup", show_line_numbers=True, id="tool-code",
                      width="100%", max_height="640px", overflow="auto"),
        rx.text("No code yet.", color_scheme="gray"),
    )  # fmt: skip


def _version_row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text.strong("v" + row["number"])),
        rx.table.cell(rx.badge(row["source"], variant="soft")),
        rx.table.cell(rx.text(row["note"], size="2")),
        rx.table.cell(row["size"]),
        rx.table.cell(row["when"]),
        rx.table.cell(
            rx.cond(
                row["number"] == ToolState.tool["current"],
                rx.badge("current", color_scheme="green"),
                rx.button("Revert", size="1", variant="soft",
                          on_click=ToolState.revert(row["number"]), id="revert-" + row["number"]),
            )
        ),
    )  # fmt: skip


def _versions() -> rx.Component:
    numbers = ToolState.version_numbers
    return rx.vstack(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                            ["Version", "From", "Note", "Size", "When (UTC)", ""]])),
            rx.table.body(rx.foreach(ToolState.versions, _version_row)),
            id="versions-table",
            width="100%",
        ),
        rx.form(
            rx.hstack(
                rx.text("Compare", size="2"),
                rx.select(numbers, name="from", placeholder="from", id="diff-from", size="1"),
                rx.text("with", size="2"),
                rx.select(numbers, name="to", placeholder="to", id="diff-to", size="1"),
                rx.button("Show changes", size="1", type="submit", id="diff-submit"),
                align="center",
            ),
            on_submit=ToolState.show_diff,
        ),
        rx.cond(ToolState.diff_text != "",
                rx.code_block(ToolState.diff_text, language="diff", id="diff-view", width="100%",
                              max_height="480px", overflow="auto")),
        width="100%",
        spacing="3",
    )  # fmt: skip


def _refine() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("Refine", weight="medium"),
            rx.text("Describe a change, e.g. “make the button blue”, “rename the title to "
                    "Budget buddy”, “use a dark theme”. Each refinement is a new version.",
                    size="2", color_scheme="gray"),
            form_message(ToolState.refine_error, id="refine-error"),
            rx.form(
                rx.hstack(
                    rx.input(name="instruction", placeholder="What should change?",
                             id="refine-input", width="100%", size="3"),
                    rx.button("Refine", type="submit", size="3", id="refine-submit",
                              disabled=ToolState.building),
                    width="100%",
                ),
                on_submit=ToolState.refine,
                reset_on_submit=True,
                width="100%",
            ),
            width="100%",
        ),
        width="100%",
    )  # fmt: skip


def _ship() -> rx.Component:
    tool = ToolState.tool
    return rx.vstack(
        rx.card(
            rx.vstack(
                rx.text("Publish", weight="medium"),
                rx.text("Checks run first: the page must parse, stay under the size limit, load "
                        "no outside scripts or styles and post no form off the platform.",
                        size="2", color_scheme="gray"),
                form_message(ToolState.publish_error, id="publish-error"),
                rx.cond(ToolState.publish_problems.length() > 0,
                        rx.unordered_list(rx.foreach(ToolState.publish_problems, rx.list_item),
                                          id="publish-problems")),
                rx.cond(
                    tool["status"] == "published",
                    rx.hstack(
                        rx.link(rx.button("Open public page", variant="soft"),
                                href=tool["public_path"], is_external=True),
                        rx.button("Unpublish", color_scheme="red", variant="soft",
                                  on_click=ToolState.unpublish, id="unpublish"),
                    ),
                    rx.button("Publish", on_click=ToolState.publish, id="publish",
                              disabled=tool["current"] == ""),
                ),
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.text("Export", weight="medium"),
                rx.text("A zip with index.html, manifest.json, vercel.json, README.md and "
                        ".replit: deploys as is on Vercel and imports into Replit.",
                        size="2", color_scheme="gray"),
                rx.button(rx.icon("download", size=14), "Download zip", variant="soft",
                          on_click=ToolState.export, id="export-zip",
                          disabled=tool["current"] == ""),
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.text("Deploy to Vercel", weight="medium"),
                form_message(ToolState.deploy_error, id="deploy-error"),
                rx.form(
                    rx.hstack(
                        rx.input(name="token", type="password", id="vercel-token",
                                 placeholder=rx.cond(ToolState.vercel_connected,
                                                     "Token saved — paste a new one to replace it",
                                                     "Your Vercel token")),
                        rx.button("Save token", type="submit", variant="soft"),
                    ),
                    on_submit=ToolState.save_vercel_token,
                    reset_on_submit=True,
                ),
                rx.button("Deploy", on_click=ToolState.deploy, loading=ToolState.busy,
                          disabled=~ToolState.vercel_connected, id="deploy"),
                rx.cond(tool["vercel_url"] != "",
                        rx.text("Deployment: ", rx.link(tool["vercel_url"],
                                href="https://" + tool["vercel_url"], is_external=True),
                                " · ", rx.badge(tool["vercel_status"]), size="2", id="deployment")),
            ),
            width="100%",
        ),
        width="100%",
        spacing="3",
    )  # fmt: skip


def tool_page() -> rx.Component:
    return page_shell(
        rx.cond(
            ToolState.loaded,
            rx.cond(
                ToolState.missing,
                rx.callout(rx.text("No such tool. ", rx.link("See your tools", href=routes.TOOLS),
                                   "."), color_scheme="red", id="tool-missing"),
                rx.vstack(
                    _header(),
                    _build_panel(),
                    rx.tabs.root(
                        rx.tabs.list(
                            rx.tabs.trigger("Preview", value="preview", id="tab-preview"),
                            rx.tabs.trigger("Code", value="code", id="tab-code"),
                            rx.tabs.trigger("Versions", value="versions", id="tab-versions"),
                            rx.tabs.trigger("Publish & export", value="ship", id="tab-ship"),
                        ),
                        rx.tabs.content(_preview(), value="preview", padding_top="3"),
                        rx.tabs.content(_code(), value="code", padding_top="3"),
                        rx.tabs.content(_versions(), value="versions", padding_top="3"),
                        rx.tabs.content(_ship(), value="ship", padding_top="3"),
                        value=ToolState.tab,
                        on_change=ToolState.set_tab,
                        width="100%",
                    ),
                    _refine(),
                    width="100%",
                    spacing="4",
                ),
            ),
            rx.center(rx.spinner(size="3"), padding="8"),
        )
    )  # fmt: skip
