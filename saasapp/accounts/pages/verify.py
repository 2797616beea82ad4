"""/verify: confirm an email address with the emailed code."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.accounts import registration
from saasapp.core.errors import ServiceError
from saasapp.ui.auth import db_call
from saasapp.ui.forms import auth_card, field, form, form_message, submit
from saasapp.ui.layout import page_shell
from saasapp.ui.rate_limit import limit_handler


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
    def set_email(self, email: str):
        self.email = email[:254]

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
                        # Follows the state: the address arrives from the link after the page
                        # shows, and must not reset a code being typed meanwhile.
                        field("Email", "email", type="email", value=VerifyState.email,
                              on_change=VerifyState.set_email),
                        field("Code", "code", placeholder="123456",
                              auto_complete="one-time-code"),
                        submit("Confirm", loading=VerifyState.busy, id="verify-submit"),
                        on_submit=VerifyState.submit,
                    ),
                    rx.button("Send a new code", variant="ghost", on_click=VerifyState.resend,
                              id="verify-resend"),
                    width="100%",
                    spacing="3",
                ),
            ),
        )
    )  # fmt: skip
