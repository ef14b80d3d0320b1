"""The audit table is append-only in the database itself, not only in the ORM."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from db.audit import AuditContext, record_event, set_audit_context
from db.engine import Database, key_pragma


@pytest.fixture
def raw(site_db: Database, ctx: AuditContext, db_path: Path, key: bytes) -> sqlcipher3.Connection:
    with site_db.session() as session:
        set_audit_context(session, ctx)
        record_event(session, "login", "user/admin")
        record_event(session, "logout", "user/admin")
    site_db.close()
    conn = sqlcipher3.connect(str(db_path), isolation_level=None)
    conn.execute(key_pragma(key))
    conn.execute("PRAGMA recursive_triggers = ON")
    return conn


def rows(conn: sqlcipher3.Connection) -> list[tuple[int, str]]:
    return conn.execute("SELECT id, action FROM audit_records ORDER BY id").fetchall()


def test_raw_update_is_rejected(raw: sqlcipher3.Connection) -> None:
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        raw.execute("UPDATE audit_records SET action = 'nothing' WHERE id = 1")
    assert rows(raw) == [(1, "login"), (2, "logout")]


def test_raw_delete_is_rejected(raw: sqlcipher3.Connection) -> None:
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        raw.execute("DELETE FROM audit_records")
    assert rows(raw) == [(1, "login"), (2, "logout")]


def test_insert_or_replace_onto_an_existing_row_is_rejected(raw: sqlcipher3.Connection) -> None:
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        raw.execute(
            "INSERT OR REPLACE INTO audit_records "
            "(id, user_id, ts_utc, utc_offset_minutes, action, path, prev_hash, hash) "
            "VALUES (1, NULL, '2026-01-01 00:00:00', 0, 'forged', 'x', '', '')"
        )
    assert rows(raw) == [(1, "login"), (2, "logout")]


def test_replace_is_rejected_on_every_connection_the_app_opens(
    site_db: Database, ctx: AuditContext
) -> None:
    """Our engine turns recursive_triggers on; without it REPLACE would silently delete."""
    with site_db.session() as session:
        set_audit_context(session, ctx)
        record_event(session, "login", "user/admin")
    with pytest.raises(Exception, match="append-only"), site_db.engine.begin() as conn:
        conn.exec_driver_sql(
            "REPLACE INTO audit_records "
            "(id, user_id, ts_utc, utc_offset_minutes, action, path, prev_hash, hash) "
            "VALUES (1, NULL, '2026-01-01 00:00:00', 0, 'forged', 'x', '', '')"
        )
