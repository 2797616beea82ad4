"""The Reflex app: the API mounted under /api, and every page registered here only."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.accounts.pages.account import AccountState, account_page
from saasapp.accounts.pages.admin_users import AdminUsersState, admin_users_page
from saasapp.accounts.pages.auth_complete import auth_complete_page
from saasapp.accounts.pages.forgot_password import ForgotPasswordState, forgot_page
from saasapp.accounts.pages.login import LoginState, login_page
from saasapp.accounts.pages.register import register_page
from saasapp.accounts.pages.reset_password import ResetPasswordState, reset_page
from saasapp.accounts.pages.verify import VerifyState, verify_page
from saasapp.http.app import create_api
from saasapp.log import configure_logging
from saasapp.ops.pages.audit import AdminAuditState, admin_audit_page
from saasapp.ops.pages.events import DeadEventsState, admin_events_page
from saasapp.ops.pages.mailbox import MailboxState, admin_mailbox_page
from saasapp.ops.pages.status import StatusState, status_page
from saasapp.tools.pages.generator import GeneratorState, generator_page
from saasapp.tools.pages.my_tools import MyToolsState, my_tools_page
from saasapp.tools.pages.tool import ToolState, tool_page
from saasapp.ui.auth import AuthState
from saasapp.ui.pages.home import home_page
from saasapp.ui.pages.not_found import not_found_page

configure_logging()

app = rx.App(api_transformer=create_api())


def page(component, route: str, title: str, *on_load) -> None:
    """Every page refreshes the signed-in user for the top bar, then runs its own loaders."""
    app.add_page(component, route=route, title=f"{title} · saasapp",
                 on_load=[AuthState.refresh, *on_load])  # fmt: skip


page(home_page, routes.HOME, "Idea to live micro-SaaS")
page(status_page, routes.STATUS, "Status", StatusState.load)
page(register_page, routes.REGISTER, "Create your account")
page(verify_page, routes.VERIFY, "Confirm your email", VerifyState.load)
page(login_page, routes.LOGIN, "Sign in", LoginState.load)
page(forgot_page, routes.FORGOT, "Reset your password", ForgotPasswordState.load)
page(reset_page, routes.RESET, "Choose a new password", ResetPasswordState.load)
page(auth_complete_page, routes.AUTH_COMPLETE, "Signing in", AuthState.adopt_token)
page(account_page, routes.ACCOUNT, "Your account", AccountState.load)
page(generator_page, routes.GENERATOR, "Generate a tool", GeneratorState.load)
page(my_tools_page, routes.TOOLS, "My tools", MyToolsState.load)
page(tool_page, routes.TOOL, "Tool", ToolState.load)
page(admin_users_page, routes.ADMIN_USERS, "Users", AdminUsersState.load)
page(admin_audit_page, routes.ADMIN_AUDIT, "Audit log", AdminAuditState.load)
page(admin_mailbox_page, routes.ADMIN_MAILBOX, "Mailbox", MailboxState.load)
page(admin_events_page, routes.ADMIN_EVENTS, "Failed events", DeadEventsState.load)
app.add_page(not_found_page, route="404", title="Page not found · saasapp")
