"""A scriptable OpenAI-compatible server on 127.0.0.1 for tests of the real openai client.

    server.json_reply('{"name": "x"}')                # next answer, non-streamed
    server.stream_reply(["Hel", "lo"])                # next answer as SSE deltas + usage chunk
    server.error(429, headers={"Retry-After": "1"})   # next answer an error
    server.raw(200, "not json")                       # anything else
    ... code under test ...
    server.requests[0]["json"]["model"]

Answers are served in order; with none left the server answers 400 "no scripted response"
(not retried by clients, so a missing script fails fast). Use the ``openai_server`` fixture:
it points OPENAI_BASE_URL at the server for the test and resets it.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.utils.loopback import LoopbackServer


@dataclass
class Scripted:
    kind: str  # json | stream | error | raw
    status: int = 200
    content: str = ""
    deltas: list[str] = field(default_factory=list)
    usage: dict[str, int] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    include_usage_chunk: bool = True


def _usage(prompt: int, completion: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


class OpenAIStandIn:
    """The server state: scripted answers in, received requests out."""

    def __init__(self) -> None:
        self.queue: deque[Scripted] = deque()
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.base_url = ""
        self.waits: list[float] = []  # backoff waits the client asked for (not slept)
        self._loopback: LoopbackServer | None = None

    # scripting
    def json_reply(
        self, content: str, *, prompt_tokens: int = 11, completion_tokens: int = 7
    ) -> None:
        self.queue.append(
            Scripted("json", content=content, usage=_usage(prompt_tokens, completion_tokens))
        )

    def stream_reply(
        self,
        deltas: list[str],
        *,
        prompt_tokens: int = 13,
        completion_tokens: int | None = None,
        include_usage_chunk: bool = True,
    ) -> None:
        usage = _usage(
            prompt_tokens, len(deltas) if completion_tokens is None else completion_tokens
        )
        self.queue.append(
            Scripted(
                "stream", deltas=list(deltas), usage=usage, include_usage_chunk=include_usage_chunk
            )
        )

    def error(
        self, status: int, message: str = "scripted error", headers: dict[str, str] | None = None
    ) -> None:
        body = {"error": {"message": message, "type": "server_error", "code": None}}
        self.queue.append(Scripted("error", status=status, body=body, headers=headers or {}))

    def raw(self, status: int, text: str, content_type: str = "application/json") -> None:
        self.queue.append(
            Scripted("raw", status=status, content=text, headers={"content-type": content_type})
        )

    def reset(self) -> None:
        with self.lock:
            self.queue.clear()
            self.requests.clear()

    # serving
    async def chat_completions(self, request: Request) -> Response:
        body = await request.json()
        with self.lock:
            self.requests.append(
                {"path": request.url.path, "headers": dict(request.headers), "json": body}
            )
            scripted = self.queue.popleft() if self.queue else None
        if scripted is None:
            return JSONResponse(
                {"error": {"message": "no scripted response", "type": "invalid_request_error"}},
                status_code=400,
            )
        model = body.get("model", "test-model")
        if scripted.kind == "error":
            return JSONResponse(
                scripted.body, status_code=scripted.status, headers=scripted.headers
            )
        if scripted.kind == "raw":
            return Response(
                scripted.content,
                status_code=scripted.status,
                media_type=scripted.headers.get("content-type"),
            )
        if scripted.kind == "json":
            return JSONResponse(
                {
                    "id": f"chatcmpl-{len(self.requests)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": scripted.content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": scripted.usage,
                }
            )
        return StreamingResponse(self._sse(scripted, model), media_type="text/event-stream")

    async def _sse(self, scripted: Scripted, model: str):
        base = {
            "id": "chatcmpl-stream",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
        }

        def event(payload: dict[str, Any]) -> str:
            return f"data: {json.dumps(payload)}\n\n"

        yield event(
            {
                **base,
                "choices": [
                    {
                        "index": 0,
                        "delta": {"role": "assistant", "content": ""},
                        "finish_reason": None,
                    }
                ],
            }
        )
        for delta in scripted.deltas:
            yield event(
                {
                    **base,
                    "choices": [{"index": 0, "delta": {"content": delta}, "finish_reason": None}],
                }
            )
        yield event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if scripted.include_usage_chunk:
            yield event({**base, "choices": [], "usage": scripted.usage})
        yield "data: [DONE]\n\n"

    def start(self) -> OpenAIStandIn:
        app = Starlette(
            routes=[Route("/v1/chat/completions", self.chat_completions, methods=["POST"])]
        )
        self._loopback = LoopbackServer("OpenAI stand-in").start(app)
        self.base_url = f"{self._loopback.url}/v1"
        return self

    def stop(self) -> None:
        if self._loopback is not None:
            self._loopback.stop()


@pytest.fixture(scope="session")
def openai_standin():
    server = OpenAIStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def openai_server(openai_standin, monkeypatch):
    """The stand-in, emptied, with OPENAI_BASE_URL pointing at it and fast retries."""
    from saasapp.integrations import llm
    from saasapp.settings import get_settings

    openai_standin.reset()
    monkeypatch.setenv("OPENAI_BASE_URL", openai_standin.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_MODEL", "test-model")
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "3")
    monkeypatch.setenv("OPENAI_TIMEOUT_SECONDS", "10")
    openai_standin.waits = []
    monkeypatch.setattr(llm, "sleep", openai_standin.waits.append)
    get_settings.cache_clear()
    yield openai_standin
    get_settings.cache_clear()
