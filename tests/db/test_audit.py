"""The audit listener: one row per changed item, reasons for changes, the hash chain, the clock."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, text, update

from app.domain.clock import FixedClock
from db.audit import (
    AuditContext,
    AuditContextMissing,
    AuditError,
    ReasonRequiredError,
    last_audit_time,
    record_event,
    set_audit_context,
    verify_chain,
)
from db.engine import Database
from db.models import AuditRecord, FormData, ItemData, Query, Signature, Subject, User
from tests.db.forms import items, save_form

G = "IG.CONDADM"
DOSE = (G, "2", "IT.CM.DOSE_GIVEN")
ROUTE = (G, "2", "IT.CM.ROUTE")
TIME = (G, "2", "IT.CM.TIME")


def audit_rows(db: Database) -> list[AuditRecord]:
    with db.session() as session:
        return list(session.scalars(select(AuditRecord).order_by(AuditRecord.id)))


def item_rows(db: Database) -> list[AuditRecord]:
    return [r for r in audit_rows(db) if r.action in {"insert", "update", "delete"}]


def first_save(db: Database, ctx: AuditContext) -> int:
    return save_form(
        db, ctx, "FD-001", "SE.COND", "-3", "F.CONDADM", {DOSE: "12.5", ROUTE: "IV", TIME: None}
    )


def test_first_save_writes_one_insert_row_per_item_with_the_odm_path(
    site_db: Database, ctx: AuditContext
) -> None:
    first_save(site_db, ctx)
    rows = item_rows(site_db)
    assert [(r.action, r.path, r.old_value, r.new_value, r.reason) for r in rows] == [
        (
            "insert",
            "FD-001/SE.COND[-3]/F.CONDADM/IG.CONDADM[2]/IT.CM.DOSE_GIVEN",
            None,
            "12.5",
            None,
        ),
        ("insert", "FD-001/SE.COND[-3]/F.CONDADM/IG.CONDADM[2]/IT.CM.ROUTE", None, "IV", None),
        ("insert", "FD-001/SE.COND[-3]/F.CONDADM/IG.CONDADM[2]/IT.CM.TIME", None, None, None),
    ]
    assert {r.user_id for r in rows} == {1}
    assert {r.utc_offset_minutes for r in rows} == {480}
    # Stored in UTC: the fixed clock's 01:00 UTC (09:00 in Shanghai, shown with the offset).
    assert {r.ts_utc.replace(tzinfo=UTC) for r in rows} == {
        datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    }
    assert audit_rows(site_db)[0].action == "subject_created"


def test_a_change_writes_one_row_per_changed_item_only(
    site_db: Database, ctx: AuditContext
) -> None:
    form_id = first_save(site_db, ctx)
    before = len(audit_rows(site_db))
    fix = dataclasses.replace(ctx, reason="transcription error")
    save_form(
        site_db, fix, "FD-001", "SE.COND", "-3", "F.CONDADM", {DOSE: "13", ROUTE: "IV", TIME: None}
    )
    new_rows = audit_rows(site_db)[before:]
    assert [
        (r.action, r.path.rsplit("/", 1)[1], r.old_value, r.new_value, r.reason) for r in new_rows
    ] == [("update", "IT.CM.DOSE_GIVEN", "12.5", "13", "transcription error")]
    assert items(site_db, form_id)[DOSE] == "13"


def test_changing_saved_data_without_a_reason_is_refused_and_saves_nothing(
    site_db: Database, ctx: AuditContext
) -> None:
    form_id = first_save(site_db, ctx)
    before = len(audit_rows(site_db))
    with pytest.raises(ReasonRequiredError, match="reason for change"):
        save_form(site_db, ctx, "FD-001", "SE.COND", "-3", "F.CONDADM", {DOSE: "99"})
    assert items(site_db, form_id)[DOSE] == "12.5"
    assert len(audit_rows(site_db)) == before


def test_filling_an_item_that_was_saved_empty_needs_no_reason(
    site_db: Database, ctx: AuditContext
) -> None:
    form_id = first_save(site_db, ctx)
    save_form(site_db, ctx, "FD-001", "SE.COND", "-3", "F.CONDADM", {TIME: "08:30"})
    assert items(site_db, form_id)[TIME] == "08:30"
    last = item_rows(site_db)[-1]
    assert (last.action, last.old_value, last.new_value) == ("update", None, "08:30")


def test_deleting_a_saved_item_needs_a_reason_and_is_audited(
    site_db: Database, ctx: AuditContext
) -> None:
    form_id = first_save(site_db, ctx)
    with site_db.session() as session:
        set_audit_context(session, ctx)
        item = session.scalars(select(ItemData).where(ItemData.item_oid == "IT.CM.ROUTE")).one()
        session.delete(item)
        with pytest.raises(ReasonRequiredError):
            session.flush()
        session.rollback()
    with site_db.session() as session:
        set_audit_context(session, dataclasses.replace(ctx, reason="entered on wrong form"))
        item = session.scalars(select(ItemData).where(ItemData.item_oid == "IT.CM.ROUTE")).one()
        session.delete(item)
    assert ROUTE not in items(site_db, form_id)
    last = item_rows(site_db)[-1]
    assert (last.action, last.old_value, last.new_value, last.reason) == (
        "delete",
        "IV",
        None,
        "entered on wrong form",
    )


def test_a_derived_value_recomputed_by_the_system_carries_its_rule_as_reason(
    site_db: Database, ctx: AuditContext
) -> None:
    form_id = first_save(site_db, ctx)
    system = AuditContext(user_id=None, now=ctx.now, offset_minutes=480)
    with site_db.session() as session:
        set_audit_context(session, system)
        session.add(
            ItemData(
                form_data_id=form_id,
                item_group_oid="IG.DERIVED",
                item_oid="IT.ENGRAFT_DAY",
                value="21",
                derived_by="engraftment@1",
            )
        )
    with site_db.session() as session:
        set_audit_context(session, system)
        item = session.scalars(select(ItemData).where(ItemData.item_oid == "IT.ENGRAFT_DAY")).one()
        item.value = "20"
    last = item_rows(site_db)[-1]
    assert (last.user_id, last.old_value, last.new_value, last.reason) == (
        None,
        "21",
        "20",
        "recomputed by engraftment@1",
    )


def test_clinical_data_cannot_be_written_without_an_audit_context(site_db: Database) -> None:
    with pytest.raises(AuditContextMissing), site_db.session() as session:
        session.add(Subject(subject_key="FD-009", site_code="FD", created_at=datetime.now(UTC)))
    with site_db.session() as session:
        assert session.scalars(select(Subject)).all() == []


def test_form_status_and_sdv_changes_are_audited(site_db: Database, ctx: AuditContext) -> None:
    form_id = first_save(site_db, ctx)
    with site_db.session() as session:
        set_audit_context(session, ctx)
        form = session.get(FormData, form_id)
        assert form is not None
        form.status = "complete"
        form.sdv = True
    rows = audit_rows(site_db)[-2:]
    assert sorted((r.action, r.path, r.old_value, r.new_value) for r in rows) == [
        ("form_sdv", "FD-001/SE.COND[-3]/F.CONDADM", "false", "true"),
        ("form_status", "FD-001/SE.COND[-3]/F.CONDADM", "incomplete", "complete"),
    ]


def test_record_event_appends_to_the_chain(site_db: Database, ctx: AuditContext) -> None:
    with site_db.session() as session:
        set_audit_context(session, dataclasses.replace(ctx, user_id=None))
        record_event(session, "login_failed", "user/nurse1")
        record_event(session, "setting", "settings/idle_minutes", old="15", new="10")
    rows = audit_rows(site_db)
    assert [(r.user_id, r.action, r.path, r.old_value, r.new_value) for r in rows] == [
        (None, "login_failed", "user/nurse1", None, None),
        (None, "setting", "settings/idle_minutes", "15", "10"),
    ]
    with site_db.session() as session:
        assert verify_chain(session).ok


def test_the_chain_verifies_and_reports_its_length(site_db: Database, ctx: AuditContext) -> None:
    first_save(site_db, ctx)
    with site_db.session() as session:
        report = verify_chain(session)
    assert report.ok
    assert report.rows == len(audit_rows(site_db)) == 4
    assert report.first_broken_id is None


def _tamper(db: Database, sql: str) -> None:
    """What someone with the key and a SQLite shell could do: drop the triggers, edit the trail."""
    with db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_records_no_update"))
        conn.execute(text("DROP TRIGGER audit_records_no_delete"))
        conn.execute(text(sql))


def test_an_edited_audit_row_is_the_first_broken_link(site_db: Database, ctx: AuditContext) -> None:
    first_save(site_db, ctx)
    _tamper(site_db, "UPDATE audit_records SET new_value = '1.25' WHERE id = 2")
    with site_db.session() as session:
        report = verify_chain(session)
    assert (report.ok, report.first_broken_id) == (False, 2)
    assert "changed" in report.detail


def test_a_removed_audit_row_breaks_the_chain(site_db: Database, ctx: AuditContext) -> None:
    first_save(site_db, ctx)
    _tamper(site_db, "DELETE FROM audit_records WHERE id = 2")
    with site_db.session() as session:
        report = verify_chain(session)
    assert (report.ok, report.first_broken_id) == (False, 3)


def test_a_row_with_a_recomputed_hash_still_breaks_the_next_link(
    site_db: Database, ctx: AuditContext
) -> None:
    """Editing a row and fixing its own hash is not enough: the next row links to the old hash."""
    first_save(site_db, ctx)
    _tamper(site_db, "UPDATE audit_records SET hash = lower(hex(randomblob(32))) WHERE id = 2")
    with site_db.session() as session:
        report = verify_chain(session)
    assert report.first_broken_id == 2
    with site_db.engine.begin() as conn:
        stored = conn.execute(text("SELECT hash FROM audit_records WHERE id = 2")).scalar()
        conn.execute(text("UPDATE audit_records SET prev_hash = :h WHERE id = 3"), {"h": stored})
    with site_db.session() as session:
        assert verify_chain(session).first_broken_id == 2  # row 2's content no longer matches


def test_a_clock_earlier_than_the_last_row_is_recorded(
    site_db: Database, clock: FixedClock, ctx: AuditContext
) -> None:
    first_save(site_db, ctx)
    clock.advance(timedelta(hours=-2))
    save_form(site_db, ctx, "FD-002", "SE.SCREEN", "", "F.DM", {("IG.DM", "1", "IT.SEX"): "F"})
    rows = audit_rows(site_db)
    backwards = [r for r in rows if r.action == "clock_backwards"]
    assert len(backwards) == 1
    assert backwards[0].old_value == "2026-11-24T01:00:00.000000Z"
    assert backwards[0].new_value == "2026-11-23T23:00:00.000000Z"
    with site_db.session() as session:
        assert last_audit_time(session) == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
        assert verify_chain(session).ok


def test_audit_rows_cannot_be_changed_through_the_orm(site_db: Database, ctx: AuditContext) -> None:
    first_save(site_db, ctx)
    with pytest.raises(Exception, match="append-only"), site_db.session() as session:
        set_audit_context(session, ctx)
        row = session.get(AuditRecord, 1)
        assert row is not None
        row.reason = "rewritten"


def test_bulk_orm_writes_of_clinical_data_are_refused(site_db: Database, ctx: AuditContext) -> None:
    form_id = first_save(site_db, ctx)
    with pytest.raises(AuditError, match="bypass the audit trail"), site_db.session() as session:
        set_audit_context(session, dataclasses.replace(ctx, reason="bulk"))
        session.execute(update(ItemData).values(value="0"))
    with pytest.raises(AuditError, match="bypass the audit trail"), site_db.session() as session:
        set_audit_context(session, ctx)
        session.execute(delete(AuditRecord))
    assert items(site_db, form_id)[DOSE] == "12.5"


def test_signatures_and_queries_are_audited(site_db: Database, ctx: AuditContext) -> None:
    form_id = first_save(site_db, ctx)
    with site_db.session() as session:
        set_audit_context(session, ctx)
        session.add(
            User(
                id=1,
                username="inv",
                full_name="Investigator",
                role="investigator",
                password_hash="x",
                created_at=ctx.timestamp(),
                user_oid="U.1",
            )
        )
        session.flush()
        session.add(
            Signature(
                form_data_id=form_id,
                user_id=1,
                printed_name="Investigator",
                meaning="approved as investigator",
                signed_at=ctx.timestamp(),
                content_hash="ab" * 32,
            )
        )
        session.add(
            Query(
                query_oid="Q.1",
                form_data_id=form_id,
                item_group_oid=G,
                group_repeat_key="2",
                item_oid="IT.CM.DOSE_GIVEN",
                text="dose above range?",
                raised_at=ctx.timestamp(),
            )
        )
    with site_db.session() as session:
        set_audit_context(session, dataclasses.replace(ctx, reason="dose corrected"))
        signature = session.scalars(select(Signature)).one()
        signature.valid = False
        query = session.scalars(select(Query)).one()
        query.status = "closed"
    actions = [(r.action, r.path, r.old_value, r.new_value) for r in audit_rows(site_db)[-4:]]
    assert actions == [
        ("sign", "FD-001/SE.COND[-3]/F.CONDADM", None, "approved as investigator " + "ab" * 32),
        (
            "query_raised",
            "FD-001/SE.COND[-3]/F.CONDADM/IG.CONDADM[2]/IT.CM.DOSE_GIVEN",
            None,
            "Q.1",
        ),
        ("signature_invalidated", "FD-001/SE.COND[-3]/F.CONDADM", "approved as investigator", None),
        ("query_status", "Q.1", "open", "closed"),
    ]
