"""/account: one page (page.py) and the state it owns (state.py)."""

from saasapp.accounts.pages.account.page import account_page
from saasapp.accounts.pages.account.state import AccountState

__all__ = ["AccountState", "account_page"]
