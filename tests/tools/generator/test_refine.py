"""The offline refiner: what it understands, and the edits it makes."""

import pytest

from saasapp.tools.generator import offline, refine
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.refine import Change, apply, understand
from saasapp.tools.generator.validation import validate_tool_html

PLAIN = (
    "<!DOCTYPE html><html><head><title>Old</title></head>"
    "<body><h1 class=big>Old</h1><button>Go</button></body></html>"
)


@pytest.mark.parametrize(
    ("instruction", "changes"),
    [
        ("make the button blue", [Change("accent", "#2563eb")]),
        ("Use #FF6600 as the accent colour", [Change("accent", "#ff6600")]),
        ("dark mode please", [Change("theme", "dark")]),
        ("switch to light mode", [Change("theme", "light")]),
        ("bigger text", [Change("text_size", "18px")]),
        ("Change the title to Budget Buddy", [Change("title", "Budget Buddy")]),
        ('rename it to "Blue Sky Planner"', [Change("title", "Blue Sky Planner")]),
        ("call it Green Thumb.", [Change("title", "Green Thumb")]),
        (
            "dark theme with a green button",
            [Change("accent", "#16a34a"), Change("theme", "dark")],
        ),
        ("add a login with Google", []),
        ("export to PDF", []),
    ],
)
def test_understand(instruction, changes):
    assert understand(instruction) == changes


def test_offline_page_edits_go_through_its_css_variables():
    page = offline.build_tool(offline.draft_spec(Brief("BMI calculator"))).html
    edited = apply(page, understand("dark mode, purple buttons, title: Body Mass <Index>"))
    assert "--accent:#7c3aed" in edited and "--bg:#0f172a" in edited and "--fg:#f1f5f9" in edited
    assert "<title>Body Mass &lt;Index&gt;</title>" in edited
    assert '<h1 id="tool-name">Body Mass &lt;Index&gt;</h1>' in edited
    assert "refine-" not in edited  # no extra style blocks needed
    assert validate_tool_html(edited, [], 300_000) == []
    assert apply(page, understand("make it blue")) == apply(page, understand("make it blue"))


def test_other_pages_get_a_style_block_replaced_not_stacked():
    blue = apply(PLAIN, understand("make the button blue"))
    assert '<style id="refine-accent">' in blue and "background:#2563eb" in blue
    red = apply(blue, understand("make the button red"))
    assert red.count('<style id="refine-accent">') == 1 and "#dc2626" in red
    assert "#2563eb" not in red
    dark = apply(red, understand("dark mode"))
    assert "color-scheme:dark" in dark and dark.index("refine-theme") < dark.index("</head>")
    titled = apply(PLAIN, understand("change the heading to New"))
    assert "<title>New</title>" in titled and "<h1 class=big>New</h1>" in titled


def test_not_understood_message_lists_what_works():
    assert "offline generator cannot follow" in refine.NOT_UNDERSTOOD
    assert all(item in refine.NOT_UNDERSTOOD for item in refine.UNDERSTOOD)
