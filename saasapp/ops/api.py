"""Platform operations over HTTP: GET /api/v1/health (200 when database, Redis and a worker
are up, 503 otherwise), and for admins the audit log and failed event deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from saasapp.core import audit, events
from saasapp.core.health import platform_health
from saasapp.http.bounds import IdPath, IdQuery
from saasapp.http.deps import AdminUser, DbSession
from saasapp.http.pagination import Page, PageQuery, paginate

router = APIRouter(tags=["platform"])
admin_router = APIRouter(prefix="/admin", tags=["admin"])


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


class AuditOut(BaseModel):
    id: int
    action: str
    actor_id: int | None
    user_id: int | None
    ip: str
    detail: dict[str, Any]
    created_at: datetime


class DeadDeliveryOut(BaseModel):
    id: int
    event_id: int
    subscriber: str
    attempts: int
    last_error: str
    created_at: datetime


class RetriedOut(BaseModel):
    retried: int = Field(description="1 when the delivery was dead and is pending again, else 0.")


@admin_router.get("/audit")
def list_audit(
    _admin: AdminUser,
    session: DbSession,
    page: PageQuery,
    action: str = Query("", max_length=50),
    user_id: IdQuery = None,
) -> Page[AuditOut]:
    """Audit entries, newest first; ``user_id`` keeps those by or about that user."""
    entries, next_cursor = paginate(
        session, audit.entries_query(action=action, user_id=user_id), page
    )
    return Page[AuditOut](
        items=[AuditOut.model_validate(e, from_attributes=True) for e in entries],
        next_cursor=next_cursor,
    )


@admin_router.get("/events/dead")
def dead_deliveries(
    _admin: AdminUser, session: DbSession, page: PageQuery
) -> Page[DeadDeliveryOut]:
    """Event deliveries that exhausted their retries, newest first."""
    deliveries, next_cursor = paginate(session, events.dead_deliveries_query(), page)
    return Page[DeadDeliveryOut](
        items=[DeadDeliveryOut.model_validate(d, from_attributes=True) for d in deliveries],
        next_cursor=next_cursor,
    )


@admin_router.post("/events/deliveries/{delivery_id}/retry")
def retry_delivery(delivery_id: IdPath, _admin: AdminUser, session: DbSession) -> RetriedOut:
    """Put a dead delivery back in the queue with fresh attempts."""
    return RetriedOut(retried=events.retry_dead(session, [delivery_id]))
