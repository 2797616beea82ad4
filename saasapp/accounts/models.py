"""Accounts: users, their ways to sign in, sessions, tokens and keys."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from saasapp.core.columns import created_at_field, required_timestamp_field, timestamp_field


class Role(StrEnum):
    ADMIN = "admin"
    USER = "user"
    PROMOTER = "promoter"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    display_name: str = Field(default="", max_length=80)
    password_hash: str | None = Field(default=None, max_length=100)
    role: str = Field(default=Role.USER, max_length=20, index=True)
    banned: bool = Field(default=False)
    email_verified_at: datetime | None = timestamp_field()
    referral_code: str = Field(default="", max_length=40)  # the code the user signed up with
    totp_secret: str | None = Field(default=None, max_length=300)  # encrypted at rest
    totp_enabled: bool = Field(default=False)
    password_changed_at: datetime | None = timestamp_field()
    # Access tokens issued before this instant are refused (sign-out everywhere, new password).
    tokens_valid_after: datetime | None = timestamp_field()
    last_login_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class CodePurpose(StrEnum):
    VERIFY = "verify"
    LOGIN = "login"
    RESET = "reset"


class OneTimeCode(SQLModel, table=True):
    """A 6-digit code (verification, passwordless login) or a reset link token, stored hashed."""

    __tablename__ = "one_time_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    purpose: str = Field(max_length=20, index=True)
    code_hash: str = Field(max_length=64)
    link_token_hash: str = Field(default="", max_length=64, index=True)
    attempts: int = Field(default=0)
    expires_at: datetime = required_timestamp_field()
    used_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class BrowserSession(SQLModel, table=True):
    """A signed-in browser; the client holds the token, the server its hash."""

    __tablename__ = "browser_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_agent: str = Field(default="", max_length=300)
    ip: str = Field(default="", max_length=64)
    created_at: datetime = created_at_field()
    last_seen_at: datetime | None = timestamp_field()
    expires_at: datetime = required_timestamp_field()
    revoked_at: datetime | None = timestamp_field()


class RefreshToken(SQLModel, table=True):
    """A rotating refresh token; every token descended from one login shares a family."""

    __tablename__ = "refresh_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    family: str = Field(max_length=40, index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = required_timestamp_field()
    rotated_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    prefix: str = Field(max_length=16, index=True)  # shown in lists to tell keys apart
    key_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = created_at_field()
    last_used_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()


class OAuthAccount(SQLModel, table=True):
    __tablename__ = "oauth_account"
    __table_args__ = (UniqueConstraint("provider", "subject", name="uq_oauth_provider_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    provider: str = Field(max_length=20)
    subject: str = Field(max_length=200)
    email: str = Field(default="", max_length=254)
    created_at: datetime = created_at_field()


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = timestamp_field()
