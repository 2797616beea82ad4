"""The wizard's steps: offline spec, and the model's spec and questions when configured."""

import json

import pytest

from saasapp.core.errors import ServiceError
from saasapp.tools import wizard
from saasapp.tools.generator.brief import Brief


def test_offline_draft_and_no_questions():
    draft = wizard.draft_spec(Brief("A packing checklist for hikers", style="green"))
    assert draft.offline and draft.generator == "offline"
    assert draft.spec["archetype"] == "checklist" and draft.spec["style"]["accent"] == "#16a34a"
    assert wizard.clarifying_questions(Brief("A packing checklist")) == []
    assert wizard.generator_mode() == "offline"
    assert wizard.check_spec(draft.spec)["slug"] == draft.spec["slug"]
    with pytest.raises(ServiceError) as error:
        wizard.check_spec({**draft.spec, "inputs": [{"key": "Bad Key", "label": "x"}]})
    assert error.value.code == "invalid_spec"
    with pytest.raises(ServiceError):
        wizard.draft_spec(Brief("  "))


def test_model_writes_the_spec_and_asks_questions(openai_server):
    spec = {"name": "Tip Splitter", "archetype": "calculator"}
    openai_server.json_reply(json.dumps({"questions": ["Which currency?", "Round up?"]}))
    openai_server.json_reply(json.dumps(spec))
    questions = wizard.clarifying_questions(Brief("split restaurant bills"))
    assert questions == ["Which currency?", "Round up?"]
    draft = wizard.draft_spec(Brief("split restaurant bills"), answers={"Which currency?": "euro"})
    assert not draft.offline and draft.generator.endswith("/test-model")
    assert draft.spec["name"] == "Tip Splitter" and draft.spec["slug"] == "tip-splitter"


def test_model_failures_are_explained(openai_server):
    openai_server.json_reply("not json at all")
    openai_server.json_reply("still not json")
    with pytest.raises(ServiceError) as error:
        wizard.draft_spec(Brief("anything"))
    assert error.value.code == "spec_failed" and error.value.details["problems"]
    for _ in range(4):
        openai_server.error(500)
    with pytest.raises(ServiceError) as error:
        wizard.draft_spec(Brief("anything"))
    assert error.value.code == "provider_failed" and error.value.status == 502
    openai_server.error(400)
    assert wizard.clarifying_questions(Brief("anything")) == []  # optional step
