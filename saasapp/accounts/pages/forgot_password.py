"""/forgot: ask for an emailed link to choose a new password."""

from __future__ import annotations

import reflex as rx

from saasapp.accounts import password_reset
from saasapp.core.errors import ServiceError
from saasapp.ui.auth import db_call
from saasapp.ui.forms import auth_card, field, form, form_message, submit
from saasapp.ui.layout import page_shell


class ForgotPasswordState(rx.State):
    error: str = ""
    notice: str = ""
    busy: bool = False

    @rx.event
    def load(self):
        self.error, self.notice = "", ""

    @rx.event
    async def request(self, form: dict):
        self.error = ""
        self.busy = True
        yield
        try:
            await db_call(password_reset.request_password_reset, email=form.get("email", ""))
            self.notice = "If an account exists for this email, a reset link is on its way."
        except ServiceError as exc:
            self.error = exc.message
        finally:
            self.busy = False


def forgot_page() -> rx.Component:
    return page_shell(
        auth_card(
            "Reset your password",
            "We'll email you a link to choose a new one.",
            form_message(ForgotPasswordState.error),
            form_message(ForgotPasswordState.notice, color="green", id="form-notice"),
            form(
                field("Email", "email", type="email", auto_complete="email"),
                submit("Email me a link", loading=ForgotPasswordState.busy, id="forgot-submit"),
                on_submit=ForgotPasswordState.request,
            ),
        )
    )
