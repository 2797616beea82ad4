"""SQLModel tables, one module per domain; importing this package registers them all."""

from saasapp.models.events import DeliveryStatus, EventDelivery, PlatformEvent

__all__ = ["DeliveryStatus", "EventDelivery", "PlatformEvent"]
