"""/reset: choose a new password with the emailed link's token."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.accounts import password_reset
from saasapp.core.errors import ServiceError
from saasapp.ui.auth import db_call
from saasapp.ui.forms import auth_card, field, form, form_message, submit
from saasapp.ui.layout import page_shell


class ResetPasswordState(rx.State):
    error: str = ""
    done: bool = False
    busy: bool = False

    @rx.event
    def load(self):
        self.error, self.done = "", False

    @rx.event
    async def choose_password(self, form: dict):
        self.error = ""
        self.busy = True
        yield
        try:
            await db_call(
                password_reset.reset_password,
                token=self.router.url.query_parameters.get("token", ""),
                new_password=form.get("new_password", ""),
            )
            self.done = True
        except ServiceError as exc:
            self.error = exc.message
        finally:
            self.busy = False


def reset_page() -> rx.Component:
    return page_shell(
        auth_card(
            "Choose a new password",
            "You will be signed out everywhere else.",
            rx.cond(
                ResetPasswordState.done,
                rx.vstack(
                    rx.callout("Password changed.", color_scheme="green", id="reset-success"),
                    rx.link(rx.button("Sign in", size="3", width="100%"), href=routes.LOGIN),
                    width="100%",
                ),
                rx.vstack(
                    form_message(ResetPasswordState.error),
                    form(
                        field("New password", "new_password", type="password",
                              auto_complete="new-password",
                              hint="At least 10 characters; a passphrase is best."),
                        submit("Change password", loading=ResetPasswordState.busy,
                               id="reset-submit"),
                        on_submit=ResetPasswordState.choose_password,
                    ),
                    width="100%",
                ),
            ),
        )
    )  # fmt: skip
