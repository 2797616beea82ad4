"""One production-mode app for the whole run (AppHarnessProd) and a headless Chromium."""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect

from saasapp.accounts import registration
from saasapp.db import new_session
from saasapp.settings import PROJECT_ROOT
from tests.utils.accounts import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Server round trips run in worker threads on a 2-core machine shared with the build.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def app_harness(migrated_database):
    from reflex.testing import AppHarnessProd

    bun_bin = PROJECT_ROOT / ".tools" / "bun" / "bin"
    if bun_bin.exists():
        os.environ["PATH"] = f"{bun_bin}{os.pathsep}{os.environ['PATH']}"
    assert shutil.which("bun"), "bun is required to build the frontend: run `make setup`"
    os.environ.update(
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
        REFLEX_HTTP_CLIENT_BIND_ADDRESS="0.0.0.0",
    )
    with AppHarnessProd.create(root=PROJECT_ROOT, app_name="saasapp") as harness:
        yield harness


@pytest.fixture(scope="module")
def e2e_worker(app_harness):
    """A real worker process (sends the emails the flows read from the SMTP capture); stopped
    after the module so later tests own the queues."""
    from tests.utils.processes import start_worker, stop

    process = start_worker()
    yield process
    stop(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # A missing browser is a failure, never a skip.
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class ConsoleErrors(list):
    """Console errors and uncaught page errors; `allow` names expected ones."""

    def __init__(self) -> None:
        super().__init__()
        self.allowed: list[str] = []

    def allow(self, fragment: str) -> None:
        self.allowed.append(fragment)

    def unexpected(self) -> list[str]:
        return [e for e in self if not any(a in e for a in self.allowed)]


@pytest.fixture
def page(app_harness, browser):
    context = browser.new_context(base_url=app_harness.frontend_url.rstrip("/"))
    page = context.new_page()
    errors = ConsoleErrors()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.console_errors = errors
    page.set_default_timeout(20_000)
    yield page
    context.close()
    assert errors.unexpected() == [], "browser console errors"


def fill(page, **fields):
    for name, value in fields.items():
        page.locator(f"#field-{name}").fill(value)


def sign_in(page, email, password=PASSWORD, next_path=""):
    page.goto("/login" + (f"?next={next_path}" if next_path else ""))
    fill(page, email=email, password=password)
    page.locator("#login-submit").click()


def make_verified_user(email, display_name=""):
    """A verified account (the browser tests share one database: an existing one is reused)."""
    with new_session() as session:
        if existing := registration.find_user(session, email):
            return existing
        user = registration.register(
            session, email=email, password=PASSWORD, display_name=display_name
        )
        user.email_verified_at = user.created_at
        session.add(user)
        session.commit()
        return user
