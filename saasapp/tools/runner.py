"""Running one generation in the worker: stream the page, then make it the current version.

``run_generation`` claims a queued generation (queued -> running), produces the page with the
offline generator or the configured model, and writes the text streamed so far into
``Generation.text`` at most every ``FLUSH_SECONDS`` (or ``FLUSH_CHARS`` characters). Between
chunks it checks the cancel flag set by ``generations.cancel_generation``. On success one
transaction adds the version, points the tool at it, records usage and emits
``tool.generated``; on failure or cancellation the error is recorded and the tool keeps its
previous version. A generation is never left ``running``: even a worker shutdown marks it
failed, and ``fail_stale_generations`` (periodic) catches a worker that was killed outright.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from saasapp.core import events
from saasapp.core.columns import utcnow
from saasapp.integrations.llm import LLMError, Usage, generator_label, llm_configured
from saasapp.log import get_logger
from saasapp.settings import get_settings
from saasapp.tools.generations import cancel_requested, clear_cancel
from saasapp.tools.generator import ai, offline
from saasapp.tools.generator import refine as offline_refine
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolSpec, spec_from_dict
from saasapp.tools.models import (
    Generation,
    GenerationKind,
    GenerationStatus,
    Tool,
    ToolStatus,
    ToolVersion,
    VersionSource,
)
from saasapp.tools.tools import add_version, unique_slug

log = get_logger(__name__)
SessionFactory = Callable[[], Session]
FLUSH_SECONDS = 0.15
FLUSH_CHARS = 4000
STALE_RUNNING = timedelta(minutes=15)
STALE_QUEUED = timedelta(hours=2)


class Cancelled(Exception):
    """The owner cancelled the generation."""


class GenerationFailed(Exception):
    """A failure whose message is meant for the user."""


@dataclass
class Result:
    html: str
    manifest: dict[str, Any]
    spec: ToolSpec | None = None  # a spec the model wrote (the tool takes its name)


class _Progress:
    """Collects streamed text and usage; writes the text to the database now and then."""

    def __init__(self, session_factory: SessionFactory, generation_id: int) -> None:
        self.session_factory = session_factory
        self.generation_id = generation_id
        self.parts: list[str] = []
        self.unsaved = 0
        self.last_flush = float("-inf")  # the first chunk is written at once: it shows progress
        self.usages: list[Usage] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.unsaved += len(chunk)
        if cancel_requested(self.generation_id):
            raise Cancelled
        if time.monotonic() - self.last_flush >= FLUSH_SECONDS or self.unsaved >= FLUSH_CHARS:
            self.flush()

    def restart(self) -> None:
        """Drop what was streamed (the next stream replaces it)."""
        self.parts = []
        self.flush()

    def flush(self) -> None:
        with self.session_factory() as session:
            session.execute(
                update(Generation).where(Generation.id == self.generation_id).values(text=self.text)
            )
            session.commit()
        self.unsaved = 0
        self.last_flush = time.monotonic()

    def stream(self, chunks: Iterable[str], delay: float = 0.0) -> None:
        for chunk in chunks:
            self.add(chunk)
            if delay:
                time.sleep(delay)


def _offline_delay() -> float:
    return get_settings().offline_stream_delay_ms / 1000


def _spec_of(generation: Generation) -> ToolSpec | None:
    return spec_from_dict(generation.spec) if generation.spec else None


def _build(generation: Generation, progress: _Progress) -> Result:
    spec = _spec_of(generation)
    if llm_configured():
        written = None
        if spec is None:
            spec = written = ai.llm_spec(Brief(generation.prompt), on_usage=progress.usages.append)
        stream = ai.llm_build_stream(spec)
        progress.stream(stream)
        progress.usages.append(stream.usage)
        manifest = ai.llm_manifest(spec).model_dump(mode="json")
        return Result(ai.extract_html(stream.text), manifest, written)
    built = offline.build_tool(spec or offline.draft_spec(Brief(generation.prompt)))
    progress.stream(offline.stream_chunks(built.html), _offline_delay())
    return Result(built.html, built.manifest.model_dump(mode="json"))


def _refine(generation: Generation, base: ToolVersion, progress: _Progress) -> Result:
    manifest = dict(base.manifest)
    if llm_configured():
        stream = ai.llm_refine_stream(base.html, generation.prompt)
        progress.stream(stream)
        progress.usages.append(stream.usage)
        manifest["generator"] = generator_label()
        return Result(ai.extract_html(stream.text), manifest)
    changes = offline_refine.understand(generation.prompt)
    if not changes:
        raise GenerationFailed(offline_refine.NOT_UNDERSTOOD)
    html = offline_refine.apply(base.html, changes)
    for change in changes:
        if change.kind == "title":
            manifest["name"] = change.value
    progress.stream(offline.stream_chunks(html), _offline_delay())
    return Result(html, manifest)


def _claim(session_factory: SessionFactory, generation_id: int) -> Generation | None:
    with session_factory() as session:
        claimed = session.execute(
            update(Generation)
            .where(Generation.id == generation_id, Generation.status == GenerationStatus.QUEUED)
            .values(status=GenerationStatus.RUNNING, started_at=utcnow())
        ).rowcount
        session.commit()
        return session.get(Generation, generation_id) if claimed else None


def _record_usage(generation: Generation, usages: list[Usage], started: float) -> None:
    usages = [u for u in usages if u is not None]
    generation.prompt_tokens = sum(u.prompt_tokens for u in usages)
    generation.completion_tokens = sum(u.completion_tokens for u in usages)
    generation.total_tokens = sum(u.total_tokens for u in usages)
    generation.tokens_estimated = any(u.estimated for u in usages)
    if usages:
        generation.provider, generation.model = usages[-1].provider, usages[-1].model
    generation.duration_ms = int((time.monotonic() - started) * 1000)


def _succeed(
    session: Session, generation: Generation, result: Result, progress: _Progress, started: float
) -> ToolVersion:
    tool = session.get(Tool, generation.tool_id)
    if result.spec is not None:  # the model named the tool
        tool.name, tool.tagline = result.spec.name, result.spec.tagline
        tool.description = result.spec.description
        tool.spec = result.spec.model_dump(mode="json")
        if tool.status != ToolStatus.PUBLISHED and tool.current_version_id is None:
            tool.slug = unique_slug(session, result.spec.slug, exclude_tool_id=tool.id)
    elif generation.kind == GenerationKind.REFINE and result.manifest.get("name"):
        tool.name = str(result.manifest["name"])[:80]
    refine = generation.kind == GenerationKind.REFINE
    version = add_version(
        session,
        tool,
        html=result.html,
        manifest=result.manifest,
        source=VersionSource.REFINE if refine else VersionSource.GENERATE,
        note=generation.prompt if refine else "",
        generation_id=generation.id,
    )
    generation.status = GenerationStatus.SUCCEEDED
    generation.text = progress.text
    generation.version_id = version.id
    generation.finished_at = utcnow()
    _record_usage(generation, progress.usages, started)
    session.add(generation)
    events.emit(
        session,
        "tool.generated",
        {
            "tool_id": tool.id,
            "generation_id": generation.id,
            "version": version.number,
            "kind": generation.kind,
            "generator": result.manifest.get("generator", tool.generator),
            "total_tokens": generation.total_tokens,
        },
        actor_id=generation.owner_id,
        aggregate=f"tool:{tool.id}",
    )
    session.commit()
    return version


def _finish(
    session_factory: SessionFactory,
    generation_id: int,
    status: GenerationStatus,
    error: str,
    progress: _Progress,
    started: float,
) -> None:
    with session_factory() as session:
        generation = session.get(Generation, generation_id)
        generation.status = status
        generation.error = error[:2000]
        generation.text = progress.text
        generation.finished_at = utcnow()
        _record_usage(generation, progress.usages, started)
        session.add(generation)
        session.commit()


def run_generation(generation_id: int, session_factory: SessionFactory) -> str:
    """Run a queued generation; returns its final status ("skipped" if it was not queued)."""
    started = time.monotonic()
    generation = _claim(session_factory, generation_id)
    if generation is None:
        return "skipped"
    progress = _Progress(session_factory, generation_id)
    status, error = GenerationStatus.FAILED, "The generation stopped unexpectedly."
    try:
        if cancel_requested(generation_id):
            raise Cancelled
        if generation.kind == GenerationKind.REFINE:
            with session_factory() as session:
                base = session.get(ToolVersion, generation.base_version_id)
            if base is None:
                raise GenerationFailed("The version to refine no longer exists.")
            result = _refine(generation, base, progress)
        else:
            result = _build(generation, progress)
        if not result.html.strip() or "<" not in result.html:
            raise GenerationFailed("The model's answer held no HTML page.")
        with session_factory() as session:
            _succeed(session, session.get(Generation, generation_id), result, progress, started)
        status, error = GenerationStatus.SUCCEEDED, ""
    except Cancelled:
        status, error = GenerationStatus.CANCELLED, "Cancelled."
    except (GenerationFailed, LLMError) as exc:
        error = str(exc)
    except SpecError as exc:
        error = str(exc)
    except Exception as exc:
        log.exception("generation_crashed", generation_id=generation_id)
        error = f"The generation failed: {type(exc).__name__}: {exc}"
    finally:
        if status != GenerationStatus.SUCCEEDED:
            _finish(session_factory, generation_id, status, error, progress, started)
        clear_cancel(generation_id)
    log.info("generation_finished", generation_id=generation_id, status=status, error=error)
    return str(status)


def fail_stale_generations(session_factory: SessionFactory) -> int:
    """Mark generations whose worker died (running too long, or never started) as failed."""
    now = utcnow()
    with session_factory() as session:
        running = session.execute(
            update(Generation)
            .where(
                Generation.status == GenerationStatus.RUNNING,
                Generation.started_at < now - STALE_RUNNING,
            )
            .values(
                status=GenerationStatus.FAILED,
                finished_at=now,
                error="The worker running this generation stopped. Try again.",
            )
        ).rowcount
        queued = session.execute(
            update(Generation)
            .where(
                Generation.status == GenerationStatus.QUEUED,
                Generation.created_at < now - STALE_QUEUED,
            )
            .values(
                status=GenerationStatus.FAILED,
                finished_at=now,
                error="No worker picked this generation up. Try again.",
            )
        ).rowcount
        session.commit()
    return int(running or 0) + int(queued or 0)
