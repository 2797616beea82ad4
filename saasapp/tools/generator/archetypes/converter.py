"""Unit converter: a value, a "from" and a "to" unit of one dimension.

Every unit is linear to the dimension's base unit: ``base = value * factor + offset`` (the offset
is what temperatures need).
"""

from __future__ import annotations

from typing import Any

from saasapp.tools.generator.archetypes._base import Archetype, has, pick_preset
from saasapp.tools.generator.archetypes._page import esc, render_input, render_page, tool_data
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolSpec


def _u(key: str, label: str, symbol: str, factor: float, offset: float = 0.0) -> dict[str, Any]:
    return {"key": key, "label": label, "symbol": symbol, "factor": factor, "offset": offset}


DIMENSIONS: dict[str, dict[str, Any]] = {
    "length": {
        "keywords": ("length", "distance", "km", "mile", "feet", "inch", "metre", "meter"),
        "name": "Length Converter",
        "units": [
            _u("mm", "Millimetres", "mm", 0.001),
            _u("cm", "Centimetres", "cm", 0.01),
            _u("m", "Metres", "m", 1),
            _u("km", "Kilometres", "km", 1000),
            _u("in", "Inches", "in", 0.0254),
            _u("ft", "Feet", "ft", 0.3048),
            _u("yd", "Yards", "yd", 0.9144),
            _u("mi", "Miles", "mi", 1609.344),
            _u("nmi", "Nautical miles", "nmi", 1852),
        ],
        "from": "km",
        "to": "mi",
        "value": 10,
    },
    "weight": {
        "keywords": ("weight", "mass", "kg", "kilogram", "pound", "lb", "ounce", "gram"),
        "name": "Weight Converter",
        "units": [
            _u("mg", "Milligrams", "mg", 0.000001),
            _u("g", "Grams", "g", 0.001),
            _u("kg", "Kilograms", "kg", 1),
            _u("t", "Tonnes", "t", 1000),
            _u("oz", "Ounces", "oz", 0.028349523125),
            _u("lb", "Pounds", "lb", 0.45359237),
            _u("st", "Stones", "st", 6.35029318),
        ],
        "from": "kg",
        "to": "lb",
        "value": 1,
    },
    "temperature": {
        "keywords": ("temperature", "celsius", "fahrenheit", "kelvin", "oven", "weather"),
        "name": "Temperature Converter",
        "units": [
            _u("c", "Celsius", "°C", 1),
            _u("f", "Fahrenheit", "°F", 5 / 9, -160 / 9),
            _u("k", "Kelvin", "K", 1, -273.15),
        ],
        "from": "c",
        "to": "f",
        "value": 20,
    },
    "volume": {
        "keywords": ("volume", "litre", "liter", "gallon", "cup", "recipe", "cooking", "baking"),
        "name": "Volume Converter",
        "units": [
            _u("ml", "Millilitres", "ml", 0.001),
            _u("l", "Litres", "L", 1),
            _u("m3", "Cubic metres", "m³", 1000),
            _u("tsp", "Teaspoons (US)", "tsp", 0.00492892159375),
            _u("tbsp", "Tablespoons (US)", "tbsp", 0.01478676478125),
            _u("floz", "Fluid ounces (US)", "fl oz", 0.0295735295625),
            _u("cup", "Cups (US)", "cup", 0.2365882365),
            _u("pt", "Pints (US)", "pt", 0.473176473),
            _u("gal", "Gallons (US)", "gal", 3.785411784),
        ],
        "from": "cup",
        "to": "ml",
        "value": 1,
    },
    "speed": {
        "keywords": ("speed", "mph", "km/h", "kmh", "knot", "pace", "velocity"),
        "name": "Speed Converter",
        "units": [
            _u("mps", "Metres per second", "m/s", 1),
            _u("kmh", "Kilometres per hour", "km/h", 1 / 3.6),
            _u("mph", "Miles per hour", "mph", 0.44704),
            _u("kn", "Knots", "kn", 1852 / 3600),
        ],
        "from": "kmh",
        "to": "mph",
        "value": 100,
    },
    "data": {
        "keywords": ("data", "byte", "storage", "file size", "megabyte", "gigabyte", "bandwidth"),
        "name": "Data Size Converter",
        "units": [
            _u("b", "Bytes", "B", 1),
            _u("kb", "Kilobytes", "kB", 1e3),
            _u("mb", "Megabytes", "MB", 1e6),
            _u("gb", "Gigabytes", "GB", 1e9),
            _u("tb", "Terabytes", "TB", 1e12),
            _u("kib", "Kibibytes", "KiB", 1024),
            _u("mib", "Mebibytes", "MiB", 1024**2),
            _u("gib", "Gibibytes", "GiB", 1024**3),
        ],
        "from": "gb",
        "to": "mib",
        "value": 1,
    },
    "area": {
        "keywords": ("area", "acre", "square", "hectare", "sq ft", "floor"),
        "name": "Area Converter",
        "units": [
            _u("m2", "Square metres", "m²", 1),
            _u("km2", "Square kilometres", "km²", 1e6),
            _u("ha", "Hectares", "ha", 1e4),
            _u("acre", "Acres", "ac", 4046.8564224),
            _u("ft2", "Square feet", "ft²", 0.09290304),
            _u("mi2", "Square miles", "mi²", 2589988.110336),
        ],
        "from": "m2",
        "to": "ft2",
        "value": 50,
    },
    "time": {
        "keywords": ("time", "hour", "minute", "second", "duration", "week"),
        "name": "Time Converter",
        "units": [
            _u("s", "Seconds", "s", 1),
            _u("min", "Minutes", "min", 60),
            _u("h", "Hours", "h", 3600),
            _u("d", "Days", "d", 86400),
            _u("wk", "Weeks", "wk", 604800),
        ],
        "from": "h",
        "to": "min",
        "value": 1.5,
    },
}


