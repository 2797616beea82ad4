"""An OpenAI-compatible stand-in for the ``ttft`` scenario: every chat completion is streamed.

Served as its own process (``create_app`` is the server's factory). Every
``POST /v1/chat/completions`` answers the same page as Server-Sent Events, in the chunk shape
of the OpenAI API (as ``tests/utils/openai_server.py``): a role chunk, then
``BENCH_LLM_TOKENS`` content deltas, each sent ``BENCH_LLM_DELAY_MS`` after the previous one
(the first too), then the finish chunk, a usage chunk and ``[DONE]``. ``GET /arrivals`` lists the
Unix time at which each completion request arrived, in order.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Tip Calculator'
    "</title></head>\n<body><h1>Tip Calculator</h1><p>Tip and split a bill fairly.</p>"
    "<label>Bill <input id=b type=number value=50></label><output id=o></output>"
    "<script>b.oninput=()=>o.textContent=(b.value*0.15).toFixed(2)</script></body></html>\n"
)


def tokens(count: int) -> list[str]:
    """``PAGE`` cut into ``count`` pieces of about the same size."""
    size = max(1, -(-len(PAGE) // count))
    return [PAGE[i : i + size] for i in range(0, len(PAGE), size)]


def create_app() -> Starlette:
    delay = float(os.environ.get("BENCH_LLM_DELAY_MS", "20")) / 1000
    deltas = tokens(int(os.environ.get("BENCH_LLM_TOKENS", "40")))
    arrivals: list[float] = []

    def event(payload: dict[str, Any]) -> str:
        return f"data: {json.dumps(payload)}\n\n"

    async def sse(model: str):
        base = {
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
        }
        role = {"role": "assistant", "content": ""}
        yield event({**base, "choices": [{"index": 0, "delta": role, "finish_reason": None}]})
        for delta in deltas:
            await asyncio.sleep(delay)
            content = {"content": delta}
            yield event(
                {**base, "choices": [{"index": 0, "delta": content, "finish_reason": None}]}
            )
        yield event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        usage = {"prompt_tokens": 100, "completion_tokens": len(deltas)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        yield event({**base, "choices": [], "usage": usage})
        yield "data: [DONE]\n\n"

    async def chat_completions(request: Request) -> Response:
        arrivals.append(time.time())
        body = await request.json()
        return StreamingResponse(
            sse(body.get("model", "bench-model")), media_type="text/event-stream"
        )

    async def list_arrivals(_request: Request) -> JSONResponse:
        return JSONResponse(arrivals)

    return Starlette(
        routes=[
            Route("/v1/chat/completions", chat_completions, methods=["POST"]),
            Route("/arrivals", list_arrivals),
        ]
    )
