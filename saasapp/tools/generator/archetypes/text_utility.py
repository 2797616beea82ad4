"""Text utility: live counts (words, characters, sentences, reading time) and transforms."""

from __future__ import annotations

from typing import Any

from saasapp.tools.generator.archetypes._base import Archetype, pick_preset
from saasapp.tools.generator.archetypes._page import esc, render_input, render_page, tool_data
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolSpec

TRANSFORMS = {
    "upper": "UPPER CASE",
    "lower": "lower case",
    "title": "Title Case",
    "sentence": "Sentence case",
    "slug": "slugify",
    "trim": "Tidy spaces",
}

PRESETS: dict[str, dict[str, Any]] = {
    "tweet": {
        "keywords": ("tweet", "twitter", "x post", "social post", "thread"),
        "name": "Post Length Checker",
        "limit": 280,
    },
    "meta": {
        "keywords": ("meta description", "seo", "snippet"),
        "name": "Meta Description Checker",
        "limit": 160,
    },
    "sms": {"keywords": ("sms", "text message"), "name": "SMS Length Checker", "limit": 160},
    "slug": {"keywords": ("slug", "url"), "name": "Slug Generator", "limit": 0},
    "case": {
        "keywords": ("case", "uppercase", "lowercase", "title case"),
        "name": "Case Converter",
        "limit": 0,
    },
    # The default: the specific presets above win over it.
    "count": {
        "keywords": ("essay", "reading time"),
        "name": "Word Counter",
        "limit": 0,
    },
}


def draft(brief: Brief) -> dict[str, Any]:
    preset = PRESETS[pick_preset(brief.text, PRESETS, "count")]
    outputs = [
        {"key": "words", "label": "Words", "format": "integer"},
        {"key": "characters", "label": "Characters", "format": "integer"},
        {"key": "characters_no_spaces", "label": "Characters without spaces", "format": "integer"},
        {"key": "sentences", "label": "Sentences", "format": "integer"},
        {"key": "paragraphs", "label": "Paragraphs", "format": "integer"},
        {"key": "reading_time", "label": "Reading time", "format": "text"},
    ]
    if preset["limit"]:
        outputs.insert(
            2, {"key": "remaining", "label": f"Left of {preset['limit']}", "format": "integer"}
        )
    return {
        "name": preset["name"],
        "tagline": "Paste your text: counts update as you type, transforms in one click.",
        "inputs": [{"key": "text", "label": "Your text", "type": "textarea", "default": ""}],
        "outputs": outputs,
        "config": {
            "limit": preset["limit"],
            "words_per_minute": 200,
            "transforms": list(TRANSFORMS),
        },
    }


SCRIPT = """
var cfg = TOOL.config, input = $("in-text"), result = $("out-transformed");
function words(t) { var m = t.trim().split(/\\s+/).filter(Boolean); return m.length; }
function stats() {
  var t = input.value;
  var w = words(t);
  setOut("words", w);
  setOut("characters", Array.from(t).length);
  setOut("characters_no_spaces", Array.from(t.replace(/\\s/g, "")).length);
  setOut("sentences", (t.match(/[^.!?\\s][^.!?]*(?:[.!?]+|$)/g) || []).length);
  setOut("paragraphs", t.split(/\\n\\s*\\n/).filter(function (p) { return p.trim(); }).length);
  var wpm = Number(cfg.words_per_minute) || 200, minutes = w / wpm;
  setOut("reading_time",
    w === 0 ? "0 min" : (minutes < 1 ? "< 1 min" : Math.round(minutes) + " min"));
  if (cfg.limit) {
    var left = cfg.limit - Array.from(t).length; setOut("remaining", left);
    $("out-remaining").classList.toggle("over", left < 0);
  }
}
function slugify(t) {
  return t.normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}
var transforms = {
  upper: function (t) { return t.toUpperCase(); },
  lower: function (t) { return t.toLowerCase(); },
  title: function (t) { return t.toLowerCase().replace(/(^|[\\s\\-\\/])(\\S)/g,
    function (m, a, b) { return a + b.toUpperCase(); }); },
  sentence: function (t) { return t.toLowerCase().replace(/(^\\s*|[.!?]\\s+)([a-z])/g,
    function (m, a, b) { return a + b.toUpperCase(); }); },
  slug: slugify,
  trim: function (t) { return t.replace(/[ \\t]+/g, " ").replace(/ *\\n */g, "\\n").trim(); }
};
document.querySelectorAll("[data-transform]").forEach(function (b) {
  b.addEventListener("click", function () {
    var f = transforms[b.getAttribute("data-transform")];
    if (f) { result.value = f(input.value); $("copy-status").textContent = ""; }
  });
});
$("btn-use").addEventListener("click", function () { input.value = result.value; stats(); });
$("btn-copy").addEventListener("click", function () {
  var status = $("copy-status");
  try {
    navigator.clipboard.writeText(result.value).then(
      function () { status.textContent = "Copied."; },
      function () { result.select(); status.textContent = "Select and copy with Ctrl+C."; });
  } catch (e) { result.select(); status.textContent = "Select and copy with Ctrl+C."; }
});
input.addEventListener("input", stats);
stats();
"""


def build(spec: ToolSpec) -> str:
    if "text" not in {f.key for f in spec.inputs}:
        raise SpecError("The text utility spec is incomplete.", ["inputs.text: missing"])
    wanted = [t for t in spec.config.get("transforms", list(TRANSFORMS)) if t in TRANSFORMS]
    buttons = "".join(
        f'<button type=button id="btn-{key}" data-transform="{key}" class=secondary>'
        f"{esc(TRANSFORMS[key])}</button>"
        for key in wanted
    )
    text_field = next(f for f in spec.inputs if f.key == "text")
    stats = "".join(
        f'<div class=result><span class=result-label id="label-out-{o.key}">{esc(o.label)}</span>'
        f'<output id="out-{o.key}" aria-labelledby="label-out-{o.key}" data-value="">—</output>'
        "</div>"
        for o in spec.outputs
    )
    body = f"""<style>output.over{{color:#dc2626}}</style><div class=grid>
<section class=card aria-labelledby="text-title"><h2 id="text-title" class=sr-only>Text</h2>
{render_input(text_field)}</section>
<section class=card aria-labelledby="stats-title"><h2 id="stats-title">Counts</h2>
{stats}</section></div>
<section class=card aria-labelledby="transform-title"><h2 id="transform-title">Transform</h2>
<div class="actions no-print">{buttons}</div>
<div class=field><label for="out-transformed">Result</label>
<textarea id="out-transformed" rows=5 readonly></textarea></div>
<div class="actions no-print"><button type=button id="btn-copy">Copy</button>
<button type=button id="btn-use" class=secondary>Use as input</button>
<span id="copy-status" class=help aria-live=polite></span></div></section>"""
    return render_page(spec, body, SCRIPT, tool_data(spec))


ARCHETYPE = Archetype(
    name="text_utility",
    summary="Live text counts and one-click transforms.",
    keywords=(
        ("word count", 4),
        ("word counter", 4),
        ("character count", 4),
        ("text", 2),
        ("words", 2),
        ("characters", 2),
        ("case convert", 4),
        ("uppercase", 3),
        ("slug", 3),
        ("essay", 2),
        ("tweet", 2),
        ("reading time", 3),
        ("meta description", 3),
    ),
    draft=draft,
    build=build,
)
