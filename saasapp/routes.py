"""Every page path of the app, in one place."""

HOME = "/"
STATUS = "/status"
API_DOCS = "/api/docs"
REGISTER = "/register"
LOGIN = "/login"
VERIFY = "/verify"
FORGOT = "/forgot"
RESET = "/reset"
ACCOUNT = "/account"
AUTH_COMPLETE = "/auth/complete"
GENERATOR = "/generator"
TOOLS = "/tools"
TOOL = "/tools/[tool_id]"
ADMIN_USERS = "/admin/users"
ADMIN_AUDIT = "/admin/audit"
ADMIN_MAILBOX = "/admin/mailbox"
ADMIN_EVENTS = "/admin/events"


def tool_path(tool_id: int | str) -> str:
    return f"{TOOLS}/{tool_id}"
