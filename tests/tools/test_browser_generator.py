"""The generator in a real browser: wizard → offline build streamed → sandboxed preview that
works → refine → publish → the public page; another user sees none of it."""

import re

import httpx
from playwright.sync_api import expect
from reflex.config import get_config

from saasapp.settings import get_settings
from tests.utils.browser import make_verified_user, sign_in


def backend(path: str) -> str:
    return get_config().api_url.rstrip("/") + path


def test_wizard_build_preview_refine_publish(page, e2e_worker, app_harness, monkeypatch):
    # The app's pages live at PUBLIC_URL: here the harness's frontend, apart from its API.
    monkeypatch.setattr(get_settings(), "public_url", app_harness.frontend_url.rstrip("/"))
    make_verified_user("maker@example.com")
    sign_in(page, "maker@example.com", next_path="/generator")
    expect(page.locator("#generator-mode")).to_contain_text("Offline generator")
    page.locator("#field-idea").fill("A tip calculator that splits the bill between friends")
    page.locator("#wizard-next").click()
    # No model configured: straight to the editable spec.
    expect(page.locator("#field-spec")).to_contain_text('"archetype": "calculator"')
    page.locator("#field-spec_name").fill("Split the bill")
    page.locator("#wizard-build").click()

    expect(page).to_have_url(re.compile(r"/tools/\d+$"))
    expect(page.locator("#tool-name")).to_have_text("Split the bill")
    expect(page.locator("#tool-generator")).to_have_text("offline generator")
    expect(page.locator("#tool-preview")).to_be_visible(timeout=60_000)  # the build finished
    assert page.locator("#tool-preview").get_attribute("sandbox") == "allow-scripts"

    preview = page.frame_locator("#tool-preview")
    first_input = preview.locator("#tool-root input").first
    expect(first_input).to_be_visible()
    first_input.fill("120")
    expect(preview.locator("#tool-root")).to_contain_text(re.compile(r"\d"))

    page.locator("#tab-code").click()
    expect(page.locator("#tool-code")).to_contain_text("<!DOCTYPE html>")

    page.locator("#refine-input").fill("make the button blue")
    page.locator("#refine-submit").click()
    expect(page.locator("#tool-version")).to_have_text("v2", timeout=60_000)
    page.locator("#tab-versions").click()
    expect(page.locator("#versions-table")).to_contain_text("v2")
    expect(page.locator("#versions-table")).to_contain_text("make the button blue")

    page.locator("#tab-ship").click()
    page.locator("#publish").click()
    expect(page.locator("#tool-status")).to_have_text("published")
    public_path = page.locator("#public-link").inner_text()
    response = httpx.get(backend(public_path), timeout=10)
    assert response.status_code == 200
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "Split the bill" in response.text

    tool_url = page.url
    page.context.clear_cookies()
    page.evaluate("localStorage.clear()")
    make_verified_user("other@example.com")
    sign_in(page, "other@example.com")
    expect(page).to_have_url(re.compile(r"/account$"))
    page.goto(tool_url)
    expect(page.locator("#tool-missing")).to_be_visible()
    page.goto("/tools")
    expect(page.locator("#tools-empty")).to_be_visible()


SNOOPING_TOOL = """<!DOCTYPE html><html><head><title>Snoop</title></head><body>
<p id="out">not run</p>
<script>
let found;
try { found = "read: " + localStorage.getItem("saasapp_session") + " " + document.cookie; }
catch (error) { found = "blocked: " + error.name; }
document.getElementById("out").textContent = found;
</script></body></html>"""


def test_a_published_tool_cannot_read_the_platforms_storage(page):

    from saasapp.db import new_session
    from saasapp.tools import publishing, tools
    from saasapp.tools.models import Tool, VersionSource

    owner = make_verified_user("snoop-owner@example.com")
    with new_session() as session:
        tool = Tool(owner_id=owner.id, name="Snoop", slug="snoop-test")
        session.add(tool)
        session.flush()
        tools.add_version(session, tool, html=SNOOPING_TOOL, manifest={},
                          source=VersionSource.GENERATE)  # fmt: skip
        session.commit()
        publishing.publish_tool(session, owner, tool_id=tool.id)
    # A visitor signed in on the platform's origin (where /t/ pages are served).
    page.console_errors.allow("SecurityError")
    # The API origin has no favicon and health is 503 without a worker: not the point here.
    page.console_errors.allow("Failed to load resource")
    page.goto(backend("/api/v1/health"))
    page.evaluate("localStorage.setItem('saasapp_session', 'bs_secret-token')")
    page.goto(backend("/t/snoop-test"))
    expect(page.locator("#out")).to_contain_text("blocked: SecurityError")
    assert "bs_secret-token" not in page.locator("#out").inner_text()
