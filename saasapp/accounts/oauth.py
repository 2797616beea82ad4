"""Sign-in and account linking with OAuth 2.0 / OpenID Connect providers.

``begin`` keeps what the second leg needs (provider, PKCE verifier, where to go next, the user
who is linking) in Redis under a random state for ten minutes; ``complete`` takes it back once
and only once, exchanges the code and decides which account the provider's identity opens:

1. the account already linked to that provider subject;
2. else, in a link flow, the signed-in user who started it;
3. else, the account with the same email, only if the provider verified that email;
4. else, a new account, again only with a verified email.

An email the provider has not verified never opens or creates an account: anyone can put any
address on a provider account, and linking on it would hand over the victim's account.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from saasapp.accounts import sessions
from saasapp.accounts.models import OAuthAccount, Role, User
from saasapp.accounts.registration import (
    NO_CLIENT,
    Client,
    clean_display_name,
    find_user,
    normalize_email,
)
from saasapp.core import audit
from saasapp.core.audit import AuditAction
from saasapp.core.columns import utcnow
from saasapp.core.crypto import same, token_hash
from saasapp.core.errors import Conflict, Forbidden, NotFound, ServiceError
from saasapp.core.events import emit
from saasapp.integrations import oauth_providers
from saasapp.integrations.oauth_providers import Profile, Provider, ProviderError
from saasapp.redis_conn import get_redis
from saasapp.settings import get_settings

STATE_TTL_SECONDS = 600
_STATE_KEY = "oauth:state:"
_MAX_NEXT_LENGTH = 2000


@dataclass(frozen=True)
class OAuthResult:
    user: User
    next_path: str
    created: bool  # a new account was made
    linked: bool  # the provider identity was linked to the account just now
    link_flow: bool = False  # started by a signed-in user to link, not to sign in


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    label: str


def state_key(state: str) -> str:
    return _STATE_KEY + state


def available_providers() -> list[ProviderInfo]:
    """The configured providers, for the login page."""
    return [ProviderInfo(p.name, p.label) for p in oauth_providers.configured_providers()]


def _provider(name: str) -> Provider:
    provider = oauth_providers.get_provider(name)
    if provider is None:
        raise NotFound("unknown_provider", f"Sign-in with '{name[:40]}' is not available.")
    return provider


# Browsers drop tabs and newlines inside URLs, so "/\t/evil.example" would become
# "//evil.example": refuse every control character and whitespace.
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f\\]")


def callback_url(provider: str) -> str:
    """The redirect URI to register with the provider."""
    base = get_settings().public_url.rstrip("/")
    return f"{base}/api/v1/auth/oauth/{provider}/callback"


def login_path(provider: str, next_path: str = "/") -> str:
    """Where a sign-in button points (the API starts the flow)."""
    return f"/api/v1/auth/oauth/{provider}/login?{urlencode({'next': safe_next(next_path)})}"


def safe_next(path: str | None) -> str:
    """``path`` if it is a path on this site, else "/" (no open redirect)."""
    if not path or len(path) > _MAX_NEXT_LENGTH or not path.startswith("/"):
        return "/"
    if path.startswith("//") or _UNSAFE_IN_PATH.search(path):
        return "/"
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return "/"
    return path


def begin(
    provider: str,
    next_path: str | None,
    redirect_uri: str,
    link_user_id: int | None = None,
    *,
    browser_key: str | None = None,
) -> str:
    """Start a sign-in (or, with ``link_user_id``, a link) flow; returns the provider's
    authorization URL. The state is single-use and lives ten minutes.

    ``browser_key`` is a secret the starting browser keeps (a cookie): ``complete`` then
    refuses the flow from any other browser, so nobody can finish a sign-in of theirs in a
    victim's browser (login CSRF)."""
    chosen = _provider(provider)
    state = oauth_providers.new_state()
    verifier = oauth_providers.new_code_verifier()
    url = chosen.authorization_url(redirect_uri=redirect_uri, state=state, code_verifier=verifier)
    record = {
        "provider": chosen.name,
        "code_verifier": verifier,
        "next": safe_next(next_path),
        "link_user_id": link_user_id,
        "browser_key_hash": token_hash(browser_key) if browser_key else None,
    }
    get_redis().set(state_key(state), json.dumps(record), ex=STATE_TTL_SECONDS)
    return url


