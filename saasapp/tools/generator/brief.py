"""The brief: what a maker asks the generator for, as the wizard collects it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Brief:
    """The idea and the wizard's optional answers about it (audience, category, must-have
    features, style), trimmed; empty features are dropped."""

    idea: str
    audience: str = ""
    category: str = ""
    features: tuple[str, ...] = field(default=())
    style: str = ""

    def __post_init__(self) -> None:
        for name in ("idea", "audience", "category", "style"):
            object.__setattr__(self, name, (getattr(self, name) or "").strip())
        object.__setattr__(self, "features", clean_features(self.features))

    @property
    def text(self) -> str:
        """Lower-cased idea, category and features, for keyword matching."""
        return " ".join([self.idea, self.category, *self.features]).lower()


def clean_features(features: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(f.strip() for f in features or () if f and f.strip())
