"""Personal API keys: shown once, stored hashed, usable as a bearer token or X-API-Key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlmodel import Session

from saasapp.accounts.models import ApiKey, User
from saasapp.core import audit
from saasapp.core.audit import AuditAction
from saasapp.core.columns import utcnow
from saasapp.core.crypto import new_token, token_hash
from saasapp.core.errors import NotFound, ServiceError

KEY_PREFIX = "sk_"
MAX_KEYS = 20


@dataclass(frozen=True)
class NewApiKey:
    record: ApiKey
    secret: str  # returned once, never stored


def create_key(session: Session, user: User, *, name: str, ip: str = "") -> NewApiKey:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise ServiceError("invalid_name", "Name the key (1 to 80 characters).", field="name")
    if len(list_keys(session, user)) >= MAX_KEYS:
        raise ServiceError("too_many_keys", f"At most {MAX_KEYS} keys: revoke one first.")
    secret = new_token(KEY_PREFIX)
    record = ApiKey(user_id=user.id, name=name, prefix=secret[:10], key_hash=token_hash(secret))
    session.add(record)
    session.flush()
    audit.record(session, AuditAction.API_KEY_CREATED, user_id=user.id, ip=ip, key_id=record.id)
    session.commit()
    return NewApiKey(record, secret)


def keys_query(user: User) -> Select:
    """The caller's keys that are not revoked (unordered, for paging)."""
    return select(ApiKey).where(ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None))


def list_keys(session: Session, user: User) -> list[ApiKey]:
    return list(session.scalars(keys_query(user).order_by(ApiKey.id.desc())).all())


def revoke_key(session: Session, user: User, key_id: int, *, ip: str = "") -> None:
    record = session.get(ApiKey, key_id)
    if record is None or record.user_id != user.id or record.revoked_at is not None:
        raise NotFound("not_found", "No such API key.")
    record.revoked_at = utcnow()
    session.add(record)
    audit.record(session, AuditAction.API_KEY_REVOKED, user_id=user.id, ip=ip, key_id=key_id)
    session.commit()


def user_for_key(session: Session, secret: str) -> User | None:
    if not secret.startswith(KEY_PREFIX):
        return None
    record = session.scalars(select(ApiKey).where(ApiKey.key_hash == token_hash(secret))).first()
    if record is None or record.revoked_at is not None:
        return None
    now = utcnow()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        record.last_used_at = now
        session.add(record)
        session.commit()
    return session.get(User, record.user_id)
