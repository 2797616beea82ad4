"""Every offline archetype's page, loaded in headless Chromium and used like a visitor would."""

from __future__ import annotations

import pytest

from saasapp.tools.generator.archetypes.calculator import PRESETS
from saasapp.tools.generator.brief import Brief
from saasapp.tools.generator.expressions import evaluate, parse_formula
from saasapp.tools.generator.offline import build_tool, draft_spec
from saasapp.tools.generator.spec import ARCHETYPES
from tests.utils.tools import SAMPLE_IDEAS, poisoned_tool

pytestmark = pytest.mark.browser

TOOL_URL = "http://tool.invalid/t/tool"  # served by page.route, never by the network


class ToolPage:
    def __init__(self, browser):
        self.context = browser.new_context(timezone_id="UTC", locale="en-US")
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.document_html = ""
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)

        def route(route):
            if route.request.url == TOOL_URL and self.document_html:
                route.fulfill(status=200, content_type="text/html", body=self.document_html)
                return
            self.requests.append(route.request.url)
            route.abort()

        self.context.route("**/*", route)

    def load(self, html: str):
        self.page.set_content(html)
        return self.page

    def serve(self, html: str):
        """Load from a URL (fulfilled here) so the page has an origin and storage."""
        self.document_html = html
        self.page.goto(TOOL_URL)
        return self.page


@pytest.fixture
def tool(browser):
    tool = ToolPage(browser)
    yield tool
    tool.context.close()
    assert tool.errors == [], "console errors"
    assert tool.requests == [], "the page made network requests"
    assert tool.dialogs == [], "a dialog opened"


def value(page, key: str) -> float:
    return float(page.get_attribute(f"#out-{key}", "data-value"))


def text(page, key: str) -> str:
    return page.text_content(f"#out-{key}")


@pytest.mark.parametrize("preset", list(PRESETS))
def test_calculator_results_equal_the_formulas(tool, preset):
    spec = draft_spec(Brief(PRESETS[preset]["keywords"][0] + " calculator"))
    assert spec.archetype == "calculator" and spec.name == PRESETS[preset]["name"]
    page = tool.load(build_tool(spec).html)
    env = {}
    for i, field in enumerate(spec.inputs):
        number = float(field.default) + i + 1  # not the defaults: typed values
        page.fill(f"#in-{field.key}", str(number))
        env[field.key] = number
    for output in spec.outputs:
        env[output.key] = evaluate(parse_formula(output.formula), env)
        assert value(page, output.key) == pytest.approx(env[output.key], rel=1e-9)


def test_mortgage_payment_is_shown_formatted(tool):
    page = tool.load(build_tool(draft_spec(Brief("mortgage calculator"))).html)
    page.fill("#in-principal", "200000")
    page.fill("#in-rate", "6")
    page.fill("#in-years", "30")
    assert text(page, "monthly_payment") == "$1,199.10"
    page.fill("#in-rate", "")
    assert text(page, "monthly_payment") == "—"
    page.click("#btn-reset")
    assert page.input_value("#in-principal") == "300000"


def test_converter(tool):
    page = tool.load(build_tool(draft_spec(Brief("km to miles converter"))).html)
    assert text(page, "result") == "6.21 mi"  # 10 km by default
    page.fill("#in-value", "42.195")
    assert text(page, "result") == "26.22 mi"
    page.click("#btn-swap")
    assert page.input_value("#in-from_unit") == "mi"
    assert text(page, "result") == "67.91 km"
    assert page.text_content("#conversion-rate") == "1 mi = 1.609344 km"


def test_temperature_converter(tool):
    page = tool.load(build_tool(draft_spec(Brief("celsius to fahrenheit"))).html)
    page.fill("#in-value", "100")
    assert text(page, "result") == "212.00 °F"
    page.select_option("#in-to_unit", "k")
    assert value(page, "result") == pytest.approx(373.15)


def test_checklist_progress_persists_and_custom_items(tool):
    html = build_tool(draft_spec(Brief("packing checklist"))).html
    page = tool.serve(html)
    total = page.locator("#checklist li").count()
    page.check("#item-0")
    page.check("#item-2")
    assert text(page, "progress") == f"2 / {total} done"
    page.fill("#in-new_item", "Sunglasses")
    page.click("#btn-add")
    assert text(page, "progress") == f"2 / {total + 1} done"
    page.check("#item-custom-0")
    page.reload()
    assert page.is_checked("#item-0") and page.is_checked("#item-custom-0")
    assert page.text_content("label[for=item-custom-0]") == "Sunglasses"
    assert text(page, "progress") == f"3 / {total + 1} done"
    page.click("#btn-reset")
    assert text(page, "progress") == f"0 / {total + 1} done"


def test_checklist_works_where_storage_is_refused(tool):
    # set_content leaves the page without an origin: localStorage throws and is ignored.
    page = tool.load(build_tool(draft_spec(Brief("moving house checklist"))).html)
    page.check("#item-1")
    assert text(page, "progress").startswith("1 / ")


def test_quiz_scores_at_the_end(tool):
    spec = draft_spec(Brief("quiz about world capitals"))
    page = tool.load(build_tool(spec).html)
    questions = spec.config["questions"]
    assert page.is_hidden("#score-card")
    for i, question in enumerate(questions):
        choice = question["answer"] if i < len(questions) - 1 else (question["answer"] + 1) % 3
        page.check(f"#q{i}-o{choice}")
    page.click("#btn-score")
    n = len(questions)
    assert text(page, "score") == f"{n - 1} / {n} ({round((n - 1) / n * 100)}%)"
    assert value(page, "score") == n - 1
    assert page.text_content("#out-message") == "Well done, you passed!"
    assert "Answer:" in page.text_content(f"#q-{n - 1}-feedback")
    page.click("#btn-retry")
    assert page.is_hidden("#score-card")
    page.click("#btn-score")
    assert text(page, "score") == f"0 / {n} (0%)"
    assert f"{n} unanswered" in page.text_content("#out-message")


