"""/api/v1/me: the caller's account, password, API keys and linked sign-in providers.

(The tools area adds the caller's Vercel token and generation quota under /me too.)"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from saasapp.accounts import api_keys, oauth, password_reset, registration
from saasapp.accounts.api.oauth import NextQuery, oauth_limit
from saasapp.http.bounds import IdPath, ProviderPath
from saasapp.http.deps import CallerClient, CurrentUser, DbSession
from saasapp.http.errors import error_responses
from saasapp.http.pagination import Page, PageQuery, paginate
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


class LinkedProviderOut(BaseModel):
    provider: str
    label: str
    email: str
    linked_at: datetime


class LinkUrlOut(BaseModel):
    url: str


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


@router.patch("", responses=error_responses(400))
def update_me(body: ProfileIn, user: CurrentUser, session: DbSession) -> UserOut:
    return UserOut.of(registration.update_profile(session, user, display_name=body.display_name))


@router.post(
    "/password",
    responses=error_responses(
        400, 401, described={401: "Not signed in, or invalid_credentials: wrong current password."}
    ),
)
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
def list_api_keys(user: CurrentUser, session: DbSession, page: PageQuery) -> Page[ApiKeyOut]:
    """The caller's API keys that are not revoked, newest first."""
    keys, next_cursor = paginate(session, api_keys.keys_query(user), page)
    return Page[ApiKeyOut](items=[ApiKeyOut(**_key_out(k)) for k in keys], next_cursor=next_cursor)


@router.post(
    "/api-keys",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, described={400: "invalid_name or too_many_keys."}),
)
def create_api_key(
    body: ApiKeyIn, user: CurrentUser, session: DbSession, client: CallerClient
) -> NewApiKeyOut:
    created = api_keys.create_key(session, user, name=body.name, ip=client.ip)
    return NewApiKeyOut(**_key_out(created.record), key=created.secret)


@router.delete(
    "/api-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(404)
)
def revoke_api_key(key_id: IdPath, user: CurrentUser, session: DbSession, client: CallerClient):
    api_keys.revoke_key(session, user, key_id, ip=client.ip)


@router.get("/oauth")
def my_providers(user: CurrentUser, session: DbSession, page: PageQuery) -> Page[LinkedProviderOut]:
    """The sign-in providers linked to the caller's account, newest first."""
    labels = {p.name: p.label for p in oauth.available_providers()}
    linked, next_cursor = paginate(session, oauth.linked_query(user), page)
    return Page[LinkedProviderOut](
        items=[
            LinkedProviderOut(
                provider=a.provider,
                label=labels.get(a.provider, a.provider),
                email=a.email,
                linked_at=a.created_at,
            )
            for a in linked
        ],
        next_cursor=next_cursor,
    )


@router.post(
    "/oauth/{provider}/link-url",
    dependencies=[oauth_limit],
    responses=error_responses(404, described={404: "unknown_provider: not configured here."}),
)
def link_url(provider: ProviderPath, user: CurrentUser, next_path: NextQuery = "/") -> LinkUrlOut:
    """A provider URL to open in a browser: the identity it confirms is linked to the caller."""
    url = oauth.begin(provider, next_path, oauth.callback_url(provider), link_user_id=user.id)
    return LinkUrlOut(url=url)


@router.delete(
    "/oauth/{provider}",
    responses=error_responses(
        404,
        409,
        described={
            404: "not_linked: the provider is not linked to the account.",
            409: "last_sign_in_method: the account would have no way to sign in.",
        },
    ),
)
def unlink(
    provider: ProviderPath, user: CurrentUser, session: DbSession, client: CallerClient
) -> Message:
    """Unlink a provider (409 ``last_sign_in_method`` if it is the only way to sign in)."""
    oauth.unlink(session, user, provider, client=client)
    return Message(message="Unlinked.")
