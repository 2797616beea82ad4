"""OAuth 2.0 / OpenID Connect providers (Google, GitHub, X) through Authlib's httpx client.

Each provider is described by its endpoints (settings, defaulting to the provider's own), its
scopes and how to read a profile (subject, email, whether the provider verified that email)
from what it returns. The authorization code flow always uses PKCE (S256) and a state; the
caller keeps the state and the code verifier between the two legs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client

from saasapp.settings import Settings, get_settings

HTTP_TIMEOUT = 10.0


class ProviderError(Exception):
    """The provider refused (e.g. ``invalid_grant``) or could not be reached."""

    def __init__(self, provider: str, reason: str) -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason


@dataclass(frozen=True)
class Profile:
    """Who the provider says signed in."""

    subject: str  # the provider's stable account id
    email: str = ""  # as given; empty when the provider shares none
    email_verified: bool = False  # True only when the provider vouches for the address
    display_name: str = ""


ProfileReader = Callable[[OAuth2Client, "Provider"], Profile]


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    userinfo_url: str
    scope: str
    read_profile: ProfileReader
    token_endpoint_auth_method: str = "client_secret_basic"  # noqa: S105 (a method name)
    emails_url: str = ""
    shares_email: bool = True

    def _client(self, redirect_uri: str, **kwargs) -> OAuth2Client:
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method=self.token_endpoint_auth_method,
            scope=self.scope,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=HTTP_TIMEOUT,
            **kwargs,
        )

    def authorization_url(self, *, redirect_uri: str, state: str, code_verifier: str) -> str:
        """Where to send the browser: the provider's consent page for this client."""
        with self._client(redirect_uri) as client:
            url, _state = client.create_authorization_url(
                self.authorize_url, state=state, code_verifier=code_verifier
            )
        return url

    def fetch_profile(self, *, code: str, redirect_uri: str, code_verifier: str) -> Profile:
        """Exchange the code (with the PKCE verifier) for a token, then read the profile."""
        try:
            with self._client(redirect_uri) as client:
                client.fetch_token(
                    self.token_url,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                )
                return self.read_profile(client, self)
        except ProviderError:
            raise
        except Exception as exc:  # network errors, OAuth errors, unexpected JSON
            raise ProviderError(self.name, _reason(exc)) from exc


def _reason(exc: Exception) -> str:
    error = getattr(exc, "error", None)  # authlib's OAuthError carries the OAuth error code
    return str(error) if error else type(exc).__name__


def _get_json(client: OAuth2Client, url: str) -> object:
    response = client.get(url, headers={"Accept": "application/json"})
    response.raise_for_status()
    return response.json()


def _truthy(value: object) -> bool:
    # Some OIDC providers send email_verified as the string "true".
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _read_oidc(client: OAuth2Client, provider: Provider) -> Profile:
    claims = _get_json(client, provider.userinfo_url)
    if not isinstance(claims, dict) or not claims.get("sub"):
        raise ProviderError(provider.name, "userinfo without a subject")
    return Profile(
        subject=str(claims["sub"]),
        email=str(claims.get("email") or ""),
        email_verified=_truthy(claims.get("email_verified")),
        display_name=str(claims.get("name") or ""),
    )


def _read_github(client: OAuth2Client, provider: Provider) -> Profile:
    user = _get_json(client, provider.userinfo_url)
    if not isinstance(user, dict) or user.get("id") in (None, ""):
        raise ProviderError(provider.name, "user without an id")
    email, verified = str(user.get("email") or ""), False
    # /user shows only a public email and says nothing of verification: /user/emails does.
    # Without the user:email scope it answers 403/404: the email then counts as unverified.
    emails = []
    if provider.emails_url:
        response = client.get(provider.emails_url, headers={"Accept": "application/json"})
        emails = response.json() if response.status_code == 200 else []
    if isinstance(emails, list):
        primary = next((e for e in emails if isinstance(e, dict) and e.get("primary")), None)
        if primary is not None:
            email, verified = str(primary.get("email") or ""), primary.get("verified") is True
    return Profile(
        subject=str(user["id"]),
        email=email,
        email_verified=verified and bool(email),
        display_name=str(user.get("name") or user.get("login") or ""),
    )


def _read_x(client: OAuth2Client, provider: Provider) -> Profile:
    body = _get_json(client, provider.userinfo_url)
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or not data.get("id"):
        raise ProviderError(provider.name, "user without an id")
    # X's API shares no email address.
    return Profile(
        subject=str(data["id"]), display_name=str(data.get("name") or data.get("username") or "")
    )


def _all_providers(settings: Settings) -> list[Provider]:
    return [
        Provider(
            name="google",
            label="Google",
            client_id=settings.google_client_id,
            client_secret=settings.google_client_secret,
            authorize_url=settings.google_authorize_url,
            token_url=settings.google_token_url,
            userinfo_url=settings.google_userinfo_url,
            scope="openid email profile",
            read_profile=_read_oidc,
        ),
        Provider(
            name="github",
            label="GitHub",
            client_id=settings.github_client_id,
            client_secret=settings.github_client_secret,
            authorize_url=settings.github_authorize_url,
            token_url=settings.github_token_url,
            userinfo_url=settings.github_user_url,
            emails_url=settings.github_emails_url,
            scope="read:user user:email",
            read_profile=_read_github,
            token_endpoint_auth_method="client_secret_post",  # noqa: S106 (a method name)
        ),
        Provider(
            name="x",
            label="X",
            client_id=settings.x_client_id,
            client_secret=settings.x_client_secret,
            authorize_url=settings.x_authorize_url,
            token_url=settings.x_token_url,
            userinfo_url=settings.x_userinfo_url,
            scope="users.read tweet.read",
            read_profile=_read_x,
            shares_email=False,
        ),
    ]


PROVIDER_NAMES = ("google", "github", "x")


def configured_providers() -> list[Provider]:
    """The providers whose client id and secret are set, in display order."""
    return [p for p in _all_providers(get_settings()) if p.client_id and p.client_secret]


def get_provider(name: str) -> Provider | None:
    """A configured provider by name, or None (unknown or not configured)."""
    return next((p for p in configured_providers() if p.name == name), None)


def new_code_verifier() -> str:
    """A PKCE code verifier (RFC 7636: 43 to 128 characters)."""
    return generate_token(48)


def new_state() -> str:
    return generate_token(48)