def test_pricing_estimator_totals(tool):
    page = tool.load(build_tool(draft_spec(Brief("SaaS pricing estimator"))).html)
    page.select_option("#in-tier", "pro")  # 29 per seat
    page.fill("#in-quantity", "5")
    page.check("#in-addon_storage")  # +5 per seat
    page.check("#in-addon_support")  # +49 flat
    assert value(page, "total") == pytest.approx(219)
    assert text(page, "total") == "$219.00"
    page.select_option("#in-billing", "yearly")
    assert value(page, "subtotal") == pytest.approx(2628)
    assert value(page, "discount") == pytest.approx(525.6)
    assert text(page, "total") == "$2,102.40"


def test_countdown_to_a_fixed_date(tool):
    tool.page.clock.install(time="2030-01-01T09:59:00Z")
    tool.page.clock.pause_at("2030-01-01T10:00:00Z")
    page = tool.load(build_tool(draft_spec(Brief("countdown to christmas"))).html)
    assert page.input_value("#in-target") == "2030-12-25"  # next Christmas by default
    assert value(page, "days") == 358
    page.fill("#in-target", "2030-01-31")
    assert value(page, "days") == 30
    assert text(page, "remaining") == "29d 14h 00m 00s"
    assert page.text_content("#countdown-status") == "30 days until Christmas."
    page.clock.run_for(5_000)
    assert text(page, "remaining") == "29d 13h 59m 55s"
    page.fill("#in-target", "2029-12-01")
    assert page.text_content("#countdown-status") == "Christmas has passed."


def test_invoice_lines_tax_total_and_print(tool):
    page = tool.load(
        build_tool(draft_spec(Brief("invoice for freelance consultants with VAT"))).html
    )
    assert page.input_value("#in-tax_rate") == "20"
    assert value(page, "subtotal") == 720  # 8 h x 90
    page.click("#btn-add-item")
    row = page.locator("tr.line-item").nth(1)
    row.locator(".item-desc").fill("Hosting")
    row.locator(".item-qty").fill("2")
    row.locator(".item-price").fill("15.5")
    assert value(page, "subtotal") == pytest.approx(751)
    assert value(page, "tax") == pytest.approx(150.2)
    assert text(page, "total") == "$901.20"
    page.select_option("#in-currency", "€")
    assert text(page, "total") == "€901.20"
    page.locator("tr.line-item").nth(0).locator(".item-remove").click()
    assert page.locator("tr.line-item").count() == 1
    assert text(page, "total") == "€37.20"
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("#btn-print")
    assert page.evaluate("window.__printed") is True


def test_text_utility_counts_and_transforms(tool):
    page = tool.load(build_tool(draft_spec(Brief("word counter for essays"))).html)
    sample = "The quick brown fox.  Jumps over the lazy dog!\n\nCafé time?"
    page.fill("#in-text", sample)
    assert value(page, "words") == 11
    assert value(page, "sentences") == 3
    assert value(page, "paragraphs") == 2
    assert value(page, "characters") == len(sample) == 58
    assert value(page, "characters_no_spaces") == len(sample.replace(" ", "").replace("\n", ""))
    assert text(page, "reading_time") == "< 1 min"
    page.click("#btn-upper")
    assert page.input_value("#out-transformed").startswith("THE QUICK BROWN FOX.")
    page.click("#btn-slug")
    assert page.input_value("#out-transformed") == (
        "the-quick-brown-fox-jumps-over-the-lazy-dog-cafe-time"
    )
    page.click("#btn-use")
    assert value(page, "words") == 1


def test_post_length_checker_shows_what_is_left(tool):
    page = tool.load(build_tool(draft_spec(Brief("tweet length checker"))).html)
    page.fill("#in-text", "x" * 300)
    assert value(page, "remaining") == -20


@pytest.mark.parametrize("archetype", ARCHETYPES)
def test_every_archetype_loads_clean_and_offline(tool, archetype):
    page = tool.load(build_tool(draft_spec(Brief(SAMPLE_IDEAS[archetype]))).html)
    assert page.get_attribute("#tool-root", "data-archetype") == archetype
    # Every control has an accessible name.
    unnamed = page.evaluate(
        """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
             .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                            && !el.textContent.trim())
             .map(el => el.id || el.outerHTML)"""
    )
    assert unnamed == []
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert overflow is False, "horizontal scroll at 360 px"


@pytest.mark.parametrize("archetype", ARCHETYPES)
def test_hostile_spec_text_stays_text_in_the_browser(tool, archetype):
    page = tool.load(poisoned_tool(archetype).html)
    page.wait_for_timeout(50)
    assert page.locator("img").count() == 0
    assert page.evaluate("document.scripts.length") == 2
    assert "<img src=x onerror=alert(1)>" in page.text_content("#tool-name")
    for button in page.locator("#tool-root button").all()[:3]:
        if button.is_visible() and button.get_attribute("id") != "btn-print":
            button.click()
    assert tool.dialogs == []


def test_the_harness_sees_requests_and_dialogs(tool):
    """The guard above is real: an external image and an alert are caught."""
    page = tool.load('<img src="http://example.invalid/x.png"><script>alert("hi")</script>')
    page.wait_for_timeout(100)
    assert tool.requests == ["http://example.invalid/x.png"]
    assert tool.dialogs == ["hi"]
    tool.requests.clear()
    tool.dialogs.clear()
    tool.errors.clear()  # the aborted image logs a load error
