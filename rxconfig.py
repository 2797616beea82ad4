"""Reflex configuration. The app owns its database engine and migrations (saasapp.db, alembic),
so Reflex's own rx.Model database machinery is left unconfigured."""

import reflex as rx

from saasapp.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="saasapp",
    # Reflex keeps per-tab state in Redis when given a URL (needed with several backend
    # workers); the embedded setup runs one backend worker with state on disk.
    redis_url=_settings.redis_url or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
)
