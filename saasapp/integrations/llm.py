"""Chat completions from OpenAI or any OpenAI-compatible server (Ollama, vLLM, LM Studio, ...).

Used whenever ``OPENAI_API_KEY`` or ``OPENAI_BASE_URL`` is set. Retries are ours, not the
client's (``max_retries=0``), so every attempt is logged and the waits are testable: 429 and 5xx
answers and connection errors are retried with exponential backoff and jitter, honouring
``Retry-After``. A stream is retried only before its first delta.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import openai

from saasapp.log import get_logger
from saasapp.settings import get_settings

log = get_logger(__name__)

RETRY_BASE_SECONDS = 0.5
RETRY_MAX_SECONDS = 30.0
# Local servers ignore the key but the client wants one.
PLACEHOLDER_API_KEY = "not-needed"

Message = dict[str, str]

# Replaced in tests to record waits instead of sleeping.
sleep: Callable[[float], None] = time.sleep


class LLMError(RuntimeError):
    """The provider could not answer; the message is safe to show to the user."""


class LLMNotConfigured(LLMError):
    """No provider is configured (the offline generator is the one to use)."""


@dataclass
class Usage:
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    duration_ms: int
    model: str
    provider: str
    # True when the server sent no usage and the counts are estimated from text length.
    estimated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def llm_configured() -> bool:
    """Whether a model provider is configured (else the offline generator builds tools)."""
    return get_settings().llm_configured


def provider_name() -> str:
    """ "openai", or the host:port of an OpenAI-compatible server."""
    base_url = get_settings().openai_base_url.strip()
    if not base_url:
        return "openai"
    parts = urlsplit(base_url)
    return parts.netloc or base_url


def generator_label() -> str:
    """What a manifest records as its generator: "<provider>/<model>"."""
    return f"{provider_name()}/{get_settings().openai_model}"


def get_client() -> openai.OpenAI:
    """A client for the configured provider; raises LLMNotConfigured when there is none."""
    settings = get_settings()
    if not settings.llm_configured:
        raise LLMNotConfigured(
            "No AI provider is configured: set OPENAI_API_KEY or OPENAI_BASE_URL."
        )
    return _client(
        settings.openai_api_key.strip() or PLACEHOLDER_API_KEY,
        settings.openai_base_url.strip() or None,
        settings.openai_timeout_seconds,
    )


@lru_cache(maxsize=4)
def _client(api_key: str, base_url: str | None, timeout: float) -> openai.OpenAI:
    # Building a client (TLS context, HTTP pool) costs tens of milliseconds: one per settings.
    return openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0)


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds a 429/503 asks us to wait (``retry-after-ms``, ``retry-after`` secs or date)."""
    if headers is None:
        return None
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return max(0.0, parsed.timestamp() - time.time())


def backoff_seconds(attempt: int, retry_after: float | None = None) -> float:
    """Wait before retry ``attempt`` (0-based): Retry-After if given, else 2^n with jitter."""
    if retry_after is not None:
        return min(retry_after, RETRY_MAX_SECONDS)
    delay = min(RETRY_BASE_SECONDS * 2**attempt, RETRY_MAX_SECONDS)
    return delay * (0.75 + random.random() / 2)


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, openai.APIConnectionError):  # includes timeouts
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return False


def _describe(exc: Exception) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "the request timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect"
    if isinstance(exc, openai.APIStatusError):
        message = getattr(exc, "message", "") or ""
        return f"HTTP {exc.status_code}" + (f": {message[:200]}" if message else "")
    return str(exc)[:200]


def with_retries(call: Callable[[], Any], *, what: str = "model request") -> Any:
    """``call()`` with retries on 429, 5xx and connection errors; LLMError when it gives up."""
    max_retries = get_settings().openai_max_retries
    attempt = 0
    while True:
        try:
            return call()
        except openai.OpenAIError as exc:
            if not _retryable(exc) or attempt >= max_retries:
                attempts = attempt + 1
                log.warning(
                    "llm_request_failed", what=what, attempts=attempts, error=_describe(exc)
                )
                tries = f" after {attempts} attempts" if attempts > 1 else ""
                raise LLMError(
                    f"The AI provider ({provider_name()}) failed{tries}: {_describe(exc)}."
                ) from exc
            headers = getattr(getattr(exc, "response", None), "headers", None)
            wait = backoff_seconds(attempt, retry_after_seconds(headers))
            log.info(
                "llm_retry",
                what=what,
                attempt=attempt + 1,
                wait_s=round(wait, 3),
                error=_describe(exc),
            )
            sleep(wait)
            attempt += 1


