"""The state of /tools/[tool_id]: the tool, its live build, versions, publishing."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

import reflex as rx
from reflex.config import get_config

from saasapp.accounts.models import User
from saasapp.core.errors import ServiceError
from saasapp.tools import deploy, export, generations, publishing, tools
from saasapp.ui.auth import current_user, db_call
from saasapp.ui.guards import signed_in

POLL_SECONDS = 0.4
# The streamed code shown while building: the tail is what moves.
STREAM_TAIL = 6000


def _backend_base() -> str:
    """ "" when the API is served from the page's own origin (production: one port)."""
    config = get_config()
    api, site = urlsplit(config.api_url), urlsplit(config.deploy_url or "")
    return "" if (api.hostname, api.port) == (site.hostname, site.port) else config.api_url


class ToolState(rx.State):
    loaded: bool = False
    missing: bool = False
    tab: str = "preview"
    tool: dict[str, str] = {}
    versions: list[dict[str, str]] = []
    code: str = ""
    preview_src: str = ""
    # The build or refinement in progress (or the last one).
    gen_id: int = 0
    gen_kind: str = ""
    gen_status: str = ""
    gen_text: str = ""
    gen_error: str = ""
    gen_detail: str = ""
    gen_started: float = 0.0
    elapsed: str = ""
    watching: bool = False
    refine_error: str = ""
    publish_error: str = ""
    publish_problems: list[str] = []
    diff_text: str = ""
    vercel_connected: bool = False
    deploy_error: str = ""
    busy: bool = False

    @rx.var
    def version_numbers(self) -> list[str]:
        return [v["number"] for v in self.versions]

    @rx.var
    def building(self) -> bool:
        return self.gen_status in ("queued", "running")

    def _tool_id(self) -> int:
        """The [tool_id] of /tools/[tool_id]."""
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        return int(raw) if raw.isdigit() else 0

    async def _refresh(self, user) -> None:
        tool_id = self._tool_id()

        def gather(session):
            tool = tools.get_tool(session, user, tool_id)
            info = tools.tool_info(session, tool)
            current = tools.current_version(session, tool)
            versions = tools.list_versions(session, user, tool_id=tool_id)
            preview = (
                publishing.preview_url(
                    session, user, tool_id=tool_id, version_number=current.number
                )
                if current
                else ""
            )
            active = generations.active_generation(session, user, tool_id=tool_id)
            last = active or next(iter(generations.list_generations(
                session, user, tool_id=tool_id, limit=1)), None)  # fmt: skip
            return (
                info,
                current.html if current else "",
                [tools.version_info(v) for v in versions],
                preview,
                tools.generation_info(last) if last else None,
                deploy.has_vercel_token(session, user),
            )

        info, html, versions, preview, generation, connected = await db_call(gather)
        self.tool = {
            "id": str(info["id"]),
            "name": info["name"],
            "tagline": info["tagline"] or "",
            "status": info["status"],
            "slug": info["slug"],
            "generator": "offline generator" if info["offline"] else info["generator"],
            "current": str(info["current_version"] or ""),
            "published": str(info["published_version"] or ""),
            "public_path": info["public_path"] or "",
            "vercel_url": (info["vercel"] or {}).get("url", ""),
            "vercel_status": (info["vercel"] or {}).get("status", ""),
        }
        self.code = html
        self.preview_src = _backend_base() + preview if preview else ""
        self.versions = [
            {
                "number": str(v["number"]),
                "source": v["source"],
                "note": v["note"] or "",
                "size": f"{v['size_bytes'] / 1024:.1f} KB",
                "when": (v["created_at"] or "")[:16].replace("T", " "),
            }
            for v in reversed(versions)
        ]
        self.vercel_connected = connected
        if generation:
            self._show_generation(generation)
        self.loaded, self.missing = True, False

    def _show_generation(self, g: dict) -> None:
        self.gen_id = g["id"]
        self.gen_kind = g["kind"]
        self.gen_status = g["status"]
        text = g.get("text", "")
        self.gen_text = text[-STREAM_TAIL:]
        self.gen_error = g["error"] or ""
        tokens = f"{g['total_tokens']} tokens" + (" (estimated)" if g["tokens_estimated"] else "")
        model = f"{g['provider']}/{g['model']}" if g["model"] else "offline generator"
        self.gen_detail = f"{model} · {len(text):,} characters" + (
            f" · {tokens}" if g["total_tokens"] else ""
        )

    @rx.event
    @signed_in
    async def load(self, user: User):
        self.loaded, self.tab, self.diff_text = False, "preview", ""
        self.refine_error = self.publish_error = self.deploy_error = ""
        self.publish_problems = []
        try:
            await self._refresh(user)
        except ServiceError:
            self.loaded, self.missing = True, True
            return None
        if self.building:
            return ToolState.watch
        return None

    @rx.event(background=True)
    async def watch(self):
        """Poll the running generation; its text streams into the page until it finishes."""
        async with self:
            if self.watching:
                return
            self.watching = True
            self.gen_started = time.monotonic()
            user = await current_user(self)
            generation_id = self.gen_id
        try:
            while user is not None:
                info = await db_call(
                    lambda s: tools.generation_info(
                        generations.get_generation(s, user, generation_id=generation_id)
                    )
                )
                async with self:
                    self._show_generation(info)
                    self.elapsed = f"{time.monotonic() - self.gen_started:.1f} s"
                    if info["finished"]:
                        await self._refresh(user)
                        if info["status"] == "succeeded" and info["kind"] == "generate":
                            self.tab = "preview"  # the first build: show the tool working
                        break
                await asyncio.sleep(POLL_SECONDS)
        finally:
            async with self:
                self.watching = False

    @rx.event
    @signed_in
    async def cancel(self, user: User):
        await db_call(generations.cancel_generation, user, generation_id=self.gen_id)
        return rx.toast.info("Stopping the build; the previous version stays.")

    @rx.event
    @signed_in
    async def refine(self, user: User, form: dict):
        self.refine_error = ""
        try:
            generation = await db_call(
                generations.refine_tool,
                user,
                tool_id=self._tool_id(),
                instruction=form.get("instruction", ""),
            )
        except ServiceError as exc:
            self.refine_error = exc.message
            return None
        self._show_generation(tools.generation_info(generation))
        return ToolState.watch

    @rx.event
    def set_tab(self, tab: str):
        self.tab = tab

    @rx.event
    @signed_in
    async def revert(self, user: User, number: str):
        try:
            version = await db_call(
                tools.revert_to_version, user, tool_id=self._tool_id(), number=int(number)
            )
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._refresh(user)
        return rx.toast.success(f"Version {version.number} is a copy of version {number}.")

    @rx.event
    @signed_in
    async def show_diff(self, user: User, form: dict):
        try:
            self.diff_text = (
                await db_call(
                    tools.diff_versions,
                    user,
                    tool_id=self._tool_id(),
                    from_number=int(form.get("from", "0") or 0),
                    to_number=int(form.get("to", "0") or 0),
                )
                or "The two versions are identical."
            )
        except (ServiceError, ValueError):
            self.diff_text = "Pick two versions to compare."

    @rx.event
    @signed_in
    async def publish(self, user: User):
        self.publish_error, self.publish_problems = "", []
        try:
            await db_call(publishing.publish_tool, user, tool_id=self._tool_id())
        except ServiceError as exc:
            self.publish_error = exc.message
            self.publish_problems = [p["message"] for p in (exc.details or {}).get("problems", [])]
            return None
        await self._refresh(user)
        return rx.toast.success("Published.")

    @rx.event
    @signed_in
    async def unpublish(self, user: User):
        await db_call(publishing.unpublish_tool, user, tool_id=self._tool_id())
        await self._refresh(user)
        return rx.toast.info("Unpublished: the public page is gone.")

    @rx.event
    @signed_in
    async def export(self, user: User):
        try:
            name, data = await db_call(export.export_zip, user, tool_id=self._tool_id())
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.download(data=data, filename=name)

    @rx.event
    @signed_in
    async def save_vercel_token(self, user: User, form: dict):
        self.deploy_error = ""
        try:
            await db_call(deploy.set_vercel_token, user, token=form.get("token", ""))
        except ServiceError as exc:
            self.deploy_error = exc.message
            return None
        self.vercel_connected = bool(form.get("token", "").strip())
        return rx.toast.success("Vercel token saved (encrypted).")

    @rx.event
    @signed_in
    async def deploy(self, user: User):
        self.deploy_error = ""
        self.busy = True
        yield
        try:
            await db_call(deploy.deploy_to_vercel, user, tool_id=self._tool_id())
        except ServiceError as exc:
            self.deploy_error = exc.message
            return
        finally:
            self.busy = False
        await self._refresh(user)
        yield rx.toast.success("Deployment started on Vercel.")
