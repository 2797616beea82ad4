"""The one JSON error shape of the API: {"error": {"code", "message", "request_id", ...}}."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from saasapp.core.errors import ServiceError, TooManyAttempts
from saasapp.http.request_context import current_request_id


class ApiError(Exception):
    """A refusal with a stable snake_case ``code`` and a message meant for the client."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.details = details


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str
    details: Any | None = None


class ErrorResponse(BaseModel):
    """Documented in OpenAPI for every route."""

    error: ErrorBody


# What each error status means on this API, as documented in OpenAPI.
_DESCRIPTIONS = {
    400: "Refused by a business rule; error.code says which.",
    401: "Not signed in, or the token or API key is invalid, expired or revoked.",
    403: "Signed in, but the account is suspended or lacks the role.",
    404: "No such resource (another user's resources are not found either).",
    409: "Conflicts with the resource's current state.",
    422: "Invalid input, with the field names in error.details.fields.",
    429: "Over a rate limit or quota; Retry-After says when to try again.",
    500: "Unexpected error; quote the request id.",
    502: "An outside service (the model provider, Vercel) failed or refused.",
    503: "A component the request needs is unavailable.",
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds until a new attempt can succeed.",
        "schema": {"type": "integer"},
    }
}


def error_responses(
    *statuses: int, described: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries documenting ``statuses`` with the error shape; ``described``
    replaces the generic description of a status (e.g. with the error codes it carries)."""
    described = described or {}
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "model": ErrorResponse,
            "description": described.get(status, _DESCRIPTIONS.get(status, "Error.")),
        }
        if status == 429:
            entry["headers"] = _RETRY_AFTER
        responses[status] = entry
    return responses


def json_error_bodies(openapi: dict[str, Any]) -> dict[str, Any]:
    """Error answers are JSON even on routes whose success is HTML or a file: FastAPI documents
    a route's extra responses in the route's own media type, so move them to JSON."""
    ref = "#/components/schemas/ErrorResponse"
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content") or {}
                if not status.startswith(("4", "5")) or "application/json" in content:
                    continue
                if any(body.get("schema", {}).get("$ref") == ref for body in content.values()):
                    response["content"] = {"application/json": {"schema": {"$ref": ref}}}
    return openapi


_DEFAULT_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}


def error_payload(status_code: int, code: str, message: str, details: Any = None) -> dict:
    body: dict[str, Any] = {"code": code, "message": message, "request_id": current_request_id()}
    if details is not None:
        body["details"] = details
    return {"error": body}


def error_response(
    status_code: int,
    code: str,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    details: Any = None,
) -> JSONResponse:
    return JSONResponse(
        error_payload(status_code, code, message, details), status_code=status_code, headers=headers
    )


def _status_phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return error_response(
        exc.status_code, exc.code, exc.message, headers=exc.headers, details=exc.details
    )


async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # A body FastAPI could not even decode (not UTF-8): malformed JSON like any other.
        return error_response(
            422,
            "validation_error",
            "Invalid input: body.",
            details={"fields": [{"field": "body", "message": "not UTF-8 encoded JSON"}]},
        )
    code = _DEFAULT_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else _status_phrase(exc.status_code)
    return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    fields = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        fields.append({"field": ".".join(location), "message": error.get("msg", "invalid")})
    names = ", ".join(sorted({f["field"] for f in fields if f["field"]})) or "request"
    return error_response(
        422, "validation_error", f"Invalid input: {names}.", details={"fields": fields}
    )


async def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
    headers = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after)
    return error_response(exc.status, exc.code, exc.message, headers=headers, details=exc.details)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
