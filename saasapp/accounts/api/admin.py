"""/api/v1/admin: users, audit log and failed event deliveries (admins only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from saasapp.accounts import user_admin
from saasapp.core import audit, events
from saasapp.http.deps import AdminUser, CallerClient, DbSession
from saasapp.http.schemas import Page, UserOut

router = APIRouter(prefix="/admin", tags=["admin"])


class UserPatch(BaseModel):
    role: str | None = None
    banned: bool | None = None


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


def _cursor(items: list, limit: int) -> str | None:
    return str(items[-1].id) if len(items) == limit else None


@router.get("/users")
def list_users(
    _admin: AdminUser,
    session: DbSession,
    q: str = Query("", max_length=200, description="Search in email and display name."),
    cursor: int | None = Query(None, ge=0),
    limit: int = Query(25, ge=1, le=100),
) -> Page[UserOut]:
    users = user_admin.search_users(session, query=q, after_id=cursor, limit=limit)
    return Page[UserOut](items=[UserOut.of(u) for u in users], next_cursor=_cursor(users, limit))


@router.patch("/users/{user_id}")
def update_user(
    user_id: int, body: UserPatch, admin: AdminUser, session: DbSession, client: CallerClient
) -> UserOut:
    user = user_admin.update_user(
        session, admin, user_id, role=body.role, banned=body.banned, ip=client.ip
    )
    return UserOut.of(user)


@router.get("/audit")
def list_audit(
    _admin: AdminUser,
    session: DbSession,
    action: str = Query("", max_length=50),
    user_id: int | None = None,
    cursor: int | None = Query(None, ge=0),
    limit: int = Query(50, ge=1, le=200),
) -> Page[AuditOut]:
    entries = audit.list_entries(
        session, action=action, user_id=user_id, before_id=cursor, limit=limit
    )
    return Page[AuditOut](
        items=[AuditOut.model_validate(e, from_attributes=True) for e in entries],
        next_cursor=_cursor(entries, limit),
    )


@router.get("/events/dead")
def dead_deliveries(_admin: AdminUser, session: DbSession) -> list[DeadDeliveryOut]:
    """Event deliveries that exhausted their retries."""
    return [
        DeadDeliveryOut.model_validate(d, from_attributes=True)
        for d, _event in events.dead_deliveries(session)
    ]


@router.post("/events/deliveries/{delivery_id}/retry")
def retry_delivery(delivery_id: int, _admin: AdminUser, session: DbSession) -> dict[str, int]:
    return {"retried": events.retry_dead(session, [delivery_id])}
