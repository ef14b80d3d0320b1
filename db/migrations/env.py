"""Alembic environment: runs on the connection db.migrate hands over (our keyed engine), no URL.

render_as_batch=True because SQLite alters tables by copy-and-move (ARCHITECTURE.md section 3).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from db.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("migrations run through db.migrate, which passes a keyed connection")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
