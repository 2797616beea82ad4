"""Calculator: numeric inputs and outputs computed from validated formulas."""

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
from saasapp.tools.generator.expressions import JS_EVALUATOR, parse_formula
from saasapp.tools.generator.spec import SpecError, ToolSpec


def _num(key: str, label: str, default: float, unit: str = "", **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "type": "number", "default": default, "unit": unit, **extra}


def _out(key: str, label: str, formula: str, fmt: str = "number", **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "formula": formula, "format": fmt, **extra}


PRESETS: dict[str, dict[str, Any]] = {
    "mortgage": {
        "keywords": ("mortgage", "loan", "repayment", "amortiz", "amortis", "home buyer"),
        "name": "Mortgage Calculator",
        "tagline": "See your monthly payment, total cost and interest in seconds.",
        "inputs": [
            _num("principal", "Loan amount", 300000, "$", min=0, step=1000),
            _num("rate", "Annual interest rate", 5.5, "%", min=0, max=100, step=0.05),
            _num("years", "Term", 30, "years", min=1, max=50, step=1),
        ],
        "outputs": [
            _out(
                "monthly_payment",
                "Monthly payment",
                "principal * (max(rate, 0.000001) / 1200) / "
                "(1 - (1 + max(rate, 0.000001) / 1200) ^ (-years * 12))",
                "currency",
                unit="$",
            ),
            _out("total_paid", "Total paid", "monthly_payment * years * 12", "currency", unit="$"),
            _out(
                "total_interest", "Total interest", "total_paid - principal", "currency", unit="$"
            ),
        ],
    },
    "bmi": {
        "keywords": ("bmi", "body mass", "weight", "fitness", "health"),
        "name": "BMI Calculator",
        "tagline": "Your body mass index from your weight and height.",
        "inputs": [
            _num("weight", "Weight", 70, "kg", min=1, max=500),
            _num("height", "Height", 175, "cm", min=30, max=300),
        ],
        "outputs": [_out("bmi", "Body mass index", "weight / (height / 100) ^ 2", decimals=1)],
    },
    "roi": {
        "keywords": ("roi", "return on investment", "investment return", "marketing spend"),
        "name": "ROI Calculator",
        "tagline": "What an investment returned, in money and percent.",
        "inputs": [
            _num("cost", "Amount invested", 1000, "$", min=0),
            _num("final_value", "Value returned", 1500, "$", min=0),
        ],
        "outputs": [
            _out("profit", "Profit", "final_value - cost", "currency", unit="$"),
            _out("roi", "Return on investment", "(final_value - cost) / cost * 100", "percent"),
        ],
    },
    "tip": {
        "keywords": ("tip", "restaurant", "split the bill", "bill split", "gratuity"),
        "name": "Tip Calculator",
        "tagline": "Tip and split a bill fairly.",
        "inputs": [
            _num("bill", "Bill amount", 80, "$", min=0),
            _num("tip_percent", "Tip", 15, "%", min=0, max=100),
            _num("people", "People", 2, min=1, step=1),
        ],
        "outputs": [
            _out("tip", "Tip", "bill * tip_percent / 100", "currency", unit="$"),
            _out("total", "Total", "bill + tip", "currency", unit="$"),
            _out("per_person", "Per person", "total / max(people, 1)", "currency", unit="$"),
        ],
    },
    "savings": {
        "keywords": ("compound", "savings", "interest", "retire", "invest", "nest egg"),
        "name": "Compound Interest Calculator",
        "tagline": "How your savings grow with monthly deposits and compound interest.",
        "inputs": [
            _num("initial", "Starting amount", 5000, "$", min=0),
            _num("monthly", "Monthly deposit", 200, "$", min=0),
            _num("rate", "Annual interest rate", 5, "%", min=0, max=100),
            _num("years", "Years", 10, min=1, max=80, step=1),
        ],
        "outputs": [
            _out(
                "future_value",
                "Future value",
                "initial * (1 + max(rate, 0.000001) / 1200) ^ (years * 12) + monthly * "
                "((1 + max(rate, 0.000001) / 1200) ^ (years * 12) - 1) / "
                "(max(rate, 0.000001) / 1200)",
                "currency",
                unit="$",
            ),
            _out(
                "deposited",
                "Total deposited",
                "initial + monthly * years * 12",
                "currency",
                unit="$",
            ),
            _out(
                "interest_earned",
                "Interest earned",
                "future_value - deposited",
                "currency",
                unit="$",
            ),
        ],
    },
    "margin": {
        "keywords": ("margin", "markup", "profit", "break-even", "break even", "resell"),
        "name": "Profit Margin Calculator",
        "tagline": "Profit, margin and markup from cost and selling price.",
        "inputs": [
            _num("cost", "Cost", 40, "$", min=0),
            _num("price", "Selling price", 100, "$", min=0),
        ],
        "outputs": [
            _out("profit", "Profit", "price - cost", "currency", unit="$"),
            _out("margin", "Margin", "(price - cost) / price * 100", "percent", decimals=1),
            _out("markup", "Markup", "(price - cost) / cost * 100", "percent", decimals=1),
        ],
    },
    "percentage": {
        "keywords": ("percent", "percentage", "discount", "sale"),
        "name": "Percentage Calculator",
        "tagline": "A percentage of a value, and the value with it added or taken off.",
        "inputs": [
            _num("value", "Value", 200),
            _num("percent", "Percentage", 15, "%"),
        ],
        "outputs": [
            _out("part", "Percentage of the value", "value * percent / 100"),
            _out("increased", "Value plus the percentage", "value + part"),
            _out("decreased", "Value minus the percentage", "value - part"),
        ],
    },
}


