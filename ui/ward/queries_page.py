"""Data queries: the query list (answer, close) and the query actions of a form page.

A data manager or monitor raises a query on an item; the site answers; the raiser closes it
(app.services.queries decides who may). The form page marks items with open queries and offers
"Raise query…" on an item label and "Mark source-data verified" to monitors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from app.study.model import StudyDefinition
from ui.context import ShellContext
from ui.messages import error_text
from ui.pages.base import Page
from ui.table_model import Column, RowTableModel
from ui.worker import AUDIT, FORMS

QUERIES = "queries"


def _t(text: str) -> str:
    return QCoreApplication.translate("QueriesPage", text)


def status_text(status: str) -> str:
    texts = {"open": _t("open"), "answered": _t("answered"), "closed": _t("closed")}
    return texts.get(status, status)


def _oid_path(r: Any) -> str:
    repeat = f"[{r.repeat_key}]" if r.repeat_key else ""
    return f"{r.event_oid}{repeat} · {r.form_oid} · {r.item[2]}"


def readable_path(study: StudyDefinition, language: str) -> Callable[[Any], str]:
    """'Day +3 · Full blood count · ANC' for a query row: the study's labels, in `language`
    (the OIDs where the study does not know one); a repeat of a daily event by its study day."""

    def where(r: Any) -> str:
        try:
            event = study.event(r.event_oid).label.get(language)
            form = study.form(r.form_oid).label.get(language)
            item = study.item(r.item[2]).label.get(language)
        except (KeyError, StopIteration):  # not in this study version
            return _oid_path(r)
        if r.repeat_key.lstrip("-").isdigit():
            event += " · " + _t("Day %1").replace("%1", f"{int(r.repeat_key):+d}")
        return f"{event} · {form} · {item}"

    return where


class QueryListModel(RowTableModel[Any]):
    """QueryRow objects of app.services.queries."""

    def __init__(
        self, parent: QObject | None = None, where: Callable[[Any], str] | None = None
    ) -> None:
        super().__init__(parent)
        self._columns: list[Column[Any]] = [
            Column("subject", lambda: _t("Subject"), lambda r: r.subject_key),
            Column("where", lambda: _t("Visit · form · item"), where or _oid_path),
            Column("status", lambda: _t("Status"), lambda r: status_text(r.status)),
            Column("text", lambda: _t("Query"), lambda r: r.text),
            Column("answer", lambda: _t("Answer"), lambda r: r.answer or ""),
            Column("by", lambda: _t("Raised by"), lambda r: r.raised_by or _t("data center")),
        ]

    def columns(self) -> Sequence[Column[Any]]:
        return self._columns


_FIT = QHeaderView.ResizeMode.ResizeToContents
_STRETCH = QHeaderView.ResizeMode.Stretch


class QueriesPage(Page):
    """Every query of the site, filtered by status; answer or close the selected one."""

    topics = (FORMS, AUDIT, QUERIES)

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.status_filter = QComboBox()
        self.model = QueryListModel(self, self._where)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((_FIT, _FIT, _FIT, _STRETCH, _STRETCH, _FIT)):
            header.setSectionResizeMode(column, mode)
        self.answer_button = QPushButton()
        self.answer_button.clicked.connect(self.answer_selected)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close_selected)
        self.message = QLabel()
        self.message.setObjectName("hint")
        bar = QHBoxLayout()
        bar.addWidget(self.status_filter)
        bar.addStretch(1)
        bar.addWidget(self.answer_button)
        bar.addWidget(self.close_button)
        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.message)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.retranslate()
        self.reload()

    def _where(self, row: Any) -> str:
        study = self.context.workspace.study
        if study is None:
            return _oid_path(row)
        return readable_path(study, self.context.language.language)(row)

    def retranslate(self) -> None:
        self.title.setText(_t("Data queries"))
        self.answer_button.setText(_t("Answer…"))
        self.close_button.setText(_t("Close query"))
        current = self.status_filter.currentIndex()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        for code, text in (("", _t("All")), ("open", _t("open")), ("answered", _t("answered")),
                           ("closed", _t("closed"))):  # fmt: skip
            self.status_filter.addItem(text, code)
        self.status_filter.setCurrentIndex(max(current, 0))
        self.status_filter.blockSignals(False)
        self.model.retranslate()

    def reload(self) -> None:
        ws, session = self.context.workspace, self.context.session
        status = self.status_filter.currentData() or None

        def fetch() -> Any:
            from app.services.queries import QueryFilter, list_queries

            return list_queries(ws, session, QueryFilter(status=status))

        self.context.runner.submit(fetch, self.model.set_rows, self._failed, owner=self)

    def _failed(self, exc: Exception) -> None:
        self.message.setText(error_text(exc))

    def _selected(self) -> Any:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def answer_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        text, ok = QInputDialog.getText(self, _t("Answer query"), row.text)
        if not ok or not text.strip():
            return
        ws, session = self.context.workspace, self.context.session

        def call() -> Any:
            from app.services.queries import answer_query

            return answer_query(ws, session, row.query_oid, text.strip())

        self.context.runner.submit(call, None, self._failed, owner=self, changes=(QUERIES, AUDIT))

    def close_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        ws, session = self.context.workspace, self.context.session

        def call() -> Any:
            from app.services.queries import close_query

            return close_query(ws, session, row.query_oid)

        self.context.runner.submit(call, None, self._failed, owner=self, changes=(QUERIES, AUDIT))


def raise_query_on(page: Any, key: tuple[str, str, str]) -> None:
    """Ask the query text and raise it on `key` of the form page's form (data manager, monitor)."""
    text, ok = QInputDialog.getText(page, _t("Raise query"), _t("Query on this item:"))
    if not ok or not text.strip():
        return
    ws, session, ref = page.context.workspace, page.context.session, page.ref

    def call() -> Any:
        from app.services.queries import raise_query

        return raise_query(
            ws, session, ref.subject_key, ref.event_oid, ref.repeat_key, ref.form_oid, key, text
        )

    page.context.runner.submit(
        call, lambda _r: page.reload(), page._failed, owner=page, changes=(QUERIES, AUDIT)
    )


def install_item_menus(page: Any) -> None:
    """A right-click menu on every item label of a FormPage: Raise query… (if allowed)."""
    if not page.context.can("raise_query"):
        return
    for key, label in page.form_widget.labels.items():
        label.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        from PySide6.QtGui import QAction

        action = QAction(_t("Raise query…"), label)
        action.triggered.connect(lambda _=False, k=key: raise_query_on(page, k))
        label.addAction(action)
