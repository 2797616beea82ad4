"""Specs: parsing model output, field problems, derived slug, the formula language."""

from __future__ import annotations

import json
import math

import pytest

from saasapp.tools.generator.expressions import (
    FormulaError,
    evaluate,
    formula_variables,
    parse_formula,
)
from saasapp.tools.generator.spec import SpecError, ToolManifest, parse_spec, slugify

SPEC = {
    "name": "Café Tip Splitter!",
    "tagline": "Split it",
    "inputs": [
        {"key": "bill", "label": "Bill", "type": "number"},
        {"key": "size", "label": "Size", "type": "select", "options": ["S", {"value": "m"}]},
    ],
    "outputs": [
        {"key": "tip", "label": "Tip", "formula": "bill * 0.15"},
        {"key": "total", "label": "Total", "formula": "bill + tip"},
    ],
}


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(SPEC),
        "Sure! Here is the spec:\n```json\n" + json.dumps(SPEC, indent=2) + "\n```\nDone.",
        "```\n" + json.dumps(SPEC) + "\n```",
        "The tool {as asked}: " + json.dumps(SPEC) + " -- hope it helps",
        json.dumps({"spec": SPEC}),
    ],
)
def test_parse_spec_tolerates_fences_and_prose(text):
    spec = parse_spec(text)
    assert spec.name == "Café Tip Splitter!"
    assert spec.slug == "cafe-tip-splitter"
    assert spec.inputs[1].options[0].label == "S" and spec.inputs[1].options[1].label == "m"
    assert spec.seo.title == spec.name and spec.seo.description == "Split it"


def test_spec_error_lists_every_field_problem():
    bad = {
        "name": "",
        "archetype": "spaceship",
        "style": {"accent": "red; background:url(x)"},
        "inputs": [
            {"key": "Bad Key", "label": "x", "type": "slider"},
            {"key": "pick", "label": "Pick", "type": "select"},
        ],
    }
    with pytest.raises(SpecError) as caught:
        parse_spec(json.dumps(bad))
    problems = "\n".join(caught.value.problems)
    for fragment in (
        "name:",
        "archetype: archetype must be one of",
        "style.accent: accent must be a hex colour",
        "inputs[0].key:",
        "inputs[0].type:",
        "inputs[1]: a select input needs at least one option",
    ):
        assert fragment in problems
    assert str(caught.value).startswith("The spec is not valid.")


def test_no_json_is_a_spec_error():
    with pytest.raises(SpecError, match="no valid JSON object"):
        parse_spec("I cannot help with that.")
    with pytest.raises(SpecError, match="invalid JSON"):
        parse_spec('{"name": "x",')


def test_formulas_may_only_use_inputs_and_earlier_outputs():
    bad = {
        **SPEC,
        "outputs": [
            {"key": "a", "label": "A", "formula": "b + bill"},
            {"key": "b", "label": "B", "formula": "1"},
        ],
    }
    with pytest.raises(SpecError, match="unknown names b"):
        parse_spec(json.dumps(bad))
    dup = {**SPEC, "outputs": [{"key": "bill", "label": "B", "formula": "1"}]}
    with pytest.raises(SpecError, match="unique: bill"):
        parse_spec(json.dumps(dup))


def test_slugify():
    assert slugify("  Hello, Wörld -- 2025!  ") == "hello-world-2025"
    assert slugify("<script>") == "script"
    assert slugify("???") == "tool"
    assert len(slugify("x" * 100)) == 48


def test_manifest_from_spec():
    spec = parse_spec(json.dumps(SPEC))
    manifest = ToolManifest.from_spec(spec, generator="openai/gpt-4o-mini")
    assert manifest.generator == "openai/gpt-4o-mini"
    assert manifest.model_dump()["inputs"][0]["key"] == "bill"


@pytest.mark.parametrize(
    ("formula", "env", "expected"),
    [
        ("1 + 2 * 3", {}, 7),
        ("(1 + 2) * 3", {}, 9),
        ("2 ^ 3 ^ 2", {}, 512),
        ("-2 ^ 2", {}, -4),
        ("a / b", {"a": 1, "b": 4}, 0.25),
        ("7 % 3", {}, 1),
        ("round(2.345, 2)", {}, 2.35),
        ("round(-2.5)", {}, -2),
        ("max(a, 3, min(10, 4))", {"a": 1}, 4),
        ("sqrt(16) + abs(-1) + floor(1.7) + ceil(1.2)", {}, 8),
        ("pi * 2", {}, math.pi * 2),
        ("1.5e3 + .5", {}, 1500.5),
    ],
)
def test_formula_evaluation(formula, env, expected):
    assert evaluate(parse_formula(formula), env) == pytest.approx(expected)


def test_formula_edge_values_follow_javascript():
    assert evaluate(parse_formula("1 / 0"), {}) == math.inf
    assert math.isnan(evaluate(parse_formula("0 / 0"), {}))
    assert math.isnan(evaluate(parse_formula("sqrt(-1)"), {}))
    assert math.isnan(evaluate(parse_formula("missing + 1"), {}))


@pytest.mark.parametrize(
    "formula",
    [
        "",
        "alert(1)",
        "__import__('os')",
        "a.b",
        "a[0]",
        "x = 1",
        "1 +",
        "(1",
        "max()",
        "pow(1)",
        "constructor",
        "1; 2",
        "`x`",
        "a" * 501,
    ],
)
def test_formula_grammar_refuses_everything_else(formula):
    if formula == "constructor":  # a plain name is allowed; the spec checks it is known
        assert formula_variables(parse_formula(formula)) == {"constructor"}
        return
    with pytest.raises(FormulaError):
        parse_formula(formula)
