"""Generated tools: the tool, its versions (one HTML page each), and the generations that
build them; plus each user's encrypted Vercel token."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from saasapp.core.columns import created_at_field, timestamp_field


class ToolStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class VersionSource(StrEnum):
    GENERATE = "generate"
    REFINE = "refine"
    REVERT = "revert"


class GenerationKind(StrEnum):
    GENERATE = "generate"
    REFINE = "refine"


class GenerationStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (self.SUCCEEDED, self.FAILED, self.CANCELLED)


class Tool(SQLModel, table=True):
    """A maker's tool. ``current_version_id`` is what the editor shows; the published page
    serves ``published_version_id`` (both ids of ``tool_version`` rows of this tool; no foreign
    key, so the two tables do not reference each other in a cycle)."""

    __tablename__ = "tool"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    slug: str = Field(max_length=60, unique=True, index=True)
    tagline: str = Field(default="", max_length=160)
    description: str = Field(default="", max_length=1000)
    status: str = Field(default=ToolStatus.DRAFT, max_length=20, index=True)
    current_version_id: int | None = Field(default=None)
    published_version_id: int | None = Field(default=None)
    published_at: datetime | None = timestamp_field()
    generator: str = Field(default="", max_length=200)  # "offline" or "<provider>/<model>"
    spec: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    manifest: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    vercel_deployment_id: str = Field(default="", max_length=100)
    vercel_url: str = Field(default="", max_length=300)
    vercel_status: str = Field(default="", max_length=40)
    vercel_updated_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


class ToolVersion(SQLModel, table=True):
    """One complete page of a tool; numbered 1, 2, ... per tool and never changed."""

    __tablename__ = "tool_version"
    __table_args__ = (UniqueConstraint("tool_id", "number", name="uq_tool_version_number"),)

    id: int | None = Field(default=None, primary_key=True)
    tool_id: int = Field(foreign_key="tool.id", index=True, ondelete="CASCADE")
    number: int
    html: str = Field(sa_column=Column(Text, nullable=False))
    manifest: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    source: str = Field(default=VersionSource.GENERATE, max_length=20)
    note: str = Field(default="", max_length=1000)  # the instruction, or "Reverted to v2"
    generation_id: int | None = Field(default=None)
    created_at: datetime = created_at_field()


class Generation(SQLModel, table=True):
    """One build or refinement, run by a worker; ``text`` grows while the page streams in."""

    __tablename__ = "generation"

    id: int | None = Field(default=None, primary_key=True)
    tool_id: int = Field(foreign_key="tool.id", index=True, ondelete="CASCADE")
    owner_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    kind: str = Field(default=GenerationKind.GENERATE, max_length=20)
    status: str = Field(default=GenerationStatus.QUEUED, max_length=20, index=True)
    prompt: str = Field(default="", sa_column=Column(Text, nullable=False))  # idea/instruction
    # The spec to build (generate); None: the model writes one from the prompt first.
    spec: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    base_version_id: int | None = Field(default=None)  # what a refinement starts from
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    provider: str = Field(default="", max_length=120)
    model: str = Field(default="", max_length=120)
    prompt_tokens: int = Field(default=0)
    completion_tokens: int = Field(default=0)
    total_tokens: int = Field(default=0)
    tokens_estimated: bool = Field(default=False)
    duration_ms: int = Field(default=0)
    error: str = Field(default="", max_length=2000)
    version_id: int | None = Field(default=None)
    created_at: datetime = created_at_field()
    started_at: datetime | None = timestamp_field()
    finished_at: datetime | None = timestamp_field()


class VercelCredential(SQLModel, table=True):
    """A user's Vercel token, encrypted with ``services.crypto.encrypt``; never shown again."""

    __tablename__ = "vercel_credential"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", unique=True, ondelete="CASCADE")
    token_encrypted: str = Field(max_length=2000)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()