def draft(brief: Brief) -> dict[str, Any]:
    key = pick_preset(brief.text, DIMENSIONS, "length")
    dim = DIMENSIONS[key]
    options = [{"value": u["key"], "label": f"{u['label']} ({u['symbol']})"} for u in dim["units"]]
    name = dim["name"]
    if has(brief.text, "unit") and key == "length" and not has(brief.text, "length"):
        name = "Unit Converter"
    return {
        "name": name,
        "tagline": f"Convert {key} units instantly, both ways.",
        "inputs": [
            {"key": "value", "label": "Value", "type": "number", "default": dim["value"]},
            {
                "key": "from_unit",
                "label": "From",
                "type": "select",
                "options": options,
                "default": dim["from"],
            },
            {
                "key": "to_unit",
                "label": "To",
                "type": "select",
                "options": options,
                "default": dim["to"],
            },
        ],
        "outputs": [{"key": "result", "label": "Result", "format": "number", "decimals": 2}],
        "config": {"dimension": key, "units": dim["units"]},
    }


SCRIPT = """
var units = {};
(TOOL.config.units || []).forEach(function (u) { units[u.key] = u; });
var out = (TOOL.outputs || [])[0] || {key: "result", decimals: 2};
function convert(v, a, b) {
  return ((v * a.factor + (a.offset || 0)) - (b.offset || 0)) / b.factor;
}
function compute() {
  var v = num("in-value"), a = units[$("in-from_unit").value], b = units[$("in-to_unit").value];
  var el = $("out-" + out.key), rate = $("conversion-rate");
  if (!a || !b || !isFinite(v)) { el.textContent = "—"; el.setAttribute("data-value", "");
                                  rate.textContent = ""; return; }
  var r = convert(v, a, b);
  el.textContent = fmtNumber(r, out.decimals == null ? 2 : out.decimals) + " " + b.symbol;
  el.setAttribute("data-value", String(r));
  rate.textContent = "1 " + a.symbol + " = " + fmtNumber(convert(1, a, b), 6).replace(/\\.?0+$/, "")
    + " " + b.symbol;
}
document.getElementById("tool-root").addEventListener("input", compute);
document.getElementById("tool-root").addEventListener("change", compute);
$("btn-swap").addEventListener("click", function () {
  var f = $("in-from_unit"), t = $("in-to_unit"), x = f.value;
  f.value = t.value; t.value = x; compute();
});
compute();
"""


def build(spec: ToolSpec) -> str:
    units = spec.config.get("units") or []
    keys = {f.key for f in spec.inputs}
    problems = [f"inputs.{k}: missing" for k in ("value", "from_unit", "to_unit") if k not in keys]
    if not units:
        problems.append("config.units: a converter needs a list of units")
    for i, unit in enumerate(units):
        if not isinstance(unit, dict) or not isinstance(unit.get("factor"), int | float):
            problems.append(f"config.units[{i}]: needs key, label, symbol and a numeric factor")
        elif unit["factor"] == 0:
            problems.append(f"config.units[{i}].factor: must not be 0")
    if problems or not spec.outputs:
        raise SpecError("The converter spec is incomplete.", problems or ["outputs: none given"])
    result = spec.outputs[0]
    inputs = "".join(render_input(f) for f in spec.inputs)
    body = f"""<section class=card aria-labelledby="conv-title">
<h2 id="conv-title" class=sr-only>Convert</h2>
<div class=grid>{inputs}</div>
<div class="actions no-print"><button type=button id="btn-swap" class=secondary
aria-label="Swap the units">⇄ Swap units</button></div>
<div class=result><span class=result-label id="label-out-{result.key}">{esc(result.label)}</span>
<output id="out-{result.key}" aria-labelledby="label-out-{result.key}" aria-live=polite
data-value="">—</output></div>
<p id="conversion-rate" class=help></p>
</section>"""
    return render_page(spec, body, SCRIPT, tool_data(spec))


ARCHETYPE = Archetype(
    name="converter",
    summary="Converts a value between the units of one dimension.",
    keywords=(
        ("convert", 3),
        ("conversion", 3),
        ("unit", 2),
        ("celsius", 2),
        ("fahrenheit", 2),
        ("km to", 2),
        ("miles", 1),
        ("metric", 2),
        ("imperial", 2),
    ),
    draft=draft,
    build=build,
)
