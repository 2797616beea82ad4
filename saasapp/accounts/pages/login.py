"""/login: by password or emailed code, or through an OAuth provider; then the authenticator
code when the account asks for one."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.accounts import oauth, sign_in, two_factor
from saasapp.accounts.registration import Client
from saasapp.core.errors import ServiceError
from saasapp.ui.auth import AuthState, db_call, safe_next
from saasapp.ui.forms import auth_card, field, form, form_message, submit
from saasapp.ui.layout import page_shell
from saasapp.ui.rate_limit import limit_handler

LOGIN_ERRORS = {
    "session": "Your sign-in could not be completed. Please sign in again.",
    "access_denied": "The sign-in was cancelled at the provider.",
    "invalid_state": "That sign-in link expired. Please try again.",
    "email_not_verified_by_provider": "The provider has not verified your email address.",
    "provider_not_linked": "Sign in another way first, then link this provider on your "
    "account page.",
    "account_banned": "This account is suspended.",
}


class LoginState(rx.State):
    mode: str = "password"  # password | code
    code_sent: bool = False
    needs_totp: bool = False
    email: str = ""
    error: str = ""
    notice: str = ""
    busy: bool = False
    providers: list[dict[str, str]] = []
    second_factor: str = ""  # a provider sign-in waiting for the authenticator code

    @rx.event
    def load(self):
        self.mode, self.code_sent, self.needs_totp, self.notice = "password", False, False, ""
        params = self.router.url.query_parameters
        self.second_factor = params.get("second_factor", "")
        code = params.get("error", "")
        self.error = LOGIN_ERRORS.get(code, "Sign-in failed. Please try again." if code else "")
        next_path = safe_next(params.get("next", ""))
        self.providers = [
            {"name": p.name, "label": p.label, "url": oauth.login_path(p.name, next_path)}
            for p in oauth.available_providers()
        ]

    @rx.event
    def use_mode(self, mode: str):
        self.mode, self.error, self.notice, self.code_sent = mode, "", "", False

    def _client(self) -> Client:
        return Client(ip=self.router.session.client_ip, user_agent=self.router.headers.user_agent)

    async def _finish(self, user):
        auth = await self.get_state(AuthState)
        await auth.begin_session(user)
        return rx.redirect(safe_next(self.router.url.query_parameters.get("next", "")))

    @rx.event
    async def sign_in(self, form: dict):
        self.error = ""
        if message := await limit_handler(self, "20/minute", "login-ip"):
            self.error = message
            return
        self.busy = True
        yield
        try:
            user = await db_call(
                sign_in.authenticate,
                email=form.get("email", ""),
                password=form.get("password", ""),
                totp_code=form.get("totp_code", ""),
                client=self._client(),
            )
        except ServiceError as exc:
            self.busy = False
            self.email = form.get("email", "")
            if exc.code == "totp_required":
                self.needs_totp = True
            self.error = "" if exc.code == "totp_required" else exc.message
            return
        self.busy = False
        yield await self._finish(user)

    @rx.event
    async def finish_second_factor(self, form: dict):
        self.error = ""
        if message := await limit_handler(self, "20/minute", "login-ip"):
            self.error = message
            return
        try:
            user, next_path = await db_call(
                two_factor.finish_pending, self.second_factor, form.get("totp_code", "")
            )
        except ServiceError as exc:
            self.error = exc.message
            if exc.code == "second_factor_expired":
                self.second_factor = ""
            return
        auth = await self.get_state(AuthState)
        await auth.begin_session(user)
        self.second_factor = ""
        return rx.redirect(safe_next(next_path))

    @rx.event
    async def send_code(self, form: dict):
        self.error, self.notice = "", ""
        self.busy = True
        yield
        try:
            await db_call(sign_in.request_login_code, email=form.get("email", ""))
            self.email = form.get("email", "")
            self.code_sent = True
            self.notice = "If an account exists for this email, a sign-in code is on its way."
        except ServiceError as exc:
            self.error = exc.message
        finally:
            self.busy = False

    @rx.event
    async def sign_in_with_code(self, form: dict):
        self.error = ""
        if message := await limit_handler(self, "20/minute", "login-ip"):
            self.error = message
            return
        self.busy = True
        yield
        try:
            user = await db_call(
                sign_in.login_with_code,
                email=self.email,
                code=form.get("code", ""),
                client=self._client(),
            )
        except ServiceError as exc:
            self.busy = False
            self.error = exc.message
            return
        self.busy = False
        yield await self._finish(user)


def _password_form() -> rx.Component:
    return form(
        field("Email", "email", type="email", auto_complete="email",
              default_value=LoginState.email),
        field("Password", "password", type="password", auto_complete="current-password"),
        rx.cond(
            LoginState.needs_totp,
            field("Authenticator code", "totp_code", auto_complete="one-time-code",
                  hint="From your authenticator app, or one of your recovery codes."),
        ),
        submit("Sign in", loading=LoginState.busy, id="login-submit"),
        on_submit=LoginState.sign_in,
        id="login-form",
    )  # fmt: skip


def _code_forms() -> rx.Component:
    return rx.cond(
        LoginState.code_sent,
        form(
            field("Code from the email", "code", auto_complete="one-time-code"),
            submit("Sign in", loading=LoginState.busy, id="code-submit"),
            on_submit=LoginState.sign_in_with_code,
        ),
        form(
            field("Email", "email", type="email", auto_complete="email"),
            submit("Email me a code", loading=LoginState.busy, id="code-request"),
            on_submit=LoginState.send_code,
        ),
    )


def login_page() -> rx.Component:
    return page_shell(
        auth_card(
            "Sign in",
            "Welcome back.",
            form_message(LoginState.error),
            form_message(LoginState.notice, color="green", id="form-notice"),
            rx.cond(
                LoginState.second_factor != "",
                form(
                    field("Authenticator code", "totp_code", auto_complete="one-time-code",
                          hint="Your account asks for a second step: the code from your "
                          "authenticator app, or a recovery code."),
                    submit("Continue", loading=LoginState.busy, id="second-factor-submit"),
                    on_submit=LoginState.finish_second_factor,
                    reset=True,
                ),
                rx.cond(LoginState.mode == "password", _password_form(), _code_forms()),
            ),
            rx.cond(
                LoginState.second_factor != "",
                rx.fragment(),
                rx.cond(
                LoginState.mode == "password",
                rx.button("Email me a code instead", variant="soft", width="100%",
                          on_click=LoginState.use_mode("code"), id="use-code"),
                rx.button("Use my password instead", variant="soft", width="100%",
                          on_click=LoginState.use_mode("password"), id="use-password"),
                ),
            ),
            rx.cond(
                LoginState.providers.length() > 0,
                rx.vstack(
                    rx.text("or continue with", size="1", color_scheme="gray"),
                    rx.foreach(
                        LoginState.providers,
                        lambda p: rx.link(
                            rx.button(p["label"], variant="outline", width="100%", size="3"),
                            href=p["url"],
                            id="oauth-" + p["name"],
                            width="100%",
                        ),
                    ),
                    width="100%",
                    align="center",
                ),
            ),
            rx.hstack(
                rx.link("Forgot your password?", href=routes.FORGOT, id="to-forgot", size="2"),
                rx.spacer(),
                rx.link("Create an account", href=routes.REGISTER, id="to-register", size="2"),
                width="100%",
            ),
        )
    )  # fmt: skip
