"""Invoice builder: parties, line items (add/remove), tax and a printable total."""

from __future__ import annotations

from typing import Any

from saasapp.tools.generator.archetypes._base import Archetype, has
from saasapp.tools.generator.archetypes._page import (
    render_input,
    render_output,
    render_page,
    tool_data,
)
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.spec import SpecError, ToolSpec

CURRENCIES = [
    {"value": "$", "label": "US dollar ($)"},
    {"value": "€", "label": "Euro (€)"},
    {"value": "£", "label": "Pound sterling (£)"},
    {"value": "¥", "label": "Yen (¥)"},
    {"value": "CHF ", "label": "Swiss franc (CHF)"},
]


def draft(brief: Brief) -> dict[str, Any]:
    text = brief.text
    tax_label, tax_rate = "Tax", 10.0
    if has(text, "vat") or has(text, "europe") or has(text, "uk"):
        tax_label, tax_rate = "VAT", 20.0
    elif has(text, "gst"):
        tax_label, tax_rate = "GST", 10.0
    elif has(text, "sales tax"):
        tax_label, tax_rate = "Sales tax", 8.0
    currency = "€" if has(text, "euro") or has(text, "europe") else "£" if has(text, "uk") else "$"
    items = [
        {"description": "Design work", "quantity": 10, "price": 50},
        {"description": "Hosting (1 month)", "quantity": 1, "price": 20},
    ]
    if has(text, "freelanc") or has(text, "consult"):
        items = [{"description": "Consulting (hours)", "quantity": 8, "price": 90}]
    return {
        "name": "Invoice Generator" if has(text, "generat") else "Invoice Builder",
        "tagline": "Fill in, add line items, print or save as PDF. Nothing leaves your browser.",
        "inputs": [
            {"key": "from_name", "label": "From", "type": "text", "default": "Your business"},
            {"key": "client_name", "label": "Bill to", "type": "text", "default": "Client name"},
            {
                "key": "invoice_number",
                "label": "Invoice number",
                "type": "text",
                "default": "INV-001",
            },
            {"key": "invoice_date", "label": "Date", "type": "date"},
            {
                "key": "currency",
                "label": "Currency",
                "type": "select",
                "options": CURRENCIES,
                "default": currency,
            },
            {
                "key": "tax_rate",
                "label": f"{tax_label} rate",
                "type": "number",
                "default": tax_rate,
                "unit": "%",
                "min": 0,
                "max": 100,
                "step": 0.1,
            },
            {
                "key": "notes",
                "label": "Notes",
                "type": "textarea",
                "default": "Payment due within 30 days.",
            },
        ],
        "outputs": [
            {"key": "subtotal", "label": "Subtotal", "format": "currency"},
            {"key": "tax", "label": tax_label, "format": "currency"},
            {"key": "total", "label": "Total due", "format": "currency"},
        ],
        "config": {"items": items},
    }


SCRIPT = """
var body = $("items");
function money() { return {format: "currency", unit: $("in-currency").value, decimals: 2}; }
function addItem(item) {
  item = item || {description: "", quantity: 1, price: 0};
  var n = body.children.length + 1, tr = document.createElement("tr");
  tr.className = "line-item";
  function cell(cls, type, value, label) {
    var td = document.createElement("td"), input = document.createElement("input");
    input.type = type; input.className = cls; input.value = value;
    input.setAttribute("aria-label", label + " " + n);
    if (type === "number") { input.min = "0"; input.step = "any"; input.inputMode = "decimal"; }
    td.appendChild(input); tr.appendChild(td);
  }
  cell("item-desc", "text", item.description == null ? "" : item.description, "Description");
  cell("item-qty", "number", item.quantity == null ? 1 : item.quantity, "Quantity");
  cell("item-price", "number", item.price == null ? 0 : item.price, "Unit price");
  var total = document.createElement("td"); total.className = "item-total"; tr.appendChild(total);
  var rm = document.createElement("td"), button = document.createElement("button");
  button.type = "button"; button.className = "item-remove secondary no-print";
  button.textContent = "Remove";
  button.setAttribute("aria-label", "Remove line " + n);
  button.addEventListener("click", function () { tr.remove(); compute(); });
  rm.appendChild(button); tr.appendChild(rm); body.appendChild(tr);
}
function compute() {
  var subtotal = 0, fmtOut = money();
  body.querySelectorAll("tr.line-item").forEach(function (tr) {
    var q = parseFloat(tr.querySelector(".item-qty").value);
    var p = parseFloat(tr.querySelector(".item-price").value);
    var line = (isFinite(q) ? q : 0) * (isFinite(p) ? p : 0);
    subtotal += line; tr.querySelector(".item-total").textContent = fmt(line, fmtOut);
  });
  var rate = num("in-tax_rate"); if (!isFinite(rate)) rate = 0;
  var tax = Math.round(subtotal * rate) / 100;
  setOut("subtotal", subtotal, fmtOut); setOut("tax", tax, fmtOut);
  setOut("total", subtotal + tax, fmtOut);
}
(TOOL.config.items || []).forEach(function (item) { addItem(item); });
if (!body.children.length) addItem();
var date = $("in-invoice_date");
if (date && !date.value) { var d = new Date(); date.value = d.getFullYear() + "-" +
  String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0"); }
$("btn-add-item").addEventListener("click", function () {
  addItem(); compute(); body.lastChild.querySelector(".item-desc").focus(); });
$("btn-print").addEventListener("click", function () { window.print(); });
document.getElementById("tool-root").addEventListener("input", compute);
document.getElementById("tool-root").addEventListener("change", compute);
compute();
"""


def build(spec: ToolSpec) -> str:
    keys = {f.key for f in spec.inputs}
    outs = {o.key for o in spec.outputs}
    problems = [f"inputs.{k}: missing" for k in ("currency", "tax_rate") if k not in keys]
    problems += [f"outputs.{k}: missing" for k in ("subtotal", "tax", "total") if k not in outs]
    if not isinstance(spec.config.get("items", []), list):
        problems.append("config.items: a list of {description, quantity, price}")
    if problems:
        raise SpecError("The invoice spec is incomplete.", problems)
    inputs = "".join(render_input(f) for f in spec.inputs)
    outputs = "".join(render_output(o) for o in spec.outputs)
    body = f"""<section class=card aria-labelledby="details-title">
<h2 id="details-title">Details</h2><div class=grid>{inputs}</div></section>
<section class=card aria-labelledby="items-title"><h2 id="items-title">Line items</h2>
<div style="overflow-x:auto"><table><thead><tr><th scope=col>Description</th>
<th scope=col>Qty</th><th scope=col>Unit price</th><th scope=col>Amount</th>
<th scope=col><span class=sr-only>Remove</span></th></tr></thead>
<tbody id="items"></tbody></table></div>
<div class="actions no-print"><button type=button id="btn-add-item" class=secondary>
+ Add line</button></div></section>
<section class=card aria-labelledby="totals-title"><h2 id="totals-title">Totals</h2>
{outputs}
<div class="actions no-print"><button type=button id="btn-print">Print / save as PDF</button>
</div></section>"""
    return render_page(spec, body, SCRIPT, tool_data(spec))


ARCHETYPE = Archetype(
    name="invoice",
    summary="Line items, tax and a printable total.",
    keywords=(
        ("invoice", 4),
        ("billing", 2),
        ("receipt", 3),
        ("bill my", 2),
        ("estimate for client", 2),
    ),
    draft=draft,
    build=build,
)
