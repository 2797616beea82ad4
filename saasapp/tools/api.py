"""/api/v1 tools, generations and the generator wizard: owner-only (others get 404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import HTMLResponse

from saasapp.http.bounds import MAX_INT, IdPath, NumberPath, NumberQuery
from saasapp.http.deps import CurrentUser, DbSession
from saasapp.http.errors import error_responses
from saasapp.http.pagination import Page, PageQuery, paginate
from saasapp.tools import deploy, export, generations, publishing, tools, wizard
from saasapp.tools.schemas import (
    DiffOut,
    GenerateIn,
    GenerationOut,
    GenerationStarted,
    GeneratorOut,
    IdeaIn,
    PreviewUrlOut,
    PublishCheckOut,
    PublishIn,
    QuestionsOut,
    QuotaOut,
    RefineIn,
    RevertIn,
    SpecDraftOut,
    ToolOut,
    VercelTokenIn,
    VercelTokenOut,
    VersionOut,
)

router = APIRouter(tags=["tools"])
# The caller's own tool settings sit under /me beside the account's (accounts, below tools, knows
# nothing of tools, so they are routed here).
me_router = APIRouter(prefix="/me", tags=["me"])
API_PREFIX = "/api/v1"


# Another user's tool or generation is not found either (never 403).
OWNED = error_responses(404)
_NO_VERSION = "no_version (not built yet), not_publishable or another refusal; see error.code."


def _tool_out(session, tool) -> ToolOut:
    active = generations.active_generation_for(session, tool.id)
    return ToolOut(**tools.tool_info(session, tool), active_generation_id=active)


def _started(generation) -> GenerationStarted:
    return GenerationStarted(
        tool_id=generation.tool_id,
        generation_id=generation.id,
        status=generation.status,
        status_url=f"{API_PREFIX}/generations/{generation.id}",
    )


@router.get("/generator")
def generator_info(_user: CurrentUser) -> GeneratorOut:
    """Which generator builds tools right now, example ideas and the offline archetypes."""
    mode = wizard.generator_mode()
    return GeneratorOut(
        generator=mode,
        offline=mode == "offline",
        example_ideas=list(wizard.EXAMPLE_IDEAS),
        archetypes=list(wizard.archetypes()),
        categories=list(wizard.CATEGORIES),
    )


@router.post("/generator/spec", responses=error_responses(400, 502))
def draft_spec(body: IdeaIn, _user: CurrentUser) -> SpecDraftOut:
    """An editable spec for an idea (by the model when configured, else offline)."""
    draft = wizard.draft_spec(body.brief(), answers=body.answers)
    return SpecDraftOut(spec=draft.spec, generator=draft.generator, offline=draft.offline)


@router.post("/generator/questions")
def clarifying_questions(body: IdeaIn, _user: CurrentUser) -> QuestionsOut:
    """Optional clarifying questions from the model ([] with the offline generator)."""
    return QuestionsOut(questions=wizard.clarifying_questions(body.brief()))


@router.post(
    "/tools",
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(
        400, 409, 429, described={409: "slug_taken: no free address was found; try again."}
    ),
)
def create_tool(body: GenerateIn, user: CurrentUser, session: DbSession) -> GenerationStarted:
    """Create a tool and queue its build from a prompt or a spec; poll ``status_url``.
    429 ``quota_exceeded`` when the daily quota is used up, ``rate_limited`` when too fast."""
    generation = generations.start_generation(session, user, prompt=body.prompt, spec=body.spec)
    return _started(generation)


@router.get("/tools")
def list_tools(
    user: CurrentUser,
    session: DbSession,
    page: PageQuery,
    status_filter: str | None = Query(None, alias="status", pattern="^(draft|published)$"),
) -> Page[ToolOut]:
    """The caller's tools, newest first."""
    items, next_cursor = paginate(session, tools.tools_query(user, status=status_filter), page)
    return Page[ToolOut](items=[_tool_out(session, t) for t in items], next_cursor=next_cursor)


@router.get("/tools/{tool_id}", responses=OWNED)
def get_tool(tool_id: IdPath, user: CurrentUser, session: DbSession) -> ToolOut:
    """The tool, its versions' numbers, publication and Vercel deployment."""
    return _tool_out(session, tools.get_tool(session, user, tool_id))


