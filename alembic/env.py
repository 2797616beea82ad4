"""Alembic environment: the target metadata is every table in ``saasapp.models``."""

from __future__ import annotations

from sqlmodel import SQLModel

import saasapp.models  # noqa: F401  (registers the tables)
from alembic import context
from saasapp.core.columns import UTCDateTime
from saasapp.db import make_engine
from saasapp.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_: str, obj, autogen_context):
    """Migrations store plain SQL types; the models' UTC wrapper is Python-side only."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _url() -> str:
    return config.attributes.get("database_url") or get_settings().effective_database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
