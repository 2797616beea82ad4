"""Scenario ``published``: ``GET /t/{slug}`` of a published tool vs a static page of the same
bytes, on the same server stack as the ``http`` scenario.

The tool is real: ``start_generation`` from an idea, its job run by an RQ worker in this process
(the offline generator streams the page and makes it the current version), then
``publish_tool``. Targets, each served by its own server process with the same flags:

- baseline: a bare Starlette app answering the published page's bytes from memory, with the
  same headers (``page_headers()``);
- the real API app (``saasapp.http.app:create_api``) with one extra route answering the same bytes
  from memory: the API stack's cost without the page lookup;
- ``GET /t/{slug}`` of the real API app: the Redis cache lookup (warm: the warm-up run fills it)
  and JSON decoding on top.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bench.harness import Comparison, Environment, Figure, Options, median_run
from bench.scenarios.http_health import measure

NAME = "published"
IDEA = "A mortgage calculator for first-time buyers"
PAGE_FILE_VARIABLE = "BENCH_PAGE_FILE"
STATIC_PATH = "/static-page"
API_PAGE_PATH = "/bench-page"


def _page_and_headers() -> tuple[str, dict[str, str]]:
    from saasapp.tools.publishing import page_headers

    with open(os.environ[PAGE_FILE_VARIABLE], encoding="utf-8") as file:
        return file.read(), page_headers()


def create_static_app() -> Starlette:
    """The baseline: a bare Starlette app answering the page from memory."""
    page, headers = _page_and_headers()

    async def static_page(_request: Request) -> HTMLResponse:
        return HTMLResponse(page, headers=headers)

    return Starlette(routes=[Route(STATIC_PATH, static_page)])


def create_api_with_page():
    """The real API app plus a route answering the page from memory."""
    from fastapi import APIRouter

    from saasapp.http.app import create_api

    page, headers = _page_and_headers()
    app = create_api()
    router = APIRouter()

    @router.get(API_PAGE_PATH)
    def bench_page() -> HTMLResponse:  # sync, like GET /t/{slug}
        return HTMLResponse(page, headers=headers)

    # Ahead of the API's catch-all route, which would otherwise answer 404.
    app.router.routes[:0] = router.routes
    return app


def publish_offline_tool() -> tuple[str, str]:
    """Generate and publish a tool offline, the real way; returns (slug, published page)."""
    from rq import SimpleWorker

    from saasapp.accounts.models import User
    from saasapp.db import new_session
    from saasapp.queues import worker_queues
    from saasapp.redis_conn import get_redis
    from saasapp.tools.generations import start_generation
    from saasapp.tools.models import Generation
    from saasapp.tools.publishing import load_published_html, publish_tool

    with new_session() as session:
        user = User(email="published-bench@example.com", display_name="published-bench")
        session.add(user)
        session.commit()
        generation = start_generation(session, user, prompt=IDEA)
    # The generation job (and the event dispatcher's), as a worker would run them; their logs
    # go to stderr, stdout is the results table.
    with contextlib.redirect_stdout(sys.stderr):
        SimpleWorker(worker_queues(), connection=get_redis()).work(
            burst=True, logging_level="WARNING"
        )
    with new_session() as session:
        generation = session.get(Generation, generation.id)
        if generation.status != "succeeded":
            raise RuntimeError(f"the generation {generation.status}: {generation.error}")
        tool = publish_tool(session, session.get(User, user.id), tool_id=generation.tool_id)
        slug = tool.slug
        page = load_published_html(session, slug)
    with contextlib.redirect_stdout(sys.stderr):
        SimpleWorker(worker_queues(), connection=get_redis()).work(
            burst=True, logging_level="WARNING"
        )
    if not page:
        raise RuntimeError("the tool was not published")
    return slug, page


def run(env: Environment, options: Options) -> list[Comparison]:
    slug, page = publish_offline_tool()
    page_file = env.data_dir / "published-page.html"
    page_file.write_text(page, encoding="utf-8")
    served = dataclasses.replace(env, env={**env.env, PAGE_FILE_VARIABLE: str(page_file)})
    size = len(page.encode())
    targets = [
        # (label, server target, path); the first is the baseline
        (f"bare Starlette, static page ({size:,} B)",
         "bench.scenarios.published:create_static_app", STATIC_PATH),
        ("API stack, same page from memory",
         "bench.scenarios.published:create_api_with_page", API_PAGE_PATH),
        (f"GET /t/{slug} (published tool)", "saasapp.http.app:create_api", f"/t/{slug}"),
    ]  # fmt: skip
    runs: dict[str, list[Figure]] = {label: [] for label, _, _ in targets}
    for _ in range(options.repeat):
        for label, target, path in targets:
            runs[label].append(measure(served, options, label, target, path, scenario=NAME))
    baseline, *ours = (median_run(runs[label]) for label, _, _ in targets)
    baseline.baseline = True
    note = (
        f"published: an offline tool ({size:,} bytes, same bytes and headers on every target); "
        f"{options.server}, {options.server_workers} worker(s), wrk -t{options.threads} "
        f"-c{options.connections} -d{options.duration:g}s after a {options.warmup:g}s warm-up "
        f"(which fills the Redis page cache); median of {options.repeat} alternating round(s)."
    )
    return [Comparison(figure, baseline, notes=[note] if i == 0 else []) for i, figure in
            enumerate(ours)]  # fmt: skip