def draft(brief: Brief) -> dict[str, Any]:
    preset = PRESETS[pick_preset(brief.text, PRESETS, "percentage")]
    return {
        "name": preset["name"],
        "tagline": preset["tagline"],
        "inputs": preset["inputs"],
        "outputs": preset["outputs"],
        "config": {},
    }


SCRIPT = (
    JS_EVALUATOR
    + """
function readInputs() {
  var env = {};
  (TOOL.inputs || []).forEach(function (f) {
    var el = $("in-" + f.key); if (!el) return;
    env[f.key] = f.type === "checkbox" ? (el.checked ? 1 : 0) : num("in-" + f.key);
  });
  return env;
}
function compute() {
  var env = readInputs();
  (TOOL.outputs || []).forEach(function (o) {
    var v = evalFormula(TOOL.trees[o.key], env);
    env[o.key] = v;
    setOut(o.key, v, o);
  });
}
document.getElementById("tool-root").addEventListener("input", compute);
document.getElementById("tool-root").addEventListener("change", compute);
$("btn-reset").addEventListener("click", function () {
  (TOOL.inputs || []).forEach(function (f) {
    var el = $("in-" + f.key); if (!el) return;
    if (f.type === "checkbox") el.checked = !!f.default;
    else el.value = f.default == null ? "" : f.default;
  });
  compute();
});
compute();
"""
)


def build(spec: ToolSpec) -> str:
    missing = [o.key for o in spec.outputs if not o.formula]
    if not spec.outputs or missing:
        raise SpecError(
            "A calculator needs a formula for every output.",
            [f"outputs.{key}.formula: missing" for key in missing] or ["outputs: none given"],
        )
    trees = {o.key: parse_formula(o.formula) for o in spec.outputs}
    inputs = "".join(render_input(f) for f in spec.inputs)
    outputs = "".join(render_output(o) for o in spec.outputs)
    body = f"""<div class=grid>
<section class=card aria-labelledby="inputs-title"><h2 id="inputs-title">Your numbers</h2>
{inputs}
<div class="actions no-print"><button type=button id="btn-reset" class=secondary>Reset</button>
</div></section>
<section class=card aria-labelledby="results-title"><h2 id="results-title">Results</h2>
{outputs}</section>
</div>"""
    return render_page(spec, body, SCRIPT, tool_data(spec, {"trees": trees}))


ARCHETYPE = Archetype(
    name="calculator",
    summary="Numeric inputs and results computed live from formulas.",
    keywords=(
        ("calculat", 2),
        ("compute", 1),
        ("formula", 1),
        ("mortgage", 3),
        ("loan", 3),
        ("bmi", 3),
        ("body mass", 3),
        ("roi", 3),
        ("return on investment", 3),
        ("tip", 2),
        ("compound", 3),
        ("interest", 2),
        ("savings", 2),
        ("margin", 3),
        ("markup", 3),
        ("break-even", 3),
        ("percent", 2),
    ),
    draft=draft,
    build=build,
    extra={"presets": PRESETS},
)
