"""Accounts in a real browser: sign up by email code, sign in, account page, admin refusal and
role change."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from saasapp.accounts import sessions
from saasapp.accounts.models import User
from saasapp.db import new_session
from saasapp.settings import get_settings
from tests.utils.accounts import PASSWORD
from tests.utils.browser import fill, make_verified_user, sign_in


def test_register_verify_sign_in_account_and_sign_out(page, smtp_server, e2e_worker):
    email = "newcomer@example.com"
    page.goto("/register")
    fill(page, email=email, display_name="New Comer", password=PASSWORD)
    page.locator("#register-submit").click()
    expect(page).to_have_url(re.compile(r"/verify"))
    code = smtp_server.code_for(email, timeout=30)  # sent by the worker through SMTP
    fill(page, code=code)
    page.locator("#verify-submit").click()
    expect(page.locator("#verify-success")).to_be_visible()

    page.locator("#verify-to-login").click()
    fill(page, email=email, password=PASSWORD)
    page.locator("#login-submit").click()
    expect(page).to_have_url(re.compile(r"/account"))
    expect(page.locator("#account-email")).to_have_text(email)
    expect(page.locator("#top-user")).to_have_text("New Comer")
    expect(page.locator("#sessions-table")).to_contain_text("this device")

    page.locator("#field-key-name").fill("CI")
    page.locator("#key-create").click()
    expect(page.locator("#new-api-key")).to_contain_text("sk_")
    expect(page.locator("#keys-table")).to_contain_text("CI")

    page.locator("#logout").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto("/account")  # signed out: sent to sign in, then back
    expect(page).to_have_url(re.compile(r"/login\?next=/account"))


def test_wrong_password_shows_an_error_and_keeps_the_email(page):
    make_verified_user("typo@example.com")
    sign_in(page, "typo@example.com", "not my password!")
    expect(page.locator("#form-error")).to_contain_text("Email or password is incorrect")
    expect(page.locator("#field-email")).to_have_value("typo@example.com")


def test_register_form_shows_field_errors(page):
    page.goto("/register")
    fill(page, email="weak@example.com", password="too short")
    page.locator("#register-submit").click()
    expect(page.locator("#error-password")).to_contain_text("at least 10")


def test_a_user_cannot_open_admin_pages(page):
    make_verified_user("plain@example.com")
    sign_in(page, "plain@example.com", next_path="/admin/users")
    expect(page).to_have_url(re.compile(r"/admin/users"))
    expect(page.locator("#forbidden")).to_be_visible()
    expect(page.locator("#users-table")).to_have_count(0)
    expect(page.locator("#nav-admin-users")).to_have_count(0)


def test_an_admin_changes_a_role_and_names_render_inert(page):
    make_verified_user("admin@example.com")  # ADMIN_EMAILS in the test settings
    xss = '<img src=x onerror="window.pwned=1">'
    make_verified_user("member@example.com", display_name=xss)
    sign_in(page, "admin@example.com", next_path="/admin/users")
    expect(page.locator("#users-table")).to_contain_text("member@example.com")
    expect(page.locator("#users-table")).to_contain_text(xss)  # shown as text
    assert page.evaluate("window.pwned") is None
    page.locator("#role-member\\@example\\.com").click()
    page.get_by_role("option", name="promoter").click()
    expect(page.locator("#role-member\\@example\\.com")).to_contain_text("promoter")
    with new_session() as session:
        member = session.scalars(select(User).where(User.email == "member@example.com")).one()
        assert member.role == "promoter"
    page.locator("#nav-admin-audit").click()
    expect(page.locator("#audit-table")).to_contain_text("role_changed")


def test_configured_oauth_providers_show_on_the_login_page(page, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "github_client_id", "client-id")
    monkeypatch.setattr(settings, "github_client_secret", "client-secret")
    page.goto("/login?next=/account")
    button = page.locator("#oauth-github")
    expect(button).to_be_visible()
    assert button.get_attribute("href") == "/api/v1/auth/oauth/github/login?next=%2Faccount"
    expect(page.locator("#oauth-google")).to_have_count(0)  # not configured


def test_auth_complete_keeps_the_session_an_oauth_sign_in_made(page):
    user = make_verified_user("oauth-user@example.com")
    with new_session() as session:
        token = sessions.start_browser_session(session, user, user_agent="test")
    page.goto(f"/auth/complete?token={token}&next=/account")
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.locator("#account-email")).to_have_text("oauth-user@example.com")
    assert "token=" not in page.url


def test_auth_complete_with_a_bad_token_goes_back_to_sign_in(page):
    page.goto("/auth/complete?token=bs_forged&next=/account")
    expect(page).to_have_url(re.compile(r"/login\?error=session"))
    expect(page.locator("#form-error")).to_contain_text("could not be completed")


def test_an_admin_retries_a_failed_event_delivery(page):
    from saasapp.core import events
    from saasapp.core.models import DeliveryStatus, EventDelivery

    make_verified_user("admin@example.com")
    with new_session() as session:
        ev = events.emit(session, "tool.published", {"tool_id": 1}, aggregate="tool:1")
        session.flush()
        delivery = EventDelivery(
            event_id=ev.id, subscriber="tokens", status=DeliveryStatus.DEAD, attempts=8,
            last_error="RuntimeError: ledger unavailable",
        )  # fmt: skip
        session.add(delivery)
        session.commit()
    sign_in(page, "admin@example.com", next_path="/admin/events")
    table = page.locator("#dead-events-table")
    expect(table).to_contain_text("tool.published")
    expect(table).to_contain_text("ledger unavailable")
    page.locator(f"#retry-{delivery.id}").click()
    expect(page.locator("#dead-events-empty")).to_be_visible()
    with new_session() as session:
        retried = session.get(EventDelivery, delivery.id)
        assert (retried.status, retried.attempts) == (DeliveryStatus.PENDING, 0)
