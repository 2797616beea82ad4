"""The table registry: importing this package imports every area's tables (Alembic reads it)."""

from saasapp.accounts.models import (
    ApiKey,
    BrowserSession,
    CodePurpose,
    OAuthAccount,
    OneTimeCode,
    RecoveryCode,
    RefreshToken,
    Role,
    User,
)
from saasapp.core.models import (
    AuditEntry,
    DeliveryStatus,
    EmailMessage,
    EventDelivery,
    PlatformEvent,
)
from saasapp.tools.models import (
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
