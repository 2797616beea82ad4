"""The LLM client through the real openai package against the OpenAI-compatible stand-in."""

from __future__ import annotations

import json

import pytest

from saasapp.integrations import llm
from saasapp.settings import get_settings


def test_not_configured_without_key_or_base_url(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setattr(get_settings(), "openai_api_key", "")
    monkeypatch.setattr(get_settings(), "openai_base_url", "")
    assert llm.llm_configured() is False
    with pytest.raises(llm.LLMNotConfigured, match="OPENAI_API_KEY or OPENAI_BASE_URL"):
        llm.complete_json([{"role": "user", "content": "hi"}])


def test_base_url_alone_configures_a_local_server(monkeypatch):
    monkeypatch.setattr(get_settings(), "openai_api_key", "")
    monkeypatch.setattr(get_settings(), "openai_base_url", "http://127.0.0.1:11434/v1")
    assert llm.llm_configured() is True
    assert llm.provider_name() == "127.0.0.1:11434"
    assert llm.get_client().api_key == llm.PLACEHOLDER_API_KEY


def test_complete_json_sends_json_mode_and_records_usage(openai_server):
    openai_server.json_reply('{"ok": true}', prompt_tokens=21, completion_tokens=4)
    messages = [{"role": "system", "content": "json please"}, {"role": "user", "content": "go"}]

    text, usage = llm.complete_json(messages)

    assert json.loads(text) == {"ok": True}
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (21, 4, 25)
    assert usage.model == "test-model"
    assert usage.provider.startswith("127.0.0.1:")
    assert usage.duration_ms >= 0 and usage.estimated is False
    [request] = openai_server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["json"]["model"] == "test-model"
    assert request["json"]["messages"] == messages
    assert request["json"]["response_format"] == {"type": "json_object"}
    assert not request["json"].get("stream")
    assert request["headers"]["authorization"] == "Bearer test-key"


def test_stream_deltas_arrive_in_order_and_usage_is_recorded(openai_server):
    deltas = ["<!DOCTYPE html>", "<html>", "<body>hi</body>", "</html>"]
    openai_server.stream_reply(deltas, prompt_tokens=30, completion_tokens=12)

    stream = llm.stream_completion([{"role": "user", "content": "page"}])
    assert stream.usage is None
    received = list(stream)

    assert received == deltas
    assert stream.text == "".join(deltas)
    assert stream.finish_reason == "stop"
    assert (stream.usage.prompt_tokens, stream.usage.completion_tokens) == (30, 12)
    assert stream.usage.total_tokens == 42 and not stream.usage.estimated
    body = openai_server.requests[0]["json"]
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert "response_format" not in body


def test_stream_without_usage_chunk_estimates_usage(openai_server):
    openai_server.stream_reply(["abcd" * 10], include_usage_chunk=False)
    stream = llm.stream_completion([{"role": "user", "content": "x" * 40}])
    assert stream.read() == "abcd" * 10
    assert stream.usage.estimated is True
    assert stream.usage.completion_tokens == 10 and stream.usage.prompt_tokens == 10


def test_429_with_retry_after_is_retried_after_the_asked_wait(openai_server):
    openai_server.error(429, "slow down", headers={"Retry-After": "2"})
    openai_server.json_reply('{"after": "retry"}')

    text, _ = llm.complete_json([{"role": "user", "content": "go"}])

    assert json.loads(text) == {"after": "retry"}
    assert len(openai_server.requests) == 2
    assert openai_server.waits == [2.0]


def test_retry_after_ms_and_backoff_without_header(openai_server):
    openai_server.error(429, headers={"retry-after-ms": "250"})
    openai_server.error(503)
    openai_server.json_reply("{}")
    llm.complete_json([{"role": "user", "content": "go"}])
    assert openai_server.waits[0] == 0.25
    # No header: exponential backoff with jitter around RETRY_BASE_SECONDS * 2.
    assert 0.75 * 1.0 <= openai_server.waits[1] <= 1.25 * 1.0


def test_streams_are_retried_before_the_first_delta(openai_server):
    openai_server.error(500)
    openai_server.stream_reply(["ok"])
    assert llm.stream_completion([{"role": "user", "content": "go"}]).read() == "ok"
    assert len(openai_server.requests) == 2


def test_persistent_500_gives_a_clear_error_after_all_retries(openai_server):
    for _ in range(4):
        openai_server.error(500, "model crashed")

    with pytest.raises(llm.LLMError) as caught:
        llm.complete_json([{"role": "user", "content": "go"}])

    message = str(caught.value)
    assert "failed after 4 attempts" in message
    assert "HTTP 500" in message and "model crashed" in message
    assert len(openai_server.requests) == 4  # 1 + OPENAI_MAX_RETRIES
    assert len(openai_server.waits) == 3
    assert openai_server.waits[0] < openai_server.waits[1] < openai_server.waits[2]


def test_client_errors_are_not_retried(openai_server):
    openai_server.error(401, "bad key")
    with pytest.raises(llm.LLMError, match="HTTP 401"):
        llm.complete_json([{"role": "user", "content": "go"}])
    assert len(openai_server.requests) == 1


def test_unreachable_server_is_a_clear_error(openai_server, monkeypatch):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "1")
    get_settings.cache_clear()
    with pytest.raises(llm.LLMError, match="could not connect"):
        llm.complete_json([{"role": "user", "content": "go"}])
    assert len(openai_server.waits) == 1


def test_retry_after_parsing():
    assert llm.retry_after_seconds({"retry-after": "3"}) == 3.0
    assert llm.retry_after_seconds({"retry-after-ms": "1500"}) == 1.5
    assert llm.retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert llm.retry_after_seconds({}) is None
    assert llm.backoff_seconds(0, 500.0) == llm.RETRY_MAX_SECONDS
