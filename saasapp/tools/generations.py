"""Starting, following and cancelling generations (builds and refinements of a tool).

A generation is created ``queued`` and run by a worker (``tool_runner.run_generation``), which
streams the page into ``Generation.text``. The UI polls ``get_generation`` (every 300-500 ms is
plenty: the worker writes the text at most every ~150 ms) until ``status`` is succeeded,
failed or cancelled; on success ``Generation.version_id`` is the new current version.

Every start counts against the user's daily quota (``GENERATION_DAILY_QUOTA`` per UTC day;
a generation that failed before the model used any token is not counted) and a rate limit.
"""

from __future__ import annotations

import contextlib
import functools
import secrets
from datetime import datetime, time, timedelta
from typing import Any, NamedTuple

from redis.exceptions import LockError
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from saasapp.accounts.models import User
from saasapp.core import rate_limit
from saasapp.core.columns import utcnow
from saasapp.core.errors import Conflict, NotFound, ServiceError, TooManyAttempts
from saasapp.integrations.llm import generator_label, llm_configured
from saasapp.queues import enqueue_after_commit
from saasapp.redis_conn import get_redis
from saasapp.settings import get_settings
from saasapp.tools.generator import offline
from saasapp.tools.generator import refine as offline_refine
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolSpec, spec_from_dict
from saasapp.tools.models import Generation, GenerationKind, GenerationStatus, Tool
from saasapp.tools.tools import get_tool, unique_slug

RUN_JOB = "saasapp.tools.jobs.run_generation"
CANCEL_KEY = "saasapp:generation:cancel:"
CANCEL_TTL_SECONDS = 3600
MAX_PROMPT = 4000
MAX_INSTRUCTION = 2000


class QuotaStatus(NamedTuple):
    used: int
    limit: int
    resets_at: datetime

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


def _day_start(now: datetime) -> datetime:
    return datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)


def quota_status(session: Session, user: User) -> QuotaStatus:
    """Generations the user started today (UTC), the daily limit, and when the count resets."""
    now = utcnow()
    start = _day_start(now)
    used = session.scalar(
        select(func.count(Generation.id)).where(
            Generation.owner_id == user.id,
            Generation.created_at >= start,
            or_(Generation.status != GenerationStatus.FAILED, Generation.total_tokens > 0),
        )
    )
    return QuotaStatus(
        int(used or 0), get_settings().generation_daily_quota, start + timedelta(days=1)
    )


def _check_quota_and_rate(session: Session, user: User) -> None:
    quota = quota_status(session, user)
    if quota.used >= quota.limit:
        retry_after = max(1, int((quota.resets_at - utcnow()).total_seconds()))
        raise TooManyAttempts(
            "quota_exceeded",
            f"You have used all {quota.limit} generations for today. The quota resets at "
            f"{quota.resets_at:%H:%M} UTC.",
            retry_after=retry_after,
        )
    rate_limit.enforce(get_settings().generation_rate_limit, "tool-generation", str(user.id))


def coerce_spec(spec: ToolSpec | dict[str, Any]) -> ToolSpec:
    """A validated spec, or ServiceError ``invalid_spec`` with one problem per field."""
    if isinstance(spec, ToolSpec):
        return spec
    try:
        return spec_from_dict(spec)
    except SpecError as exc:
        raise ServiceError("invalid_spec", exc.message, problems=exc.problems) from exc


def _one_start_at_a_time(start):
    """Two starts by one user at once could both pass the quota check before either commits:
    each user's starts take turns (a Redis lock, shared by every web process)."""

    @functools.wraps(start)
    def wrapper(session: Session, user: User, **kwargs):
        lock = get_redis().lock(f"saasapp:generation-start:{user.id}", timeout=30)
        if not lock.acquire(blocking_timeout=10):
            raise TooManyAttempts(
                "rate_limited", "Another build is being started: try again.", retry_after=2
            )
        try:
            return start(session, user, **kwargs)
        finally:
            with contextlib.suppress(LockError):
                lock.release()

    return wrapper


@_one_start_at_a_time
def start_generation(
    session: Session,
    user: User,
    *,
    prompt: str = "",
    spec: ToolSpec | dict[str, Any] | None = None,
) -> Generation:
    """Create a tool and queue its first build from an idea (``prompt``) or a wizard ``spec``.

    Offline, a prompt is drafted into a spec right away; with a model configured, the worker
    has the model write the spec first. Returns the queued generation (``.tool_id`` is the new
    tool). Raises ``invalid_input``/``invalid_spec`` (ServiceError), ``quota_exceeded`` or
    ``rate_limited`` (TooManyAttempts, 429).
    """
    prompt = (prompt or "").strip()
    if not prompt and spec is None:
        raise ServiceError("invalid_input", "Describe the tool, or give a spec.", field="prompt")
    if len(prompt) > MAX_PROMPT:
        raise ServiceError(
            "invalid_input", f"Keep the idea under {MAX_PROMPT} characters.", field="prompt"
        )
    tool_spec = coerce_spec(spec) if spec is not None else None
    _check_quota_and_rate(session, user)
    use_model = llm_configured()
    provisional = tool_spec or offline.draft_spec(
        Brief(prompt)
    )  # names the tool until the model does
    tool = _insert_tool(
        session,
        provisional.slug,
        owner_id=user.id,
        name=provisional.name,
        tagline=provisional.tagline,
        description=provisional.description,
        generator=generator_label() if use_model else offline.OFFLINE_GENERATOR,
        spec=provisional.model_dump(mode="json"),
    )
    build_spec = tool_spec or (None if use_model else provisional)
    generation = Generation(
        tool_id=tool.id,
        owner_id=user.id,
        kind=GenerationKind.GENERATE,
        prompt=prompt or provisional.name,
        spec=build_spec.model_dump(mode="json") if build_spec is not None else None,
    )
    session.add(generation)
    session.flush()
    enqueue_after_commit(session, RUN_JOB, generation.id)
    session.commit()
    return generation


