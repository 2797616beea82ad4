"""The generator wizard's steps before a build: example ideas, clarifying questions and the
editable spec. With a model configured the model writes them; offline, the spec comes from the
archetype catalogue and there are no questions. Then ``generations.start_generation``
builds the (possibly edited) spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from saasapp.core.errors import ServiceError
from saasapp.integrations.llm import LLMError, generator_label, llm_configured
from saasapp.tools.generations import coerce_spec
from saasapp.tools.generator import ai, offline
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import ARCHETYPES, SpecError

EXAMPLE_IDEAS: tuple[str, ...] = (
    "A mortgage payment calculator for first-time buyers",
    "A kitchen unit converter for bakers (cups, grams, ounces)",
    "A moving-house checklist for families",
    "A quiz that teaches kids the planets of the solar system",
    "A pricing estimator for a freelance web designer",
    "A countdown to our product launch",
    "An invoice builder for freelancers",
    "A word and character counter for tweets and meta descriptions",
)
CATEGORIES: tuple[str, ...] = (
    "finance", "productivity", "education", "health", "marketing", "developer tools",
    "food", "travel", "events", "writing",
)  # fmt: skip


@dataclass(frozen=True)
class SpecDraft:
    spec: dict[str, Any]  # JSON-safe, editable, accepted back by start_generation(spec=...)
    generator: str  # "offline" or "<provider>/<model>"
    offline: bool


def generator_mode() -> str:
    """What will build tools right now: "offline" or "<provider>/<model>"."""
    return generator_label() if llm_configured() else offline.OFFLINE_GENERATOR


def archetypes() -> tuple[str, ...]:
    """The offline catalogue (calculator, converter, ...), for a spec's archetype menu."""
    return ARCHETYPES


def clarifying_questions(brief: Brief) -> list[str]:
    """Up to five questions from the model whose answers would change the tool; [] offline
    (or when the model fails: the questions are optional)."""
    if not llm_configured() or not brief.idea:
        return []
    try:
        return ai.llm_clarifying_questions(brief)
    except LLMError:
        return []


def draft_spec(brief: Brief, *, answers: dict[str, str] | None = None) -> SpecDraft:
    """An editable spec for the idea: written by the model when one is configured, else by
    the offline catalogue. Raises ServiceError ``invalid_input``, ``spec_failed`` (the model's
    answer stayed invalid: ``details["problems"]``) or ``provider_failed``."""
    if not brief.idea:
        raise ServiceError("invalid_input", "Describe the tool first.", field="idea")
    if not llm_configured():
        spec = offline.draft_spec(brief)
        return SpecDraft(spec.model_dump(mode="json"), offline.OFFLINE_GENERATOR, True)
    try:
        spec = ai.llm_spec(brief, answers=answers)
    except SpecError as exc:
        raise ServiceError("spec_failed", exc.message, problems=exc.problems) from exc
    except LLMError as exc:
        raise ServiceError("provider_failed", str(exc), status=502) from exc
    return SpecDraft(spec.model_dump(mode="json"), generator_label(), False)


def check_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec normalised (slug, SEO defaults), or ServiceError ``invalid_spec`` with
    ``details["problems"]`` ("field: problem" lines) for the wizard's edit step."""
    return coerce_spec(spec).model_dump(mode="json")
