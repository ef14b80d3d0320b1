"""Creating and opening the encrypted site database: keys, damage, migrations."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import sqlcipher3
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import db.migrate
from db.audit import AuditContext, verify_chain
from db.backup import backups_dir
from db.engine import Database, WrongKeyError, create_sqlcipher_engine, key_pragma
from db.integrity import check_file
from db.keys import generate_key
from db.migrate import head_revision
from db.models import Base
from db.site_db import (
    CorruptDatabaseError,
    UnknownSchemaError,
    create_site_database,
    database_id,
    open_site_database,
)
from tests.db.forms import items, save_form


def snapshot(directory: Path) -> dict[str, str]:
    """Every file under `directory` with the sha256 of its bytes."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_a_new_database_is_encrypted_at_head_with_an_id(site_db: Database, db_path: Path) -> None:
    assert not db_path.read_bytes().startswith(b"SQLite format 3")
    assert len(database_id(site_db)) == 32
    assert site_db.integrity_ok()
    assert (site_db.sqlcipher_version() or "").startswith("4.")
    with site_db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()


def test_the_migration_head_matches_the_models(site_db: Database) -> None:
    with site_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_creating_over_an_existing_file_is_refused(site_db: Database, db_path: Path) -> None:
    before = snapshot(db_path.parent)
    with pytest.raises(FileExistsError):
        create_site_database(db_path, generate_key())
    assert snapshot(db_path.parent) == before


def test_reopening_keeps_the_data(
    site_db: Database, db_path: Path, key: bytes, ctx: AuditContext
) -> None:
    form_id = save_form(
        site_db, ctx, "FD-001", "SE.SCREEN", "", "F.DM", {("IG.DM", "1", "IT.SEX"): "F"}
    )
    db_id = database_id(site_db)
    site_db.close()
    reopened = open_site_database(db_path, key)
    try:
        assert database_id(reopened) == db_id
        assert items(reopened, form_id) == {("IG.DM", "1", "IT.SEX"): "F"}
    finally:
        reopened.close()


def test_a_wrong_key_changes_nothing_and_creates_nothing(
    site_db: Database, db_path: Path, ctx: AuditContext
) -> None:
    save_form(site_db, ctx, "FD-001", "SE.SCREEN", "", "F.DM", {("IG.DM", "1", "IT.SEX"): "F"})
    site_db.close()
    before = snapshot(db_path.parent)
    assert sorted(before) == ["seqtx.db"]  # the WAL was checkpointed away on close
    with pytest.raises(WrongKeyError, match="key does not open"):
        open_site_database(db_path, generate_key())
    assert snapshot(db_path.parent) == before


def test_a_missing_file_is_reported(db_path: Path, key: bytes) -> None:
    with pytest.raises(FileNotFoundError):
        open_site_database(db_path, key)
    assert not db_path.parent.exists()


def test_a_flipped_byte_in_the_middle_is_detected_at_open(
    site_db: Database, db_path: Path, key: bytes, ctx: AuditContext
) -> None:
    for n in range(40):
        values = {("IG.VS", str(r), "IT.NOTE"): f"note {n}-{r} " * 20 for r in range(1, 6)}
        save_form(site_db, ctx, f"FD-{n:03d}", "SE.SCREEN", "", "F.VS", values)
    site_db.close()
    data = bytearray(db_path.read_bytes())
    assert len(data) > 16 * 4096
    data[len(data) // 2] ^= 0x01
    db_path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError, match="damaged") as caught:
        open_site_database(db_path, key)
    assert "restore the latest backup" in str(caught.value)
    assert db_path.read_bytes() == bytes(data)


def test_a_file_that_is_not_a_database_reads_as_a_wrong_key(db_path: Path, key: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"not a database at all" * 500)
    with pytest.raises(WrongKeyError):
        open_site_database(db_path, key)


def test_a_database_from_a_newer_seqtx_is_refused(
    site_db: Database, db_path: Path, key: bytes
) -> None:
    with site_db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    site_db.close()
    with pytest.raises(UnknownSchemaError, match="newer version"):
        open_site_database(db_path, key)


def test_a_foreign_encrypted_database_is_refused(db_path: Path, key: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlcipher3.connect(str(db_path), isolation_level=None)
    conn.execute(key_pragma(key))
    conn.execute("CREATE TABLE something_else (x)")
    conn.close()
    with pytest.raises(UnknownSchemaError, match="not made by SeqTx"):
        open_site_database(db_path, key)


NEXT_REVISION = '''"""Test-only revision: one more table."""

import sqlalchemy as sa
from alembic import op

revision = "0002test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("probe")
'''


def test_pending_migrations_run_after_a_verified_backup(
    site_db: Database,
    db_path: Path,
    key: bytes,
    ctx: AuditContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_form(site_db, ctx, "FD-001", "SE.SCREEN", "", "F.DM", {("IG.DM", "1", "IT.SEX"): "F"})
    site_db.close()
    migrations = tmp_path / "migrations"
    shutil.copytree(db.migrate.MIGRATIONS_DIR, migrations)
    (migrations / "versions" / "0002test_probe.py").write_text(
        NEXT_REVISION.format(head=head_revision()), encoding="utf-8"
    )
    monkeypatch.setattr(db.migrate, "MIGRATIONS_DIR", migrations)

    upgraded = open_site_database(db_path, key)
    try:
        assert "probe" in inspect(upgraded.engine).get_table_names()
        with upgraded.engine.connect() as conn:  # migrating turned them off for a moment only
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with upgraded.session() as session:
            assert verify_chain(session).ok
    finally:
        upgraded.close()
    backups = list(backups_dir(db_path).glob("*.db"))
    assert len(backups) == 1
    assert "before-0002test" in backups[0].name
    assert check_file(backups[0], key).revision == "0001"  # the copy is the pre-migration file


def test_an_engine_with_a_wrong_key_fails_at_once_and_creates_nothing(
    site_db: Database, db_path: Path
) -> None:
    site_db.close()
    before = snapshot(db_path.parent)
    with pytest.raises(WrongKeyError):
        create_sqlcipher_engine(db_path, generate_key())
    assert snapshot(db_path.parent) == before


def test_database_errors_do_not_carry_the_values_written(
    site_db: Database, ctx: AuditContext
) -> None:
    """A constraint error must not put PHI into a message or log (TEAM.md, Patient data)."""
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    from db.audit import set_audit_context
    from db.models import SubjectIdentity

    save_form(site_db, ctx, "FD-001", "SE.SCREEN", "", "F.DM", {("IG.DM", "1", "IT.SEX"): "F"})
    with pytest.raises(IntegrityError) as caught, site_db.session() as session:
        set_audit_context(session, ctx)
        for _ in range(2):  # the same subject twice: primary key conflict
            session.add(
                SubjectIdentity(
                    subject_id=1,
                    full_name="Wang Xiaoming",
                    hospital_number="H0042",
                    birth_date=date(2015, 3, 1),
                    sex="M",
                )
            )
            session.flush()
    assert "SQL parameters hidden" in str(caught.value)
    assert "Wang Xiaoming" not in str(caught.value)
    assert "H0042" not in str(caught.value)
