"""Pricing estimator: a tier, a quantity, add-ons and a billing period give a total.

unit price = tier price + per-unit add-ons
subtotal   = unit price * quantity + flat add-ons      (x 12 when billed yearly)
discount   = subtotal * yearly discount %              (yearly only)
total      = subtotal - discount
"""

from __future__ import annotations

from typing import Any

from saasapp.tools.generator.archetypes._base import Archetype, pick_preset
from saasapp.tools.generator.archetypes._page import (
    render_input,
    render_output,
    render_page,
    tool_data,
)
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolSpec

PRESETS: dict[str, dict[str, Any]] = {
    "saas": {
        "keywords": ("saas", "subscription", "seat", "plan", "software", "license"),
        "name": "SaaS Pricing Estimator",
        "unit": "seats",
        "recurring": True,
        "yearly_discount_percent": 20,
        "tiers": [
            {"key": "starter", "name": "Starter", "price": 9},
            {"key": "pro", "name": "Pro", "price": 29},
            {"key": "business", "name": "Business", "price": 79},
        ],
        "addons": [
            {"key": "support", "label": "Priority support", "price": 49, "per_unit": False},
            {"key": "storage", "label": "Extra storage", "price": 5, "per_unit": True},
        ],
        "quantity": 5,
    },
    "project": {
        "keywords": ("freelance", "agency", "web design", "website", "project", "quote"),
        "name": "Project Quote Estimator",
        "unit": "pages",
        "recurring": False,
        "yearly_discount_percent": 0,
        "tiers": [
            {"key": "basic", "name": "Basic design", "price": 150},
            {"key": "custom", "name": "Custom design", "price": 350},
            {"key": "premium", "name": "Premium design", "price": 600},
        ],
        "addons": [
            {"key": "copywriting", "label": "Copywriting", "price": 80, "per_unit": True},
            {"key": "seo_setup", "label": "SEO set-up", "price": 300, "per_unit": False},
            {"key": "rush", "label": "Rush delivery", "price": 500, "per_unit": False},
        ],
        "quantity": 5,
    },
    "cleaning": {
        "keywords": ("cleaning", "cleaner", "room", "house", "service", "catering", "event"),
        "name": "Service Price Estimator",
        "unit": "rooms",
        "recurring": False,
        "yearly_discount_percent": 0,
        "tiers": [
            {"key": "standard", "name": "Standard", "price": 25},
            {"key": "deep", "name": "Deep clean", "price": 45},
        ],
        "addons": [
            {"key": "windows", "label": "Windows", "price": 10, "per_unit": True},
            {"key": "supplies", "label": "Eco supplies", "price": 15, "per_unit": False},
        ],
        "quantity": 4,
    },
}


def spec_parts(preset: dict[str, Any]) -> dict[str, Any]:
    """Inputs, outputs and config of a pricing estimator from a preset-like dict."""
    tiers = preset["tiers"]
    currency = preset.get("currency", "$")
    inputs: list[dict[str, Any]] = [
        {
            "key": "tier",
            "label": "Plan",
            "type": "select",
            "options": [
                {"value": t["key"], "label": f"{t['name']} ({currency}{t['price']})"} for t in tiers
            ],
            "default": tiers[min(1, len(tiers) - 1)]["key"],
        },
        {
            "key": "quantity",
            "label": "Quantity",
            "type": "number",
            "default": preset["quantity"],
            "min": 1,
            "step": 1,
            "unit": preset["unit"],
        },
    ]
    if preset["recurring"]:
        inputs.append(
            {
                "key": "billing",
                "label": "Billing",
                "type": "select",
                "default": "monthly",
                "options": [
                    {"value": "monthly", "label": "Monthly"},
                    {"value": "yearly", "label": "Yearly"},
                ],
            }
        )
    for addon in preset["addons"]:
        suffix = f" per {preset['unit'].rstrip('s')}" if addon["per_unit"] else ""
        inputs.append(
            {
                "key": f"addon_{addon['key']}",
                "label": f"{addon['label']} (+{currency}{addon['price']}{suffix})",
                "type": "checkbox",
                "default": False,
            }
        )
    period = " / month" if preset["recurring"] else ""
    outputs = [
        {"key": "subtotal", "label": "Subtotal", "format": "currency", "unit": currency},
        {"key": "discount", "label": "Yearly discount", "format": "currency", "unit": currency},
        {"key": "total", "label": "Estimated total", "format": "currency", "unit": currency},
    ]
    if not preset["recurring"]:
        outputs.pop(1)
    return {
        "inputs": inputs,
        "outputs": outputs,
        "config": {
            "tiers": tiers,
            "addons": preset["addons"],
            "recurring": preset["recurring"],
            "yearly_discount_percent": preset["yearly_discount_percent"],
            "currency": currency,
            "unit": preset["unit"],
            "period_note": period,
        },
    }


