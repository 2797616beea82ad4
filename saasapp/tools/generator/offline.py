"""The offline generator: deterministic, honest, and working with no model at all.

``draft_spec`` maps an idea onto one archetype of the catalogue by keywords and fills a complete
spec; ``build_tool`` renders that spec into one self-contained page. Same input, same output.
The manifest says ``"generator": "offline"`` and the page's footer says so too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from saasapp.tools.generator.archetypes import CATALOGUE
from saasapp.tools.generator.archetypes._base import has
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import ToolManifest, ToolSpec, spec_from_dict

OFFLINE_GENERATOR = "offline"
# An idea that names nothing in the catalogue becomes a checklist for it: every idea can be
# planned and tracked, and the spec stays editable.
FALLBACK_ARCHETYPE = "checklist"

COLOURS = {
    "blue": "#2563eb",
    "green": "#16a34a",
    "red": "#dc2626",
    "orange": "#ea580c",
    "purple": "#7c3aed",
    "violet": "#7c3aed",
    "pink": "#db2777",
    "teal": "#0d9488",
    "yellow": "#ca8a04",
    "amber": "#d97706",
    "black": "#111827",
    "grey": "#374151",
    "gray": "#374151",
    "monochrome": "#374151",
    "indigo": "#4f46e5",
}
TONES = ("playful", "professional", "minimal", "friendly", "bold", "calm", "serious", "fun")

BASE_FEATURES = {
    "calculator": ["Results update as you type", "Clear formulas, no sign-up"],
    "converter": ["Instant conversion both ways", "Swap units in one click"],
    "checklist": ["Progress bar", "Add your own items", "Remembers your ticks in this browser"],
    "quiz": ["Score at the end", "Explanations after each answer"],
    "pricing": ["Plans, quantity and add-ons", "Monthly or yearly pricing"],
    "countdown": ["Live timer", "Pick any date"],
    "invoice": ["Add and remove line items", "Tax and totals", "Print or save as PDF"],
    "text_utility": ["Live word and character counts", "Case transforms and slugify"],
}


@dataclass(frozen=True)
class BuiltTool:
    html: str
    manifest: ToolManifest


def choose_archetype(idea: str, category: str = "", features: Sequence[str] = ()) -> str:
    """The catalogue archetype whose keywords weigh most in the idea (fallback: checklist)."""
    text = " ".join([idea, category, *features]).lower()
    best, best_score = FALLBACK_ARCHETYPE, 0
    for name, archetype in CATALOGUE.items():
        score = sum(weight for keyword, weight in archetype.keywords if has(text, keyword))
        if score > best_score:  # ties keep the earlier archetype of the catalogue
            best, best_score = name, score
    return best


def parse_style(style: str) -> dict[str, Any]:
    """Accent colour, tone and theme from free text ("dark, playful, teal" or "#ff6600")."""
    text = style.lower()
    result: dict[str, Any] = {}
    hex_colour = re.search(r"#[0-9a-f]{6}\b", text)
    if hex_colour:
        result["accent"] = hex_colour.group(0)
    else:
        for word, colour in COLOURS.items():
            if has(text, word):
                result["accent"] = colour
                break
    tone = next((t for t in TONES if has(text, t)), None)
    if tone:
        result["tone"] = tone
    if has(text, "dark"):
        result["theme"] = "dark"
    return result


def draft_spec(brief: Brief) -> ToolSpec:
    """A complete, buildable spec for the brief from the offline catalogue."""
    features = list(brief.features)
    archetype = choose_archetype(brief.idea, brief.category, features)
    parts = CATALOGUE[archetype].draft(brief)
    name = parts["name"]
    summary = CATALOGUE[archetype].summary
    description = summary
    if brief.audience:
        description += f" Made for {brief.audience}."
    description += " Runs entirely in your browser."
    keywords = [w for w in re.split(r"\W+", name.lower()) if len(w) > 2]
    for extra in (brief.category.lower(), archetype.replace("_", " ")):
        if extra and extra not in keywords:
            keywords.append(extra)
    data = {
        "name": name,
        "tagline": parts["tagline"],
        "description": description,
        "audience": brief.audience[:200],
        "category": (brief.category or archetype.replace("_", " "))[:80],
        "archetype": archetype,
        "features": (features or BASE_FEATURES[archetype])[:20],
        "style": parse_style(brief.style),
        "inputs": parts["inputs"],
        "outputs": parts["outputs"],
        "config": parts["config"],
        "seo": {
            "title": f"{name} — free online tool"[:70],
            "description": f"{parts['tagline']} {summary}"[:160],
            "keywords": keywords[:10],
        },
    }
    return spec_from_dict(data)


def complete_spec(spec: ToolSpec) -> ToolSpec:
    """A spec with an archetype and every part the archetype needs (from its defaults).

    Specs written by a model or edited by hand may name no archetype or leave inputs, outputs
    or config empty; parts that are present are kept.
    """
    archetype = spec.archetype or choose_archetype(
        " ".join([spec.name, spec.tagline, spec.description]), spec.category, spec.features
    )
    if spec.archetype and spec.inputs and spec.outputs and spec.config:
        return spec
    idea = " ".join([spec.name, spec.tagline, spec.description])
    defaults = CATALOGUE[archetype].draft(
        Brief(idea, audience=spec.audience, category=spec.category, features=tuple(spec.features))
    )
    data = spec.model_dump()
    data["archetype"] = archetype
    if archetype == "quiz" or archetype == "checklist":
        # Their inputs are the questions or items themselves: an empty list is complete.
        data["inputs"] = data["inputs"] or defaults["inputs"]
    for part in ("inputs", "outputs", "config"):
        if not data[part]:
            data[part] = defaults[part]
    return spec_from_dict(data)


def build_tool(spec: ToolSpec) -> BuiltTool:
    """One self-contained HTML page for ``spec`` and its manifest (generator "offline").

    Raises SpecError when the spec lacks what its archetype needs.
    """
    spec = complete_spec(spec)
    html = CATALOGUE[spec.archetype or FALLBACK_ARCHETYPE].build(spec)
    return BuiltTool(html=html, manifest=ToolManifest.from_spec(spec, generator=OFFLINE_GENERATOR))


def stream_chunks(html: str, size: int = 512) -> Iterator[str]:
    """The page in pieces of ``size`` characters, so the UI streams it like a model's output."""
    if size < 1:
        raise ValueError("size must be positive")
    for start in range(0, len(html), size):
        yield html[start : start + size]
