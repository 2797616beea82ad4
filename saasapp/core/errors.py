"""Refusals raised by services, with a stable code; the API and the UI show the message."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None, **details) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status
        self.details = details or None


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Unauthorized(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403


class TooManyAttempts(ServiceError):
    status = 429

    def __init__(self, code: str, message: str, *, retry_after: int, **details) -> None:
        super().__init__(code, message, retry_after=retry_after, **details)
        self.retry_after = retry_after
