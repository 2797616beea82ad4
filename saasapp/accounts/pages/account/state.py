"""The state of /account: one user's profile, password, two-factor sign-in, sign-in providers,
sessions and API keys, reloaded from the server by every handler."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.accounts import api_keys, oauth, password_reset, registration, sessions, two_factor
from saasapp.accounts.models import User
from saasapp.accounts.registration import Client
from saasapp.core.errors import ServiceError
from saasapp.ui.auth import AuthState, db_call
from saasapp.ui.guards import signed_in

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
                password_reset.change_password,
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
