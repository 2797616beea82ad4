"""The offline refiner: deterministic edits of a tool page for common instructions.

With no model configured, "make the button blue" must still do something real. The refiner
reads an instruction for the changes it understands and applies them to the page's HTML:

- accent colour: a colour name (blue, green, red, orange, purple, pink, teal, yellow, amber,
  black, grey, indigo) or a hex colour ``#ff6600`` anywhere in the instruction ("make the
  button blue", "use #0d9488 as accent") sets the accent used by buttons, focus rings and
  results;
- title: "change the title to Budget Buddy", "rename it to "Budget Buddy"", "call it X",
  "heading: X" sets the page's ``<title>`` and its first ``<h1>``;
- theme: "dark mode", "make it dark", "dark theme" (or "light mode") switches the colours;
- text size: "bigger text", "larger font", "smaller text".

Several can be combined ("dark mode with a green button"). ``understand`` returns an empty list
for anything else, and ``NOT_UNDERSTOOD`` says what the refiner can do instead.
Pages from the offline generator are edited through their CSS variables; other pages get a
small ``<style>`` block appended to their head.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from saasapp.tools.generator.archetypes._base import has
from saasapp.tools.generator.archetypes._page import THEMES
from saasapp.tools.generator.offline import COLOURS

UNDERSTOOD = (
    'a colour for buttons and highlights ("make the button blue", "accent #ff6600")',
    'a new title ("change the title to Budget Buddy")',
    '"dark mode" or "light mode"',
    '"bigger text" or "smaller text"',
)
NOT_UNDERSTOOD = (
    "The offline generator cannot follow this instruction. It understands: "
    + "; ".join(UNDERSTOOD)
    + ". Configure an AI provider (OPENAI_API_KEY or OPENAI_BASE_URL) for free-form changes."
)
TEXT_SIZES = {"bigger": "18px", "smaller": "14px"}


@dataclass(frozen=True)
class Change:
    kind: str  # accent | title | theme | text_size
    value: str

    def describe(self) -> str:
        return {
            "accent": f"accent colour {self.value}",
            "title": f"title “{self.value}”",
            "theme": f"{self.value} mode",
            "text_size": f"text size {self.value}",
        }[self.kind]


_QUOTED = re.compile(r"[\"“”'‘’](.+?)[\"“”'‘’]")
_TITLE = re.compile(
    r"(?:(?:title|heading|headline|name|h1)\s*(?:to|:|=|as)|rename\s+(?:it|the\s+tool|this)?"
    r"\s*(?:to|as)?|call\s+it|name\s+it)\s+(.+)$",
    re.IGNORECASE,
)


def _title(instruction: str) -> str | None:
    match = _TITLE.search(instruction.strip())
    if not match:
        return None
    rest = match.group(1).strip()
    quoted = _QUOTED.search(rest)
    title = quoted.group(1) if quoted else rest.rstrip(".!")
    title = title.strip()[:80]
    return title or None


def understand(instruction: str) -> list[Change]:
    """The changes ``instruction`` asks for that the refiner can make ([]: none)."""
    changes: list[Change] = []
    title = _title(instruction)
    # A new title may itself contain a colour word ("call it Blue Sky"): read the rest only.
    text = instruction.lower()
    if title:
        changes.append(Change("title", title))
        text = text.replace(title.lower(), " ")
    hex_colour = re.search(r"#[0-9a-f]{6}\b", text)
    if hex_colour:
        changes.append(Change("accent", hex_colour.group(0)))
    else:
        colour = next((c for word, c in COLOURS.items() if has(text, word)), None)
        if colour:
            changes.append(Change("accent", colour))
    if re.search(r"\bdark\b", text):
        changes.append(Change("theme", "dark"))
    elif re.search(r"\blight\s+(?:mode|theme)\b|\bmake it light\b", text):
        changes.append(Change("theme", "light"))
    if re.search(r"\b(?:text|font|letters?)\b", text):
        if re.search(r"\b(?:bigger|larger|increase)\b", text):
            changes.append(Change("text_size", TEXT_SIZES["bigger"]))
        elif re.search(r"\b(?:smaller|decrease)\b", text):
            changes.append(Change("text_size", TEXT_SIZES["smaller"]))
    return changes


def _add_style(page: str, style_id: str, css: str) -> str:
    """Put ``<style id=style_id>`` at the end of the head, replacing an earlier one."""
    block = f'<style id="{style_id}">{css}</style>'
    existing = re.compile(rf'<style id="{style_id}">.*?</style>', re.DOTALL)
    if existing.search(page):
        return existing.sub(lambda _m: block, page, count=1)
    head_end = re.search(r"</head\s*>", page, re.IGNORECASE)
    if head_end:
        return page[: head_end.start()] + block + "\n" + page[head_end.start() :]
    return block + "\n" + page


def _set_variable(page: str, name: str, value: str) -> tuple[str, bool]:
    pattern = re.compile(rf"(--{name}\s*:\s*)([^;}}]+)")
    new_page, count = pattern.subn(lambda m: m.group(1) + value, page, count=1)
    return new_page, count > 0


def _apply_accent(page: str, colour: str) -> str:
    if '<style id="refine-accent">' not in page:
        page, found = _set_variable(page, "accent", colour)
        if found:
            return page
    return _add_style(
        page,
        "refine-accent",
        f":root{{--accent:{colour}}}button,.button,[type=submit]{{background:{colour};"
        f"border-color:{colour};color:#fff}}a{{color:{colour}}}",
    )


def _apply_title(page: str, title: str) -> str:
    escaped = html_lib.escape(title, quote=False)
    page, count = re.subn(
        r"(<title[^>]*>).*?(</title>)",
        lambda m: m.group(1) + escaped + m.group(2),
        page,
        count=1,
        flags=re.IGNORECASE | re.DOTALL,
    )
    if not count:
        page = _add_title(page, escaped)
    return re.sub(
        r"(<h1\b[^>]*>).*?(</h1>)",
        lambda m: m.group(1) + escaped + m.group(2),
        page,
        count=1,
        flags=re.IGNORECASE | re.DOTALL,
    )


def _add_title(page: str, escaped: str) -> str:
    head = re.search(r"<head[^>]*>", page, re.IGNORECASE)
    if head:
        return page[: head.end()] + f"\n<title>{escaped}</title>" + page[head.end() :]
    return page


def _apply_theme(page: str, theme: str) -> str:
    colours = THEMES[theme]
    found_all = True
    for name, value in colours.items():
        page, found = _set_variable(page, name, value)
        found_all = found_all and found
    if found_all:
        return page
    return _add_style(
        page,
        "refine-theme",
        f"html{{color-scheme:{theme}}}body{{background:{colours['bg']};color:{colours['fg']}}}",
    )


def _apply_text_size(page: str, size: str) -> str:
    return _add_style(page, "refine-text", f"body{{font-size:{size}}}")


def apply(page: str, changes: list[Change]) -> str:
    """``page`` with ``changes`` made; deterministic."""
    for change in changes:
        if change.kind == "accent":
            page = _apply_accent(page, change.value)
        elif change.kind == "title":
            page = _apply_title(page, change.value)
        elif change.kind == "theme":
            page = _apply_theme(page, change.value)
        elif change.kind == "text_size":
            page = _apply_text_size(page, change.value)
    return page
