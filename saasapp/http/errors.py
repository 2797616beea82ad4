"""The one JSON error shape of the API: {"error": {"code", "message", "request_id", ...}}."""

from __future__ import annotations

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
