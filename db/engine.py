"""The SQLCipher engine: keyed with a raw 256-bit key, verified at open, WAL, BEGIN IMMEDIATE.

Pitfalls (ARCHITECTURE.md section 3): the `sqlite+pysqlcipher` URL with a creator sends an empty key
and its SingletonThreadPool is wrong for a worker thread, so we key every pooled connection in our
own creator; a wrong key only fails at the first read, so the creator reads `sqlite_master`;
sqlcipher3 has no `autocommit`, so connections open with isolation_level=None and SQLAlchemy's
`begin` event emits BEGIN IMMEDIATE.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

KEY_BYTES = 32
BUSY_TIMEOUT_MS = 5000


class WrongKeyError(Exception):
    """The key does not open this database (or the file is not a SeqTx database)."""


def _keyed_connection(path: Path, key: bytes) -> Any:
    if len(key) != KEY_BYTES:
        raise ValueError("database key must be 32 bytes")
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise WrongKeyError("the key does not open this database") from exc
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA temp_store = MEMORY")  # temp tables never touch disk in plaintext
    return conn


def check_key(path: Path, key: bytes) -> None:
    """Raise WrongKeyError unless `key` opens the existing file at `path`; writes nothing."""
    if not path.exists():
        raise FileNotFoundError(path)
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        raise WrongKeyError("the key does not open this database") from exc
    finally:
        conn.close()


def create_sqlcipher_engine(path: Path, key: bytes, pool_size: int = 4) -> Engine:
    """An engine whose every connection is keyed; the key is checked before the engine exists."""
    if path.exists():
        check_key(path, key)
    engine = create_engine(
        "sqlite://",
        creator=lambda: _keyed_connection(path, key),
        module=sqlcipher3,
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=2,
    )

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_plain_engine(url: str) -> Engine:
    """An engine for the data center (SQLite file or PostgreSQL URL); not encrypted."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA foreign_keys = ON")
            dbapi_conn.execute("PRAGMA journal_mode = WAL")

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    """An open database: its engine and a session factory. Created only once the key is known."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def new_session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()