def _insert_tool(session: Session, wanted_slug: str, **fields: Any) -> Tool:
    """Insert a tool under a free slug; a slug taken meanwhile by a concurrent request gets a
    random suffix instead of failing."""
    slug = unique_slug(session, wanted_slug)
    for _ in range(3):
        tool = Tool(slug=slug, **fields)
        try:
            with session.begin_nested():
                session.add(tool)
        except IntegrityError:
            slug = f"{slug[:50]}-{secrets.token_hex(3)}"
            continue
        return tool
    raise Conflict("slug_taken", "Could not find a free address for the tool: try again.")


def active_generation(session: Session, user: User, *, tool_id: int) -> Generation | None:
    """The tool's queued or running generation, if any (the UI resumes polling it)."""
    get_tool(session, user, tool_id)
    generation_id = active_generation_for(session, tool_id)
    return session.get(Generation, generation_id) if generation_id else None


def active_generation_for(session: Session, tool_id: int) -> int | None:
    """The id of the tool's queued or running generation (no ownership check)."""
    return session.scalar(
        select(Generation.id)
        .where(
            Generation.tool_id == tool_id,
            Generation.status.in_([GenerationStatus.QUEUED, GenerationStatus.RUNNING]),
        )
        .order_by(Generation.id.desc())
    )


@_one_start_at_a_time
def refine_tool(session: Session, user: User, *, tool_id: int, instruction: str) -> Generation:
    """Queue a refinement of the tool's current version following ``instruction``.

    Offline, only what ``generator.refine`` understands is accepted; anything else raises
    ServiceError ``instruction_not_understood`` at once (nothing is queued or counted).
    Raises ``no_version`` before the first build finished, ``generation_in_progress`` (409)
    while another generation of the tool runs, and the quota/rate errors.
    """
    tool = get_tool(session, user, tool_id)
    instruction = (instruction or "").strip()
    if not instruction:
        raise ServiceError("invalid_input", "Say what to change.", field="instruction")
    if len(instruction) > MAX_INSTRUCTION:
        raise ServiceError(
            "invalid_input",
            f"Keep the instruction under {MAX_INSTRUCTION} characters.",
            field="instruction",
        )
    if tool.current_version_id is None:
        raise ServiceError("no_version", "The tool has no version to refine yet.")
    if active_generation(session, user, tool_id=tool_id) is not None:
        raise Conflict(
            "generation_in_progress", "A generation of this tool is still running: wait or cancel."
        )
    if not llm_configured() and not offline_refine.understand(instruction):
        raise ServiceError(
            "instruction_not_understood",
            offline_refine.NOT_UNDERSTOOD,
            understood=list(offline_refine.UNDERSTOOD),
        )
    _check_quota_and_rate(session, user)
    generation = Generation(
        tool_id=tool.id,
        owner_id=user.id,
        kind=GenerationKind.REFINE,
        prompt=instruction,
        base_version_id=tool.current_version_id,
    )
    session.add(generation)
    session.flush()
    enqueue_after_commit(session, RUN_JOB, generation.id)
    session.commit()
    return generation


def get_generation(session: Session, user: User, *, generation_id: int) -> Generation:
    """The caller's generation (poll this for ``status`` and the streamed ``text``)."""
    generation = session.get(Generation, generation_id)
    if generation is None or generation.owner_id != user.id:
        raise NotFound("generation_not_found", "No such generation.")
    session.refresh(generation)  # a polling session must see the worker's latest write
    return generation


def list_generations(
    session: Session, user: User, *, tool_id: int, limit: int = 20
) -> list[Generation]:
    """The tool's generations, newest first."""
    query = generations_query(session, user, tool_id=tool_id)
    return list(session.scalars(query.order_by(Generation.id.desc()).limit(limit)).all())


def generations_query(session: Session, user: User, *, tool_id: int) -> Select:
    """The generations of the caller's tool (unordered; NotFound for another's tool)."""
    get_tool(session, user, tool_id)
    return select(Generation).where(Generation.tool_id == tool_id)


def cancel_requested(generation_id: int) -> bool:
    return bool(get_redis().exists(CANCEL_KEY + str(generation_id)))


def clear_cancel(generation_id: int) -> None:
    get_redis().delete(CANCEL_KEY + str(generation_id))


def cancel_generation(session: Session, user: User, *, generation_id: int) -> Generation:
    """Stop a generation: a queued one is cancelled at once, a running one at its next chunk
    (the worker checks a Redis flag). The previous version stays current. Finished
    generations are returned unchanged."""
    generation = get_generation(session, user, generation_id=generation_id)
    if GenerationStatus(generation.status).finished:
        return generation
    now = utcnow()
    result = session.execute(
        update(Generation)
        .where(Generation.id == generation.id, Generation.status == GenerationStatus.QUEUED)
        .values(status=GenerationStatus.CANCELLED, finished_at=now, error="Cancelled.")
    )
    session.commit()
    if not result.rowcount:
        get_redis().set(CANCEL_KEY + str(generation.id), 1, ex=CANCEL_TTL_SECONDS)
    session.refresh(generation)
    return generation
