"""A Vercel REST API stand-in on 127.0.0.1: checks the deployment request like Vercel would.

``POST /v13/deployments`` needs ``Authorization: Bearer <token>`` with the expected token and a
JSON body {name, files: [{file, data}], projectSettings: {framework: null}, target}; it answers
{id, url, readyState} as Vercel does. ``GET /v13/deployments/{id}`` answers READY.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.utils.loopback import LoopbackServer

TOKEN = "vercel-test-token-123"


class VercelStandIn:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.base_url = ""
        self._loopback: LoopbackServer | None = None

    def _authorised(self, request: Request) -> JSONResponse | None:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return JSONResponse(
                {"error": {"code": "forbidden", "message": "Not authorized"}}, status_code=403
            )
        return None

    async def create(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append({"path": request.url.path, "headers": dict(request.headers),
                              "json": body})  # fmt: skip
        refused = self._authorised(request)
        if refused:
            return refused
        problems = []
        if not isinstance(body.get("name"), str) or not body["name"]:
            problems.append("name")
        files = body.get("files")
        if (
            not isinstance(files, list)
            or not files
            or not all(isinstance(f, dict) and set(f) == {"file", "data"} for f in files)
        ):
            problems.append("files")
        if body.get("projectSettings") != {"framework": None}:
            problems.append("projectSettings")
        if body.get("target") != "production":
            problems.append("target")
        if problems:
            return JSONResponse(
                {"error": {"code": "bad_request", "message": f"Invalid {', '.join(problems)}"}},
                status_code=400,
            )
        number = len(self.requests)
        return JSONResponse(
            {
                "id": f"dpl_test{number}",
                "url": f"{body['name']}-abc{number}.vercel.app",
                "readyState": "QUEUED",
                "name": body["name"],
            }
        )

    async def get(self, request: Request) -> JSONResponse:
        refused = self._authorised(request)
        if refused:
            return refused
        deployment_id = request.path_params["deployment_id"]
        return JSONResponse(
            {"id": deployment_id, "url": f"{deployment_id}.vercel.app", "readyState": "READY"}
        )

    def start(self) -> VercelStandIn:
        app = Starlette(
            routes=[
                Route("/v13/deployments", self.create, methods=["POST"]),
                Route("/v13/deployments/{deployment_id}", self.get, methods=["GET"]),
            ]
        )
        self._loopback = LoopbackServer("Vercel stand-in").start(app)
        self.base_url = self._loopback.url
        return self

    def stop(self) -> None:
        if self._loopback is not None:
            self._loopback.stop()


@pytest.fixture
def vercel_server(monkeypatch):
    """The stand-in, with VERCEL_API_URL pointing at it for the test."""
    from saasapp.settings import get_settings

    server = VercelStandIn().start()
    monkeypatch.setenv("VERCEL_API_URL", server.base_url)
    get_settings.cache_clear()
    yield server
    server.stop()
    get_settings.cache_clear()
