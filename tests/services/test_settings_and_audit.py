"""Site settings (audited) and the audit trail service: chain check, clock sanity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from app.domain.clock import FixedClock
from app.services.audit_trail import audit_rows, clock_warning, verify_audit
from app.services.auth import UserSession
from app.services.errors import InvalidInput, PermissionDenied
from app.services.idle import idle_timeout_minutes
from app.services.permissions import Role
from app.services.settings import get_settings, read_settings, update_settings
from app.services.workspace import Workspace


def test_setup_settings_are_readable_without_login(ws: Workspace) -> None:
    settings = read_settings(ws)
    assert (settings.site_code, settings.site_name) == ("FD", "Fudan Children's")
    assert (settings.idle_timeout_minutes, settings.min_password_length) == (15, 15)
    assert settings.lockout_threshold == 5


def test_changes_are_validated_and_audited(ws: Workspace, admin: UserSession) -> None:
    update_settings(ws, admin, idle_timeout_minutes=5, language="zh_CN")
    assert idle_timeout_minutes(ws) == 5
    assert get_settings(ws, admin).language == "zh_CN"
    row = audit_rows(ws, admin, path_prefix="settings/idle_timeout_minutes")[0]
    assert (row.action, row.old_value, row.new_value) == ("config_change", None, "5")
    with pytest.raises(InvalidInput) as exc:
        update_settings(ws, admin, idle_timeout_minutes=0, site_name="ok")
    assert exc.value.values["field"] == "idle_timeout_minutes"
    with pytest.raises(InvalidInput):
        update_settings(ws, admin, min_password_length=6)
    assert read_settings(ws).site_name == "Fudan Children's"


def test_only_administrators_change_settings(ws: Workspace, staff: dict[Role, UserSession]) -> None:
    with pytest.raises(PermissionDenied):
        update_settings(ws, staff[Role.INVESTIGATOR], idle_timeout_minutes=30)


def test_audit_rows_need_view_audit_and_filter_by_path(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    rows = audit_rows(ws, staff[Role.MONITOR], path_prefix="users/nurse")
    assert rows and all(r.path == "users/nurse" for r in rows)
    assert audit_rows(ws, staff[Role.MONITOR], path_prefix="users/nur") == []
    page = audit_rows(ws, staff[Role.MONITOR], limit=3)
    assert len(page) == 3 and page[0].audit_id > page[-1].audit_id
    older = audit_rows(ws, staff[Role.MONITOR], limit=3, before_id=page[-1].audit_id)
    assert older[0].audit_id == page[-1].audit_id - 1


def test_verify_reports_ok_then_the_first_broken_link(ws: Workspace, admin: UserSession) -> None:
    status = verify_audit(ws)
    assert status.ok and status.rows > 3
    # Someone edits the file outside the app (triggers dropped first).
    with ws.db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS audit_records_no_update"))
        conn.execute(text("UPDATE audit_records SET new_value = 'tampered' WHERE id = 2"))
    status = verify_audit(ws)
    assert not status.ok and status.first_broken_id == 2


def test_a_clock_behind_the_last_audit_row_is_shown_and_recorded(
    ws: Workspace, admin: UserSession, clock: FixedClock
) -> None:
    assert clock_warning(ws) is None
    clock.advance(timedelta(hours=-2))
    warning = clock_warning(ws)
    assert warning is not None and warning.code == "clock.behind"
    assert warning.last_audit_utc - warning.now_utc == timedelta(hours=2)
    actions = [r.action for r in audit_rows(ws, admin, limit=5)]
    assert "clock_warning_shown" in actions and "clock_backwards" in actions
    assert verify_audit(ws).ok
