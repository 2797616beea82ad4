"""The Reflex app: the API mounted under /api, and every page registered here only."""

from __future__ import annotations

import reflex as rx

from saasapp import routes
from saasapp.api import create_api
from saasapp.log import configure_logging
from saasapp.pages.errors import not_found_page
from saasapp.pages.home.page import home_page
from saasapp.pages.status.page import StatusState, status_page

configure_logging()

app = rx.App(api_transformer=create_api())
app.add_page(home_page, route=routes.HOME, title="saasapp — idea to live micro-SaaS")
app.add_page(status_page, route=routes.STATUS, title="Status · saasapp", on_load=StatusState.load)
app.add_page(not_found_page, route="404", title="Page not found · saasapp")
