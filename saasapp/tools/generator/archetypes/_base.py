"""What an offline archetype provides, and helpers shared by their drafts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import ToolSpec


@dataclass(frozen=True)
class Archetype:
    name: str
    summary: str
    # (keyword, weight): a hit in the idea, category or features adds the weight.
    keywords: tuple[tuple[str, int], ...]
    draft: Callable[[Brief], dict[str, Any]]
    build: Callable[[ToolSpec], str]
    extra: dict[str, Any] = field(default_factory=dict)


def has(text: str, keyword: str) -> bool:
    """Whether ``keyword`` starts a word in ``text`` ("convert" matches "converter")."""
    return re.search(r"(?<![a-z0-9])" + re.escape(keyword), text) is not None


def pick_preset(text: str, presets: dict[str, dict[str, Any]], default: str) -> str:
    """The preset whose keywords hit ``text`` most (the default when none does)."""
    best, best_score = default, 0
    for key, preset in presets.items():
        score = sum(1 for kw in preset.get("keywords", ()) if has(text, kw))
        if score > best_score:
            best, best_score = key, score
    return best


_FILLER = re.compile(
    r"^(?:(?:please|generate|build|make|create|i want|i need|we need|an?|the|simple|small|"
    r"saas|tool|app|web app)\s+)+",
    re.IGNORECASE,
)


def title_from_idea(idea: str, suffix: str = "") -> str:
    """A short title from free text: "a tool for dog walkers" -> "Dog Walkers"."""
    text = re.sub(r"\s+", " ", idea).strip().rstrip(".!?")
    text = _FILLER.sub("", text)
    text = re.sub(r"^(?:tool|app)?\s*(?:for|to|that)\s+", "", text, flags=re.IGNORECASE)
    words = [w for w in re.split(r"[^\w'&+-]+", text) if w][:6]
    title = " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)
    if suffix and suffix.lower() not in title.lower():
        title = f"{title} {suffix}".strip()
    return (title or suffix or "My Tool")[:80]
