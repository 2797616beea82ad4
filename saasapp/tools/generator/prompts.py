"""Every prompt the LLM path sends, in one place."""

from __future__ import annotations

import json

from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import ARCHETYPES

SPEC_SCHEMA_HINT = {
    "name": "short product name",
    "tagline": "one sentence, max 160 chars",
    "description": "2-3 sentences",
    "audience": "who it is for",
    "category": "e.g. finance, health, productivity",
    "archetype": f"one of {', '.join(ARCHETYPES)} or null",
    "features": ["must-have feature", "..."],
    "style": {"accent": "#4f46e5", "tone": "friendly", "theme": "light"},
    "inputs": [
        {
            "key": "snake_case_key",
            "label": "Label",
            "type": "number|text|select|date|checkbox|textarea",
            "options": ["for selects"],
            "default": None,
            "min": None,
            "max": None,
            "unit": "",
        }
    ],
    "outputs": [
        {
            "key": "snake_case_key",
            "label": "Label",
            "format": "number|integer|currency|percent|text",
            "unit": "",
            "decimals": 2,
            "formula": "for calculators: arithmetic over input keys and earlier outputs",
        }
    ],
    "config": {"archetype-specific": "questions, checklist items, units, tiers..."},
    "seo": {"title": "max 70 chars", "description": "max 160 chars", "keywords": ["..."]},
}

SYSTEM_SPEC = (
    "You design small, useful single-page web tools (micro-SaaS). Answer with ONE JSON object "
    "and nothing else, following this shape:\n"
    + json.dumps(SPEC_SCHEMA_HINT, indent=1)
    + "\nRules: keys are lower snake_case, unique across inputs and outputs. Formulas use only "
    "numbers, input/output keys, + - * / % ^, parentheses and min max round floor ceil abs sqrt "
    "pow log log10 exp. Keep it focused: at most 8 inputs and 6 outputs."
)

SYSTEM_QUESTIONS = (
    "You help a maker specify a small single-page web tool. Ask the few questions whose answers "
    "would change what gets built (at most 3, short, no yes/no questions about obvious things). "
    'Answer with a JSON object: {"questions": ["...", "..."]}. If nothing is unclear, return '
    '{"questions": []}.'
)

HTML_RULES = (
    "Output ONE complete HTML document (<!DOCTYPE html> ... </html>) and nothing else: no "
    "explanations, no Markdown fences. All CSS in one <style> and all JavaScript in inline "
    "<script> elements: no external scripts, stylesheets, fonts, images or fetch/XHR calls; no "
    "<form action>, no <base>, no javascript: URLs, no iframes. Use semantic, accessible HTML: "
    "a <label for> on every control, stable ids (#tool-root on the main element, #in-<key> on "
    "inputs, #out-<key> on results), responsive layout that works at 360 px. Write user text "
    "with textContent, never innerHTML. Wrap any localStorage use in try/catch: the preview "
    "runs in a sandboxed iframe without same-origin."
)

SYSTEM_BUILD = (
    "You are a senior front-end engineer building small, polished web tools. " + HTML_RULES
)

SYSTEM_REFINE = (
    "You edit a single-page web tool as asked, keeping everything else unchanged. " + HTML_RULES
)


def _brief(brief: Brief) -> list[str]:
    lines = [f"Idea: {brief.idea}"]
    if brief.audience:
        lines.append(f"Audience: {brief.audience}")
    if brief.category:
        lines.append(f"Category: {brief.category}")
    if brief.features:
        lines.append("Must-have features:\n" + "\n".join(f"- {f}" for f in brief.features))
    if brief.style:
        lines.append(f"Style: {brief.style}")
    return lines


def spec_messages(brief: Brief, answers: dict[str, str] | None = None) -> list[dict[str, str]]:
    lines = _brief(brief)
    for question, answer in (answers or {}).items():
        if answer and answer.strip():
            lines.append(f"Q: {question.strip()}\nA: {answer.strip()}")
    lines.append("Write the spec as a JSON object.")
    return [
        {"role": "system", "content": SYSTEM_SPEC},
        {"role": "user", "content": "\n\n".join(lines)},
    ]


def repair_messages(
    messages: list[dict[str, str]], bad_answer: str, problems: str
) -> list[dict[str, str]]:
    """The conversation so far plus the errors, asking for a corrected object only."""
    return [
        *messages,
        {"role": "assistant", "content": bad_answer[:20000]},
        {
            "role": "user",
            "content": "That answer cannot be used:\n"
            + problems
            + "\nReply with the corrected JSON object only.",
        },
    ]


def questions_messages(brief: Brief) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM_QUESTIONS},
        {"role": "user", "content": "\n\n".join(_brief(brief))},
    ]


def build_messages(spec_json: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM_BUILD},
        {
            "role": "user",
            "content": "Build this tool as one self-contained HTML page. Spec (JSON):\n"
            + spec_json,
        },
    ]


def refine_messages(current_html: str, instruction: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM_REFINE},
        {
            "role": "user",
            "content": "Current page:\n"
            + current_html
            + "\n\nChange requested: "
            + instruction.strip()
            + "\n\nReturn the whole updated page.",
        },
    ]
