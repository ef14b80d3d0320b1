"""Site setup and unlock: key in the keyring, recovery code as fallback, nothing changed on error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.domain.clock import FixedClock
from app.services.auth import login
from app.services.errors import (
    DatabaseExists,
    DatabaseNotFound,
    InvalidInput,
    KeyNotAvailable,
    KeyringUnsuitable,
    PasswordRejected,
    WrongRecoveryCode,
)
from app.services.site_setup import (
    SetupResult,
    keyring_has_key,
    remember_key_in_keyring,
    setup_site,
    site_info,
    unlock_from_keyring,
    unlock_with_recovery_code,
)

from .conftest import ADMIN_PASSWORD, MemoryKeyring


def _snapshot(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_setup_stores_the_key_and_the_database_opens_from_the_keyring(
    site: SetupResult, db_path: Path, clock: FixedClock, memory_keyring: MemoryKeyring
) -> None:
    assert site.keyring_stored and site.keyring_problem is None
    assert len(site.recovery_code.split("-")) == 6
    assert db_path.read_bytes()[:16] != b"SQLite format 3\x00"
    site.workspace.close()
    ws = unlock_from_keyring(db_path, clock)
    try:
        assert login(ws, "admin", ADMIN_PASSWORD).username == "admin"
        info = site_info(ws)
        assert info.sqlcipher_version and info.site_code == "FD" and info.user_count == 1
        assert info.db_id == site.db_id
    finally:
        ws.close()


def test_the_recovery_code_opens_where_the_keyring_has_no_key(
    site: SetupResult, db_path: Path, clock: FixedClock, memory_keyring: MemoryKeyring
) -> None:
    site.workspace.close()
    memory_keyring.entries.clear()
    with pytest.raises(KeyNotAvailable):
        unlock_from_keyring(db_path, clock)
    # Typed by hand: lower case, spaces instead of dashes, O for 0.
    typed = site.recovery_code.lower().replace("-", " ").replace("0", "o")
    ws = unlock_with_recovery_code(db_path, typed, clock)
    try:
        assert not keyring_has_key(ws)
        remember_key_in_keyring(ws)
        assert keyring_has_key(ws)
    finally:
        ws.close()
    unlock_from_keyring(db_path, clock).close()


def test_a_wrong_recovery_code_changes_nothing(
    site: SetupResult, db_path: Path, clock: FixedClock
) -> None:
    site.workspace.close()
    before = _snapshot(db_path.parent)
    other = "-".join(["ABCDE"] * 6)
    with pytest.raises(WrongRecoveryCode) as exc:
        unlock_with_recovery_code(db_path, other, clock)
    assert exc.value.code == "key.wrong_recovery_code"
    with pytest.raises(WrongRecoveryCode):
        unlock_with_recovery_code(db_path, "not a code", clock)
    assert _snapshot(db_path.parent) == before


def test_without_a_secure_keyring_setup_continues_and_says_so(
    db_path: Path, clock: FixedClock, fast_argon2: None
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        result = setup_site(db_path, "FD", "Fudan", "admin", "Ada Admin", ADMIN_PASSWORD, clock)
        assert not result.keyring_stored and result.keyring_problem
        with pytest.raises(KeyringUnsuitable):
            remember_key_in_keyring(result.workspace)
        result.workspace.close()
        with pytest.raises(KeyNotAvailable):
            unlock_from_keyring(db_path, clock)
        unlock_with_recovery_code(db_path, result.recovery_code, clock).close()
    finally:
        keyring.set_keyring(previous)


def test_bad_setup_input_creates_nothing(
    db_path: Path, clock: FixedClock, memory_keyring: MemoryKeyring, fast_argon2: None
) -> None:
    with pytest.raises(InvalidInput):
        setup_site(db_path, "fd fd", "Fudan", "admin", "Ada", ADMIN_PASSWORD, clock)
    with pytest.raises(PasswordRejected):
        setup_site(db_path, "FD", "Fudan", "admin", "Ada", "password", clock)
    assert not db_path.parent.exists() or list(db_path.parent.iterdir()) == []
    assert memory_keyring.entries == {}


def test_an_existing_database_is_never_overwritten(
    site: SetupResult, db_path: Path, clock: FixedClock
) -> None:
    key_file = db_path.with_suffix(".key").read_bytes()
    with pytest.raises(DatabaseExists):
        setup_site(db_path, "FD", "Fudan", "other", "Ada", ADMIN_PASSWORD, clock)
    assert db_path.with_suffix(".key").read_bytes() == key_file
    assert login(site.workspace, "admin", ADMIN_PASSWORD).username == "admin"


def test_a_missing_database_is_reported(tmp_path: Path, clock: FixedClock) -> None:
    with pytest.raises(DatabaseNotFound):
        unlock_from_keyring(tmp_path / "none.db", clock)
    with pytest.raises(DatabaseNotFound):
        unlock_with_recovery_code(tmp_path / "none.db", "x", clock)


def test_setup_creates_the_sites_signing_key_inside_the_database(site: SetupResult) -> None:
    # The data center registers this key before the first package arrives, so it must exist
    # from setup on (not only after a first export).
    from app.sync.keys import SITE_SIGNING_SECRET
    from db.models import Secret

    with site.workspace.db.session() as session:
        secret = session.get(Secret, SITE_SIGNING_SECRET)
        assert secret is not None and len(secret.material) > 0


def test_a_quick_open_leaves_the_whole_file_check_to_run_before_any_data_is_shown(
    site: SetupResult, db_path: Path, clock: FixedClock, memory_keyring: MemoryKeyring
) -> None:
    from app.services.errors import DatabaseCorrupt
    from app.services.site_setup import verify_workspace

    site.workspace.close()
    data = bytearray(db_path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a page after the first: the key and schema still read
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt):
        unlock_from_keyring(db_path, clock)  # the default open checks every page
    ws = unlock_from_keyring(db_path, clock, verify=False)  # the app's open: key and schema only
    try:
        with pytest.raises(DatabaseCorrupt):
            verify_workspace(ws)  # what the app runs while its login window waits
    finally:
        ws.close()
