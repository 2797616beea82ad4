"""/api/v1/admin/users: search users, change their role, ban them (admins only)."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from saasapp.accounts import user_admin
from saasapp.http.bounds import IdPath
from saasapp.http.deps import AdminUser, CallerClient, DbSession
from saasapp.http.errors import error_responses
from saasapp.http.pagination import Page, PageQuery, paginate
from saasapp.http.schemas import UserOut

router = APIRouter(prefix="/admin", tags=["admin"])


class UserPatch(BaseModel):
    role: str | None = Field(None, max_length=20, description="admin, user or promoter.")
    banned: bool | None = None


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
