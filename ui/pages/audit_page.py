"""AuditPage: the audit trail of any record (filter by path prefix) and a check of the hash chain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from ui.context import ShellContext
from ui.labels import action_name
from ui.messages import error_text
from ui.pages.base import Page
from ui.table_model import Column, RowTableModel
from ui.worker import AUDIT, FORMS, SUBJECTS, USERS

AUDIT_LIMIT = 1000  # rows fetched at once, newest first; a path filter narrows to older ones


def local_time(row: Any) -> str:
    """The row's time in the workstation's zone at the time of writing, with that offset shown."""
    ts = getattr(row, "ts_utc", None)
    if not isinstance(ts, datetime):
        return "" if ts is None else str(ts)
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    offset = int(getattr(row, "utc_offset_minutes", 0) or 0)
    local = ts.astimezone(timezone(timedelta(minutes=offset)))
    sign = "+" if offset >= 0 else "-"
    return f"{local:%Y-%m-%d %H:%M:%S} UTC{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"


def _user(row: Any) -> str:
    for name in ("username", "user", "user_name"):
        value = getattr(row, name, None)
        if value:
            return str(value)
    if getattr(row, "user_id", None) is None:
        return QCoreApplication.translate("AuditTableModel", "system")
    return ""


class AuditTableModel(RowTableModel[Any]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[Column[Any]] = [
            Column("time", lambda: self.tr("Time"), local_time),
            Column("user", lambda: self.tr("User"), _user),
            Column("action", lambda: self.tr("Action"), lambda r: action_name(str(r.action))),
            Column("path", lambda: self.tr("Record"), lambda r: r.path),
            Column("old", lambda: self.tr("Old value"), lambda r: r.old_value),
            Column("new", lambda: self.tr("New value"), lambda r: r.new_value),
            Column("reason", lambda: self.tr("Reason"), lambda r: r.reason),
        ]

    def columns(self) -> Sequence[Column[Any]]:
        return self._columns


class AuditPage(Page):
    topics = (AUDIT, SUBJECTS, FORMS, USERS)

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = AuditTableModel(self)
        self.prefix = QLineEdit()
        self.prefix.setObjectName("auditPrefix")
        self.prefix.setClearButtonEnabled(True)
        self.prefix_label = QLabel()
        self.prefix_label.setBuddy(self.prefix)
        self.filter_button = QPushButton()
        self.verify_button = QPushButton()
        self.verify_button.setObjectName("verifyChain")
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        row.addWidget(self.prefix_label)
        row.addWidget(self.prefix, 1)
        row.addWidget(self.filter_button)
        row.addWidget(self.verify_button)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.table, 1)
        self.prefix.returnPressed.connect(self.reload)
        self.filter_button.clicked.connect(self.reload)
        self.verify_button.clicked.connect(self.verify)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Audit trail"))
        self.prefix_label.setText(self.tr("&Record path starts with"))
        self.prefix.setPlaceholderText(self.tr("for example FD-001/SE.COND"))
        self.filter_button.setText(self.tr("&Filter"))
        self.verify_button.setText(self.tr("&Verify chain"))
        self.model.retranslate()

    def show_prefix(self, prefix: str) -> None:
        self.prefix.setText(prefix)
        self.reload()

    def reload(self) -> None:
        ws, session, prefix = (
            self.context.workspace,
            self.context.session,
            self.prefix.text().strip(),
        )

        def fetch() -> Any:
            from app.services.audit_trail import audit_rows

            return audit_rows(ws, session, prefix, limit=AUDIT_LIMIT)

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, rows: Sequence[Any]) -> None:
        self.model.set_rows(rows)
        self.status.setObjectName("hint")
        if len(rows) >= AUDIT_LIMIT:
            self.status.setText(
                self.tr(
                    "Showing the newest %n records. Filter by record path to see older ones.",
                    "",
                    len(rows),
                )
            )
        else:
            self.status.setText(self.tr("%n audit record(s)", "", len(rows)))
        self.table.resizeColumnsToContents()
        # Long record paths are shortened in the middle so old and new values stay in view.
        for column, widest in ((3, 480), (4, 240), (5, 240)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))

    def _failed(self, exc: Exception) -> None:
        self.status.setObjectName("error")
        self.status.setText(error_text(exc))
        self._repolish()

    def verify(self) -> None:
        ws = self.context.workspace
        self.verify_button.setEnabled(False)
        self.status.setText(self.tr("Checking the hash chain…"))

        def check() -> Any:
            from app.services.audit_trail import verify_audit

            return verify_audit(ws)

        def done(result: Any) -> None:
            self.verify_button.setEnabled(True)
            ok = bool(getattr(result, "ok", False))
            count = int(getattr(result, "rows", getattr(result, "row_count", 0)) or 0)
            if ok:
                self.status.setObjectName("ok")
                self.status.setText(
                    self.tr("The audit trail is intact: %n record(s) checked.", "", count)
                )
            else:
                broken = getattr(result, "first_broken_id", getattr(result, "broken_id", "?"))
                self.status.setObjectName("error")
                self.status.setText(
                    self.tr(
                        "The audit trail is broken at record %1. Report this to the data center."
                    ).replace("%1", str(broken))
                )
            self._repolish()

        def failed(exc: Exception) -> None:
            self.verify_button.setEnabled(True)
            self._failed(exc)

        self.context.runner.submit(check, done, failed, owner=self)

    def _repolish(self) -> None:
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
