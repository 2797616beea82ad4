"""The HTTP API: a FastAPI app mounted into Reflex through ``api_transformer``."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from starlette.routing import Match
from starlette.types import Scope

from saasapp.accounts.api import admin as accounts_admin
from saasapp.accounts.api import auth, me, oauth
from saasapp.http.errors import ApiError, ErrorResponse, install_error_handlers
from saasapp.http.request_context import RequestContextMiddleware
from saasapp.ops import api as ops_api
from saasapp.tools import api as tools_api
from saasapp.tools import published

API_PREFIX = "/api/v1"

# Documented on every route: the error shape the API answers with.
COMMON_ERRORS = {
    422: {"model": ErrorResponse, "description": "Invalid input, with the field names."},
    500: {"model": ErrorResponse, "description": "Unexpected error; quote the request id."},
}


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_CATCH_ALL = "/api/{path:path}"


def _methods_for_path(app: FastAPI, scope: Scope) -> list[str]:
    """Methods some route accepts at this path (the catch-all answers 405 for the others).

    Reflex mounts its whole app at "" inside this one: that mount matches every path, so it
    does not count.
    """
    skipped = {_CATCH_ALL, ""}
    routes = [r for r in app.router.routes if getattr(r, "path", None) not in skipped]
    allowed = []
    for method in _METHODS:
        probe = {**scope, "method": method}
        if any(route.matches(probe)[0] == Match.FULL for route in routes):
            allowed.append(method)
    return allowed


def create_api() -> FastAPI:
    app = FastAPI(
        title="saasapp API",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)

    v1 = APIRouter(prefix=API_PREFIX, responses=COMMON_ERRORS)
    v1.include_router(ops_api.router)
    v1.include_router(auth.router)
    v1.include_router(me.router)
    v1.include_router(oauth.router)
    v1.include_router(accounts_admin.router)
    v1.include_router(tools_api.router)
    app.include_router(v1)
    # Published tools (/t/{slug}) live outside /api and before the Reflex frontend mount.
    app.include_router(published.router)

    @app.api_route(
        _CATCH_ALL,
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"],
        include_in_schema=False,
    )
    async def unknown_api_path(request: Request, path: str) -> None:
        allowed = _methods_for_path(app, request.scope)
        if allowed:
            raise ApiError(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed here; use {', '.join(allowed)}.",
                headers={"Allow": ", ".join(allowed)},
            )
        raise ApiError(404, "not_found", f"No API route at /api/{path}.")

    return app
