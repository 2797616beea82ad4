"""Checklist: items to tick, progress, own items; kept in the browser when storage allows."""

from __future__ import annotations

from typing import Any

from saasapp.tools.generator.archetypes._base import Archetype, pick_preset, title_from_idea
from saasapp.tools.generator.archetypes._page import esc, render_page, tool_data
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolSpec

PRESETS: dict[str, dict[str, Any]] = {
    "launch": {
        "keywords": ("launch", "product hunt", "release", "go live", "startup"),
        "name": "Product Launch Checklist",
        "items": [
            "Write the one-sentence pitch",
            "Publish the landing page with an email form",
            "Set up analytics and a conversion goal",
            "Prepare launch posts for X and LinkedIn",
            "Line up five early users for feedback",
            "Test sign-up and payment end to end",
            "Schedule the launch announcement",
            "Reply to every comment on launch day",
        ],
    },
    "moving": {
        "keywords": ("moving", "move house", "relocat", "new home", "apartment"),
        "name": "Moving House Checklist",
        "items": [
            "Book the movers or a van",
            "Give notice to your landlord or agent",
            "Redirect your post",
            "Transfer internet, gas and electricity",
            "Pack one room at a time and label boxes",
            "Update your address with bank and employer",
            "Take meter readings on moving day",
        ],
    },
    "travel": {
        "keywords": ("travel", "trip", "packing", "vacation", "holiday", "luggage"),
        "name": "Travel Packing Checklist",
        "items": [
            "Passport and ID",
            "Tickets and bookings",
            "Phone charger and adapter",
            "Medication",
            "Clothes for each day",
            "Toiletries",
            "Travel insurance details",
        ],
    },
    "onboarding": {
        "keywords": ("onboard", "new hire", "employee", "first day", "hr"),
        "name": "Employee Onboarding Checklist",
        "items": [
            "Send the welcome email",
            "Prepare laptop and accounts",
            "Assign a buddy",
            "Schedule the first-week meetings",
            "Share the handbook and policies",
            "Set 30/60/90-day goals",
        ],
    },
    "seo": {
        "keywords": ("seo", "search engine", "ranking", "website audit"),
        "name": "SEO Checklist",
        "items": [
            "Unique title and meta description on every page",
            "One H1 per page",
            "Descriptive alt text on images",
            "Fast load on mobile",
            "Sitemap submitted",
            "Internal links between related pages",
        ],
    },
    "generic": {
        "keywords": (),
        "name": "",
        "items": [
            "Define the goal",
            "List what you need",
            "Plan the steps and dates",
            "Do the first step today",
            "Review progress each week",
            "Celebrate when it is done",
        ],
    },
}


def draft(brief: Brief) -> dict[str, Any]:
    key = pick_preset(brief.text, PRESETS, "generic")
    preset = PRESETS[key]
    items = list(preset["items"])
    if key == "generic" and brief.features:
        items = list(brief.features)
    name = preset["name"] or title_from_idea(brief.idea, "Checklist")
    return {
        "name": name,
        "tagline": "Tick things off as you go; your progress stays in this browser.",
        "inputs": [],
        "outputs": [{"key": "progress", "label": "Progress", "format": "text"}],
        "config": {"items": items, "allow_custom_items": True},
    }


SCRIPT = """
var KEY = "saasapp-tool:" + TOOL.slug;
var saved = store.get(KEY) || {};
var checked = saved.checked || {};
var custom = Array.isArray(saved.custom) ? saved.custom : [];
var list = $("checklist");
function save() { store.set(KEY, {checked: checked, custom: custom}); }
function addRow(id, text) {
  var li = document.createElement("li");
  var box = document.createElement("input");
  box.type = "checkbox"; box.id = id; box.checked = !!checked[id];
  var label = document.createElement("label");
  label.htmlFor = id; label.textContent = text;
  li.appendChild(box); li.appendChild(label); list.appendChild(li);
}
custom.forEach(function (text, i) { addRow("item-custom-" + i, text); });
function refresh() {
  var boxes = list.querySelectorAll("input[type=checkbox]"), done = 0;
  boxes.forEach(function (b) { if (b.checked) done++; });
  var el = $("out-progress");
  el.textContent = done + " / " + boxes.length + " done";
  el.setAttribute("data-value", String(done));
  var bar = $("progress-bar"); bar.max = Math.max(boxes.length, 1); bar.value = done;
}
list.querySelectorAll("input[type=checkbox]").forEach(function (b) {
  b.checked = !!checked[b.id];
});
list.addEventListener("change", function (e) {
  if (e.target && e.target.type === "checkbox") { checked[e.target.id] = e.target.checked;
                                                  save(); refresh(); }
});
var addButton = $("btn-add");
if (addButton) {
  addButton.addEventListener("click", function () {
    var input = $("in-new_item"), text = input.value.trim();
    if (!text) { input.focus(); return; }
    custom.push(text.slice(0, 200));
    addRow("item-custom-" + (custom.length - 1), text.slice(0, 200));
    input.value = ""; save(); refresh();
  });
  $("in-new_item").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); addButton.click(); }
  });
}
$("btn-reset").addEventListener("click", function () {
  checked = {};
  list.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
  save(); refresh();
});
refresh();
"""


def build(spec: ToolSpec) -> str:
    items = spec.config.get("items")
    if not isinstance(items, list) or not items:
        raise SpecError("The checklist spec is incomplete.", ["config.items: a list of items"])
    texts = [str(i.get("text", "")) if isinstance(i, dict) else str(i) for i in items][:200]
    rows = "".join(
        f'<li><input type=checkbox id="item-{n}"><label for="item-{n}">{esc(text)}</label></li>'
        for n, text in enumerate(texts)
    )
    add = ""
    if spec.config.get("allow_custom_items", True):
        add = """<div class="field no-print"><label for="in-new_item">Add your own item</label>
<input type=text id="in-new_item" maxlength=200></div>
<button type=button id="btn-add">Add item</button>"""
    body = f"""<section class=card aria-labelledby="list-title">
<h2 id="list-title">Checklist</h2>
<div class=result><span class=result-label id="label-out-progress">Progress</span>
<output id="out-progress" aria-labelledby="label-out-progress" aria-live=polite
data-value="">—</output></div>
<progress id="progress-bar" value=0 max=1 aria-label="Progress" style="width:100%"></progress>
<ul id="checklist" style="list-style:none;padding:0">{rows}</ul>
<div class="actions no-print">{add}
<button type=button id="btn-reset" class=secondary>Untick all</button></div>
</section>"""
    return render_page(spec, body, SCRIPT, tool_data(spec))


ARCHETYPE = Archetype(
    name="checklist",
    summary="Items to tick off with progress, remembered in the browser.",
    keywords=(
        ("checklist", 3),
        ("check list", 3),
        ("to-do", 3),
        ("todo", 3),
        ("task list", 3),
        ("packing", 2),
        ("steps", 1),
        ("tracker", 1),
        ("habit", 2),
        ("plan", 1),
    ),
    draft=draft,
    build=build,
)
