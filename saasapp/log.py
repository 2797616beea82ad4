"""Structured logging: JSON lines carrying the request id (and user id once known)."""

from __future__ import annotations

import logging
import sys

import structlog

from saasapp.settings import get_settings

_configured = False


def configure_logging() -> None:
    """Route stdlib and structlog output through one JSON (or console) renderer."""
    global _configured
    if _configured:
        return
    settings = get_settings()
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = (
        structlog.processors.JSONRenderer()
        if settings.log_json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level.upper())
    # RQ logs every job and scheduler tick at INFO; keep its warnings and errors only.
    logging.getLogger("rq").setLevel(max(logging.WARNING, root.level))
    _configured = True
    _init_sentry(settings.sentry_dsn, settings.app_env)


def _init_sentry(dsn: str, environment: str) -> bool:
    if not dsn:
        return False
    import sentry_sdk

    sentry_sdk.init(dsn=dsn, environment=environment, send_default_pii=False)
    return True


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)


def bind_context(**values: object) -> None:
    """Attach values (request_id, user_id, ...) to every log line of the current context."""
    structlog.contextvars.bind_contextvars(**values)


def clear_context() -> None:
    structlog.contextvars.clear_contextvars()