def _take_state(state: str) -> dict | None:
    """The flow started under ``state``, removed so that it cannot be replayed."""
    if not state or len(state) > 200:
        return None
    raw = get_redis().getdel(state_key(state))
    return json.loads(raw) if raw else None


def discard_state(state: str) -> None:
    """Forget a flow the provider ended with an error (the user declined, ...)."""
    _take_state(state)


def complete(
    session: Session,
    provider: str,
    code: str,
    state: str,
    redirect_uri: str,
    *,
    browser_key: str | None = None,
    client: Client = NO_CLIENT,
) -> OAuthResult:
    """Finish the flow started by ``begin``: exchange the code with the PKCE verifier, read the
    profile and sign in, link or create the account (commits)."""
    flow = _take_state(state)
    if flow is None or flow.get("provider") != provider or not _same_browser(flow, browser_key):
        raise ServiceError(
            "invalid_state", "This sign-in link has expired or was already used. Try again."
        )
    chosen = _provider(provider)
    if not code:
        raise ServiceError("invalid_code", "The provider sent no authorization code.")
    try:
        profile = chosen.fetch_profile(
            code=code, redirect_uri=redirect_uri, code_verifier=flow["code_verifier"]
        )
    except ProviderError as exc:
        raise ServiceError(
            "provider_error", f"{chosen.label} did not confirm the sign-in. Try again."
        ) from exc
    link_user_id = flow.get("link_user_id")
    for attempt in range(2):
        try:
            user, created, linked = _resolve(session, chosen, profile, link_user_id, client)
            break
        except IntegrityError:
            # The same identity or email arrived twice at once: the other request won.
            session.rollback()
            if attempt:
                raise
        except ServiceError:
            session.rollback()
            raise
    return OAuthResult(
        user=user,
        next_path=flow.get("next") or "/",
        created=created,
        linked=linked,
        link_flow=link_user_id is not None,
    )


def _same_browser(flow: dict, browser_key: str | None) -> bool:
    expected = flow.get("browser_key_hash")
    if not expected:
        return True  # a flow started without a browser (a link URL asked for over the API)
    return bool(browser_key) and same(expected, token_hash(browser_key))


def _email_of(profile: Profile) -> str:
    if not profile.email:
        return ""
    try:
        return normalize_email(profile.email)
    except ServiceError:
        return ""


def _resolve(
    session: Session, provider: Provider, profile: Profile, link_user_id: int | None, client
) -> tuple[User, bool, bool]:
    email = _email_of(profile)
    verified = profile.email_verified and bool(email)
    account = _account(session, provider.name, profile.subject)
    if account is not None:
        user = session.get(User, account.user_id)
        if link_user_id is not None and user.id != link_user_id:
            raise Conflict(
                "provider_account_in_use",
                f"This {provider.label} account is linked to another saasapp account.",
            )
        if email and account.email != email:
            account.email = email
            session.add(account)
        return _sign_in(session, user, provider, client), False, False

    if link_user_id is not None:
        user = session.get(User, link_user_id)
        if user is None:
            raise ServiceError("invalid_state", "Sign in again, then link the account.")
        _link(session, user, provider, profile, email, client)
        return _sign_in(session, user, provider, client), False, True

    if not provider.shares_email:
        raise Forbidden(
            "provider_not_linked",
            f"{provider.label} does not share your email address, so it cannot open an account "
            f"by itself. Sign in another way first, then link {provider.label} from your "
            "account page.",
        )
    if not verified:
        raise Forbidden(
            "email_not_verified_by_provider",
            f"Your {provider.label} email address is not verified. Verify it with "
            f"{provider.label}, or sign in another way and link {provider.label} from your "
            "account page.",
        )

    user = find_user(session, email)
    if user is not None:
        if user.banned:
            raise Forbidden("account_banned", "This account is suspended.")
        if user.email_verified_at is None:
            _claim_unverified_account(session, user, client)
        _link(session, user, provider, profile, email, client)
        return _sign_in(session, user, provider, client), False, True

    user = _create_user(session, provider, profile, email, client)
    _link(session, user, provider, profile, email, client)
    return _sign_in(session, user, provider, client), True, True


