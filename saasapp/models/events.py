"""Platform events (transactional outbox) and their per-subscriber deliveries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from saasapp.models.base import UTCDateTime, created_at_field, timestamp_field, utcnow


class PlatformEvent(SQLModel, table=True):
    """Something that happened, written in the same transaction as the change it describes."""

    __tablename__ = "platform_event"

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(max_length=100, index=True)
    aggregate: str = Field(default="", max_length=200, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    actor_id: int | None = Field(default=None, index=True)
    created_at: datetime = created_at_field()
    dispatched_at: datetime | None = timestamp_field(index=True)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class EventDelivery(SQLModel, table=True):
    """One subscriber's handling of one event: recorded so a retry never runs it twice."""

    __tablename__ = "event_delivery"
    __table_args__ = (UniqueConstraint("event_id", "subscriber", name="uq_delivery_subscriber"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="platform_event.id", index=True, ondelete="CASCADE")
    subscriber: str = Field(max_length=100, index=True)
    status: str = Field(default=DeliveryStatus.PENDING, max_length=20, index=True)
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=2000)
    next_attempt_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )
    delivered_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
