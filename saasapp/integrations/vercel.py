"""Vercel REST API: create a deployment of a static site from inline files.

``POST {VERCEL_API_URL}/v13/deployments`` with the user's bearer token and
``{name, files: [{file, data}], projectSettings: {framework: null}, target: "production"}``;
Vercel answers with the deployment's ``id``, ``url`` (host name) and ``readyState``.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from saasapp.log import get_logger
from saasapp.settings import get_settings

log = get_logger(__name__)
TIMEOUT_SECONDS = 30.0


class VercelError(RuntimeError):
    """Vercel refused or could not be reached; the message is safe to show."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Deployment:
    id: str
    url: str  # https://...
    ready_state: str


def _base_url() -> str:
    return get_settings().vercel_api_url.rstrip("/")


def _error_message(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", {})
        return str(error.get("message") or error.get("code") or response.text[:200])
    except ValueError:
        return response.text[:200]


def _deployment(data: dict) -> Deployment:
    url = str(data.get("url") or "")
    if url and not url.startswith("http"):
        url = f"https://{url}"
    return Deployment(
        id=str(data.get("id", "")),
        url=url,
        ready_state=str(data.get("readyState") or data.get("status") or "QUEUED"),
    )


def _request(method: str, path: str, token: str, **kwargs) -> dict:
    try:
        response = httpx.request(
            method,
            _base_url() + path,
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT_SECONDS,
            **kwargs,
        )
    except httpx.HTTPError as exc:
        log.warning("vercel_unreachable", error=repr(exc))
        raise VercelError(f"Could not reach Vercel: {type(exc).__name__}.") from exc
    if response.status_code in (401, 403):
        raise VercelError(
            f"Vercel refused the token: {_error_message(response)}", status=response.status_code
        )
    if response.status_code >= 400:
        raise VercelError(
            f"Vercel answered {response.status_code}: {_error_message(response)}",
            status=response.status_code,
        )
    try:
        return response.json()
    except ValueError as exc:
        raise VercelError("Vercel's answer was not JSON.") from exc


def create_deployment(*, token: str, name: str, files: dict[str, str]) -> Deployment:
    """Deploy ``files`` ({path: text}) to production as project ``name``."""
    body = {
        "name": name,
        "files": [{"file": path, "data": data} for path, data in files.items()],
        "projectSettings": {"framework": None},
        "target": "production",
    }
    return _deployment(_request("POST", "/v13/deployments", token, json=body))


def get_deployment(*, token: str, deployment_id: str) -> Deployment:
    """A deployment's current state (readyState QUEUED, BUILDING, READY, ERROR, CANCELED)."""
    return _deployment(_request("GET", f"/v13/deployments/{deployment_id}", token))
