"""Table models tested without a view: columns, cell texts, PHI column by role, translated headers."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from app.services.audit_trail import AuditRow
from app.services.permissions import Role
from app.services.subjects import SubjectRow
from app.services.users import UserRow
from ui.pages.audit_page import AuditTableModel
from ui.pages.subject_list_page import SubjectListModel
from ui.pages.users_page import UsersTableModel

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
ROWS = [
    SubjectRow("FD-001", "conditioning", T0, name="Wang Xiaoming"),
    SubjectRow("FD-002", "follow_up", T0, name="Li Hua"),
]


def texts(model, column):
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_subject_list_shows_names_only_when_allowed(qapp):
    with_phi = SubjectListModel(show_names=True)
    with_phi.set_rows(ROWS)
    without = SubjectListModel(show_names=False)
    without.set_rows([SubjectRow("FD-001", "conditioning", T0)])

    assert with_phi.column_keys() == ["subject_key", "stage", "name"]
    assert texts(with_phi, 2) == ["Wang Xiaoming", "Li Hua"]
    assert without.column_keys() == ["subject_key", "stage"]
    assert without.columnCount() == 2


def test_subject_list_translates_stage_codes(qapp):
    model = SubjectListModel(show_names=False)
    model.set_rows(ROWS)

    assert texts(model, 0) == ["FD-001", "FD-002"]
    assert texts(model, 1) == ["Conditioning", "Follow-up"]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Subject ID"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) is ROWS[0]


def test_audit_model_shows_local_time_with_offset_and_system_rows(qapp):
    model = AuditTableModel()
    model.set_rows(
        [
            AuditRow(
                1,
                T0,
                480,
                "admin",
                "update",
                "FD-001/SE.COND[-3]/F.X/IG.X[1]/IT.A",
                "1",
                "2",
                "typo",
            ),
            AuditRow(2, T0, 480, None, "insert", "FD-002", None, "screening", None),
        ]
    )

    assert texts(model, 0)[0] == "2026-11-24 09:00:00 UTC+08:00"
    assert texts(model, 1) == ["admin", "system"]
    assert texts(model, 2) == ["Changed", "Entered"]
    assert texts(model, 4) == ["1", ""]
    assert texts(model, 6) == ["typo", ""]


def test_users_model_rows(qapp):
    model = UsersTableModel()
    model.set_rows(
        [
            UserRow(1, "admin", "Ada Admin", Role.ADMINISTRATOR, True, False, 0, T0),
            UserRow(2, "nn", "Nina Nurse", Role.NURSE, True, True, 5, T0),
        ]
    )

    assert texts(model, 2) == ["Administrator", "Nurse"]
    assert texts(model, 4) == ["No", "Yes"]
    assert texts(model, 5) == ["0", "5"]
    assert model.data(model.index(1, 5), Qt.ItemDataRole.TextAlignmentRole) is not None
    assert model.rowCount(model.index(0, 0)) == 0  # a table has no children
