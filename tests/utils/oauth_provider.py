"""A small OAuth 2.0 / OpenID Connect provider on 127.0.0.1 for tests.

It speaks real HTTP and checks what a real provider checks: the client's id and secret, the
grant type, the redirect URI of the code, single-use codes, and PKCE (S256 of the verifier must
equal the challenge given at authorization). It answers like Google (``/userinfo``), GitHub
(``/user`` and ``/user/emails``) and X (``/2/users/me``). The consent step approves at once,
for the account in ``provider.account``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from tests.utils.loopback import LoopbackServer

CLIENT_ID = "test-client"
CLIENT_SECRET = "test-client-secret"


@dataclass
class Account:
    """The provider-side account the next consent approves."""

    subject: str = "subject-1"
    email: str = "ada@example.com"
    email_verified: bool = True
    name: str = "Ada Lovelace"


@dataclass
class Grant:
    account: Account
    client_id: str
    redirect_uri: str
    code_challenge: str
    code_challenge_method: str
    used: bool = False


@dataclass
class TokenAttempt:
    """One call of the token endpoint and how it was judged."""

    code: str
    code_verifier: str
    client_auth: str  # "basic" (Authorization header) or "post" (form fields)
    outcome: str  # "ok" or the OAuth error returned


@dataclass
class OAuthProvider:
    account: Account = field(default_factory=Account)
    deny: bool = False  # the user declines at the consent page
    github_emails_status: int = 200  # 404: as GitHub answers without the user:email scope
    authorize_requests: list[dict] = field(default_factory=list)
    token_attempts: list[TokenAttempt] = field(default_factory=list)
    grants: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, Account] = field(default_factory=dict)
    base_url: str = ""

    def reset(self) -> None:
        self.account = Account()
        self.deny = False
        self.github_emails_status = 200
        self.authorize_requests.clear()
        self.token_attempts.clear()
        self.grants.clear()
        self.tokens.clear()

    # Endpoints

    async def authorize(self, request: Request):
        params = dict(request.query_params)
        self.authorize_requests.append(params)
        redirect_uri = params.get("redirect_uri", "")
        if params.get("client_id") != CLIENT_ID or not redirect_uri:
            return JSONResponse({"error": "invalid_client"}, status_code=400)
        if self.deny:
            query = {"error": "access_denied", "state": params.get("state", "")}
            return RedirectResponse(f"{redirect_uri}?{urlencode(query)}", status_code=302)
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            account=Account(**vars(self.account)),
            client_id=params["client_id"],
            redirect_uri=redirect_uri,
            code_challenge=params.get("code_challenge", ""),
            code_challenge_method=params.get("code_challenge_method", ""),
        )
        query = {"code": code, "state": params.get("state", "")}
        return RedirectResponse(f"{redirect_uri}?{urlencode(query)}", status_code=302)

    async def token(self, request: Request):
        form = dict(await request.form())
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        auth = request.headers.get("authorization", "")
        client_auth = "post"
        if auth.lower().startswith("basic "):
            client_auth = "basic"
            decoded = base64.b64decode(auth[6:]).decode()
            client_id, _, client_secret = decoded.partition(":")
        code, verifier = form.get("code", ""), form.get("code_verifier", "")

        def refuse(error: str, status: int = 400):
            self.token_attempts.append(TokenAttempt(code, verifier, client_auth, error))
            return JSONResponse({"error": error}, status_code=status)

        if client_id != CLIENT_ID or client_secret != CLIENT_SECRET:
            return refuse("invalid_client", 401)
        if form.get("grant_type") != "authorization_code":
            return refuse("unsupported_grant_type")
        grant = self.grants.get(code)
        if grant is None or grant.used or grant.client_id != client_id:
            return refuse("invalid_grant")
        grant.used = True  # single use, even when the rest of the request is wrong
        if form.get("redirect_uri") != grant.redirect_uri:
            return refuse("invalid_grant")
        if grant.code_challenge_method != "S256" or not verifier:
            return refuse("invalid_request")
        if s256(verifier) != grant.code_challenge:
            return refuse("invalid_grant")
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant.account
        self.token_attempts.append(TokenAttempt(code, verifier, client_auth, "ok"))
        return JSONResponse(
            {"access_token": access_token, "token_type": "Bearer", "expires_in": 3600}
        )

    def _account_for(self, request: Request) -> Account | None:
        auth = request.headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            return None
        return self.tokens.get(auth[7:])

    async def userinfo(self, request: Request):
        account = self._account_for(request)
        if account is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse(
            {
                "sub": account.subject,
                "email": account.email,
                "email_verified": account.email_verified,
                "name": account.name,
            }
        )

    async def github_user(self, request: Request):
        account = self._account_for(request)
        if account is None:
            return JSONResponse({"message": "Bad credentials"}, status_code=401)
        # Only a public email shows here, and nothing says whether it is verified.
        user = {"id": int(account.subject), "login": "ada", "name": account.name}
        return JSONResponse({**user, "email": account.email})

    async def github_emails(self, request: Request):
        account = self._account_for(request)
        if account is None:
            return JSONResponse({"message": "Bad credentials"}, status_code=401)
        if self.github_emails_status != 200:
            return JSONResponse({"message": "Not Found"}, status_code=self.github_emails_status)
        return JSONResponse(
            [
                {"email": "old@example.org", "primary": False, "verified": True},
                {"email": account.email, "primary": True, "verified": account.email_verified},
            ]
        )

    async def x_me(self, request: Request):
        account = self._account_for(request)
        if account is None:
            return JSONResponse({"title": "Unauthorized"}, status_code=401)
        return JSONResponse(
            {"data": {"id": account.subject, "name": account.name, "username": "ada"}}
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/userinfo", self.userinfo),
                Route("/user", self.github_user),
                Route("/user/emails", self.github_emails),
                Route("/2/users/me", self.x_me),
            ]
        )

    def settings(self, *providers: str) -> dict[str, str]:
        """Setting overrides pointing ``providers`` (google, github, x) at this server."""
        base = self.base_url
        values = {
            "google": {
                "google_authorize_url": f"{base}/authorize",
                "google_token_url": f"{base}/token",
                "google_userinfo_url": f"{base}/userinfo",
            },
            "github": {
                "github_authorize_url": f"{base}/authorize",
                "github_token_url": f"{base}/token",
                "github_user_url": f"{base}/user",
                "github_emails_url": f"{base}/user/emails",
            },
            "x": {
                "x_authorize_url": f"{base}/authorize",
                "x_token_url": f"{base}/token",
                "x_userinfo_url": f"{base}/2/users/me",
            },
        }
        overrides: dict[str, str] = {}
        for name in providers:
            overrides[f"{name}_client_id"] = CLIENT_ID
            overrides[f"{name}_client_secret"] = CLIENT_SECRET
            overrides.update(values[name])
        return overrides


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class ProviderServer:
    """Runs an ``OAuthProvider`` on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.provider = OAuthProvider()
        self._loopback = LoopbackServer("test OAuth provider")
        self.provider.base_url = self._loopback.url

    def start(self) -> ProviderServer:
        self._loopback.start(self.provider.app())
        return self

    def stop(self) -> None:
        self._loopback.stop()
