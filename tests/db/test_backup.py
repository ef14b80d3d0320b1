"""Encrypted backups and restore: verified copies, nothing lost when a restore is refused."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from db.audit import AuditContext
from db.backup import backup_database, backups_dir, latest_backup, restore_database
from db.engine import Database, WrongKeyError
from db.integrity import CorruptDatabaseError
from db.keys import generate_key
from db.site_db import open_site_database
from tests.db.forms import items, save_form

SEX = ("IG.DM", "1", "IT.SEX")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_is_an_encrypted_copy_that_opens_with_the_key(
    site_db: Database, db_path: Path, key: bytes, ctx: AuditContext
) -> None:
    form_id = save_form(site_db, ctx, "FD-001", "SE.SCREEN", "", "F.DM", {SEX: "F"})
    out = backup_database(site_db, backups_dir(db_path) / "manual.db")
    assert out.read_bytes()[:16] != b"SQLite format 3\x00"
    assert sorted(p.name for p in out.parent.iterdir()) == ["manual.db"]  # no temp, no -wal
    copy = open_site_database(out, key)
    try:
        assert items(copy, form_id) == {SEX: "F"}
    finally:
        copy.close()
    with pytest.raises(WrongKeyError):
        open_site_database(out, generate_key())


def test_restore_replaces_the_database_and_keeps_the_old_file(
    site_db: Database, db_path: Path, key: bytes, ctx: AuditContext
) -> None:
    form_id = save_form(site_db, ctx, "FD-001", "SE.SCREEN", "", "F.DM", {SEX: "F"})
    backup = backup_database(site_db, backups_dir(db_path) / "b1.db")
    save_form(site_db, ctx, "FD-002", "SE.SCREEN", "", "F.DM", {SEX: "M"})
    site_db.close()
    aside = restore_database(backup, db_path, key)
    assert aside is not None and aside.exists()
    restored = open_site_database(db_path, key)
    try:
        assert items(restored, form_id) == {SEX: "F"}
        assert restored.integrity_ok()
    finally:
        restored.close()
    kept = open_site_database(aside, key)  # the replaced file still holds FD-002
    try:
        assert len(items(kept, form_id + 1)) == 1
    finally:
        kept.close()


def test_restore_with_a_wrong_key_changes_nothing(
    site_db: Database, db_path: Path, ctx: AuditContext
) -> None:
    save_form(site_db, ctx, "FD-001", "SE.SCREEN", "", "F.DM", {SEX: "F"})
    backup = backup_database(site_db, backups_dir(db_path) / "b1.db")
    site_db.close()
    before = {p.name: digest(p) for p in db_path.parent.rglob("*") if p.is_file()}
    with pytest.raises(WrongKeyError):
        restore_database(backup, db_path, generate_key())
    assert {p.name: digest(p) for p in db_path.parent.rglob("*") if p.is_file()} == before


def test_a_damaged_backup_is_refused_before_anything_changes(
    site_db: Database, db_path: Path, key: bytes, ctx: AuditContext
) -> None:
    for n in range(30):
        save_form(site_db, ctx, f"FD-{n:03d}", "SE.SCREEN", "", "F.DM", {SEX: "F" * 200})
    backup = backup_database(site_db, backups_dir(db_path) / "b1.db")
    site_db.close()
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x40
    backup.write_bytes(bytes(data))
    before = digest(db_path)
    with pytest.raises(CorruptDatabaseError):
        restore_database(backup, db_path, key)
    assert digest(db_path) == before


def test_latest_backup_is_the_newest_file(tmp_path: Path) -> None:
    assert latest_backup(tmp_path / "none") is None
    assert latest_backup(tmp_path) is None
    for n, name in enumerate(["a.db", "c.db", "b.db"]):
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, ns=(n * 10**9, n * 10**9))
    (tmp_path / "notes.txt").write_bytes(b"x")
    assert latest_backup(tmp_path) == tmp_path / "b.db"


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_database_its_journal_its_backups_and_a_restore_are_readable_by_their_owner_only(
    site_db: Database, db_path: Path, key: bytes, ctx: AuditContext
) -> None:
    save_form(site_db, ctx, "FD-001", "SE.SCREEN", "", "F.DM", {SEX: "F"})
    wal = Path(f"{db_path}-wal")
    assert wal.exists()
    backup = backup_database(site_db, backups_dir(db_path) / "private.db")
    site_db.close()
    restore_database(backup, db_path, key)
    for path in (db_path, wal, backup):
        if path.exists():
            assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by other accounts"
