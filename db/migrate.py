"""Alembic wiring: the schema of a site database is whatever `upgrade head` of db/migrations makes.

The Alembic config is built in code (no alembic.ini, no URL): env.py receives the connection of
our keyed engine, so the key never appears in a URL or a config file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found under db/migrations")
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


class MigrationError(Exception):
    """A migration left rows that break a foreign key; it was rolled back."""


def upgrade_head(engine: Engine) -> None:
    """Run every pending migration in one transaction (BEGIN IMMEDIATE via the engine).

    On SQLite, batch migrations rebuild tables (create, copy, drop, rename); with foreign keys on,
    dropping a parent table would delete or refuse its children, so foreign keys are off while
    migrating (the pragma only takes effect outside a transaction) and checked before commit.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver: Any = connection.connection.driver_connection
        if sqlite:
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(f"foreign keys broken in table {broken[0][0]}")
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys = ON")
