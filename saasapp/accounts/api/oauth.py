"""Sign-in with Google, GitHub and X: /api/v1/auth/oauth/* (browser redirects). The caller's
linked providers are under /api/v1/me/oauth (``saasapp.accounts.api.me``)."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Cookie, Depends, Query, status
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from saasapp.accounts import oauth, sessions, two_factor
from saasapp.core.crypto import new_token
from saasapp.core.errors import ServiceError
from saasapp.http.bounds import ProviderPath
from saasapp.http.deps import CallerClient, DbSession, rate_limit
from saasapp.http.errors import error_responses
from saasapp.settings import get_settings

router = APIRouter(tags=["oauth"])

oauth_limit = Depends(rate_limit("30/minute", "oauth-ip"))

# Where the browser lands: the page that keeps the session token, and the login page.
COMPLETE_PATH = "/auth/complete"
LOGIN_PATH = "/login"

# The session token travels in the query of the last redirect: keep it out of caches and
# out of the Referer header of whatever the next page loads.
_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

# The browser that starts a sign-in keeps a secret in this cookie; the callback accepts the
# flow only from that browser. SameSite=Lax still sends it on the provider's redirect back.
BROWSER_COOKIE = "saasapp_oauth"
_COOKIE_PATH = "/api/v1/auth/oauth"
_BROWSER_KEY = re.compile(r"[A-Za-z0-9_-]{32,100}")


class ProviderOut(BaseModel):
    name: str
    label: str
    login_url: str


class ProvidersOut(BaseModel):
    items: list[ProviderOut]


NextQuery = Annotated[
    str,
    Query(alias="next", max_length=2000, description="Local path to open after signing in."),
]
BrowserCookie = Annotated[str, Cookie(alias=BROWSER_COOKIE)]
_UNKNOWN_PROVIDER = error_responses(404, described={404: "unknown_provider: not configured here."})


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_302_FOUND, headers=_NO_STORE)


def _login_error(code: str) -> RedirectResponse:
    return _redirect(f"{LOGIN_PATH}?{urlencode({'error': code})}")


@router.get("/auth/oauth/providers")
def list_providers() -> ProvidersOut:
    """The providers configured on this server (the login page shows a button for each)."""
    return ProvidersOut(
        items=[
            ProviderOut(name=p.name, label=p.label, login_url=f"/api/v1/auth/oauth/{p.name}/login")
            for p in oauth.available_providers()
        ]
    )


@router.get(
    "/auth/oauth/{provider}/login",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    dependencies=[oauth_limit],
    responses={302: {"description": "To the provider's consent page."}, **_UNKNOWN_PROVIDER},
)
def oauth_login(
    provider: ProviderPath, next_path: NextQuery = "/", browser_key: BrowserCookie = ""
) -> RedirectResponse:
    """Start signing in with ``provider`` (404 ``unknown_provider`` when not configured)."""
    # One key per browser, so that sign-ins started in two tabs both finish.
    if not _BROWSER_KEY.fullmatch(browser_key):
        browser_key = new_token()
    url = oauth.begin(provider, next_path, oauth.callback_url(provider), browser_key=browser_key)
    response = _redirect(url)
    response.set_cookie(
        BROWSER_COOKIE,
        browser_key,
        max_age=oauth.STATE_TTL_SECONDS,
        path=_COOKIE_PATH,
        secure=get_settings().public_url.startswith("https://"),
        httponly=True,
        samesite="lax",
    )
    return response


@router.get(
    "/auth/oauth/{provider}/callback",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    dependencies=[oauth_limit],
    responses={
        302: {
            "description": f"Signed in: to {COMPLETE_PATH}?token=<session token>&next=<path>. "
            "Linked (a flow from link-url): to the next path, with no new session. "
            f"Refused: to {LOGIN_PATH}?error=<code>."
        }
    },
)
def oauth_callback(
    provider: ProviderPath,
    session: DbSession,
    client: CallerClient,
    code: Annotated[str, Query(max_length=2000)] = "",
    state: Annotated[str, Query(max_length=200)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
    browser_key: BrowserCookie = "",
) -> RedirectResponse:
    """Where the provider sends the browser back: a browser session starts on success."""
    if error:
        oauth.discard_state(state)
        return _login_error("access_denied" if error == "access_denied" else "provider_error")
    try:
        result = oauth.complete(
            session,
            provider,
            code,
            state,
            oauth.callback_url(provider),
            browser_key=browser_key or None,
            client=client,
        )
    except ServiceError as exc:
        return _login_error(exc.code)
    if result.link_flow:
        # The browser finishing a link flow proved nothing about who it is: no session for it.
        return _redirect(result.next_path)
    if result.user.totp_enabled:  # the provider is one factor; the account asks for two
        pending = two_factor.start_pending(result.user.id, result.next_path)
        return _redirect(f"{LOGIN_PATH}?{urlencode({'second_factor': pending})}")
    token = sessions.start_browser_session(
        session, result.user, user_agent=client.user_agent, ip=client.ip
    )
    return _redirect(f"{COMPLETE_PATH}?{urlencode({'token': token, 'next': result.next_path})}")
