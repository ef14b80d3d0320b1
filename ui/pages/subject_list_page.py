"""SubjectListPage: search subjects by ID; names only for roles that may view PHI."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QTableView, QWidget

from ui.context import ShellContext
from ui.labels import stage_name
from ui.messages import error_text
from ui.pages.base import Page
from ui.table_model import Column, RowTableModel
from ui.worker import SUBJECTS


class SubjectListModel(RowTableModel[Any]):
    """Rows are app.services.subjects.SubjectRow(subject_key, stage, name or None)."""

    def __init__(self, show_names: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[Column[Any]] = [
            Column("subject_key", lambda: self.tr("Subject ID"), lambda r: r.subject_key),
            Column("stage", lambda: self.tr("Stage"), lambda r: stage_name(r.stage)),
        ]
        if show_names:
            self._columns.append(Column("name", lambda: self.tr("Name"), lambda r: r.name))

    def columns(self) -> Sequence[Column[Any]]:
        return self._columns


class SubjectListPage(Page):
    subject_opened = Signal(str)
    topics = (SUBJECTS,)

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = SubjectListModel(show_names=context.can("view_phi"), parent=self)
        self.search = QLineEdit()
        self.search.setObjectName("subjectSearch")
        self.search.setClearButtonEnabled(True)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.table = QTableView()
        self.table.setObjectName("subjectTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        row = QHBoxLayout()
        row.addWidget(self.search_label)
        row.addWidget(self.search, 1)
        row.addWidget(self.count_label)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.table, 1)
        # Wait for a pause in typing, so a scanner or fast typist triggers one query, not ten.
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._on_search_enter)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(key),
                self.table,
                lambda: self._open_row(self.table.currentIndex().row()),
                context=Qt.ShortcutContext.WidgetShortcut,
            )
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Subjects"))
        self.search_label.setText(self.tr("&Search subject ID"))
        self.search.setPlaceholderText(self.tr("for example FD-001"))
        self.model.retranslate()
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(self.tr("%n subject(s)", "", self.model.rowCount()))

    def reload(self) -> None:
        ws, session, text = self.context.workspace, self.context.session, self.search.text().strip()

        def fetch() -> Any:
            from app.services.subjects import list_subjects

            return list_subjects(ws, session, text)

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, rows: Sequence[Any]) -> None:
        self.model.set_rows(rows)
        self._show_count()
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _failed(self, exc: Exception) -> None:
        self.count_label.setText(error_text(exc))

    def _on_search_enter(self) -> None:
        # Enter in the search box: refresh now; one exact hit opens straight away (scanner flow).
        self._debounce.stop()
        text = self.search.text().strip().upper()
        exact = [
            r
            for r in range(self.model.rowCount())
            if self.model.row_at(r).subject_key.upper() == text
        ]
        if exact:
            self._open_row(exact[0])
        else:
            self.reload()
            self.table.setFocus()

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.subject_opened.emit(self.model.row_at(row).subject_key)
