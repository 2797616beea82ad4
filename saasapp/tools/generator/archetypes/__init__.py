"""The offline catalogue: one small module per archetype, each drafting and building a tool."""

from __future__ import annotations

from saasapp.tools.generator.archetypes import (
    calculator,
    checklist,
    converter,
    countdown,
    invoice,
    pricing,
    quiz,
    text_utility,
)
from saasapp.tools.generator.archetypes._base import Archetype
from saasapp.tools.generator.spec import ARCHETYPES

CATALOGUE: dict[str, Archetype] = {
    module.ARCHETYPE.name: module.ARCHETYPE
    for module in (
        calculator,
        converter,
        checklist,
        quiz,
        pricing,
        countdown,
        invoice,
        text_utility,
    )
}
assert tuple(CATALOGUE) == ARCHETYPES, "spec.ARCHETYPES lists the catalogue in order"

__all__ = ["CATALOGUE", "Archetype"]
