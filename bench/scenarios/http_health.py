"""Scenario ``http``: ``GET /api/v1/health`` of the real API vs a bare Starlette endpoint.

Both run on the same server (granian, as Reflex's production mode, or uvicorn), with the same
worker count and flags, one after the other, and are loaded by wrk on 127.0.0.1. The health
check does real work per request (a database query, a Redis ping, a read of the worker
heartbeats), so the ratio is the whole cost of the API stack plus that check.
"""

from __future__ import annotations

import sys

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.harness import (
    Comparison,
    Environment,
    Figure,
    Options,
    free_port,
    http_status,
    median_run,
    run_wrk,
    wait_until,
)

NAME = "http"
HEALTH_PATH = "/api/v1/health"
BARE_PATH = "/bare"
PING_PATH = "/api/v1/bench-ping"


async def _bare(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_bare_app() -> Starlette:
    """The baseline: a Starlette app with one endpoint returning a small JSON body."""
    return Starlette(routes=[Route(BARE_PATH, _bare)])


def create_api_with_ping():
    """The real API app plus a trivial route: the API stack's cost without the health checks."""
    from fastapi import APIRouter

    from saasapp.http.app import create_api

    app = create_api()
    router = APIRouter()

    @router.get(PING_PATH)
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    # Ahead of the API's catch-all route, which would otherwise answer 404.
    app.router.routes[:0] = router.routes
    return app


def server_argv(server: str, target: str, port: int, workers: int) -> list[str]:
    """The server command line, identical for both targets but for ``target``."""
    common = ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    if server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
            *common, "--no-access-log", "--log-level", "warning", "--no-ws", target,
        ]  # fmt: skip
    if server == "uvicorn":
        return [
            sys.executable, "-m", "uvicorn", "--factory",
            *common, "--no-access-log", "--log-level", "warning", target,
        ]  # fmt: skip
    raise ValueError(f"unknown server {server!r}")


def measure(
    env: Environment, options: Options, label: str, target: str, path: str, scenario: str = NAME
) -> Figure:
    """wrk against ``path`` of a fresh server for ``target`` (stopped after)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{path}"
    name = f"server-{label}"
    process = env.processes.start(
        name, server_argv(options.server, target, port, options.server_workers), env.env
    )
    try:
        try:
            wait_until(lambda: http_status(url) == 200, 30, f"{label} server at {url}")
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{env.processes.log_tail(name)}") from exc
        if options.warmup > 0:
            run_wrk(url, options.warmup, options.connections, options.threads)
        result = run_wrk(url, options.duration, options.connections, options.threads)
    finally:
        env.processes.stop(process)
    return Figure(
        scenario=scenario,
        target=label,
        throughput=result["rps"],
        p50_ms=result["p50_ms"],
        p99_ms=result["p99_ms"],
        unit="req/s",
        count=int(result["count"]),
        errors=int(result["errors"]),
    )


TARGETS = [
    # (label, server target, path); the first is the baseline
    ("bare Starlette JSON", "bench.scenarios.http_health:create_bare_app", BARE_PATH),
    ("API stack, trivial route", "bench.scenarios.http_health:create_api_with_ping", PING_PATH),
    (f"GET {HEALTH_PATH}", "saasapp.http.app:create_api", HEALTH_PATH),
]


def run(env: Environment, options: Options) -> list[Comparison]:
    from saasapp.redis_conn import get_redis
    from saasapp.worker.heartbeat import HeartbeatThread

    # Health answers 200 only with a live worker: a heartbeat is all it reads of one.
    heartbeat = HeartbeatThread(get_redis(), "bench:heartbeat", interval=1)
    heartbeat.start()
    runs: dict[str, list[Figure]] = {label: [] for label, _, _ in TARGETS}
    try:
        # Rounds alternate the targets so that a noisy moment does not hit only one of them.
        for _ in range(options.repeat):
            for label, target, path in TARGETS:
                runs[label].append(measure(env, options, label, target, path))
    finally:
        heartbeat.stop()
        heartbeat.join(5)
    baseline, *ours = (median_run(runs[label]) for label, _, _ in TARGETS)
    baseline.baseline = True
    workers = "worker" if options.server_workers == 1 else "workers"
    note = (
        f"http: {options.server}, {options.server_workers} {workers}; wrk "
        f"-t{options.threads} -c{options.connections} -d{options.duration:g}s "
        f"(after {options.warmup:g}s warm-up) on 127.0.0.1; median of {options.repeat} "
        f"alternating round(s) by req/s."
    )
    return [Comparison(figure, baseline, notes=[note] if i == 0 else []) for i, figure in
            enumerate(ours)]  # fmt: skip
