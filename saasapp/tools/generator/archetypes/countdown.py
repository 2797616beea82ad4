"""Countdown: calendar days and a live timer to a date (midnight, the visitor's time zone)."""

from __future__ import annotations

from typing import Any

from saasapp.tools.generator.archetypes._base import Archetype, pick_preset
from saasapp.tools.generator.archetypes._page import (
    esc,
    render_input,
    render_output,
    render_page,
    tool_data,
)
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolSpec

PRESETS: dict[str, dict[str, Any]] = {
    "launch": {
        "keywords": ("launch", "release", "go live"),
        "event": "Launch day",
        "name": "Launch Countdown",
        "month_day": None,
        "days_ahead": 30,
    },
    "christmas": {
        "keywords": ("christmas", "xmas", "holiday season"),
        "event": "Christmas",
        "name": "Christmas Countdown",
        "month_day": "12-25",
        "days_ahead": 0,
    },
    "new_year": {
        "keywords": ("new year",),
        "event": "New Year",
        "name": "New Year Countdown",
        "month_day": "01-01",
        "days_ahead": 0,
    },
    "wedding": {
        "keywords": ("wedding", "marriage"),
        "event": "The wedding",
        "name": "Wedding Countdown",
        "month_day": None,
        "days_ahead": 180,
    },
    "exam": {
        "keywords": ("exam", "deadline", "due date", "submission"),
        "event": "The deadline",
        "name": "Deadline Countdown",
        "month_day": None,
        "days_ahead": 14,
    },
    "birthday": {
        "keywords": ("birthday", "anniversary"),
        "event": "The big day",
        "name": "Birthday Countdown",
        "month_day": None,
        "days_ahead": 60,
    },
    "event": {
        "keywords": ("event", "conference", "trip", "vacation"),
        "event": "The event",
        "name": "Event Countdown",
        "month_day": None,
        "days_ahead": 30,
    },
}


def draft(brief: Brief) -> dict[str, Any]:
    preset = PRESETS[pick_preset(brief.text, PRESETS, "event")]
    return {
        "name": preset["name"],
        "tagline": f"Days, hours and minutes until {preset['event'].lower()}.",
        "inputs": [
            {"key": "event", "label": "Event", "type": "text", "default": preset["event"]},
            {
                "key": "target",
                "label": "Date",
                "type": "date",
                "help": "Counts down to midnight at the start of this day, your time.",
            },
        ],
        "outputs": [
            {"key": "days", "label": "Days to go", "format": "integer"},
            {"key": "remaining", "label": "Time left", "format": "text"},
        ],
        "config": {"month_day": preset["month_day"], "days_ahead": preset["days_ahead"]},
    }


SCRIPT = """
var cfg = TOOL.config;
function pad(n) { return (n < 10 ? "0" : "") + n; }
function isoDate(d) {
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
}
function defaultTarget() {
  var now = new Date();
  if (cfg.month_day && /^\\d\\d-\\d\\d$/.test(cfg.month_day)) {
    var p = cfg.month_day.split("-"), t = new Date(now.getFullYear(), +p[0] - 1, +p[1]);
    var today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    if (t < today) t.setFullYear(now.getFullYear() + 1);
    return isoDate(t);
  }
  var days = Number(cfg.days_ahead); if (!isFinite(days) || days < 0) days = 30;
  return isoDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() + days));
}
var target = $("in-target");
if (!target.value) target.value = defaultTarget();
function tick() {
  var m = /^(\\d{4})-(\\d{2})-(\\d{2})$/.exec(target.value), eventInput = $("in-event");
  var name = (eventInput && eventInput.value.trim()) || "The date";
  var status = $("countdown-status");
  if (!m) {
    setOut("days", NaN); setOut("remaining", "—"); status.textContent = "Pick a date.";
    return;
  }
  var now = new Date();
  // Calendar days between today and the date, immune to daylight-saving hours.
  var days = Math.round((Date.UTC(+m[1], +m[2] - 1, +m[3]) -
    Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())) / 86400000);
  var ms = new Date(+m[1], +m[2] - 1, +m[3]).getTime() - now.getTime();
  if (ms <= 0) {
    setOut("days", 0); setOut("remaining", "00d 00h 00m 00s");
    status.textContent = name + (days === 0 ? " is today!" : " has passed.");
    return;
  }
  var s = Math.floor(ms / 1000);
  setOut("days", days);
  setOut("remaining", pad(Math.floor(s / 86400)) + "d " + pad(Math.floor(s % 86400 / 3600)) + "h "
    + pad(Math.floor(s % 3600 / 60)) + "m " + pad(s % 60) + "s");
  status.textContent = days + (days === 1 ? " day" : " days") + " until " + name + ".";
}
document.getElementById("tool-root").addEventListener("input", tick);
document.getElementById("tool-root").addEventListener("change", tick);
setInterval(tick, 1000);
tick();
"""


def build(spec: ToolSpec) -> str:
    keys = {f.key for f in spec.inputs}
    outs = {o.key for o in spec.outputs}
    problems = [f"inputs.{k}: missing" for k in ("target",) if k not in keys]
    problems += [f"outputs.{k}: missing" for k in ("days", "remaining") if k not in outs]
    if problems:
        raise SpecError("The countdown spec is incomplete.", problems)
    inputs = "".join(render_input(f) for f in spec.inputs)
    outputs = "".join(render_output(o) for o in spec.outputs)
    event = next((f for f in spec.inputs if f.key == "event"), None)
    heading = esc(event.default) if event and event.default else "Countdown"
    body = f"""<div class=grid>
<section class=card aria-labelledby="when-title"><h2 id="when-title">When</h2>{inputs}</section>
<section class=card aria-labelledby="left-title"><h2 id="left-title">{heading}</h2>
{outputs}<p id="countdown-status" aria-live=polite></p></section>
</div>"""
    return render_page(spec, body, SCRIPT, tool_data(spec))


ARCHETYPE = Archetype(
    name="countdown",
    summary="Days and a live timer to a date.",
    keywords=(
        ("countdown", 4),
        ("count down", 4),
        ("days until", 4),
        ("days left", 3),
        ("how long until", 3),
        ("timer", 2),
        ("deadline", 1),
    ),
    draft=draft,
    build=build,
)
