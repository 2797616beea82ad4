"""A maker's tools: listing, reading, versions, diff and revert; slugs; plain-dict views.

Every function checks ownership: another user's tool is ``NotFound`` (never "forbidden", so
ids reveal nothing). The ``*_info`` functions give JSON-safe dicts for the UI's state and the
API's responses. Generations live in ``tool_generation``, publishing in ``tool_publishing``.
"""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import Select, func, select
from sqlmodel import Session

from saasapp.accounts.models import User
from saasapp.core.columns import utcnow
from saasapp.core.errors import NotFound, ServiceError
from saasapp.tools.generator.spec import slugify
from saasapp.tools.models import (
    Generation,
    GenerationStatus,
    Tool,
    ToolStatus,
    ToolVersion,
    VersionSource,
)

# Slugs that would shadow a platform path or read as official.
RESERVED_SLUGS = frozenset(
    {
        "admin", "api", "t", "p", "r", "login", "logout", "register", "account", "static",
        "assets", "app", "auth", "dashboard", "docs", "generator", "help", "new", "pricing",
        "settings", "status", "support", "tools", "www", "mail", "preview", "t-preview",
        "saasapp", "about", "terms", "privacy", "security", "billing", "verify", "reset",
    }
)  # fmt: skip


def is_reserved_slug(slug: str) -> bool:
    return slug in RESERVED_SLUGS


def _slug_taken(session: Session, slug: str, exclude_tool_id: int | None = None) -> bool:
    query = select(Tool.id).where(Tool.slug == slug)
    if exclude_tool_id is not None:
        query = query.where(Tool.id != exclude_tool_id)
    return session.scalar(query) is not None


def unique_slug(session: Session, wanted: str, *, exclude_tool_id: int | None = None) -> str:
    """``wanted`` as a slug, suffixed -2, -3, ... when reserved or taken."""
    base = slugify(wanted)
    if is_reserved_slug(base):
        base = f"{base}-tool"
    slug, n = base, 1
    while _slug_taken(session, slug, exclude_tool_id):
        n += 1
        slug = f"{base[:44]}-{n}"
    return slug


def get_tool(session: Session, user: User, tool_id: int) -> Tool:
    """The caller's tool ``tool_id``; NotFound for a missing or someone else's tool."""
    tool = session.get(Tool, tool_id)
    if tool is None or tool.owner_id != user.id:
        raise NotFound("tool_not_found", "No such tool.")
    return tool


def list_tools(
    session: Session,
    user: User,
    *,
    status: str | None = None,
    after_id: int | None = None,
    limit: int = 50,
) -> list[Tool]:
    """The caller's tools, newest first; page with ``after_id`` (the last id of a page)."""
    query = tools_query(user, status=status).order_by(Tool.id.desc()).limit(limit)
    if after_id is not None:
        query = query.where(Tool.id < after_id)
    return list(session.scalars(query).all())


def tools_query(user: User, *, status: str | None = None) -> Select:
    """The caller's tools (unordered, for paging), optionally only those in ``status``."""
    query = select(Tool).where(Tool.owner_id == user.id)
    return query.where(Tool.status == status) if status else query


def versions_query(session: Session, user: User, *, tool_id: int) -> Select:
    """The versions of the caller's tool (unordered; NotFound for another's tool)."""
    get_tool(session, user, tool_id)
    return select(ToolVersion).where(ToolVersion.tool_id == tool_id)


def list_versions(session: Session, user: User, *, tool_id: int) -> list[ToolVersion]:
    """Every version of the caller's tool, newest first."""
    query = versions_query(session, user, tool_id=tool_id).order_by(ToolVersion.number.desc())
    return list(session.scalars(query).all())


def get_version(session: Session, user: User, *, tool_id: int, number: int) -> ToolVersion:
    """Version ``number`` (1, 2, ...) of the caller's tool."""
    get_tool(session, user, tool_id)
    version = session.scalar(
        select(ToolVersion).where(ToolVersion.tool_id == tool_id, ToolVersion.number == number)
    )
    if version is None:
        raise NotFound("version_not_found", f"This tool has no version {number}.")
    return version


def current_version(session: Session, tool: Tool) -> ToolVersion | None:
    return session.get(ToolVersion, tool.current_version_id) if tool.current_version_id else None


