"""Migrations produce exactly the models (on PostgreSQL in CI, SQLite otherwise)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import saasapp.models  # noqa: F401
from alembic import command
from saasapp.db import alembic_config, get_engine
from tests.utils.database import reset_database


def schema_differences():
    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_migrations_match_the_models_exactly(migrated_database):
    assert schema_differences() == []


def test_every_model_table_exists_after_migrating(migrated_database):
    tables = set(inspect(get_engine()).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_downgrade_to_base_and_upgrade_again(migrated_database):
    config = alembic_config()
    try:
        command.downgrade(config, "base")
        assert set(inspect(get_engine()).get_table_names()) <= {"alembic_version"}
        command.upgrade(config, "head")
        assert schema_differences() == []
    finally:
        reset_database()
