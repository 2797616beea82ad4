"""The LLM-backed generator: spec, clarifying questions, streamed build and refinement.

Every function takes ``on_usage`` to receive each request's token usage (for accounting).
Streams are ``CompletionStream`` objects: iterate for deltas, then read ``.usage`` and pass
``.text`` through ``extract_html`` to get the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from saasapp.integrations.llm import (
    CompletionStream,
    Usage,
    complete_json,
    generator_label,
    stream_completion,
)
from saasapp.log import get_logger
from saasapp.tools.generator import prompts
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolManifest, ToolSpec, parse_spec

log = get_logger(__name__)

UsageCallback = Callable[[Usage], None] | None
MAX_QUESTIONS = 5


def _report(on_usage: UsageCallback, usage: Usage) -> None:
    if on_usage is not None:
        on_usage(usage)


def llm_spec(
    brief: Brief,
    *,
    answers: dict[str, str] | None = None,
    on_usage: UsageCallback = None,
) -> ToolSpec:
    """A ToolSpec written by the model; one repair round on an invalid answer, then SpecError."""
    messages = prompts.spec_messages(brief, answers)
    text, usage = complete_json(messages)
    _report(on_usage, usage)
    try:
        return parse_spec(text)
    except SpecError as first:
        log.info("llm_spec_repair", problems=first.problems)
        repair = prompts.repair_messages(messages, text, str(first))
        text, usage = complete_json(repair)
        _report(on_usage, usage)
        try:
            return parse_spec(text)
        except SpecError as second:
            raise SpecError(
                "The model returned an invalid spec twice; try again, rephrase the idea or "
                "use the offline generator.",
                second.problems,
            ) from second


def llm_clarifying_questions(brief: Brief, *, on_usage: UsageCallback = None) -> list[str]:
    """Up to five short questions whose answers would change the tool ([] when none)."""
    text, usage = complete_json(prompts.questions_messages(brief))
    _report(on_usage, usage)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        match = re.search(r"\{.*\}", text, re.DOTALL)
        try:
            data = json.loads(match.group(0)) if match else {}
        except json.JSONDecodeError:
            data = {}
    questions = data.get("questions", []) if isinstance(data, dict) else data
    if not isinstance(questions, list):
        return []
    cleaned = [
        str(q).strip()[:300] for q in questions if isinstance(q, str | int) and str(q).strip()
    ]
    return cleaned[:MAX_QUESTIONS]


def llm_build_stream(spec: ToolSpec) -> CompletionStream:
    """The page for ``spec``, streamed; ``extract_html(stream.text)`` once it is exhausted."""
    spec_json = spec.model_dump_json(exclude_none=True)
    return stream_completion(prompts.build_messages(spec_json))


def llm_refine_stream(current_html: str, instruction: str) -> CompletionStream:
    """An edited page following ``instruction``, streamed like ``llm_build_stream``."""
    if not instruction.strip():
        raise ValueError("Say what to change.")
    return stream_completion(prompts.refine_messages(current_html, instruction))


def llm_manifest(spec: ToolSpec) -> ToolManifest:
    """The manifest of a tool the model built from ``spec`` ("<provider>/<model>")."""
    return ToolManifest.from_spec(spec, generator=generator_label())


_FENCE = re.compile(r"```[ \t]*(?:html|HTML|htm)?[ \t]*\n?(.*?)(?:```|\Z)", re.DOTALL)


def extract_html(text: str) -> str:
    """The HTML document in a model's answer: fences and surrounding prose are dropped."""
    fenced = _FENCE.search(text)
    body = fenced.group(1) if fenced and "<" in fenced.group(1) else text
    lower = body.lower()
    start = min((i for i in (lower.find("<!doctype"), lower.find("<html")) if i != -1), default=-1)
    if start != -1:
        end = lower.rfind("</html>")
        body = body[start : end + len("</html>")] if end > start else body[start:]
    return body.strip() + "\n" if body.strip() else ""
