"""The SQLCipher engine: keyed with a raw 256-bit key, verified at open, WAL, BEGIN IMMEDIATE.

Pitfalls (ARCHITECTURE.md section 3): the `sqlite+pysqlcipher` URL with a creator sends an empty key
and its SingletonThreadPool is wrong for a worker thread, so we key every pooled connection in our
own creator; a wrong key only fails at the first read, so the creator reads `sqlite_master`;
sqlcipher3 has no `autocommit`, so connections open with isolation_level=None and SQLAlchemy's
`begin` event emits BEGIN IMMEDIATE.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

KEY_BYTES = 32
BUSY_TIMEOUT_MS = 5000


class WrongKeyError(Exception):
    """The key does not open this database (or the file is not a SeqTx database)."""


# The key of each keyed engine, so Database can take encrypted backups without a global key.
_ENGINE_KEYS: WeakKeyDictionary[Engine, bytes] = WeakKeyDictionary()


def key_pragma(key: bytes) -> str:
    """The statement that keys a connection with a raw 256-bit key (no KDF: opening costs ~0.1 ms)."""
    if len(key) != KEY_BYTES:
        raise ValueError("database key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (SQLite gives the -wal and -shm
    files the same mode), so another account on the workstation cannot even copy the ciphertext."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _keyed_connection(path: Path, key: bytes) -> Any:
    pragma = key_pragma(key)
    if not path.exists():
        create_private_file(path)
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(pragma)
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
    """Raise WrongKeyError unless `key` opens the existing file at `path`; writes nothing.

    The file is opened read-only (URI mode=ro) so a wrong key neither changes it nor creates a
    -wal or -shm file beside it.
    """
    if not path.exists():
        raise FileNotFoundError(path)
    pragma = key_pragma(key)
    conn = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(pragma)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        raise WrongKeyError("the key does not open this database") from exc
    finally:
        conn.close()


def create_sqlcipher_engine(path: Path, key: bytes, pool_size: int = 4) -> Engine:
    """An engine whose every connection is keyed; a wrong key raises WrongKeyError here.

    The first pooled connection is opened now: it reads page 1 before any other statement, so a
    wrong key fails before SQLite creates a -wal or -shm file (a second read-only check would only
    double the cost of opening), and the first query then reuses it.
    """
    key_pragma(key)  # validates the length before anything touches the file
    engine = create_engine(
        "sqlite://",
        creator=lambda: _keyed_connection(path, key),
        module=sqlcipher3,
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=2,
        # Error messages never carry bound values: they may be PHI (TEAM.md "Patient data").
        hide_parameters=True,
    )

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    _ENGINE_KEYS[engine] = key
    if path.exists():
        try:
            engine.raw_connection().close()  # back into the pool, keyed and checked
        except BaseException:
            engine.dispose()
            raise
    return engine


def engine_key(engine: Engine) -> bytes | None:
    """The raw key of an engine made by create_sqlcipher_engine (None for a plain engine)."""
    return _ENGINE_KEYS.get(engine)


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
    """An open database: its engine and a session factory. Created only once the key is known.

    Every session of the factory carries the audit listener (db.audit), so each flush that touches
    clinical data writes its audit rows in the same transaction.
    """

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        from db.audit import install_audit_listener  # db.audit imports models, not the engine

        self.engine = engine
        self.path = path
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        # The site database (keyed) also refuses ORM bulk writes of clinical data, which would
        # bypass the flush listener; the data center's import writes in bulk on purpose.
        install_audit_listener(self._sessions, refuse_bulk=self.key is not None)

    @property
    def key(self) -> bytes | None:
        """The raw key (None for an unencrypted database): backups key their copy with it."""
        return engine_key(self.engine)

    def integrity_ok(self) -> bool:
        """True when SQLCipher's page HMACs and SQLite's integrity check both pass."""
        with self.engine.connect() as conn:
            if self.key is not None:
                bad = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
                if bad:
                    return False
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
            return [tuple(r) for r in rows] == [("ok",)]

    def sqlcipher_version(self) -> str | None:
        """e.g. "4.19.0 community"; None when the database is not SQLCipher (the data center)."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql("PRAGMA cipher_version").fetchone()
            return None if row is None else str(row[0])

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def new_session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()
