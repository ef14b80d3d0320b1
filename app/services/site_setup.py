"""Create a site database and unlock it: key in the OS keyring, recovery code as the fallback.

Setup (issue 2, point 1): a random 256-bit key; the encrypted database; the key stored in the OS
keyring when a suitable one exists (otherwise setup continues and says so); a key file beside the
database holding the key wrapped with a recovery code shown once; the first administrator; an
audited "site_setup". Unlock: from the keyring, or with the recovery code (ARCHITECTURE.md 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain.clock import Clock
from app.services.workspace import Workspace


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
    raise NotImplementedError


def unlock_from_keyring(path: Path, clock: Clock) -> Workspace:
    """Open with the key this workstation's keyring holds.

    Raises DatabaseNotFound, KeyNotAvailable (no key, or no suitable keyring), DatabaseCorrupt.
    """
    raise NotImplementedError


def unlock_with_recovery_code(path: Path, code: str, clock: Clock) -> Workspace:
    """Open with the recovery code (key file beside the database). Raises WrongRecoveryCode."""
    raise NotImplementedError


def remember_key_in_keyring(ws: Workspace) -> None:
    """Store the open database's key in this workstation's keyring. Raises KeyringUnsuitable."""
    raise NotImplementedError


def site_info(ws: Workspace) -> SiteInfo:
    """Site code and name, database path and id, SQLCipher version, counts (no PHI)."""
    raise NotImplementedError
