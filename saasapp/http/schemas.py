"""Request and response bodies shared by the account routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from saasapp.accounts.models import User

EmailField = Field(min_length=3, max_length=254)
PasswordField = Field(min_length=1, max_length=1024)
CodeField = Field(min_length=1, max_length=32)


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str
    role: str
    email_verified: bool
    banned: bool
    totp_enabled: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            role=user.role,
            email_verified=user.email_verified_at is not None,
            banned=user.banned,
            totp_enabled=user.totp_enabled,
            created_at=user.created_at,
        )


class TokenPairOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 (the OAuth 2 token type)
    expires_in: int


class Message(BaseModel):
    message: str
