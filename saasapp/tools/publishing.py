"""Publishing tools at ``/t/{slug}``, the pages' security headers, and owner previews.

A tool is publishable when its current version passes ``validate_tool_html`` with the
``TOOL_ALLOWED_HOSTS`` allowlist and the ``TOOL_MAX_BYTES`` limit; otherwise publishing
raises ServiceError ``not_publishable`` whose ``details["problems"]`` lists each problem
({code, message}). Published pages are served with ``page_headers()`` (a CSP that lets the
page load nothing but what is inline, plus the allowlisted hosts) and cached in Redis under
``tool-page:<slug>``; publishing and unpublishing drop that entry.

Previews: the tool page's ``<iframe sandbox="allow-scripts">`` (no same origin, so no cookies)
loads ``preview_url(...)``, a link signed for ``PREVIEW_SECONDS`` to one version.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from saasapp.accounts.models import Role, User
from saasapp.accounts.permissions import has_role
from saasapp.core import events
from saasapp.core.cache import cache
from saasapp.core.columns import utcnow
from saasapp.core.crypto import derive_key
from saasapp.core.errors import Conflict, NotFound, ServiceError
from saasapp.settings import get_settings
from saasapp.tools.generator.spec import slugify
from saasapp.tools.generator.validation import Problem, validate_tool_html
from saasapp.tools.models import Tool, ToolStatus, ToolVersion
from saasapp.tools.tools import current_version, get_tool, get_version, is_reserved_slug

PUBLIC_PREFIX = "/t/"
PREVIEW_PREFIX = "/t-preview/"
PREVIEW_SECONDS = 600
CACHE_PREFIX = "tool-page:"
# Tool pages are served from the platform's own origin: the sandbox gives each one an opaque
# origin, so a tool's script can never read the app's storage (the session token) or cookies.
SANDBOX = "sandbox allow-scripts allow-modals allow-popups"


def public_path(tool: Tool) -> str:
    return f"{PUBLIC_PREFIX}{tool.slug}"


def public_url(tool: Tool) -> str:
    return get_settings().public_url.rstrip("/") + public_path(tool)


def content_security_policy() -> str:
    """The CSP of published pages and previews; allowlisted hosts may serve scripts, styles,
    images and fonts (over https)."""
    hosts = get_settings().tool_allowed_host_list
    extra = "".join(f" https://{host}" for host in hosts)
    return (
        "default-src 'none'; "
        f"script-src 'unsafe-inline'{extra}; style-src 'unsafe-inline'{extra}; "
        f"img-src data:{extra}; font-src data:{extra}; form-action 'none'; "
        f"base-uri 'none'; {SANDBOX}; frame-ancestors 'self'"
    )


def page_headers(*, preview: bool = False) -> dict[str, str]:
    """Headers of every tool page the platform serves (published or preview). A preview may
    also be framed by the app's own pages at ``PUBLIC_URL`` (another origin than the API's
    when they are served apart)."""
    policy = content_security_policy()
    if preview:
        parts = urlsplit(get_settings().public_url)
        policy = policy.replace(
            "frame-ancestors 'self'", f"frame-ancestors 'self' {parts.scheme}://{parts.netloc}"
        )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }


def html_problems(html: str) -> list[Problem]:
    settings = get_settings()
    return validate_tool_html(html, settings.tool_allowed_host_list, settings.tool_max_bytes)


def check_publishable(session: Session, user: User, *, tool_id: int) -> list[dict[str, str]]:
    """What blocks publishing the tool's current version ([] when it can be published)."""
    tool = get_tool(session, user, tool_id)
    version = current_version(session, tool)
    if version is None:
        return [{"code": "no_version", "message": "The tool has no version yet."}]
    return [{"code": p.code, "message": p.message} for p in html_problems(version.html)]


def _check_slug(session: Session, tool: Tool, wanted: str) -> str:
    slug = slugify(wanted)
    if slug != wanted.strip().lower():
        raise ServiceError(
            "invalid_slug",
            f"Use lower-case letters, digits and hyphens only, e.g. {slug!r}.",
            field="slug",
        )
    if is_reserved_slug(slug):
        raise ServiceError(
            "slug_reserved", f"{slug!r} is reserved by the platform: choose another.", field="slug"
        )
    taken = session.scalar(select(Tool.id).where(Tool.slug == slug, Tool.id != tool.id))
    if taken is not None:
        raise Conflict("slug_taken", f"{slug!r} is taken: choose another.", field="slug")
    return slug


