"""Bulk inserts for the data-center import: COPY on PostgreSQL, driver executemany on SQLite.

SQLAlchemy's executemany spends ~8 us per row building parameters; a first package holds a
million values plus a million audit rows, so the import talks to the driver directly (inside the
session's transaction). Table and column names come from our own models, never from input.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, DateTime, Table

SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy's SQLite DateTime stores values


@lru_cache(maxsize=8192)
def sqlite_datetime(value: datetime) -> str:
    """A DateTime as SQLAlchemy's SQLite dialect stores it (UTC when aware)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime(SQLITE_DATETIME)


def _sqlite(value: Any) -> Any:
    # Cached: the rows of one package share a few thousand timestamps at most.
    return sqlite_datetime(value) if isinstance(value, datetime) else value


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys."""
    if not rows:
        return
    columns = list(rows[0])
    if len(columns) < 2:  # itemgetter of one key returns the value, not a tuple
        conn.execute(table.insert(), list(rows))
        return
    getter = itemgetter(*columns)
    bulk_insert_rows(conn, table, columns, [getter(row) for row in rows])


def bulk_insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    stamps_ready: bool = False,
) -> None:
    """Insert rows given as sequences of values in `columns` order (no dict per row).
    `stamps_ready`: on SQLite the DateTime columns already hold sqlite_datetime text."""
    if not rows:
        return
    names = ", ".join(columns)
    dialect = conn.dialect.name
    raw: Any = conn.connection.driver_connection
    if dialect == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    elif dialect == "sqlite":
        marks = ", ".join("?" * len(columns))
        stamps = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, DateTime)]
        if stamps_ready:
            stamps = []
        values: Sequence[Sequence[Any]] = rows
        if stamps:
            converted: list[list[Any]] = []
            for row in rows:
                record = list(row)
                for i in stamps:
                    record[i] = _sqlite(record[i])
                converted.append(record)
            values = converted
        raw.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)
    else:
        conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
