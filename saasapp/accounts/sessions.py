"""Signed-in state: browser sessions, API token pairs with rotating refresh tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from saasapp.accounts import access_tokens
from saasapp.accounts.models import BrowserSession, RefreshToken, User
from saasapp.core import audit
from saasapp.core.audit import AuditAction
from saasapp.core.columns import utcnow
from saasapp.core.crypto import new_token, token_hash
from saasapp.core.errors import Forbidden, NotFound, Unauthorized
from saasapp.settings import get_settings

SESSION_PREFIX = "bs_"
REFRESH_PREFIX = "rt_"
LAST_SEEN_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 (the OAuth 2 token type)


# Browser sessions


def start_browser_session(
    session: Session, user: User, *, user_agent: str = "", ip: str = ""
) -> str:
    """A new session for ``user``; returns the token the browser keeps (commits)."""
    token = new_token(SESSION_PREFIX)
    now = utcnow()
    session.add(
        BrowserSession(
            user_id=user.id,
            token_hash=token_hash(token),
            user_agent=user_agent[:300],
            ip=ip[:64],
            last_seen_at=now,
            expires_at=now + timedelta(days=get_settings().session_days),
        )
    )
    session.commit()
    return token


def user_for_browser_session(session: Session, token: str) -> User | None:
    """The signed-in user of a browser token, or None if unknown, revoked, expired or banned."""
    if not token or not token.startswith(SESSION_PREFIX):
        return None
    record = session.scalars(
        select(BrowserSession).where(BrowserSession.token_hash == token_hash(token))
    ).first()
    now = utcnow()
    if record is None or record.revoked_at is not None or record.expires_at <= now:
        return None
    user = session.get(User, record.user_id)
    if user is None or user.banned:
        return None
    if record.last_seen_at is None or now - record.last_seen_at > LAST_SEEN_EVERY:
        record.last_seen_at = now
        session.add(record)
        session.commit()
    return user


def end_browser_session(session: Session, token: str) -> None:
    session.execute(
        update(BrowserSession)
        .where(BrowserSession.token_hash == token_hash(token), BrowserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()


def list_browser_sessions(session: Session, user: User) -> list[BrowserSession]:
    query = (
        select(BrowserSession)
        .where(
            BrowserSession.user_id == user.id,
            BrowserSession.revoked_at.is_(None),
            BrowserSession.expires_at > utcnow(),
        )
        .order_by(BrowserSession.last_seen_at.desc())
    )
    return list(session.scalars(query).all())


def is_current(record: BrowserSession, token: str) -> bool:
    return record.token_hash == token_hash(token)


def revoke_browser_session(session: Session, user: User, session_id: int, *, ip: str = ""):
    record = session.get(BrowserSession, session_id)
    if record is None or record.user_id != user.id:
        raise NotFound("not_found", "No such session.")
    record.revoked_at = utcnow()
    session.add(record)
    audit.record(session, AuditAction.SESSION_REVOKED, user_id=user.id, ip=ip)
    session.commit()


# API tokens


def issue_token_pair(session: Session, user: User, *, family: str | None = None) -> TokenPair:
    """A new access JWT and refresh token (a new family unless rotating one); commits."""
    refresh = new_token(REFRESH_PREFIX)
    session.add(
        RefreshToken(
            user_id=user.id,
            family=family or uuid.uuid4().hex,
            token_hash=token_hash(refresh),
            expires_at=utcnow() + timedelta(days=get_settings().refresh_token_days),
        )
    )
    session.commit()
    access, lifetime = access_tokens.issue(user.id)
    return TokenPair(access_token=access, refresh_token=refresh, expires_in=lifetime)


def rotate_refresh_token(session: Session, refresh: str, *, ip: str = "") -> TokenPair:
    """Exchange a refresh token for a new pair. Presenting an already rotated token means it
    was stolen or replayed: its whole family is revoked."""
    invalid = Unauthorized("invalid_refresh_token", "Sign in again.")
    record = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash(refresh)).with_for_update()
    ).first()
    if record is None:
        raise invalid
    if record.rotated_at is not None or record.revoked_at is not None:
        if record.revoked_at is None or record.rotated_at is not None:
            _revoke_family(session, record.family)
            audit.record(session, AuditAction.REFRESH_REUSED, user_id=record.user_id, ip=ip)
            session.commit()
        raise invalid
    if record.expires_at <= utcnow():
        raise invalid
    user = session.get(User, record.user_id)
    if user is None or user.banned:
        raise Forbidden("account_banned", "This account is suspended.")
    record.rotated_at = utcnow()
    session.add(record)
    return issue_token_pair(session, user, family=record.family)


def _revoke_family(session: Session, family: str) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_refresh_token(session: Session, user: User, refresh: str) -> None:
    """Sign out one API client: its refresh token family ends."""
    record = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash(refresh))
    ).first()
    if record is not None and record.user_id == user.id:
        _revoke_family(session, record.family)
    audit.record(session, AuditAction.LOGOUT, user_id=user.id)
    session.commit()


def revoke_everything(session: Session, user: User) -> None:
    """End every browser session, refresh token and outstanding access token of ``user``
    (in the caller's transaction)."""
    now = utcnow()
    session.execute(
        update(BrowserSession)
        .where(BrowserSession.user_id == user.id, BrowserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    user.tokens_valid_after = now
    session.add(user)


def sign_out_everywhere(session: Session, user: User, *, ip: str = "") -> None:
    revoke_everything(session, user)
    audit.record(session, AuditAction.LOGOUT_ALL, user_id=user.id, ip=ip)
    session.commit()


def user_for_access_token(session: Session, token: str) -> User:
    try:
        claims = access_tokens.verify(token)
    except access_tokens.InvalidAccessToken as exc:
        raise Unauthorized("invalid_token", "The access token is invalid or expired.") from exc
    user = session.get(User, claims.user_id)
    if user is None:
        raise Unauthorized("invalid_token", "The access token is invalid or expired.")
    cutoff = user.tokens_valid_after
    if cutoff is not None and claims.issued_at < round(cutoff.timestamp(), 3):
        raise Unauthorized("invalid_token", "This token was revoked. Sign in again.")
    return user