@router.get("/tools/{tool_id}/versions", responses=OWNED)
def list_versions(
    tool_id: IdPath, user: CurrentUser, session: DbSession, page: PageQuery
) -> Page[VersionOut]:
    """The tool's versions, newest first (without their HTML)."""
    versions, next_cursor = paginate(
        session, tools.versions_query(session, user, tool_id=tool_id), page
    )
    return Page[VersionOut](
        items=[VersionOut(**tools.version_info(v)) for v in versions], next_cursor=next_cursor
    )


@router.get("/tools/{tool_id}/versions/{number}", responses=OWNED)
def get_version(
    tool_id: IdPath, number: NumberPath, user: CurrentUser, session: DbSession
) -> VersionOut:
    """One version with its HTML."""
    version = tools.get_version(session, user, tool_id=tool_id, number=number)
    return VersionOut(**tools.version_info(version, with_html=True))


@router.get(
    "/tools/{tool_id}/versions/{number}/preview", response_class=HTMLResponse, responses=OWNED
)
def preview_version(tool_id: IdPath, number: NumberPath, user: CurrentUser, session: DbSession):
    """The version's page with the published pages' CSP (needs the bearer token; for an
    iframe use ``preview-url``)."""
    version = tools.get_version(session, user, tool_id=tool_id, number=number)
    return HTMLResponse(version.html, headers=publishing.page_headers(preview=True))


@router.get("/tools/{tool_id}/versions/{number}/preview-url", responses=OWNED)
def preview_url(
    tool_id: IdPath, number: NumberPath, user: CurrentUser, session: DbSession
) -> PreviewUrlOut:
    """A signed link to the version's page, valid 10 minutes, for a sandboxed iframe."""
    url = publishing.preview_url(session, user, tool_id=tool_id, version_number=number)
    return PreviewUrlOut(url=url, expires_in=publishing.PREVIEW_SECONDS)


@router.get("/tools/{tool_id}/diff", responses=OWNED)
def diff_versions(
    tool_id: IdPath,
    user: CurrentUser,
    session: DbSession,
    from_version: Annotated[int, Query(alias="from", ge=1, le=MAX_INT)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=MAX_INT)],
) -> DiffOut:
    diff = tools.diff_versions(
        session, user, tool_id=tool_id, from_number=from_version, to_number=to_version
    )
    return DiffOut(from_version=from_version, to_version=to_version, diff=diff)


@router.post(
    "/tools/{tool_id}/revert",
    responses=error_responses(400, 404, described={400: "already_current."}),
)
def revert(tool_id: IdPath, body: RevertIn, user: CurrentUser, session: DbSession) -> VersionOut:
    """A new current version copying an older one."""
    version = tools.revert_to_version(session, user, tool_id=tool_id, number=body.version)
    return VersionOut(**tools.version_info(version))


@router.post(
    "/tools/{tool_id}/refine",
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(
        400,
        404,
        409,
        429,
        described={
            400: "no_version, instruction_not_understood or invalid_input.",
            409: "generation_in_progress: wait for it or cancel it.",
        },
    ),
)
def refine(
    tool_id: IdPath, body: RefineIn, user: CurrentUser, session: DbSession
) -> GenerationStarted:
    """Queue a new version made from the current one following ``instruction``."""
    generation = generations.refine_tool(
        session, user, tool_id=tool_id, instruction=body.instruction
    )
    return _started(generation)


@router.get("/tools/{tool_id}/generations", responses=OWNED)
def list_generations(
    tool_id: IdPath, user: CurrentUser, session: DbSession, page: PageQuery
) -> Page[GenerationOut]:
    """The tool's generations, newest first (without their text)."""
    items, next_cursor = paginate(
        session, generations.generations_query(session, user, tool_id=tool_id), page
    )
    return Page[GenerationOut](
        items=[GenerationOut(**tools.generation_info(g, with_text=False)) for g in items],
        next_cursor=next_cursor,
    )


@router.get("/generations/{generation_id}", responses=OWNED)
def get_generation(
    generation_id: IdPath,
    user: CurrentUser,
    session: DbSession,
    offset: int = Query(
        0, ge=0, le=MAX_INT, description="Send the text from this character on only."
    ),
) -> GenerationOut:
    """Status, the text streamed so far, token usage and the error of a generation. Poll
    with ``offset=<text_length of the last answer>`` to receive only the new text."""
    generation = generations.get_generation(session, user, generation_id=generation_id)
    info = tools.generation_info(generation)
    info["text"] = info["text"][offset:]
    return GenerationOut(**info)


