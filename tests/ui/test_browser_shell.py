"""The app shell in a real browser: home page, navigation, status, 404."""

import re

from playwright.sync_api import expect

from saasapp.settings import get_settings
from saasapp.worker.heartbeat import beat


def test_home_page_says_what_saasapp_does(page):
    page.goto("/")
    expect(page.locator("#home-title")).to_contain_text("micro-SaaS tool")
    expect(page.locator("#content")).to_contain_text("Generate")
    expect(page.locator("#content")).to_contain_text("Publish")
    expect(page).to_have_title(re.compile("saasapp"))


def test_navigation_reaches_status_and_back(page, redis_client):
    beat(redis_client, "browser-test-worker")
    page.goto("/")
    page.locator("#nav-status").click()
    expect(page).to_have_url(re.compile(r"/status/?$"))
    expect(page.locator("#status-database")).to_have_text("up")
    expect(page.locator("#status-redis")).to_have_text("up")
    expect(page.locator("#status-worker")).to_have_text("up")
    page.locator("#nav-home").click()
    expect(page.locator("#home-title")).to_be_visible()


def test_status_page_shows_a_silent_worker_as_down(page, redis_client, monkeypatch):
    # Every heartbeat counts as too old: the workers look silent.
    monkeypatch.setattr(get_settings(), "worker_heartbeat_ttl", 0)
    page.goto("/status")
    expect(page.locator("#status-database")).to_have_text("up")
    expect(page.locator("#status-worker")).to_have_text("down")
    monkeypatch.undo()
    beat(redis_client, "late-worker")
    page.locator("#status-refresh").click()
    expect(page.locator("#status-worker")).to_have_text("up")


def test_unknown_path_shows_the_404_page(page):
    page.console_errors.allow("404")  # the document itself answers 404, as it should
    response = page.goto("/no/such/page")
    assert response.status == 404
    expect(page.locator("#not-found-title")).to_have_text("Page not found")
    page.locator("#not-found-home").click()
    expect(page.locator("#home-title")).to_be_visible()
