"""The page every offline archetype shares: head, styles, header, footer and helpers.

Spec text reaches the page two ways only: HTML-escaped into markup, or as JSON in a
``<script type="application/json">`` block with ``<`` escaped (so ``</script>`` and ``<!--`` in a
value cannot end the block). Archetype scripts are fixed code that reads that JSON and writes
with ``textContent``, never ``innerHTML``.
"""

from __future__ import annotations

import html
import json
from typing import Any

from saasapp.tools.generator.spec import InputField, OutputField, ToolSpec

# The page loads nothing: a CSP in the document says so even outside the platform's preview.
PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; form-action 'none'; base-uri 'none'"
)
GENERATOR_NOTE = "Built with the saasapp offline generator"


def esc(value: Any) -> str:
    """HTML-escape any value for text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no "</", "<!--" or line separators can appear."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _number_attr(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render_input(field: InputField) -> str:
    """One labelled control with the stable id ``in-<key>``."""
    fid = f"in-{field.key}"
    label = esc(field.label) + (
        f" <span class=unit>({esc(field.unit)})</span>" if field.unit else ""
    )
    help_id = f"help-{field.key}"
    described = f' aria-describedby="{help_id}"' if field.help else ""
    help_html = f'<small id="{help_id}" class=help>{esc(field.help)}</small>' if field.help else ""
    default = field.default
    if field.type == "checkbox":
        checked = " checked" if default in (True, "true", "1", 1) else ""
        return (
            f'<div class="field check"><input type=checkbox id="{fid}" name="{esc(field.key)}"'
            f'{checked}{described}><label for="{fid}">{label}</label>{help_html}</div>'
        )
    if field.type == "select":
        options = "".join(
            f'<option value="{esc(o.value)}"'
            f"{' selected' if default is not None and str(default) == o.value else ''}>"
            f"{esc(o.label)}</option>"
            for o in field.options
        )
        control = f'<select id="{fid}" name="{esc(field.key)}"{described}>{options}</select>'
    elif field.type == "textarea":
        control = (
            f'<textarea id="{fid}" name="{esc(field.key)}" rows=8{described}>'
            f"{esc(default if default is not None else '')}</textarea>"
        )
    else:
        html_type = {"number": "number", "date": "date", "text": "text"}[field.type]
        attrs = [f"type={html_type}", f'id="{fid}"', f'name="{esc(field.key)}"']
        if field.type == "number":
            attrs.append("inputmode=decimal")
            for attr in ("min", "max", "step"):
                value = getattr(field, attr)
                if value is not None:
                    attrs.append(f'{attr}="{_number_attr(value)}"')
            if field.step is None:
                attrs.append("step=any")
        if default is not None and default != "":
            value = _number_attr(default) if isinstance(default, int | float) else default
            attrs.append(f'value="{esc(value)}"')
        control = f"<input {' '.join(attrs)}{described}>"
    return f'<div class=field><label for="{fid}">{label}</label>{control}{help_html}</div>'


def render_output(output: OutputField) -> str:
    """One result with the stable id ``out-<key>``, announced politely to screen readers."""
    return (
        f'<div class=result><span class=result-label id="label-out-{output.key}">'
        f"{esc(output.label)}</span>"
        f'<output id="out-{output.key}" aria-labelledby="label-out-{output.key}" '
        f'aria-live=polite data-value="">—</output></div>'
    )


BASE_CSS = """
*{box-sizing:border-box}
:root{--accent:%(accent)s;--bg:%(bg)s;--fg:%(fg)s;--card:%(card)s;--muted:%(muted)s;
--line:%(line)s}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
background:var(--bg);color:var(--fg)}
header,main,footer{max-width:860px;margin:0 auto;padding:1rem 1.25rem}
header h1{margin:.5rem 0 .25rem;font-size:clamp(1.6rem,4vw,2.3rem);line-height:1.2}
.tagline{margin:0;color:var(--muted);font-size:1.1rem}
.description{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:1.25rem;
margin:0 0 1rem;box-shadow:0 1px 2px rgba(0,0,0,.05)}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(220px,1fr))}
.field{display:flex;flex-direction:column;gap:.3rem;margin-bottom:.75rem}
.field.check{flex-direction:row;align-items:center;gap:.5rem}
label{font-weight:600}
.unit,.help{color:var(--muted);font-weight:400}
input,select,textarea,button{font:inherit;color:inherit}
input[type=number],input[type=text],input[type=date],select,textarea{width:100%%;
padding:.55rem .7rem;border:1px solid var(--line);border-radius:10px;background:var(--bg)}
input:focus,select:focus,textarea:focus,button:focus-visible{outline:3px solid var(--accent);
outline-offset:1px}
button{cursor:pointer;border:0;border-radius:10px;padding:.6rem 1rem;background:var(--accent);
color:#fff;font-weight:600}
button.secondary{background:transparent;color:var(--accent);border:1px solid var(--accent)}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
.result{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;
padding:.6rem 0;border-bottom:1px solid var(--line)}
.result:last-child{border-bottom:0}
.result-label{color:var(--muted)}
output{font-size:1.35rem;font-weight:700;color:var(--accent);font-variant-numeric:tabular-nums}
.features{padding-left:1.2rem;color:var(--muted)}
footer{color:var(--muted);font-size:.85rem}
table{width:100%%;border-collapse:collapse}
th,td{text-align:left;padding:.35rem;border-bottom:1px solid var(--line);vertical-align:top}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:560px){.result{flex-direction:column;gap:.1rem}}
@media print{.no-print{display:none!important}.card{box-shadow:none;border:0}}
"""

# Shared helpers the archetype scripts use.
BASE_JS = """
var TOOL = JSON.parse(document.getElementById("tool-data").textContent);
function $(id) { return document.getElementById(id); }
function num(id) {
  var el = $(id); if (!el) return NaN;
  var v = parseFloat(String(el.value).replace(",", "."));
  return isFinite(v) ? v : NaN;
}
function fmtNumber(v, decimals, grouping) {
  return v.toLocaleString("en-US", {minimumFractionDigits: decimals,
    maximumFractionDigits: decimals, useGrouping: grouping !== false});
}
function fmt(v, out) {
  if (typeof v === "string") return v;
  if (typeof v !== "number" || !isFinite(v)) return "—";
  var d = out.format === "integer" ? 0 : (out.decimals == null ? 2 : out.decimals);
  var s = fmtNumber(v, d);
  if (out.format === "percent") return s + "%";
  if (out.format === "currency") return (out.unit || "$") + s;
  return out.unit ? s + " " + out.unit : s;
}
function setOut(key, v, out) {
  var el = $("out-" + key); if (!el) return;
  out = out || (TOOL.outputs || []).filter(function (o) { return o.key === key; })[0] || {};
  el.textContent = fmt(v, out);
  el.setAttribute("data-value", typeof v === "number" && isFinite(v) ? String(v) : "");
}
// The preview iframe has no same origin: storage access may throw.
var store = {
  get: function (k) { try { return JSON.parse(window.localStorage.getItem(k)); }
                      catch (e) { return null; } },
  set: function (k, v) { try { window.localStorage.setItem(k, JSON.stringify(v)); return true; }
                         catch (e) { return false; } }
};
"""

THEMES = {
    "light": {
        "bg": "#ffffff",
        "fg": "#111827",
        "card": "#f9fafb",
        "muted": "#4b5563",
        "line": "#e5e7eb",
    },
    "dark": {
        "bg": "#0f172a",
        "fg": "#f1f5f9",
        "card": "#1e293b",
        "muted": "#cbd5e1",
        "line": "#334155",
    },
}


def tool_data(spec: ToolSpec, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the page script sees of the spec."""
    data = {
        "slug": spec.slug,
        "name": spec.name,
        "inputs": [f.model_dump() for f in spec.inputs],
        "outputs": [o.model_dump() for o in spec.outputs],
        "config": spec.config,
    }
    data.update(extra or {})
    return data


