"""The HTTP API: a FastAPI app mounted into Reflex through ``api_transformer``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi_offline import FastAPIOffline
from starlette.routing import Match
from starlette.types import Scope

from saasapp.accounts.api import admin as accounts_admin
from saasapp.accounts.api import auth, me, oauth
from saasapp.http.deps import document_dependency_errors
from saasapp.http.errors import ApiError, error_responses, install_error_handlers, json_error_bodies
from saasapp.http.request_context import RequestContextMiddleware
from saasapp.ops import api as ops_api
from saasapp.tools import api as tools_api
from saasapp.tools import published

API_PREFIX = "/api/v1"
DOCS_URL = "/api/docs"
# Swagger UI's scripts and styles, served by the app itself: the docs work offline.
DOCS_ASSETS_URL = "/api/docs/assets"

# Documented on every route: any input can be invalid, anything can fail.
COMMON_ERRORS = error_responses(422, 500)


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
    app = FastAPIOffline(
        title="saasapp API",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=DOCS_URL,
        redoc_url=None,
        static_url=DOCS_ASSETS_URL,
        swagger_ui_oauth2_redirect_url=f"{DOCS_URL}/oauth2-redirect",
    )
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)

    v1 = APIRouter(prefix=API_PREFIX, responses=COMMON_ERRORS)
    routers = [
        ops_api.router,
        ops_api.admin_router,
        auth.router,
        me.router,
        oauth.router,
        accounts_admin.router,
        tools_api.router,
        tools_api.me_router,
    ]
    for router in routers:
        v1.include_router(document_dependency_errors(router))
    app.include_router(v1)
    _document_errors_as_json(app)
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


def _document_errors_as_json(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = json_error_bodies(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
