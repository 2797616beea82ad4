"""The structured spec of a generated tool, its manifest, and parsing a spec out of model output.

The spec is what the wizard edits and what both generators build from; the manifest is the
public summary stored with a built tool (listing, SEO, API). Values here are untrusted text
(from a user or a model): builders escape them, and keys are restricted so they can name DOM ids.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from saasapp.tools.generator.expressions import FormulaError, formula_variables, parse_formula

# The offline catalogue, in the order draft_spec prefers on a tie.
ARCHETYPES: tuple[str, ...] = (
    "calculator",
    "converter",
    "checklist",
    "quiz",
    "pricing",
    "countdown",
    "invoice",
    "text_utility",
)

FieldType = Literal["number", "text", "select", "date", "checkbox", "textarea"]
OutputFormat = Literal["number", "integer", "currency", "percent", "text"]
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
MAX_SLUG_LENGTH = 48
DEFAULT_ACCENT = "#4f46e5"


class SpecError(ValueError):
    """A spec that cannot be used; ``problems`` lists each field's problem."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        detail = "".join(f"\n- {p}" for p in self.problems)
        super().__init__(f"{message}{detail}")
        self.message = message


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """A URL-safe slug: ascii lower-case words joined by hyphens ("tool" when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "tool"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Option(_Model):
    value: str = Field(min_length=1, max_length=80)
    label: str = Field("", max_length=120)

    @model_validator(mode="before")
    @classmethod
    def _from_plain_value(cls, data: Any) -> Any:
        # Models often write options as plain strings or numbers.
        if isinstance(data, str | int | float):
            return {"value": str(data), "label": str(data)}
        return data

    @model_validator(mode="after")
    def _label_defaults_to_value(self) -> Option:
        if not self.label:
            self.label = self.value
        return self


class InputField(_Model):
    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1, max_length=120)
    type: FieldType = "number"
    options: list[Option] = Field(default_factory=list, max_length=100)
    default: str | float | bool | None = None
    min: float | None = None
    max: float | None = None
    step: float | None = None
    unit: str = Field("", max_length=20)
    help: str = Field("", max_length=300)

    @model_validator(mode="after")
    def _select_has_options(self) -> InputField:
        if self.type == "select" and not self.options:
            raise ValueError("a select input needs at least one option")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class OutputField(_Model):
    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1, max_length=120)
    format: OutputFormat = "number"
    unit: str = Field("", max_length=20)
    decimals: int = Field(2, ge=0, le=10)
    formula: str = Field("", max_length=500)

    @field_validator("formula")
    @classmethod
    def _formula_parses(cls, value: str) -> str:
        if value:
            try:
                parse_formula(value)
            except FormulaError as exc:
                raise ValueError(f"formula: {exc}") from exc
        return value


class Seo(_Model):
    title: str = Field("", max_length=70)
    description: str = Field("", max_length=160)
    keywords: list[str] = Field(default_factory=list, max_length=20)


class Style(_Model):
    accent: str = DEFAULT_ACCENT
    tone: str = Field("friendly", max_length=40)
    theme: Literal["light", "dark"] = "light"

    @field_validator("accent")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        # It goes into CSS: only a plain hex colour is accepted.
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise ValueError("accent must be a hex colour like #4f46e5")
        return value.lower()


class ToolSpec(_Model):
    """Everything needed to build a tool; editable in the wizard before the build."""

    name: str = Field(min_length=1, max_length=80)
    slug: str = ""
    tagline: str = Field("", max_length=160)
    description: str = Field("", max_length=1000)
    audience: str = Field("", max_length=200)
    category: str = Field("", max_length=80)
    archetype: str | None = None
    features: list[str] = Field(default_factory=list, max_length=20)
    style: Style = Field(default_factory=Style)
    inputs: list[InputField] = Field(default_factory=list, max_length=40)
    outputs: list[OutputField] = Field(default_factory=list, max_length=40)
    config: dict[str, Any] = Field(default_factory=dict)
    seo: Seo = Field(default_factory=Seo)

    @field_validator("archetype", mode="before")
    @classmethod
    def _known_archetype(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        if isinstance(value, str):
            value = value.strip().lower().replace(" ", "_").replace("-", "_")
            if value in ARCHETYPES:
                return value
        raise ValueError(f"archetype must be one of: {', '.join(ARCHETYPES)}")

    @field_validator("style", mode="before")
    @classmethod
    def _style_from_text(cls, value: Any) -> Any:
        return {"tone": value[:40]} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _derive_and_check(self) -> ToolSpec:
        self.slug = slugify(self.slug or self.name)
        keys = [f.key for f in self.inputs] + [o.key for o in self.outputs]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"input and output keys must be unique: {', '.join(duplicates)}")
        known = {f.key for f in self.inputs}
        for output in self.outputs:
            if output.formula:
                unknown = formula_variables(parse_formula(output.formula)) - known
                if unknown:
                    raise ValueError(
                        f"output {output.key!r}: formula uses unknown names "
                        f"{', '.join(sorted(unknown))} (inputs and earlier outputs only)"
                    )
            known.add(output.key)
        if not self.seo.title:
            self.seo.title = self.name[:70]
        if not self.seo.description:
            self.seo.description = (self.tagline or self.description or self.name)[:160]
        return self


class ToolManifest(_Model):
    """The public summary stored with a built tool."""

    name: str
    slug: str
    tagline: str = ""
    description: str = ""
    archetype: str | None = None
    inputs: list[InputField] = Field(default_factory=list)
    outputs: list[OutputField] = Field(default_factory=list)
    seo: Seo = Field(default_factory=Seo)
    generator: str = "offline"

    @classmethod
    def from_spec(cls, spec: ToolSpec, *, generator: str) -> ToolManifest:
        """``generator`` is "offline" or "<provider>/<model>"."""
        return cls(
            name=spec.name,
            slug=spec.slug,
            tagline=spec.tagline,
            description=spec.description,
            archetype=spec.archetype,
            inputs=spec.inputs,
            outputs=spec.outputs,
            seo=spec.seo,
            generator=generator,
        )


def extract_json_object(text: str) -> dict[str, Any]:
    """The first JSON object in model output: fences and prose around it are ignored."""
    fenced = re.search(r"```(?:json|JSON)?\s*(.*?)```", text, re.DOTALL)
    candidates = [fenced.group(1)] if fenced else []
    candidates.append(text)
    decoder = json.JSONDecoder()
    last_error = "no JSON object found"
    for candidate in candidates:
        start = candidate.find("{")
        while start != -1:
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except json.JSONDecodeError as exc:
                last_error = f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
                start = candidate.find("{", start + 1)
                continue
            if isinstance(value, dict):
                return value
            start = candidate.find("{", start + 1)
    raise SpecError("The model's answer holds no valid JSON object.", [last_error])


def _location(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts) or "spec"


def validation_problems(error: ValidationError) -> list[str]:
    """Readable "field: problem" lines from a pydantic error."""
    problems = []
    for item in error.errors():
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{_location(tuple(item['loc']))}: {message}")
    return problems


def spec_from_dict(data: dict[str, Any]) -> ToolSpec:
    """Validate a spec dict, raising SpecError with one line per field problem."""
    try:
        return ToolSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError("The spec is not valid.", validation_problems(exc)) from exc


def parse_spec(text: str) -> ToolSpec:
    """A ToolSpec from model output (JSON, possibly in ``` fences or after some prose)."""
    data = extract_json_object(text)
    if isinstance(data.get("spec"), dict) and "name" not in data:
        data = data["spec"]  # {"spec": {...}} wrappers are common
    return spec_from_dict(data)
