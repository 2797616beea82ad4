"""The offline generator: idea -> archetype, spec -> one safe, publishable page."""

from __future__ import annotations

import pytest

from saasapp.tools.generator.archetypes import CATALOGUE
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.offline import (
    BuiltTool,
    build_tool,
    complete_spec,
    draft_spec,
    stream_chunks,
)
from saasapp.tools.generator.spec import ARCHETYPES, SpecError, spec_from_dict
from saasapp.tools.generator.validation import validate_tool_html
from tests.utils.tools import IMG, SAMPLE_IDEAS, SCRIPT, TagCollector, poisoned_tool


@pytest.mark.parametrize(
    ("idea", "archetype", "name"),
    [
        ("mortgage calculator", "calculator", "Mortgage Calculator"),
        ("BMI checker for gym members", "calculator", "BMI Calculator"),
        ("ROI of my marketing campaigns", "calculator", "ROI Calculator"),
        ("tip calculator for restaurants", "calculator", "Tip Calculator"),
        ("compound interest savings calculator", "calculator", "Compound Interest Calculator"),
        ("convert units for recipes", "converter", "Volume Converter"),
        ("celsius to fahrenheit", "converter", "Temperature Converter"),
        ("unit converter", "converter", "Unit Converter"),
        ("onboarding checklist for new hires", "checklist", "Employee Onboarding Checklist"),
        ("trivia quiz about world capitals", "quiz", "World Capitals Quiz"),
        ("price quote for web design projects", "pricing", "Project Quote Estimator"),
        ("countdown to christmas", "countdown", "Christmas Countdown"),
        ("how many days until my wedding", "countdown", "Wedding Countdown"),
        ("invoice generator with VAT", "invoice", "Invoice Generator"),
        ("character count for tweets", "text_utility", "Post Length Checker"),
        ("slug generator for blog titles", "text_utility", "Slug Generator"),
        ("a tool for dog walkers", "checklist", "Dog Walkers Checklist"),
        ("", "checklist", "Checklist"),
    ],
)
def test_draft_spec_maps_ideas_to_archetypes(idea, archetype, name):
    spec = draft_spec(Brief(idea))
    assert spec.archetype == archetype
    assert spec.name == name
    assert spec.slug and spec.seo.title and spec.seo.description and spec.features


def test_category_and_features_count_too():
    assert draft_spec(Brief("help my customers", category="quiz")).archetype == "quiz"
    spec = draft_spec(Brief("my new cafe", features=["walk the dog", "water plants"]))
    assert spec.archetype == "checklist"
    assert spec.config["items"] == ["walk the dog", "water plants"]


def test_draft_spec_fills_audience_and_style():
    spec = draft_spec(Brief("loan calculator", audience="students", style="dark, playful, teal"))
    assert "students" in spec.description and spec.audience == "students"
    assert (spec.style.accent, spec.style.tone, spec.style.theme) == ("#0d9488", "playful", "dark")
    assert draft_spec(Brief("quiz", style="brand colour #FF6600")).style.accent == "#ff6600"


def test_draft_is_deterministic():
    a = build_tool(draft_spec(Brief("mortgage calculator")))
    b = build_tool(draft_spec(Brief("mortgage calculator")))
    assert a == b


def test_catalogue_has_every_archetype():
    assert tuple(CATALOGUE) == ARCHETYPES and len(ARCHETYPES) >= 8
    assert set(SAMPLE_IDEAS) == set(ARCHETYPES)


@pytest.mark.parametrize("archetype", ARCHETYPES)
def test_every_archetype_builds_a_publishable_page(archetype):
    spec = draft_spec(Brief(SAMPLE_IDEAS[archetype]))
    assert spec.archetype == archetype
    built = build_tool(spec)
    assert isinstance(built, BuiltTool)
    assert validate_tool_html(built.html, allowed_hosts=[], max_bytes=100_000) == []
    html = built.html
    assert html.startswith("<!DOCTYPE html>")
    assert 'id="tool-root"' in html and 'name="viewport"' in html
    assert "offline generator" in html
    for field in spec.inputs:
        assert f'id="in-{field.key}"' in html
        assert f'<label for="in-{field.key}">' in html
    for output in spec.outputs:
        assert f'id="out-{output.key}"' in html
    assert "http://" not in html and "https://" not in html and "<form" not in html
    manifest = built.manifest
    assert manifest.generator == "offline"
    assert (manifest.name, manifest.slug, manifest.archetype) == (spec.name, spec.slug, archetype)
    assert manifest.inputs == spec.inputs and manifest.outputs == spec.outputs


@pytest.mark.parametrize("archetype", ARCHETYPES)
def test_spec_text_renders_inert(archetype):
    html = poisoned_tool(archetype).html
    assert IMG not in html and SCRIPT not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text
    parser = TagCollector()
    parser.feed(html)
    assert "img" not in parser.tags
    assert parser.tags.count("script") == 2  # the JSON data block and the tool's own code
    assert parser.handlers == []
    assert validate_tool_html(html, [], 200_000) == []


def test_embedded_json_cannot_close_its_script_element():
    html = poisoned_tool("quiz").html
    data_block = html.split('<script id="tool-data" type="application/json">', 1)[1]
    data_block = data_block.split("</script>", 1)[0]
    assert "<" not in data_block and ">" not in data_block
    assert "\\u003c/script\\u003e" in data_block


def test_incomplete_specs_get_archetype_defaults():
    spec = complete_spec(spec_from_dict({"name": "Days until launch countdown"}))
    assert spec.archetype == "countdown" and spec.inputs and spec.outputs
    built = build_tool(spec_from_dict({"name": "Shopping list", "archetype": "checklist"}))
    assert "Define the goal" in built.html or "item-0" in built.html


def test_calculator_without_formulas_is_refused():
    spec = spec_from_dict(
        {
            "name": "Calc",
            "archetype": "calculator",
            "inputs": [{"key": "a", "label": "A"}],
            "outputs": [{"key": "b", "label": "B"}],
            "config": {"x": 1},
        }
    )
    with pytest.raises(SpecError, match="formula for every output"):
        build_tool(spec)


def test_stream_chunks_rebuild_the_page():
    html = build_tool(draft_spec(Brief("word counter"))).html
    chunks = list(stream_chunks(html, 300))
    assert "".join(chunks) == html
    assert all(len(c) <= 300 for c in chunks) and len(chunks) == -(-len(html) // 300)
    with pytest.raises(ValueError):
        list(stream_chunks(html, 0))
