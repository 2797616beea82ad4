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
from saasapp.models.tools import (
    Generation,
    GenerationKind,
    GenerationStatus,
    Tool,
    ToolStatus,
    ToolVersion,
    VercelCredential,
    VersionSource,
)

__all__ = [
    "ApiKey",
    "AuditEntry",
    "BrowserSession",
    "CodePurpose",
    "DeliveryStatus",
    "EmailMessage",
    "EventDelivery",
    "Generation",
    "GenerationKind",
    "GenerationStatus",
    "OAuthAccount",
    "OneTimeCode",
    "PlatformEvent",
    "RecoveryCode",
    "RefreshToken",
    "Role",
    "Tool",
    "ToolStatus",
    "ToolVersion",
    "User",
    "VercelCredential",
    "VersionSource",
]
