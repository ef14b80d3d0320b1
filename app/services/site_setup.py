"""Create a site database and unlock it: key in the OS keyring, recovery code as the fallback.

Setup (issue 2, point 1): a random 256-bit key; the encrypted database; the key stored in the OS
keyring when a suitable one exists (otherwise setup continues and says so); a key file beside the
database holding the key wrapped with a recovery code shown once; the first administrator; an
audited "site_setup". Unlock: from the keyring, or with the recovery code (ARCHITECTURE.md 3).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sqlalchemy import func, select

from app.domain.clock import Clock
from app.services import passwords
from app.services._uow import unit_of_work
from app.services.errors import (
    DatabaseCorrupt,
    DatabaseExists,
    DatabaseNotFound,
    InvalidInput,
    KeyFileMissing,
    KeyNotAvailable,
    KeyringUnsuitable,
    PasswordRejected,
    UnknownSchema,
    WrongRecoveryCode,
)
from app.services.permissions import Role
from app.services.settings import load_settings, store_settings, validate_setting
from app.services.users import USERNAME_PATTERN, add_user
from app.services.workspace import Workspace
from app.study.model import StudyDefinition
from app.sync.keys import ensure_site_signing_key
from db import keys
from db.audit import record_event
from db.engine import Database, WrongKeyError
from db.models import Subject, User
from db.site_db import (
    CorruptDatabaseError,
    UnknownSchemaError,
    create_site_database,
    database_id,
    open_site_database,
    verify_site_database,
)


@dataclass(frozen=True)
class SetupResult:
    workspace: Workspace
    recovery_code: str  # show once; the user keeps it on paper
    db_id: str
    keyring_stored: bool  # False: no suitable keyring; the recovery code is needed to open
    keyring_problem: str | None = None  # why not stored (no PHI)


@dataclass(frozen=True)
class SiteInfo:
    """For About and `seqtx check`."""

    site_code: str
    site_name: str
    db_path: Path
    db_id: str
    sqlcipher_version: str
    subject_count: int
    user_count: int


def database_exists(path: Path) -> bool:
    """Whether a site database file is at `path` (the app then asks to unlock, not to set up)."""
    return path.is_file()


def load_study() -> tuple[StudyDefinition | None, str | None]:
    """The shipped study definition, or (None, why): a broken or missing definition must not stop
    an administrator from opening the database (backups, users); data entry then says why."""
    try:
        loader = importlib.import_module("app.study.loader")
    except ModuleNotFoundError:
        return None, "app.study.loader is not installed"
    default_study = cast(
        Callable[[], StudyDefinition] | None, getattr(loader, "default_study", None)
    )
    if default_study is None:
        return None, "app.study.loader has no default_study"
    try:
        return default_study(), None
    except Exception as exc:  # the loader names file, form and item; never PHI
        return None, str(exc)


def _side_files(path: Path) -> list[Path]:
    return [
        path,
        Path(f"{path}-wal"),
        Path(f"{path}-shm"),
        Path(f"{path}-journal"),
        keys.key_file_path(path),
    ]


def _validate_setup(
    site_code: str, site_name: str, username: str, full_name: str, password: str
) -> None:
    validate_setting("site_code", site_code)
    validate_setting("site_name", site_name)
    if not USERNAME_PATTERN.match(username.strip()):
        raise InvalidInput(field="username", problem="2 to 64 letters, digits, '.', '-', '_'")
    if not full_name.strip():
        raise InvalidInput(field="full_name", problem="1 to 200 characters")
    problems = passwords.check_password_policy(password, username)
    if problems:
        raise PasswordRejected(problems=", ".join(problems), codes=tuple(problems))


def setup_site(
    path: Path,
    site_code: str,
    site_name: str,
    admin_username: str,
    admin_full_name: str,
    admin_password: str,
    clock: Clock,
) -> SetupResult:
    """Create and open a new site database. Raises DatabaseExists, InvalidInput, PasswordRejected.

    Input is validated before anything is written; on failure nothing is left at `path`.
    """
    _validate_setup(site_code, site_name, admin_username, admin_full_name, admin_password)
    if any(p.exists() for p in _side_files(path)):
        raise DatabaseExists()
    key = keys.generate_key()
    code = keys.new_recovery_code()
    db: Database | None = None
    try:
        db = create_site_database(path, key)
        db_id = database_id(db)
        study, study_error = load_study()
        ws = Workspace(db, study, clock, path, db_id, key, study_error)
        with unit_of_work(ws, None) as session:
            store_settings(session, {"site_code": site_code, "site_name": site_name})
            add_user(
                session,
                admin_username,
                admin_full_name,
                Role.ADMINISTRATOR,
                admin_password,
                clock.now(),
            )
            record_event(
                session, "site_setup", "site", new=validate_setting("site_code", site_code)
            )
            # The key that signs this site's sync packages, kept inside the encrypted database.
            ensure_site_signing_key(session)
        keys.write_key_file(keys.key_file_path(path), key, code, db_id)
    except BaseException:
        if db is not None:
            db.close()
        for leftover in _side_files(path):
            leftover.unlink(missing_ok=True)
        raise
    stored, problem = True, None
    try:
        keys.store_key(db_id, key)
    except keys.KeyringUnavailable as exc:
        stored, problem = False, exc.detail
    return SetupResult(ws, code, db_id, stored, problem)


def _open(path: Path, key: bytes, db_id: str, clock: Clock, verify: bool = True) -> Workspace:
    try:
        db = open_site_database(path, key, verify=verify)
    except CorruptDatabaseError:
        raise DatabaseCorrupt() from None
    except UnknownSchemaError:
        raise UnknownSchema() from None
    study, study_error = load_study()
    return Workspace(db, study, clock, path, db_id, key, study_error)


def unlock_from_keyring(path: Path, clock: Clock, *, verify: bool = True) -> Workspace:
    """Open with the key this workstation's keyring holds.

    Raises DatabaseNotFound, KeyNotAvailable (no key, or no suitable keyring), DatabaseCorrupt.
    `verify=False` reads only the key and the schema: the caller must then run verify_workspace
    before any data is shown (the app runs it while the login window waits for the password).
    """
    if not path.is_file():
        raise DatabaseNotFound(path=str(path))
    try:
        db_id = keys.key_file_db_id(keys.key_file_path(path))
        key = keys.load_key(db_id)
    except (keys.KeyFileError, keys.KeyringUnavailable):
        raise KeyNotAvailable() from None
    if key is None:
        raise KeyNotAvailable()
    try:
        return _open(path, key, db_id, clock, verify)
    except WrongKeyError:
        # A stale keyring entry (e.g. the file was replaced by another site's): use the code.
        raise KeyNotAvailable() from None


def unlock_with_recovery_code(path: Path, code: str, clock: Clock) -> Workspace:
    """Open with the recovery code (key file beside the database). Raises WrongRecoveryCode,
    KeyFileMissing, DatabaseNotFound, DatabaseCorrupt."""
    if not path.is_file():
        raise DatabaseNotFound(path=str(path))
    key_file = keys.key_file_path(path)
    try:
        db_id = keys.key_file_db_id(key_file)
        key = keys.read_key_file(key_file, code)
    except keys.WrongRecoveryCodeError:
        raise WrongRecoveryCode() from None
    except keys.KeyFileError:
        raise KeyFileMissing() from None
    try:
        return _open(path, key, db_id, clock)
    except WrongKeyError:
        raise WrongRecoveryCode() from None


def verify_workspace(ws: Workspace) -> None:
    """The whole-file integrity check of an open database (seconds for a large one).
    Raises DatabaseCorrupt; changes nothing."""
    try:
        verify_site_database(ws.db)
    except CorruptDatabaseError:
        raise DatabaseCorrupt() from None


def remember_key_in_keyring(ws: Workspace) -> None:
    """Store the open database's key in this workstation's keyring. Raises KeyringUnsuitable."""
    try:
        keys.store_key(ws.db_id, ws.key)
    except keys.KeyringUnavailable as exc:
        raise KeyringUnsuitable(detail=exc.detail) from None


def keyring_has_key(ws: Workspace) -> bool:
    """Whether this workstation's keyring already holds the open database's key."""
    try:
        return keys.load_key(ws.db_id) == ws.key
    except keys.KeyringUnavailable:
        return False


def site_info(ws: Workspace) -> SiteInfo:
    """Site code and name, database path and id, SQLCipher version, counts (no PHI)."""
    with ws.db.session() as session:
        settings = load_settings(session)
        subjects = session.scalar(select(func.count()).select_from(Subject)) or 0
        users = session.scalar(select(func.count()).select_from(User)) or 0
    version = ws.db.sqlcipher_version()
    return SiteInfo(
        site_code=settings.site_code,
        site_name=settings.site_name,
        db_path=ws.db_path,
        db_id=ws.db_id,
        sqlcipher_version=str(version or "unknown"),
        subject_count=int(subjects),
        user_count=int(users),
    )
