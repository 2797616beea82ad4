"""/api/v1/admin: users, audit log and failed event deliveries (admins only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from saasapp.accounts import user_admin
from saasapp.core import audit, events
from saasapp.http.bounds import IdPath, IdQuery
from saasapp.http.deps import AdminUser, CallerClient, DbSession
from saasapp.http.errors import error_responses
from saasapp.http.pagination import Page, PageQuery, paginate
from saasapp.http.schemas import UserOut

router = APIRouter(prefix="/admin", tags=["admin"])


class UserPatch(BaseModel):
    role: str | None = Field(None, max_length=20, description="admin, user or promoter.")
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


class RetriedOut(BaseModel):
    retried: int = Field(description="1 when the delivery was dead and is pending again, else 0.")


@router.get("/users")
def list_users(
    _admin: AdminUser,
    session: DbSession,
    page: PageQuery,
    q: str = Query("", max_length=200, description="Search in email and display name."),
) -> Page[UserOut]:
    """Users, newest first."""
    users, next_cursor = paginate(session, user_admin.users_query(query=q), page)
    return Page[UserOut](items=[UserOut.of(u) for u in users], next_cursor=next_cursor)


@router.patch(
    "/users/{user_id}",
    responses=error_responses(
        400,
        404,
        409,
        described={
            400: "invalid_role.",
            409: "cannot_change_self: admins cannot demote or ban themselves.",
        },
    ),
)
def update_user(
    user_id: IdPath, body: UserPatch, admin: AdminUser, session: DbSession, client: CallerClient
) -> UserOut:
    user = user_admin.update_user(
        session, admin, user_id, role=body.role, banned=body.banned, ip=client.ip
    )
    return UserOut.of(user)


@router.get("/audit")
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


@router.get("/events/dead")
def dead_deliveries(
    _admin: AdminUser, session: DbSession, page: PageQuery
) -> Page[DeadDeliveryOut]:
    """Event deliveries that exhausted their retries, newest first."""
    deliveries, next_cursor = paginate(session, events.dead_deliveries_query(), page)
    return Page[DeadDeliveryOut](
        items=[DeadDeliveryOut.model_validate(d, from_attributes=True) for d in deliveries],
        next_cursor=next_cursor,
    )


@router.post("/events/deliveries/{delivery_id}/retry")
def retry_delivery(delivery_id: IdPath, _admin: AdminUser, session: DbSession) -> RetriedOut:
    """Put a dead delivery back in the queue with fresh attempts."""
    return RetriedOut(retried=events.retry_dead(session, [delivery_id]))
