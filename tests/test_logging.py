"""Structured logs and Sentry start-up."""

import json
import logging

import sentry_sdk

from saasapp.log import _init_sentry, bind_context, clear_context, get_logger


def test_log_lines_are_json_with_the_bound_context(capfd):
    bind_context(request_id="req-1", user_id=42)
    try:
        get_logger("saasapp.test").info("something_happened", detail="x")
    finally:
        clear_context()
    lines = [
        json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")
    ]
    entry = next(line for line in lines if line["event"] == "something_happened")
    assert entry["request_id"] == "req-1" and entry["user_id"] == 42
    assert entry["level"] == "info" and entry["detail"] == "x" and "timestamp" in entry


def test_stdlib_loggers_come_out_as_json_too(capfd):
    logging.getLogger("some.library").warning("plain %s", "message")
    lines = [
        json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")
    ]
    assert any(line["event"] == "plain message" and line["level"] == "warning" for line in lines)


def test_sentry_starts_only_with_a_dsn():
    assert _init_sentry("", "test") is False
    assert not sentry_sdk.get_client().is_active()
    try:
        assert _init_sentry("http://public@127.0.0.1:9/1", "test") is True
        assert sentry_sdk.get_client().is_active()
        assert sentry_sdk.get_client().options["send_default_pii"] is False
    finally:
        sentry_sdk.get_client().close(timeout=0)
        sentry_sdk.init()  # back to a disabled client
