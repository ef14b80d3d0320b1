"""Checking an encrypted database file without changing it: right key, intact pages, sound b-trees.

Used before a site database is opened, and on every backup before it is trusted. The file is
opened read-only (URI mode=ro), so a wrong key or a damaged file is reported and nothing on disk
changes. Page 1 alone decides the key (SQLCipher verifies each page's HMAC under the key), so a
damaged later page is reported as damage, not as a wrong key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from db.engine import WrongKeyError, key_pragma


class CorruptDatabaseError(Exception):
    """The file opens with its key but its pages or structure are damaged."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"The database file {path.name} is damaged ({detail}). Nothing was changed; "
            "restore the latest backup."
        )
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class FileCheck:
    """What a read-only look at the file found (only returned when the file is sound)."""

    revision: str | None  # Alembic revision; None for an empty or pre-Alembic file
    table_count: int


def _open_read_only(path: Path, key: bytes) -> Any:
    pragma = key_pragma(key)
    conn = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(pragma)
    conn.execute("PRAGMA query_only = ON")
    return conn


def check_file(path: Path, key: bytes, *, full: bool = True) -> FileCheck:
    """WrongKeyError, CorruptDatabaseError, or what the sound file contains.

    `full` runs SQLCipher's page HMAC check and SQLite's integrity_check over the whole file
    (seconds for a large database); otherwise only the key and the schema are read.
    """
    if not path.is_file():
        raise FileNotFoundError(path)
    side_files = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    existed = {p for p in side_files if p.exists()}
    conn = _open_read_only(path, key)
    try:
        return _check(conn, path, full)
    finally:
        conn.close()
        # A read-only reader of a WAL database creates -wal/-shm and cannot remove them when it
        # closes. Checking a file must leave its folder as it was (a damaged file is then offered
        # a backup, and nothing may have been written beside it): remove what this check created.
        for side in side_files:
            created = side not in existed and side.exists()
            if created and (side.name.endswith("-shm") or side.stat().st_size == 0):
                side.unlink()


def _check(conn: Any, path: Path, full: bool) -> FileCheck:
    """Read the key-checked page, the schema and (when `full`) every page of an open file."""
    try:
        conn.execute("PRAGMA user_version").fetchone()  # reads and authenticates page 1 only
    except sqlcipher3.DatabaseError as exc:
        raise WrongKeyError("the key does not open this database") from exc
    try:
        tables = {
            str(row[0])
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if full:
            bad = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            if bad:
                raise CorruptDatabaseError(path, f"{len(bad)} damaged page(s): {bad[0][0]}")
            result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise CorruptDatabaseError(path, f"integrity check: {result[0]}")
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = None if row is None else str(row[0])
    except sqlcipher3.DatabaseError as exc:
        raise CorruptDatabaseError(path, str(exc)) from exc
    return FileCheck(revision=revision, table_count=len(tables - {"alembic_version"}))