def publish_tool(session: Session, user: User, *, tool_id: int, slug: str | None = None) -> Tool:
    """Publish the tool's current version at ``/t/<slug>`` (optionally under a new slug).

    Raises ``no_version``, ``not_publishable`` (with ``details["problems"]``),
    ``invalid_slug``, ``slug_reserved`` or ``slug_taken``. Emits ``tool.published``.
    """
    tool = get_tool(session, user, tool_id)
    version = current_version(session, tool)
    if version is None:
        raise ServiceError("no_version", "Build the tool before publishing it.")
    old_slug = tool.slug
    new_slug = _check_slug(session, tool, slug) if slug else tool.slug
    if is_reserved_slug(new_slug):
        raise ServiceError(
            "slug_reserved", f"{new_slug!r} is reserved by the platform: choose another."
        )
    problems = html_problems(version.html)
    if problems:
        raise ServiceError(
            "not_publishable",
            f"The page cannot be published: {problems[0].message}"
            + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""),
            problems=[{"code": p.code, "message": p.message} for p in problems],
        )
    tool.slug = new_slug
    tool.status = ToolStatus.PUBLISHED
    tool.published_version_id = version.id
    tool.published_at = utcnow()
    tool.updated_at = tool.published_at
    session.add(tool)
    events.emit(
        session,
        "tool.published",
        {"tool_id": tool.id, "slug": tool.slug, "version": version.number,
         "url": public_url(tool)},
        actor_id=user.id,
        aggregate=f"tool:{tool.id}",
    )  # fmt: skip
    try:
        session.commit()
    except IntegrityError as exc:  # another tool took the slug a moment ago
        session.rollback()
        raise Conflict("slug_taken", f"{new_slug!r} is taken: choose another.") from exc
    cache.invalidate(CACHE_PREFIX + old_slug, CACHE_PREFIX + new_slug)
    return tool


def unpublish_tool(session: Session, user: User, *, tool_id: int) -> Tool:
    """Take the tool offline (its owner, or an admin for any tool); ``/t/<slug>`` is 404."""
    tool = session.get(Tool, tool_id)
    if tool is None or (tool.owner_id != user.id and not has_role(user, Role.ADMIN)):
        raise NotFound("tool_not_found", "No such tool.")
    tool.status = ToolStatus.DRAFT
    tool.published_version_id = None
    tool.updated_at = utcnow()
    session.add(tool)
    session.commit()
    cache.invalidate(CACHE_PREFIX + tool.slug)
    return tool


def load_published_html(session: Session, slug: str) -> str | None:
    """The published page of ``slug`` straight from the database (None: not published)."""
    row = session.execute(
        select(ToolVersion.html)
        .join(Tool, Tool.published_version_id == ToolVersion.id)
        .where(Tool.slug == slug, Tool.status == ToolStatus.PUBLISHED)
    ).first()
    return row[0] if row else None


def published_page(session_factory, slug: str) -> str | None:
    """The published page of ``slug``, cached in Redis (misses are cached too, briefly)."""
    ttl = get_settings().tool_page_cache_seconds

    def load() -> dict[str, Any]:
        with session_factory() as session:
            return {"html": load_published_html(session, slug)}

    if ttl <= 0 or not slug:
        return load()["html"]
    return cache.get_or_set(CACHE_PREFIX + slug, ttl, load)["html"]


def _sign(payload: str) -> str:
    key = derive_key(b"saasapp:tool-preview")
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def preview_token(version_id: int, *, seconds: int = PREVIEW_SECONDS) -> str:
    payload = f"{version_id}.{int(time.time()) + seconds}"
    return f"{payload}.{_sign(payload)}"


def preview_url(session: Session, user: User, *, tool_id: int, version_number: int) -> str:
    """A path (``/t-preview/<token>``) showing one version for ``PREVIEW_SECONDS``; for the
    sandboxed iframe, which sends no cookies. Make a new one when it expires."""
    version = get_version(session, user, tool_id=tool_id, number=version_number)
    return PREVIEW_PREFIX + preview_token(version.id)


def preview_html(session: Session, token: str) -> str | None:
    """The version a preview token names, if the token is genuine and unexpired."""
    parts = token.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts[:2]):
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_sign(payload), parts[2]) or int(parts[1]) < time.time():
        return None
    version = session.get(ToolVersion, int(parts[0]))
    return version.html if version else None
