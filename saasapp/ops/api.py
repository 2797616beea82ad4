"""GET /api/v1/health: 200 when database, Redis and a worker are up, 503 otherwise."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from saasapp.core.health import platform_health

router = APIRouter(tags=["platform"])


class ComponentHealth(BaseModel):
    ok: bool
    detail: str = ""
    latency_ms: float | None = None
    workers: int | None = None
    last_beat_age_s: float | None = None


class HealthResponse(BaseModel):
    status: str
    database: ComponentHealth
    redis: ComponentHealth
    worker: ComponentHealth


@router.get(
    "/health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "A component is down."}},
)
async def health() -> JSONResponse:
    states = await run_in_threadpool(platform_health)
    body = HealthResponse(
        status="ok" if all(s.ok for s in states.values()) else "degraded",
        **{
            name: ComponentHealth(ok=s.ok, detail=s.detail, latency_ms=s.latency_ms, **s.extra)
            for name, s in states.items()
        },
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=200 if body.status == "ok" else 503
    )
