"""Database helpers for tests: reset to a migrated schema, empty all tables."""

from __future__ import annotations

from sqlalchemy import MetaData, text
from sqlmodel import SQLModel

import saasapp.models  # noqa: F401
from saasapp.db import get_engine, migrate
from saasapp.settings import get_settings


def drop_everything() -> None:
    engine = get_engine()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            existing = MetaData()
            existing.reflect(connection)
            existing.drop_all(connection)


def reset_database() -> str:
    drop_everything()
    migrate()
    return get_settings().effective_database_url


def empty_tables() -> None:
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with get_engine().begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