@router.post("/generations/{generation_id}/cancel", responses=OWNED)
def cancel_generation(
    generation_id: IdPath, user: CurrentUser, session: DbSession
) -> GenerationOut:
    """Cancel a queued or running generation; the tool keeps its previous version."""
    generation = generations.cancel_generation(session, user, generation_id=generation_id)
    return GenerationOut(**tools.generation_info(generation))


@router.get("/tools/{tool_id}/publish-check", responses=OWNED)
def publish_check(tool_id: IdPath, user: CurrentUser, session: DbSession) -> PublishCheckOut:
    """What would block publishing the current version."""
    problems = publishing.check_publishable(session, user, tool_id=tool_id)
    return PublishCheckOut(publishable=not problems, problems=problems)


@router.post(
    "/tools/{tool_id}/publish",
    responses=error_responses(
        400, 404, 409, described={400: _NO_VERSION, 409: "slug_taken: choose another slug."}
    ),
)
def publish(
    tool_id: IdPath, user: CurrentUser, session: DbSession, body: PublishIn | None = None
) -> ToolOut:
    """Publish the current version at ``/t/{slug}``; 400 ``not_publishable`` lists the
    problems in ``error.details.problems``."""
    slug = body.slug if body else None
    return _tool_out(session, publishing.publish_tool(session, user, tool_id=tool_id, slug=slug))


@router.post("/tools/{tool_id}/unpublish", responses=OWNED)
def unpublish(tool_id: IdPath, user: CurrentUser, session: DbSession) -> ToolOut:
    """Take the tool offline (its owner, or an admin)."""
    return _tool_out(session, publishing.unpublish_tool(session, user, tool_id=tool_id))


@router.get(
    "/tools/{tool_id}/export.zip",
    response_class=Response,
    responses={
        **error_responses(400, 404, described={400: "no_version: build the tool first."}),
        200: {"content": {"application/zip": {}}},
    },
)
def export_zip(
    tool_id: IdPath,
    user: CurrentUser,
    session: DbSession,
    version: NumberQuery = None,
) -> Response:
    """A static site: index.html, manifest.json, vercel.json, README.md, .replit."""
    name, data = export.export_zip(session, user, tool_id=tool_id, version_number=version)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/tools/{tool_id}/deploy/vercel",
    responses=error_responses(
        400, 404, 502, described={400: _NO_VERSION + " vercel_unauthorized: check the token."}
    ),
)
def deploy_vercel(tool_id: IdPath, user: CurrentUser, session: DbSession) -> ToolOut:
    """Deploy the current version to Vercel with the stored token; ``vercel`` in the answer
    holds the deployment's id, URL and state."""
    return _tool_out(session, deploy.deploy_to_vercel(session, user, tool_id=tool_id))


@router.post(
    "/tools/{tool_id}/deploy/vercel/refresh",
    responses=error_responses(
        400, 404, 502, described={400: "not_deployed, no Vercel token, or vercel_unauthorized."}
    ),
)
def refresh_vercel(tool_id: IdPath, user: CurrentUser, session: DbSession) -> ToolOut:
    """Ask Vercel for the deployment's current state."""
    return _tool_out(session, deploy.refresh_vercel_status(session, user, tool_id=tool_id))


@me_router.get("/vercel-token")
def vercel_token_status(user: CurrentUser, session: DbSession) -> VercelTokenOut:
    """Whether a Vercel token is stored (the token itself is never returned)."""
    return VercelTokenOut(configured=deploy.has_vercel_token(session, user))


@me_router.put("/vercel-token", responses=error_responses(400))
def set_vercel_token(body: VercelTokenIn, user: CurrentUser, session: DbSession) -> VercelTokenOut:
    """Store the Vercel token encrypted (an empty token removes it)."""
    deploy.set_vercel_token(session, user, token=body.token)
    return VercelTokenOut(configured=deploy.has_vercel_token(session, user))


@me_router.get("/quota")
def quota(user: CurrentUser, session: DbSession) -> QuotaOut:
    """Generations used today (UTC), the daily limit and when it resets."""
    state = generations.quota_status(session, user)
    return QuotaOut(
        used=state.used, limit=state.limit, remaining=state.remaining, resets_at=state.resets_at
    )
