"""Request and response bodies of the tools API (built from the services' ``*_info`` dicts)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from saasapp.http.bounds import Number
from saasapp.tools.generator.brief import Brief


class GenerateIn(BaseModel):
    prompt: str = Field("", max_length=4000, description="The idea, in a sentence or two.")
    spec: dict[str, Any] | None = Field(
        None,
        max_length=50,
        description="A spec from the wizard (POST /generator/spec), possibly edited.",
    )


class GenerationStarted(BaseModel):
    tool_id: int
    generation_id: int
    status: str
    status_url: str = Field(description="Poll this for the status and the text streamed so far.")


class GenerationOut(BaseModel):
    id: int
    tool_id: int
    kind: str
    status: str = Field(description="queued, running, succeeded, failed or cancelled.")
    finished: bool
    prompt: str
    text: str | None = Field(None, description="The page (or model answer) streamed so far.")
    text_length: int
    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    tokens_estimated: bool
    duration_ms: int
    error: str
    version_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class VercelOut(BaseModel):
    deployment_id: str
    url: str
    status: str
    updated_at: datetime | None


class ToolOut(BaseModel):
    id: int
    name: str
    slug: str
    tagline: str
    description: str
    status: str
    is_published: bool
    public_path: str | None
    generator: str
    offline: bool
    current_version: int | None
    published_version: int | None
    published_at: datetime | None
    manifest: dict[str, Any]
    spec: dict[str, Any]
    vercel: VercelOut | None
    created_at: datetime
    updated_at: datetime | None
    active_generation_id: int | None = None


class VersionOut(BaseModel):
    id: int
    tool_id: int
    number: int
    source: str
    note: str
    generation_id: int | None
    size_bytes: int
    created_at: datetime
    html: str | None = None


class DiffOut(BaseModel):
    from_version: int
    to_version: int
    diff: str = Field(description="Unified diff of the two pages' HTML; empty when identical.")


class RevertIn(BaseModel):
    version: Number


class RefineIn(BaseModel):
    instruction: str = Field(min_length=1, max_length=2000)


class PublishIn(BaseModel):
    slug: str | None = Field(None, max_length=60, description="A new slug (optional).")


class ProblemOut(BaseModel):
    code: str
    message: str


class PublishCheckOut(BaseModel):
    publishable: bool
    problems: list[ProblemOut]


class PreviewUrlOut(BaseModel):
    url: str
    expires_in: int


class VercelTokenIn(BaseModel):
    token: str = Field(max_length=500, description="Empty: forget the stored token.")


class VercelTokenOut(BaseModel):
    configured: bool


class QuotaOut(BaseModel):
    used: int
    limit: int
    remaining: int
    resets_at: datetime


class IdeaIn(BaseModel):
    idea: str = Field(min_length=1, max_length=4000)
    audience: str = Field("", max_length=200)
    category: str = Field("", max_length=80)
    features: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    style: str = Field("", max_length=200)
    answers: dict[Annotated[str, Field(max_length=500)], Annotated[str, Field(max_length=2000)]] | (
        None
    ) = Field(None, max_length=20, description="Answers to the clarifying questions.")

    def brief(self) -> Brief:
        return Brief(self.idea, self.audience, self.category, tuple(self.features), self.style)


class SpecDraftOut(BaseModel):
    spec: dict[str, Any]
    generator: str
    offline: bool


class QuestionsOut(BaseModel):
    questions: list[str]


class GeneratorOut(BaseModel):
    generator: str = Field(description='"offline" or "<provider>/<model>".')
    offline: bool
    example_ideas: list[str]
    archetypes: list[str]
    categories: list[str]
