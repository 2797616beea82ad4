"""/register: create an account; a code to confirm the email follows."""

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
