"""Deploying a tool to Vercel with the user's own token (stored encrypted, never shown)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from saasapp.accounts.models import User
from saasapp.core.columns import utcnow
from saasapp.core.crypto import decrypt, encrypt
from saasapp.core.errors import ServiceError
from saasapp.integrations import vercel
from saasapp.tools.export import site_files
from saasapp.tools.models import Tool, VercelCredential
from saasapp.tools.publishing import html_problems
from saasapp.tools.tools import current_version, get_tool

MAX_TOKEN = 500


def _credential(session: Session, user: User) -> VercelCredential | None:
    return session.scalar(select(VercelCredential).where(VercelCredential.user_id == user.id))


def has_vercel_token(session: Session, user: User) -> bool:
    return _credential(session, user) is not None


def set_vercel_token(session: Session, user: User, *, token: str) -> None:
    """Store (or replace) the user's Vercel token, encrypted; an empty token deletes it."""
    token = (token or "").strip()
    credential = _credential(session, user)
    if not token:
        if credential is not None:
            session.delete(credential)
            session.commit()
        return
    if len(token) > MAX_TOKEN or any(c.isspace() for c in token):
        raise ServiceError(
            "invalid_token", "That does not look like a Vercel token.", field="token"
        )
    if credential is None:
        credential = VercelCredential(user_id=user.id, token_encrypted=encrypt(token))
    else:
        credential.token_encrypted = encrypt(token)
        credential.updated_at = utcnow()
    session.add(credential)
    session.commit()


def _token(session: Session, user: User) -> str:
    credential = _credential(session, user)
    if credential is None:
        raise ServiceError(
            "vercel_token_missing",
            "Add your Vercel token first (Account → Vercel token, or PUT /api/v1/me/vercel-token).",
        )
    try:
        return decrypt(credential.token_encrypted)
    except ValueError as exc:
        raise ServiceError(
            "vercel_token_unreadable", "Your stored Vercel token cannot be read: set it again."
        ) from exc


def _record(session: Session, tool: Tool, deployment: vercel.Deployment) -> Tool:
    tool.vercel_deployment_id = deployment.id[:100]
    tool.vercel_url = deployment.url[:300]
    tool.vercel_status = deployment.ready_state[:40]
    tool.vercel_updated_at = utcnow()
    session.add(tool)
    session.commit()
    return tool


def _failed(exc: vercel.VercelError) -> ServiceError:
    if exc.status in (401, 403):
        return ServiceError("vercel_unauthorized", str(exc))
    return ServiceError("vercel_failed", str(exc), status=502)


def deploy_to_vercel(session: Session, user: User, *, tool_id: int) -> Tool:
    """Deploy the tool's current version to Vercel (the same files as the export) and
    record the deployment's id, URL and state on the tool. The page must pass the publish
    checks (``not_publishable`` otherwise)."""
    tool = get_tool(session, user, tool_id)
    version = current_version(session, tool)
    if version is None:
        raise ServiceError("no_version", "Build the tool before deploying it.")
    problems = html_problems(version.html)
    if problems:
        raise ServiceError(
            "not_publishable",
            f"The page cannot be deployed: {problems[0].message}",
            problems=[{"code": p.code, "message": p.message} for p in problems],
        )
    token = _token(session, user)
    try:
        deployment = vercel.create_deployment(
            token=token, name=tool.slug, files=site_files(tool, version)
        )
    except vercel.VercelError as exc:
        raise _failed(exc) from exc
    return _record(session, tool, deployment)


def refresh_vercel_status(session: Session, user: User, *, tool_id: int) -> Tool:
    """Ask Vercel for the state of the tool's last deployment (e.g. BUILDING -> READY)."""
    tool = get_tool(session, user, tool_id)
    if not tool.vercel_deployment_id:
        raise ServiceError("not_deployed", "This tool has not been deployed to Vercel.")
    try:
        deployment = vercel.get_deployment(
            token=_token(session, user), deployment_id=tool.vercel_deployment_id
        )
    except vercel.VercelError as exc:
        raise _failed(exc) from exc
    return _record(session, tool, deployment)
