"""/account: profile, password, two-factor sign-in, sign-in providers, sessions and API keys,
one section each."""

from __future__ import annotations

import reflex as rx

from saasapp.accounts.pages.account.state import AccountState
from saasapp.ui.auth import AuthState
from saasapp.ui.forms import field, form_message
from saasapp.ui.layout import page_shell


def _section(title: str, description: str, *children: rx.Component, id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4"),
            rx.text(description, size="2", color_scheme="gray"),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        id=id,
    )


def _profile() -> rx.Component:
    return _section(
        "Profile",
        "How you appear on your tools and pages.",
        rx.text("Email: ", rx.text.strong(AuthState.email, id="account-email"), size="2"),
        rx.form(
            rx.hstack(
                rx.input(name="display_name", default_value=AccountState.display_name,
                         id="field-display_name", placeholder="Display name", width="100%"),
                rx.button("Save", type="submit", id="profile-save"),
                width="100%",
            ),
            on_submit=AccountState.save_profile,
            reset_on_submit=False,
            key=AccountState.display_name,
        ),
        rx.cond(AccountState.profile_notice != "", rx.text(AccountState.profile_notice, size="2")),
        id="account-profile",
    )  # fmt: skip


def _password() -> rx.Component:
    return _section(
        "Password",
        "Changing it signs you out of your other devices.",
        form_message(AccountState.password_error, id="password-error"),
        form_message(AccountState.password_notice, color="green", id="password-notice"),
        rx.form(
            rx.vstack(
                rx.cond(AccountState.has_password,
                        field("Current password", "current_password", type="password",
                              auto_complete="current-password")),
                field("New password", "new_password", type="password",
                      auto_complete="new-password"),
                rx.button("Change password", type="submit", id="password-submit"),
                width="100%",
            ),
            on_submit=AccountState.change_password,
            reset_on_submit=True,
        ),
        id="account-password",
    )  # fmt: skip


def _two_factor() -> rx.Component:
    return _section(
        "Two-factor sign-in",
        "Ask for a code from an authenticator app after your password.",
        rx.cond(
            AccountState.totp_enabled,
            rx.vstack(
                rx.badge("On", color_scheme="green", id="totp-status"),
                rx.cond(
                    AccountState.recovery_codes.length() > 0,
                    rx.callout(
                        rx.vstack(
                            rx.text("Save these recovery codes; each works once:"),
                            rx.code(AccountState.recovery_codes.join("  "), id="recovery-codes"),
                        ),
                        color_scheme="amber",
                    ),
                ),
                rx.button("Turn off", color_scheme="red", variant="soft",
                          on_click=AccountState.disable_totp, id="totp-disable"),
            ),
            rx.cond(
                AccountState.totp_secret != "",
                rx.vstack(
                    rx.text("Add this key to your authenticator app, then enter its code:",
                            size="2"),
                    rx.code(AccountState.totp_secret, id="totp-secret"),
                    rx.link("Open in an authenticator app", href=AccountState.totp_uri, size="2"),
                    form_message(AccountState.totp_error, id="totp-error"),
                    rx.form(
                        rx.hstack(
                            rx.input(name="code", id="field-totp", placeholder="123456"),
                            rx.button("Turn on", type="submit", id="totp-confirm"),
                        ),
                        on_submit=AccountState.confirm_totp,
                    ),
                ),
                rx.button("Set up", on_click=AccountState.start_totp, id="totp-start",
                          variant="soft"),
            ),
        ),
        id="account-2fa",
    )  # fmt: skip


