"""Core tables: platform events (transactional outbox) and their per-subscriber deliveries, the
security audit log, and every email the platform sends."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from saasapp.core.columns import UTCDateTime, created_at_field, timestamp_field, utcnow


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


class AuditEntry(SQLModel, table=True):
    """A security event: who did what to whom, from where."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(max_length=50, index=True)
    actor_id: int | None = Field(default=None, index=True)
    user_id: int | None = Field(default=None, index=True)
    ip: str = Field(default="", max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_at_field()


class EmailMessage(SQLModel, table=True):
    """Every email the platform sends; with no SMTP server configured this is the dev mailbox."""

    __tablename__ = "email_message"

    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=200)
    body_text: str
    status: str = Field(default="queued", max_length=20, index=True)  # queued|sent|failed|dev
    attempts: int = Field(default=0)
    error: str = Field(default="", max_length=1000)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()
