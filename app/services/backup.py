"""Encrypted backups and restore of the site database, with the key file that opens them.

A backup is a verified encrypted copy (db/backup) plus a copy of the key file beside it, so the
recovery code opens a backup on any workstation. Restore needs the key (this workstation's
keyring or the recovery code): holding the key is what allows replacing the file; the old file is
kept aside. Both are audited.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from app.domain.clock import Clock
from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.errors import (
    DatabaseCorrupt,
    DatabaseNotFound,
    KeyFileMissing,
    KeyNotAvailable,
    WrongRecoveryCode,
)
from app.services.permissions import Permission
from app.services.site_setup import unlock_from_keyring, unlock_with_recovery_code
from app.services.workspace import Workspace
from db import keys
from db.audit import record_event
from db.backup import backup_database, backups_dir, latest_backup, restore_database
from db.engine import WrongKeyError
from db.integrity import CorruptDatabaseError


@dataclass(frozen=True)
class BackupResult:
    path: Path
    key_file: Path
    size_bytes: int


@dataclass(frozen=True)
class RestoreResult:
    workspace: Workspace
    replaced_file: Path | None  # where the previous database was moved (None: there was none)


def backup_site(ws: Workspace, user: UserSession, out: Path) -> BackupResult:
    """Write a verified encrypted copy to `out` and the key file beside it (BACKUP), audited."""
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.BACKUP)
    out = out.expanduser()
    backup_database(ws.db, out)
    key_copy = keys.key_file_path(out)
    source_key_file = keys.key_file_path(ws.db_path)
    if source_key_file.exists():
        keys.atomic_write(key_copy, source_key_file.read_bytes())
    with unit_of_work(ws, user.user_id) as session:
        record_event(session, "backup", "site/backup", new=out.name)
    return BackupResult(out, key_copy, out.stat().st_size)


def latest_backup_of(db_path: Path) -> Path | None:
    """The newest automatic backup of the database at `db_path` (offered when it is damaged)."""
    return latest_backup(backups_dir(db_path))


def _key_for(backup: Path, target: Path, recovery_code: str | None) -> tuple[bytes, Path]:
    """The database key and the key file it came from (the backup's, else the target's)."""
    candidates = [keys.key_file_path(backup), keys.key_file_path(target)]
    key_file = next((p for p in candidates if p.exists()), None)
    if key_file is None:
        raise KeyFileMissing()
    try:
        if recovery_code is not None:
            return keys.read_key_file(key_file, recovery_code), key_file
        key = keys.load_key(keys.key_file_db_id(key_file))
    except keys.WrongRecoveryCodeError:
        raise WrongRecoveryCode() from None
    except keys.KeyFileError:
        raise KeyFileMissing() from None
    except keys.KeyringUnavailable:
        raise KeyNotAvailable() from None
    if key is None:
        raise KeyNotAvailable()
    return key, key_file


def restore_site(
    backup: Path, target: Path, clock: Clock, recovery_code: str | None = None
) -> RestoreResult:
    """Replace the database at `target` (closed) by the verified backup; the old file is kept.

    Raises DatabaseNotFound (no backup), KeyNotAvailable / WrongRecoveryCode, DatabaseCorrupt (the
    backup does not verify: nothing was changed).
    """
    if not backup.is_file():
        raise DatabaseNotFound(path=str(backup))
    key, key_file = _key_for(backup, target, recovery_code)
    try:
        replaced = restore_database(backup, target, key)
    except WrongKeyError:
        raise (WrongRecoveryCode() if recovery_code is not None else KeyNotAvailable()) from None
    except CorruptDatabaseError:
        raise DatabaseCorrupt() from None
    target_key_file = keys.key_file_path(target)
    if key_file != target_key_file:
        if target_key_file.exists():
            shutil.copyfile(target_key_file, Path(f"{target_key_file}.replaced"))
        keys.atomic_write(target_key_file, key_file.read_bytes())
    if recovery_code is not None:
        ws = unlock_with_recovery_code(target, recovery_code, clock)
    else:
        ws = unlock_from_keyring(target, clock)
    with unit_of_work(ws, None) as session:
        record_event(session, "restore", "site/restore", new=backup.name)
    return RestoreResult(ws, replaced)


DAILY_BACKUPS_KEPT = 7


def ensure_daily_backup(ws: Workspace) -> Path | None:
    """Take today's automatic backup into the backups folder unless it exists; keep the last 7.

    These are what the app offers when the database is found damaged at open. Returns the new
    backup, or None when today's already existed. Audited as a system action.
    """
    directory = backups_dir(ws.db_path)
    stem = ws.db_path.stem
    out = directory / f"{stem}-daily-{ws.clock.now():%Y%m%d}.db"
    if out.exists():
        return None
    backup_database(ws.db, out)
    for old in sorted(directory.glob(f"{stem}-daily-*.db"))[:-DAILY_BACKUPS_KEPT]:
        old.unlink()
    with unit_of_work(ws, None) as session:
        record_event(session, "backup", "site/backup", new=out.name)
    return out