def diff_versions(
    session: Session, user: User, *, tool_id: int, from_number: int, to_number: int
) -> str:
    """A unified diff of two versions' HTML ("" when identical)."""
    old = get_version(session, user, tool_id=tool_id, number=from_number)
    new = get_version(session, user, tool_id=tool_id, number=to_number)
    lines = difflib.unified_diff(
        old.html.splitlines(keepends=True),
        new.html.splitlines(keepends=True),
        fromfile=f"v{from_number}/index.html",
        tofile=f"v{to_number}/index.html",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def add_version(
    session: Session,
    tool: Tool,
    *,
    html: str,
    manifest: dict[str, Any],
    source: VersionSource,
    note: str = "",
    generation_id: int | None = None,
) -> ToolVersion:
    """Append a version to ``tool`` and make it current (the caller commits)."""
    last = session.scalar(
        select(func.max(ToolVersion.number)).where(ToolVersion.tool_id == tool.id)
    )
    version = ToolVersion(
        tool_id=tool.id,
        number=(last or 0) + 1,
        html=html,
        manifest=manifest,
        source=source,
        note=note[:1000],
        generation_id=generation_id,
    )
    session.add(version)
    session.flush()
    tool.current_version_id = version.id
    tool.manifest = manifest
    tool.updated_at = utcnow()
    session.add(tool)
    return version


def revert_to_version(session: Session, user: User, *, tool_id: int, number: int) -> ToolVersion:
    """A new current version copying version ``number`` (history is never rewritten)."""
    tool = get_tool(session, user, tool_id)
    old = get_version(session, user, tool_id=tool_id, number=number)
    if tool.current_version_id == old.id:
        raise ServiceError("already_current", f"Version {number} is already the current one.")
    version = add_version(
        session,
        tool,
        html=old.html,
        manifest=old.manifest,
        source=VersionSource.REVERT,
        note=f"Reverted to version {number}",
    )
    session.commit()
    return version


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def version_info(version: ToolVersion, *, with_html: bool = False) -> dict[str, Any]:
    info = {
        "id": version.id,
        "tool_id": version.tool_id,
        "number": version.number,
        "source": version.source,
        "note": version.note,
        "generation_id": version.generation_id,
        "size_bytes": len(version.html.encode("utf-8")),
        "created_at": _iso(version.created_at),
    }
    if with_html:
        info["html"] = version.html
    return info


def tool_info(session: Session, tool: Tool) -> dict[str, Any]:
    """Everything the tool page shows about ``tool`` (no HTML; see ``current_version``)."""
    from saasapp.tools.publishing import public_path

    current = current_version(session, tool)
    published = (
        session.get(ToolVersion, tool.published_version_id) if tool.published_version_id else None
    )
    return {
        "id": tool.id,
        "name": tool.name,
        "slug": tool.slug,
        "tagline": tool.tagline,
        "description": tool.description,
        "status": tool.status,
        "is_published": tool.status == ToolStatus.PUBLISHED,
        "public_path": public_path(tool) if tool.status == ToolStatus.PUBLISHED else None,
        "generator": tool.generator,
        "offline": tool.generator == "offline",
        "current_version": current.number if current else None,
        "published_version": published.number if published else None,
        "published_at": _iso(tool.published_at),
        "manifest": tool.manifest,
        "spec": tool.spec,
        "vercel": {
            "deployment_id": tool.vercel_deployment_id,
            "url": tool.vercel_url,
            "status": tool.vercel_status,
            "updated_at": _iso(tool.vercel_updated_at),
        }
        if tool.vercel_deployment_id
        else None,
        "created_at": _iso(tool.created_at),
        "updated_at": _iso(tool.updated_at),
    }


def generation_info(generation: Generation, *, with_text: bool = True) -> dict[str, Any]:
    """A generation for polling: status, text so far, usage, error."""
    info = {
        "id": generation.id,
        "tool_id": generation.tool_id,
        "kind": generation.kind,
        "status": generation.status,
        "finished": GenerationStatus(generation.status).finished,
        "prompt": generation.prompt,
        "text_length": len(generation.text),
        "provider": generation.provider,
        "model": generation.model,
        "prompt_tokens": generation.prompt_tokens,
        "completion_tokens": generation.completion_tokens,
        "total_tokens": generation.total_tokens,
        "tokens_estimated": generation.tokens_estimated,
        "duration_ms": generation.duration_ms,
        "error": generation.error,
        "version_id": generation.version_id,
        "created_at": _iso(generation.created_at),
        "started_at": _iso(generation.started_at),
        "finished_at": _iso(generation.finished_at),
    }
    if with_text:
        info["text"] = generation.text
    return info
