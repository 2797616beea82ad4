"""/account: profile, password, two-factor sign-in, sessions and API keys."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.accounts import api_keys, oauth, registration, sessions, two_factor
from saasapp.accounts.models import User
from saasapp.accounts.registration import Client
from saasapp.core.errors import ServiceError
from saasapp.ui.auth import AuthState, db_call
from saasapp.ui.forms import field, form_message
from saasapp.ui.guards import signed_in
from saasapp.ui.layout import page_shell

BROWSERS = [("edg", "Edge"), ("firefox", "Firefox"), ("chrome", "Chrome"), ("safari", "Safari")]
SYSTEMS = [
    ("android", "Android"),
    ("iphone", "iPhone"),
    ("windows", "Windows"),
    ("mac os", "macOS"),
    ("linux", "Linux"),
]


def _device(user_agent: str) -> str:
    """A short name for a session's device, from its user agent."""
    agent = user_agent.lower()
    browser = next((name for key, name in BROWSERS if key in agent), "Browser")
    system = next((name for key, name in SYSTEMS if key in agent), "")
    return f"{browser} on {system}" if system else browser


class AccountState(rx.State):
    loaded: bool = False
    display_name: str = ""
    has_password: bool = False
    totp_enabled: bool = False
    totp_secret: str = ""
    totp_uri: str = ""
    recovery_codes: list[str] = []
    browser_sessions: list[dict[str, str]] = []
    keys: list[dict[str, str]] = []
    new_key: str = ""
    profile_notice: str = ""
    password_error: str = ""
    password_notice: str = ""
    totp_error: str = ""
    key_error: str = ""
    linked: list[dict[str, str]] = []
    linkable: list[dict[str, str]] = []

    async def _reload(self, user) -> None:
        auth = await self.get_state(AuthState)

        def gather(session):
            return (
                sessions.list_browser_sessions(session, user),
                api_keys.list_keys(session, user),
                oauth.linked_providers(session, user),
            )

        records, keys, linked = await db_call(gather)
        labels = {p.name: p.label for p in oauth.available_providers()}
        self.linked = [
            {"name": a.provider, "label": labels.get(a.provider, a.provider), "email": a.email}
            for a in linked
        ]
        taken = {a.provider for a in linked}
        self.linkable = [
            {"name": name, "label": label} for name, label in labels.items() if name not in taken
        ]
        self.display_name = user.display_name
        self.has_password = user.password_hash is not None
        self.totp_enabled = user.totp_enabled
        self.browser_sessions = [
            {
                "id": str(r.id),
                "device": _device(r.user_agent),
                "ip": r.ip or "unknown",
                "last_seen": r.last_seen_at.strftime("%Y-%m-%d %H:%M UTC")
                if r.last_seen_at
                else "",
                "current": "yes" if sessions.is_current(r, auth.session_token) else "",
            }
            for r in records
        ]
        self.keys = [
            {
                "id": str(k.id),
                "name": k.name,
                "prefix": k.prefix + "…",
                "created": k.created_at.strftime("%Y-%m-%d"),
                "last_used": k.last_used_at.strftime("%Y-%m-%d %H:%M")
                if k.last_used_at
                else "never",
            }
            for k in keys
        ]
        self.loaded = True

    @rx.event
    @signed_in
    async def load(self, user: User):
        self.loaded, self.new_key, self.recovery_codes = False, "", []
        self.totp_secret, self.totp_uri = "", ""
        self.profile_notice = self.password_error = self.password_notice = ""
        self.totp_error = self.key_error = ""
        await self._reload(user)

    @rx.event
    @signed_in
    async def save_profile(self, user: User, form: dict):
        try:
            user = await db_call(
                registration.update_profile, user, display_name=form.get("display_name", "")
            )
            self.profile_notice = "Saved."
            auth = await self.get_state(AuthState)
            auth.display_name = user.display_name
        except ServiceError as exc:
            self.profile_notice = exc.message

    @rx.event
    @signed_in
    async def change_password(self, user: User, form: dict):
        self.password_error = self.password_notice = ""
        client = Client(ip=self.router.session.client_ip, user_agent=self.router.headers.user_agent)
        try:
            await db_call(
                registration.change_password,
                user,
                current_password=form.get("current_password", ""),
                new_password=form.get("new_password", ""),
                client=client,
            )
        except ServiceError as exc:
            self.password_error = exc.message
            return
        # Every session ended with the change: start a fresh one for this tab.
        auth = await self.get_state(AuthState)
        await auth.begin_session(user)
        self.password_notice = "Password changed. Your other sessions were signed out."  # noqa: S105
        await self._reload(user)

    @rx.event
    @signed_in
    async def start_totp(self, user: User):
        setup = await db_call(two_factor.begin_setup, user)
        self.totp_secret, self.totp_uri, self.totp_error = setup.secret, setup.uri, ""

    @rx.event
    @signed_in
    async def confirm_totp(self, user: User, form: dict):
        try:
            self.recovery_codes = await db_call(
                two_factor.confirm_setup,
                user,
                form.get("code", ""),
                ip=self.router.session.client_ip,
            )
        except ServiceError as exc:
            self.totp_error = exc.message
            return
        self.totp_secret, self.totp_uri, self.totp_enabled = "", "", True

    @rx.event
    @signed_in
    async def disable_totp(self, user: User):
        await db_call(two_factor.disable, user, ip=self.router.session.client_ip)
        self.totp_enabled, self.recovery_codes = False, []

    @rx.event
    @signed_in
    async def revoke_session(self, user: User, session_id: str):
        try:
            await db_call(sessions.revoke_browser_session, user, int(session_id))
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload(user)

    @rx.event
    @signed_in
    async def sign_out_everywhere(self, user: User):
        await db_call(sessions.sign_out_everywhere, user, ip=self.router.session.client_ip)
        return AuthState.logout

    @rx.event
    @signed_in
    async def link_provider(self, user: User, provider: str):
        try:
            url = oauth.begin(
                provider, routes.ACCOUNT, oauth.callback_url(provider), link_user_id=user.id
            )
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.redirect(url, is_external=True)

    @rx.event
    @signed_in
    async def unlink_provider(self, user: User, provider: str):
        client = Client(ip=self.router.session.client_ip, user_agent=self.router.headers.user_agent)
        try:
            await db_call(oauth.unlink, user, provider, client=client)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload(user)

    @rx.event
    @signed_in
    async def create_key(self, user: User, form: dict):
        self.key_error, self.new_key = "", ""
        try:
            created = await db_call(
                api_keys.create_key,
                user,
                name=form.get("name", ""),
                ip=self.router.session.client_ip,
            )
        except ServiceError as exc:
            self.key_error = exc.message
            return
        self.new_key = created.secret
        await self._reload(user)

    @rx.event
    @signed_in
    async def revoke_key(self, user: User, key_id: str):
        try:
            await db_call(api_keys.revoke_key, user, int(key_id), ip=self.router.session.client_ip)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.new_key = ""
        await self._reload(user)


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
