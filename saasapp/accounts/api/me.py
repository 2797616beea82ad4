"""/api/v1/me: the caller's account, password and API keys."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from saasapp.accounts import api_keys, password_reset, registration
from saasapp.http.deps import CallerClient, CurrentUser, DbSession
from saasapp.http.schemas import Message, PasswordField, UserOut

router = APIRouter(prefix="/me", tags=["me"])


class PasswordChangeIn(BaseModel):
    current_password: str = Field(default="", max_length=1024)
    new_password: str = PasswordField


class ProfileIn(BaseModel):
    display_name: str = Field(max_length=200)


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class ApiKeyOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class NewApiKeyOut(ApiKeyOut):
    key: str = Field(description="The secret, shown only in this response.")


def _key_out(record) -> dict:
    return {
        "id": record.id,
        "name": record.name,
        "prefix": record.prefix,
        "created_at": record.created_at,
        "last_used_at": record.last_used_at,
    }


@router.get("")
def me(user: CurrentUser) -> UserOut:
    return UserOut.of(user)


@router.patch("")
def update_me(body: ProfileIn, user: CurrentUser, session: DbSession) -> UserOut:
    return UserOut.of(registration.update_profile(session, user, display_name=body.display_name))


@router.post("/password")
def change_password(
    body: PasswordChangeIn, user: CurrentUser, session: DbSession, client: CallerClient
) -> Message:
    """Change the password; every other session and token of the account ends."""
    password_reset.change_password(
        session,
        user,
        current_password=body.current_password,
        new_password=body.new_password,
        client=client,
    )
    return Message(message="Password changed. Sign in again on your other devices.")


@router.get("/api-keys")
def list_api_keys(user: CurrentUser, session: DbSession) -> list[ApiKeyOut]:
    return [ApiKeyOut(**_key_out(k)) for k in api_keys.list_keys(session, user)]


@router.post("/api-keys", status_code=status.HTTP_201_CREATED)
def create_api_key(
    body: ApiKeyIn, user: CurrentUser, session: DbSession, client: CallerClient
) -> NewApiKeyOut:
    created = api_keys.create_key(session, user, name=body.name, ip=client.ip)
    return NewApiKeyOut(**_key_out(created.record), key=created.secret)


@router.delete("/api-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_api_key(key_id: int, user: CurrentUser, session: DbSession, client: CallerClient):
    api_keys.revoke_key(session, user, key_id, ip=client.ip)
