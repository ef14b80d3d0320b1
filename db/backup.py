"""Encrypted backups: a verified copy under the same key, and a restore that keeps the old file.

A backup is made with SQLite's online backup API between two connections keyed with the database
key, so pages are re-encrypted on the way and never exist in plaintext on disk. It is written to a
temporary name, verified (key, page HMACs, integrity_check), then renamed into place: a backup
file that exists is a backup that opens.
"""

from __future__ import annotations

import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from db.engine import Database, create_private_file, key_pragma
from db.integrity import check_file
from db.keys import fsync_dir

BACKUP_SUFFIX = ".db"
_SIDE_FILES = ("-wal", "-shm", "-journal")


def backups_dir(db_path: Path) -> Path:
    """Where the app keeps automatic backups of the database at `db_path`."""
    return db_path.parent / "backups"


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _temp_beside(target: Path, label: str) -> Path:
    return target.with_name(f".{target.name}.{label}-{secrets.token_hex(4)}.tmp")


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *_SIDE_FILES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def backup_database(db: Database, out: Path) -> Path:
    """Write a verified encrypted copy of `db` to `out` (replacing it); returns `out`."""
    key = db.key
    if key is None:
        raise ValueError("only an encrypted site database can be backed up this way")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(out, "backup")
    try:
        raw = db.engine.raw_connection()
        try:
            create_private_file(tmp)
            dest = sqlcipher3.connect(str(tmp), isolation_level=None)
            try:
                dest.execute("PRAGMA cipher_log_level = NONE")
                dest.execute(key_pragma(key))
                raw.driver_connection.backup(dest)  # type: ignore[union-attr]
                # A backup is one self-contained file: no -wal beside it to lose in a copy.
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
        finally:
            raw.close()
        _fsync_file(tmp)
        check_file(tmp, key, full=True)
        os.replace(tmp, out)
        fsync_dir(out.parent)
    finally:
        _remove_with_side_files(tmp)
    return out


def restore_database(backup: Path, target: Path, key: bytes) -> Path | None:
    """Replace `target` (closed) by a verified copy of `backup`; returns where the old file went.

    The backup is verified with `key` before anything changes (WrongKeyError or
    CorruptDatabaseError otherwise); the old file and its -wal/-shm are moved aside, and moved back
    if the restored copy does not verify.
    """
    check_file(backup, key, full=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(target, "restore")
    aside: Path | None = None
    try:
        create_private_file(tmp)
        shutil.copyfile(backup, tmp)
        _fsync_file(tmp)
        check_file(tmp, key, full=True)
        if target.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            aside = target.with_name(f"{target.name}.replaced-{stamp}")
            # A stale -wal beside the restored file would be replayed into it: move them too.
            for suffix in ("", *_SIDE_FILES):
                side = Path(f"{target}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{aside}{suffix}"))
        os.replace(tmp, target)
        fsync_dir(target.parent)
        try:
            check_file(target, key, full=True)
        except Exception:
            if aside is not None:
                for suffix in ("", *_SIDE_FILES):
                    moved = Path(f"{aside}{suffix}")
                    if moved.exists():
                        os.replace(moved, Path(f"{target}{suffix}"))
                aside = None
            raise
    finally:
        _remove_with_side_files(tmp)
    return aside


def latest_backup(directory: Path) -> Path | None:
    """The newest backup file in `directory` (by modification time), or None."""
    if not directory.is_dir():
        return None
    candidates = [
        p
        for p in directory.iterdir()
        if p.is_file() and p.suffix == BACKUP_SUFFIX and not p.name.startswith(".")
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.stat().st_mtime_ns, p.name))