def _providers() -> rx.Component:
    return _section(
        "Sign-in providers",
        "Sign in with another account. Keep at least one way to sign in.",
        rx.foreach(
            AccountState.linked,
            lambda p: rx.hstack(
                rx.badge(p["label"], color_scheme="green"),
                rx.text(p["email"], size="2"),
                rx.spacer(),
                rx.button("Unlink", size="1", variant="soft", color_scheme="red",
                          on_click=AccountState.unlink_provider(p["name"]),
                          id="unlink-" + p["name"]),
                width="100%",
            ),
        ),
        rx.hstack(
            rx.foreach(
                AccountState.linkable,
                lambda p: rx.button("Link " + p["label"], size="2", variant="soft",
                                    on_click=AccountState.link_provider(p["name"]),
                                    id="link-" + p["name"]),
            ),
        ),
        id="account-providers",
    )  # fmt: skip


def _session_row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row["device"]), rx.cond(row["current"] == "yes",
                      rx.badge("this device", margin_left="2"))),
        rx.table.cell(row["ip"]),
        rx.table.cell(row["last_seen"]),
        rx.table.cell(
            rx.cond(
                row["current"] == "yes",
                rx.fragment(),
                rx.button("Sign out", size="1", variant="soft",
                          on_click=AccountState.revoke_session(row["id"])),
            )
        ),
    )  # fmt: skip


def _sessions() -> rx.Component:
    return _section(
        "Where you're signed in",
        "Sign out a device you don't recognise, or everywhere at once.",
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell("Device"), rx.table.column_header_cell("IP"),
                rx.table.column_header_cell("Last seen"), rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(AccountState.browser_sessions, _session_row)),
            id="sessions-table",
            width="100%",
        ),
        rx.hstack(
            rx.button("Sign out", variant="soft", on_click=AuthState.logout, id="logout"),
            rx.button("Sign out everywhere", color_scheme="red", variant="soft",
                      on_click=AccountState.sign_out_everywhere, id="logout-everywhere"),
        ),
        id="account-sessions",
    )  # fmt: skip


def _key_row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["name"]),
        rx.table.cell(rx.code(row["prefix"])),
        rx.table.cell(row["created"]),
        rx.table.cell(row["last_used"]),
        rx.table.cell(rx.button("Revoke", size="1", color_scheme="red", variant="soft",
                                on_click=AccountState.revoke_key(row["id"]))),
    )  # fmt: skip


def _api_keys() -> rx.Component:
    return _section(
        "API keys",
        "For scripts and integrations: send as `Authorization: Bearer <key>` or `X-API-Key`.",
        rx.cond(
            AccountState.new_key != "",
            rx.callout(
                rx.vstack(
                    rx.text("Copy your new key now; it will not be shown again:"),
                    rx.code(AccountState.new_key, id="new-api-key"),
                ),
                color_scheme="green",
                width="100%",
            ),
        ),
        form_message(AccountState.key_error, id="key-error"),
        rx.form(
            rx.hstack(
                rx.input(name="name", id="field-key-name", placeholder="Key name, e.g. CI"),
                rx.button("Create key", type="submit", id="key-create"),
            ),
            on_submit=AccountState.create_key,
            reset_on_submit=True,
        ),
        rx.cond(
            AccountState.keys.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell("Name"), rx.table.column_header_cell("Key"),
                    rx.table.column_header_cell("Created"),
                    rx.table.column_header_cell("Last used"),
                    rx.table.column_header_cell(""),
                )),
                rx.table.body(rx.foreach(AccountState.keys, _key_row)),
                id="keys-table",
                width="100%",
            ),
            rx.text("No keys yet.", size="2", color_scheme="gray", id="keys-empty"),
        ),
        id="account-keys",
    )  # fmt: skip


def account_page() -> rx.Component:
    return page_shell(
        rx.cond(
            AccountState.loaded,
            rx.vstack(
                rx.heading("Your account", size="7", id="page-title"),
                _profile(),
                _password(),
                _two_factor(),
                rx.cond(
                    (AccountState.linked.length() + AccountState.linkable.length()) > 0,
                    _providers(),
                ),
                _sessions(),
                _api_keys(),
                spacing="4",
                width="100%",
            ),
            rx.center(rx.spinner(size="3"), padding="8", id="account-loading"),
        )
    )