def _account(session: Session, provider: str, subject: str) -> OAuthAccount | None:
    query = select(OAuthAccount).where(
        OAuthAccount.provider == provider, OAuthAccount.subject == subject
    )
    return session.scalars(query).first()


def _link(
    session: Session, user: User, provider: Provider, profile: Profile, email: str, client
) -> None:
    if user.banned:
        raise Forbidden("account_banned", "This account is suspended.")
    other = session.scalars(
        select(OAuthAccount).where(
            OAuthAccount.user_id == user.id, OAuthAccount.provider == provider.name
        )
    ).first()
    if other is not None:
        raise Conflict(
            "provider_already_linked",
            f"Another {provider.label} account is linked already. Unlink it first.",
        )
    session.add(
        OAuthAccount(user_id=user.id, provider=provider.name, subject=profile.subject, email=email)
    )
    audit.record(session, AuditAction.PROVIDER_LINKED, user_id=user.id, ip=client.ip,
                 provider=provider.name)  # fmt: skip


def _claim_unverified_account(session: Session, user: User, client) -> None:
    """The provider proved the address; whoever registered it unverified did not. Their
    password and sessions end, so an account squatted before the owner arrived cannot be
    entered behind the owner's back."""
    user.password_hash = None
    user.email_verified_at = utcnow()
    sessions.revoke_everything(session, user)
    audit.record(session, AuditAction.EMAIL_VERIFIED, user_id=user.id, ip=client.ip,
                 method="oauth")  # fmt: skip
    emit(session, "user.verified", {"user_id": user.id}, actor_id=user.id,
         aggregate=f"user:{user.id}")  # fmt: skip


def _create_user(
    session: Session, provider: Provider, profile: Profile, email: str, client
) -> User:
    try:
        display_name = clean_display_name(profile.display_name[:80])
    except ServiceError:
        display_name = ""
    role = Role.ADMIN if email in get_settings().admin_email_set else Role.USER
    user = User(email=email, display_name=display_name, role=role, email_verified_at=utcnow())
    session.add(user)
    session.flush()
    audit.record(session, AuditAction.REGISTERED, user_id=user.id, ip=client.ip,
                 method=provider.name)  # fmt: skip
    audit.record(session, AuditAction.EMAIL_VERIFIED, user_id=user.id, ip=client.ip,
                 method=provider.name)  # fmt: skip
    emit(session, "user.registered", {"user_id": user.id, "referral_code": ""},
         actor_id=user.id, aggregate=f"user:{user.id}")  # fmt: skip
    emit(session, "user.verified", {"user_id": user.id}, actor_id=user.id,
         aggregate=f"user:{user.id}")  # fmt: skip
    return user


def _sign_in(session: Session, user: User, provider: Provider, client) -> User:
    if user is None or user.banned:
        session.rollback()
        raise Forbidden("account_banned", "This account is suspended.")
    user.last_login_at = utcnow()
    session.add(user)
    audit.record(session, AuditAction.LOGIN_OK, user_id=user.id, ip=client.ip,
                 method=provider.name)  # fmt: skip
    session.commit()
    return user


def linked_query(user: User) -> Select:
    """The provider identities linked to ``user`` (unordered, for paging)."""
    return select(OAuthAccount).where(OAuthAccount.user_id == user.id)


def linked_providers(session: Session, user: User) -> list[OAuthAccount]:
    """The provider identities linked to ``user``, oldest first."""
    return list(session.scalars(linked_query(user).order_by(OAuthAccount.id)).all())


def unlink(session: Session, user: User, provider: str, *, client: Client = NO_CLIENT) -> None:
    """Remove a linked provider, unless it is the account's last way to sign in (commits)."""
    linked = linked_providers(session, user)
    mine = [a for a in linked if a.provider == provider]
    if not mine:
        raise NotFound("not_linked", "This provider is not linked to your account.")
    if not user.password_hash and len(mine) == len(linked):
        raise Conflict(
            "last_sign_in_method",
            "This is your only way to sign in. Set a password or link another provider first.",
        )
    for account in mine:
        session.delete(account)
    audit.record(session, AuditAction.PROVIDER_UNLINKED, user_id=user.id, ip=client.ip,
                 provider=provider)  # fmt: skip
    session.commit()