def render_page(spec: ToolSpec, body: str, script: str, data: dict[str, Any]) -> str:
    """The whole document: one file, inline CSS and JS, nothing fetched."""
    colours = dict(THEMES[spec.style.theme], accent=spec.style.accent)
    features = "".join(f"<li>{esc(f)}</li>" for f in spec.features)
    features_html = f'<ul class=features aria-label="Features">{features}</ul>' if features else ""
    keywords = ", ".join(spec.seo.keywords)
    description = f"<p class=description>{esc(spec.description)}</p>" if spec.description else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{PAGE_CSP}">
<title>{esc(spec.seo.title or spec.name)}</title>
<meta name="description" content="{esc(spec.seo.description)}">
<meta name="keywords" content="{esc(keywords)}">
<meta name="generator" content="saasapp offline generator">
<style>{BASE_CSS % colours}</style>
</head>
<body>
<header>
<h1 id="tool-name">{esc(spec.name)}</h1>
<p class="tagline">{esc(spec.tagline)}</p>
{description}
</header>
<main id="tool-root" data-archetype="{esc(spec.archetype)}">
{body}
{features_html}
</main>
<footer><p>{GENERATOR_NOTE}.</p></footer>
<script id="tool-data" type="application/json">{script_json(data)}</script>
<script>
(function () {{
"use strict";
{BASE_JS}
{script}
}})();
</script>
</body>
</html>
"""
