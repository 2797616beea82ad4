"""The LLM path of the generator, driven through the real openai client and the stand-in."""

from __future__ import annotations

import json

import pytest

from saasapp.tools.generator import ai
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError
from saasapp.tools.generator.validation import validate_tool_html

GOOD_SPEC = {
    "name": "Tip Splitter",
    "tagline": "Split the bill and the tip",
    "archetype": "calculator",
    "inputs": [
        {"key": "bill", "label": "Bill", "type": "number", "default": 60},
        {"key": "people", "label": "People", "type": "number", "default": 3},
    ],
    "outputs": [{"key": "each", "label": "Each pays", "formula": "bill * 1.15 / people"}],
}


def test_llm_spec_parses_a_fenced_answer_and_reports_usage(openai_server):
    openai_server.json_reply("Here you go:\n```json\n" + json.dumps(GOOD_SPEC) + "\n```")
    usages = []

    spec = ai.llm_spec(
        Brief("split restaurant bills", audience="friends", features=("tip",)),
        answers={"Which currency?": "euro"},
        on_usage=usages.append,
    )

    assert spec.name == "Tip Splitter" and spec.slug == "tip-splitter"
    assert [u.total_tokens for u in usages] == [18]
    [request] = openai_server.requests
    assert request["json"]["response_format"] == {"type": "json_object"}
    user = request["json"]["messages"][-1]["content"]
    assert "split restaurant bills" in user and "friends" in user and "- tip" in user
    assert "Which currency?" in user and "euro" in user


def test_malformed_spec_gets_one_repair_then_succeeds(openai_server):
    openai_server.json_reply('{"name": "Broken", "inputs": [{"key": "Bad Key"')  # cut off
    openai_server.json_reply(json.dumps(GOOD_SPEC))
    usages = []

    spec = ai.llm_spec(Brief("tip calculator"), on_usage=usages.append)

    assert spec.name == "Tip Splitter"
    assert len(usages) == 2
    repair = openai_server.requests[1]["json"]["messages"]
    assert repair[-2] == {
        "role": "assistant",
        "content": '{"name": "Broken", "inputs": [{"key": "Bad Key"',
    }
    assert "cannot be used" in repair[-1]["content"]
    assert "no valid JSON object" in repair[-1]["content"]


def test_invalid_fields_are_sent_back_by_name(openai_server):
    bad = {**GOOD_SPEC, "inputs": [{"key": "Bill Amount", "label": "Bill"}]}
    openai_server.json_reply(json.dumps(bad))
    openai_server.json_reply(json.dumps(GOOD_SPEC))
    ai.llm_spec(Brief("tip calculator"))
    feedback = openai_server.requests[1]["json"]["messages"][-1]["content"]
    assert "inputs[0].key" in feedback


def test_twice_malformed_raises_spec_error(openai_server):
    openai_server.json_reply("not json at all")
    openai_server.json_reply(json.dumps({"name": ""}))

    with pytest.raises(SpecError) as caught:
        ai.llm_spec(Brief("anything"))

    assert "invalid spec twice" in str(caught.value)
    assert any(p.startswith("name:") for p in caught.value.problems)
    assert len(openai_server.requests) == 2


def test_clarifying_questions(openai_server):
    openai_server.json_reply(
        json.dumps({"questions": ["Which currency?", "", "Monthly or yearly?"]})
    )
    assert ai.llm_clarifying_questions(Brief("pricing page")) == [
        "Which currency?",
        "Monthly or yearly?",
    ]
    openai_server.json_reply("nonsense")
    assert ai.llm_clarifying_questions(Brief("pricing page")) == []


def test_build_stream_yields_deltas_and_a_publishable_page(openai_server):
    page = "<!DOCTYPE html><html><body><main id=tool-root>Hi</main></body></html>"
    deltas = ["Sure! ```html\n", page[:20], page[20:], "\n```\nEnjoy."]
    openai_server.stream_reply(deltas, completion_tokens=9)
    from saasapp.tools.generator.spec import spec_from_dict

    stream = ai.llm_build_stream(spec_from_dict(GOOD_SPEC))
    assert list(stream) == deltas
    html = ai.extract_html(stream.text)
    assert html.strip() == page
    assert validate_tool_html(html, [], 100_000) == []
    assert stream.usage.completion_tokens == 9
    messages = openai_server.requests[0]["json"]["messages"]
    assert "Tip Splitter" in messages[-1]["content"]
    assert "no external scripts" in messages[0]["content"]


def test_refine_stream_sends_the_page_and_the_instruction(openai_server):
    openai_server.stream_reply(["<html><body>blue</body></html>"])
    stream = ai.llm_refine_stream("<html><body>red</body></html>", "make the button blue")
    assert ai.extract_html(stream.read()) == "<html><body>blue</body></html>\n"
    content = openai_server.requests[0]["json"]["messages"][-1]["content"]
    assert "<body>red</body>" in content and "make the button blue" in content


def test_llm_manifest_names_provider_and_model(openai_server):
    from saasapp.tools.generator.spec import spec_from_dict

    manifest = ai.llm_manifest(spec_from_dict(GOOD_SPEC))
    assert manifest.generator.startswith("127.0.0.1:") and manifest.generator.endswith(
        "/test-model"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```html\n<!doctype html><html></html>\n```", "<!doctype html><html></html>\n"),
        (
            "Here it is:\n<!DOCTYPE html>\n<html>x</html>\nHope it helps",
            "<!DOCTYPE html>\n<html>x</html>\n",
        ),
        ("```\n<html>unterminated fence", "<html>unterminated fence\n"),
        ("<div>fragment</div>", "<div>fragment</div>\n"),
        ("", ""),
    ],
)
def test_extract_html(text, expected):
    assert ai.extract_html(text) == expected
