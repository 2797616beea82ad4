"""The brief carries the wizard's answers through prompts, the offline catalogue and the API."""

from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.offline import draft_spec
from saasapp.tools.generator.prompts import questions_messages, spec_messages
from saasapp.tools.schemas import IdeaIn


def test_a_brief_is_trimmed_and_drops_empty_features():
    brief = Brief("  Tip splitter ", audience=" friends ", features=["tip", " ", "", " round up "])
    assert brief.idea == "Tip splitter" and brief.audience == "friends"
    assert brief.features == ("tip", "round up")
    assert brief.text == "tip splitter  tip round up"


def test_every_answer_reaches_the_model_prompt():
    brief = Brief("bill splitter", "friends", "food", ("tip",), "dark teal")
    [_, user] = spec_messages(brief, answers={"Which currency?": "euro"})
    for line in ["Idea: bill splitter", "Audience: friends", "Category: food", "- tip",
                 "Style: dark teal", "Q: Which currency?\nA: euro"]:  # fmt: skip
        assert line in user["content"]
    assert "Audience: friends" in questions_messages(brief)[1]["content"]


def test_the_offline_draft_uses_the_audience_category_and_style():
    spec = draft_spec(Brief("loan calculator", audience="students", category="finance",
                            style="teal"))  # fmt: skip
    assert spec.audience == "students" and spec.category == "finance"
    assert "Made for students." in spec.description
    assert spec.style.accent == "#0d9488"


def test_the_api_body_becomes_a_brief():
    body = IdeaIn(idea="quiz", audience="kids", features=["timer", " "], style="playful")
    assert body.brief() == Brief("quiz", audience="kids", features=("timer",), style="playful")
