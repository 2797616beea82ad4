"""/register and /verify."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx

from saasapp import routes
from saasapp.accounts import registration
from saasapp.core.errors import ServiceError
from saasapp.ui.auth import db_call
from saasapp.ui.forms import auth_card, field, form, form_message, submit
from saasapp.ui.layout import page_shell
from saasapp.ui.rate_limit import limit_handler


class RegisterState(rx.State):
    errors: dict[str, str] = {}
    error: str = ""
    busy: bool = False

    @rx.event
    async def submit(self, form: dict):
        self.errors, self.error = {}, ""
        if message := await limit_handler(self, "10/minute", "register-ui"):
            self.error = message
            return
        self.busy = True
        yield
        try:
            user = await db_call(
                registration.register,
                email=form.get("email", ""),
                password=form.get("password", ""),
                display_name=form.get("display_name", ""),
                referral_code=self.router.url.query_parameters.get("ref", ""),
            )
        except ServiceError as exc:
            field_name = (exc.details or {}).get("field") or (
                "email" if exc.code in ("invalid_email", "email_taken") else ""
            )
            if exc.code == "invalid_display_name":
                field_name = "display_name"
            if field_name:
                self.errors = {field_name: exc.message}
            else:
                self.error = exc.message
            return
        finally:
            self.busy = False
        yield rx.redirect(f"{routes.VERIFY}?email={quote(user.email)}")


def register_page() -> rx.Component:
    return page_shell(
        auth_card(
            "Create your account",
            "Build, publish and grow micro-SaaS tools. We'll email you a code to confirm.",
            form_message(RegisterState.error),
            form(
                field("Email", "email", type="email", auto_complete="email",
                      error=RegisterState.errors.get("email", "")),
                field("Display name", "display_name", required=False, auto_complete="name",
                      error=RegisterState.errors.get("display_name", "")),
                field("Password", "password", type="password", auto_complete="new-password",
                      hint="At least 10 characters; a passphrase is best.",
                      error=RegisterState.errors.get("password", "")),
                submit("Create account", loading=RegisterState.busy, id="register-submit"),
                on_submit=RegisterState.submit,
                id="register-form",
            ),
            rx.text(
                "Already have an account? ",
                rx.link("Sign in", href=routes.LOGIN, id="to-login"),
                size="2",
            ),
        )
    )  # fmt: skip


class VerifyState(rx.State):
    email: str = ""
    error: str = ""
    notice: str = ""
    verified: bool = False
    busy: bool = False

    @rx.event
    async def load(self):
        params = self.router.url.query_parameters
        self.email = params.get("email", "")
        self.error, self.notice, self.verified = "", "", False
        if self.email and params.get("code"):  # the link in the email
            yield VerifyState.submit({"email": self.email, "code": params["code"]})

    @rx.event
    async def submit(self, form: dict):
        self.error = ""
        if message := await limit_handler(self, "20/minute", "verify-ui"):
            self.error = message
            return
        self.busy = True
        yield
        try:
            user = await db_call(
                registration.verify_email, email=form.get("email", ""), code=form.get("code", "")
            )
            self.email = user.email
            self.verified = True
        except ServiceError as exc:
            self.error = exc.message
        finally:
            self.busy = False

    @rx.event
    async def resend(self, form: dict | None = None):
        if message := await limit_handler(self, "3/10minutes", "verify-resend-ui"):
            self.error = message
            return
        try:
            await db_call(registration.resend_verification, email=self.email)
            self.notice = "A new code is on its way. Check your inbox."
        except ServiceError as exc:
            self.error = exc.message


def verify_page() -> rx.Component:
    return page_shell(
        auth_card(
            "Confirm your email",
            "Enter the 6-digit code we emailed you.",
            rx.cond(
                VerifyState.verified,
                rx.vstack(
                    rx.callout("Email confirmed. You can sign in now.", color_scheme="green",
                               id="verify-success", width="100%"),
                    rx.link(rx.button("Sign in", size="3", width="100%", id="verify-to-login"),
                            href=routes.LOGIN, width="100%"),
                    width="100%",
                ),
                rx.vstack(
                    form_message(VerifyState.error),
                    form_message(VerifyState.notice, color="green", id="form-notice"),
                    form(
                        field("Email", "email", type="email", default_value=VerifyState.email),
                        field("Code", "code", placeholder="123456",
                              auto_complete="one-time-code"),
                        submit("Confirm", loading=VerifyState.busy, id="verify-submit"),
                        on_submit=VerifyState.submit,
                        key=VerifyState.email,
                    ),
                    rx.button("Send a new code", variant="ghost", on_click=VerifyState.resend,
                              id="verify-resend"),
                    width="100%",
                    spacing="3",
                ),
            ),
        )
    )  # fmt: skip
