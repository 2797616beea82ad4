"""Published tools at ``/t/{slug}`` and signed previews at ``/t-preview/{token}``.

Outside /api/v1 and registered on the API app, so these routes win over the Reflex frontend
mounted behind it. Every answer (404 included) carries the tool pages' strict headers.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from saasapp.db import new_session
from saasapp.tools import publishing

router = APIRouter(include_in_schema=False)

NOT_FOUND_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Tool not found</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;
color:#111827}a{color:#4f46e5}</style></head>
<body><h1>Tool not found</h1>
<p>There is no published tool at this address. It may have been unpublished or renamed.</p>
<p><a href="/">Go to the home page</a></p></body></html>
"""
EXPIRED_HTML = NOT_FOUND_HTML.replace("Tool not found", "Preview expired").replace(
    "There is no published tool at this address. It may have been unpublished or renamed.",
    "This preview link has expired or is not valid. Reload the tool page for a new one.",
)


def _session() -> Session:
    return new_session()


def _page(html: str | None, missing: str, *, preview: bool = False) -> HTMLResponse:
    headers = publishing.page_headers(preview=preview)
    if html is None:
        return HTMLResponse(missing, status_code=404, headers=headers)
    return HTMLResponse(html, headers=headers)


@router.get(publishing.PUBLIC_PREFIX + "{slug}")
def published_tool(slug: str) -> HTMLResponse:
    return _page(publishing.published_page(_session, slug), NOT_FOUND_HTML)


@router.get(publishing.PREVIEW_PREFIX + "{token}")
def preview(token: str) -> HTMLResponse:
    with _session() as session:
        html = publishing.preview_html(session, token)
    return _page(html, EXPIRED_HTML, preview=True)