def draft(brief: Brief) -> dict[str, Any]:
    preset = PRESETS[pick_preset(brief.text, PRESETS, "saas")]
    return {
        "name": preset["name"],
        "tagline": "Pick a plan, a quantity and extras: see the price straight away.",
        **spec_parts(preset),
    }


SCRIPT = """
var cfg = TOOL.config, tiers = {};
(cfg.tiers || []).forEach(function (t) { tiers[t.key] = t; });
function compute() {
  var tier = tiers[$("in-tier").value] || (cfg.tiers || [])[0] || {price: 0};
  var qty = Math.max(0, num("in-quantity")); if (!isFinite(qty)) qty = 0;
  var unitPrice = Number(tier.price) || 0, flat = 0;
  (cfg.addons || []).forEach(function (a) {
    var box = $("in-addon_" + a.key);
    if (!box || !box.checked) return;
    if (a.per_unit) unitPrice += Number(a.price); else flat += Number(a.price);
  });
  var subtotal = unitPrice * qty + flat, discount = 0;
  var yearly = cfg.recurring && $("in-billing") && $("in-billing").value === "yearly";
  if (yearly) {
    subtotal = subtotal * 12;
    discount = subtotal * (Number(cfg.yearly_discount_percent) || 0) / 100;
  }
  setOut("subtotal", subtotal); setOut("discount", discount); setOut("total", subtotal - discount);
  var note = $("period-note");
  if (note) note.textContent = !cfg.recurring ? "One-off price"
    : (yearly ? "Billed yearly" : "Billed monthly");
}
document.getElementById("tool-root").addEventListener("input", compute);
document.getElementById("tool-root").addEventListener("change", compute);
compute();
"""


def build(spec: ToolSpec) -> str:
    tiers = spec.config.get("tiers")
    problems = []
    if not isinstance(tiers, list) or not tiers:
        problems.append("config.tiers: a list of {key, name, price}")
    else:
        for i, tier in enumerate(tiers):
            if not isinstance(tier, dict) or not isinstance(tier.get("price"), int | float):
                problems.append(f"config.tiers[{i}]: needs key, name and a numeric price")
    keys = {f.key for f in spec.inputs}
    problems += [f"inputs.{k}: missing" for k in ("tier", "quantity") if k not in keys]
    if "total" not in {o.key for o in spec.outputs}:
        problems.append("outputs.total: missing")
    if problems:
        raise SpecError("The pricing spec is incomplete.", problems)
    inputs = "".join(render_input(f) for f in spec.inputs)
    outputs = "".join(render_output(o) for o in spec.outputs)
    body = f"""<div class=grid>
<section class=card aria-labelledby="opts-title"><h2 id="opts-title">Options</h2>
{inputs}</section>
<section class=card aria-labelledby="price-title"><h2 id="price-title">Your estimate</h2>
{outputs}<p id="period-note" class=help></p></section>
</div>"""
    return render_page(spec, body, SCRIPT, tool_data(spec))


ARCHETYPE = Archetype(
    name="pricing",
    summary="Plans, quantity and add-ons priced into a total.",
    keywords=(
        ("pricing", 3),
        ("price estimat", 4),
        ("cost estimat", 4),
        ("quote", 3),
        ("estimator", 2),
        ("subscription", 2),
        ("plans", 1),
        ("tier", 2),
        ("how much", 2),
    ),
    draft=draft,
    build=build,
)