def _estimate_tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4)) if text else 0


def _usage(raw: Any, started: float, model: str, messages: list[Message], text: str) -> Usage:
    duration_ms = int((time.monotonic() - started) * 1000)
    if raw is not None and getattr(raw, "total_tokens", None) is not None:
        return Usage(
            prompt_tokens=raw.prompt_tokens or 0,
            completion_tokens=raw.completion_tokens or 0,
            total_tokens=raw.total_tokens or 0,
            duration_ms=duration_ms,
            model=model,
            provider=provider_name(),
        )
    prompt = _estimate_tokens("".join(m.get("content", "") for m in messages))
    completion = _estimate_tokens(text)
    return Usage(
        prompt, completion, prompt + completion, duration_ms, model, provider_name(), estimated=True
    )


def complete_json(messages: list[Message], *, temperature: float = 0.2) -> tuple[str, Usage]:
    """One non-streamed answer in JSON mode; returns its text and the usage."""
    client = get_client()
    model = get_settings().openai_model
    started = time.monotonic()
    response = with_retries(
        lambda: client.chat.completions.create(
            model=model,
            messages=messages,
            response_format={"type": "json_object"},
            temperature=temperature,
        ),
        what="complete_json",
    )
    choices = getattr(response, "choices", None) or []
    text = (choices[0].message.content or "") if choices else ""
    usage = _usage(getattr(response, "usage", None), started, model, messages, text)
    log.info("llm_completion", mode="json", **usage.as_dict())
    return text, usage


class CompletionStream:
    """Text deltas of a streamed answer; ``usage`` and ``text`` are set once it is exhausted.

    stream = stream_completion(messages)
    for delta in stream: ...
    stream.usage, stream.text
    """

    def __init__(self, messages: list[Message], *, temperature: float = 0.3) -> None:
        self.messages = messages
        self.temperature = temperature
        self.model = get_settings().openai_model
        self.usage: Usage | None = None
        self.finish_reason: str | None = None
        self._parts: list[str] = []
        self._client = get_client()
        self._started = time.monotonic()
        self._iterator = self._run()

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def __iter__(self) -> Iterator[str]:
        return self._iterator

    def __next__(self) -> str:
        return next(self._iterator)

    def _open(self) -> Any:
        return self._client.chat.completions.create(
            model=self.model,
            messages=self.messages,
            temperature=self.temperature,
            stream=True,
            stream_options={"include_usage": True},
        )

    def _run(self) -> Iterator[str]:
        stream = with_retries(self._open, what="stream_completion")
        raw_usage = None
        try:
            for chunk in stream:
                if getattr(chunk, "usage", None) is not None:
                    raw_usage = chunk.usage
                for choice in getattr(chunk, "choices", None) or []:
                    delta = getattr(choice.delta, "content", None) if choice.delta else None
                    if choice.finish_reason:
                        self.finish_reason = choice.finish_reason
                    if delta:
                        self._parts.append(delta)
                        yield delta
        except openai.OpenAIError as exc:
            raise LLMError(
                f"The AI provider ({provider_name()}) stopped mid-answer: {_describe(exc)}."
            ) from exc
        finally:
            close = getattr(stream, "close", None)
            if close:
                close()
        self.usage = _usage(raw_usage, self._started, self.model, self.messages, self.text)
        log.info(
            "llm_completion",
            mode="stream",
            finish_reason=self.finish_reason,
            **self.usage.as_dict(),
        )

    def read(self) -> str:
        """Consume the rest of the stream and return the whole text."""
        for _ in self:
            pass
        return self.text


def stream_completion(messages: list[Message], *, temperature: float = 0.3) -> CompletionStream:
    """A streamed answer: iterate for text deltas; ``.usage`` is filled at the end."""
    return CompletionStream(messages, temperature=temperature)
