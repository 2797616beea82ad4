"""SQLModel tables, one module per domain; importing this package registers them all."""

from saasapp.models.accounts import (
    ApiKey,
    AuditEntry,
    BrowserSession,
    CodePurpose,
    EmailMessage,
    OAuthAccount,
    OneTimeCode,
    RecoveryCode,
    RefreshToken,
    Role,
    User,
)
from saasapp.models.events import DeliveryStatus, EventDelivery, PlatformEvent

__all__ = [
    "ApiKey",
    "AuditEntry",
    "BrowserSession",
    "CodePurpose",
    "DeliveryStatus",
    "EmailMessage",
    "EventDelivery",
    "OAuthAccount",
    "OneTimeCode",
    "PlatformEvent",
    "RecoveryCode",
    "RefreshToken",
    "Role",
    "User",
]
