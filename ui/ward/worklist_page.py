"""WorklistPage, "Today on the ward": one row per active subject, what is due and what is wrong.

Alerts come from app.services.worklist (domain rules), never from this screen. Each alert is shown
as text with a symbol and a colour (never colour alone); a row opens the screen of its task.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QWidget

from ui.context import ShellContext
from ui.labels import stage_name
from ui.messages import error_text
from ui.pages.base import Page
from ui.table_model import Column, RowTableModel
from ui.ward.codes import code_text
from ui.worker import AUDIT, FORMS, SUBJECTS

SEVERITY_RANK = {"alert": 2, "warning": 1, "info": 0}
SEVERITY_COLOUR = {"alert": QColor("#f8d0d0"), "warning": QColor("#fde9b8")}
SEVERITY_MARK = {"alert": "‼", "warning": "⚠", "info": "•"}
SIZED_ROWS = 100
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_CELL_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, _BACKGROUND})
_BASE_ROLES = frozenset({Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.UserRole})


def _t(text: str) -> str:
    return QCoreApplication.translate("WorklistPage", text)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "✓ " + _t("done") if value else "✗ " + _t("missing")


def worst(row: Any) -> str | None:
    """The highest severity of the row's alerts (None without alerts)."""
    if not row.alerts:
        return None
    return str(max((a.severity for a in row.alerts), key=lambda s: SEVERITY_RANK.get(s, 0)))


def alert_text(row: Any) -> str:
    return "; ".join(
        f"{SEVERITY_MARK.get(a.severity, '•')} {code_text(a.code, dict(a.values))}"
        for a in sorted(row.alerts, key=lambda a: -SEVERITY_RANK.get(a.severity, 0))
    )


class WorklistModel(RowTableModel[Any]):
    """WorklistRow objects (app.services.worklist) as the charge nurse's table."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cells: dict[int, tuple[list[str], QColor | None]] = {}  # by row, see data()
        self._columns: list[Column[Any]] = [
            Column("subject", lambda: _t("Subject"), lambda r: r.subject_key),
            Column(
                "day",
                lambda: _t("Day"),
                lambda r: "" if r.study_day is None else f"{r.study_day:+d}",
                True,
            ),
            Column("stage", lambda: _t("Stage"), lambda r: stage_name(r.stage)),
            Column("alerts", lambda: _t("Alerts"), alert_text),
            Column(
                "doses",
                lambda: _t("Doses given/due"),
                lambda r: f"{r.doses_given}/{r.doses_due}" if r.doses_due else "",
                True,
            ),
            Column("isolation", lambda: _t("Isolation"), lambda r: _yes_no(r.isolation_done)),
            Column("count", lambda: _t("Blood count"), lambda r: _yes_no(r.count_entered)),
            Column("level", lambda: _t("Drug level"), self._level),
            Column(
                "engraftment",
                lambda: _t("Engraftment"),
                lambda r: (
                    code_text(f"engraftment.status.{r.engraftment_status}")
                    if r.engraftment_status
                    else ""
                ),
            ),
            Column(
                "gvhd",
                lambda: _t("aGVHD grade"),
                lambda r: "" if r.agvhd_grade is None else str(r.agvhd_grade),
                True,
            ),
            Column(
                "infections",
                lambda: _t("Infections open"),
                lambda r: str(r.infections_open) if r.infections_open else "",
                True,
            ),
            Column(
                "deviations",
                lambda: _t("Dose deviations"),
                lambda r: str(r.dose_deviations) if r.dose_deviations else "",
                True,
            ),
            Column("visit", lambda: _t("Follow-up visit"), self._visit),
            Column(
                "queries",
                lambda: _t("Queries"),
                lambda r: str(r.open_queries) if r.open_queries else "",
                True,
            ),
        ]

    def columns(self) -> Sequence[Column[Any]]:
        return self._columns

    @staticmethod
    def _level(r: Any) -> str:
        level = r.drug_level
        if level is None or level.value is None:
            return ""
        return f"{level.drug} {level.value:g} ng/mL"

    @staticmethod
    def _visit(r: Any) -> str:
        visit = r.visit
        if visit is None:
            return ""
        return (
            _t("Month %1: %2 (target %3)")
            .replace("%1", str(visit.month))
            .replace("%2", code_text(f"schedule.visit.{visit.status}", {"month": visit.month}))
            .replace("%3", visit.target.isoformat())
        )

    def set_rows(self, rows: Sequence[Any]) -> None:
        self._cells = {}
        super().set_rows(rows)

    def retranslate(self) -> None:
        self._cells = {}
        super().retranslate()

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks for every role of every cell each time it sizes or paints (500 rows x
        # 14 columns): a row's texts and colour are made once per set_rows, not on every ask.
        if role in _CELL_ROLES:
            if not index.isValid() or index.row() >= len(self._rows):
                return None
            texts, colour = self._row_cells(index.row())
            return colour if role == _BACKGROUND else texts[index.column()]
        if role in _BASE_ROLES:
            return super().data(index, role)
        return None

    def _row_cells(self, row: int) -> tuple[list[str], QColor | None]:
        cells = self._cells.get(row)
        if cells is None:
            data = self.row_at(row)
            texts = [c.value(data) for c in self._columns]
            cells = (
                ["" if t is None else str(t) for t in texts],
                SEVERITY_COLOUR.get(worst(data) or ""),
            )
            self._cells[row] = cells
        return cells


class WorklistPage(Page):
    """The home screen; Enter or double-click opens the row's task."""

    topics = (SUBJECTS, FORMS, AUDIT)
    task_opened = Signal(str, object)  # subject ID, Target (event, repeat, form) of the task

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.model = WorklistModel(self)
        self.table = QTableView()
        self.table.setObjectName("worklist")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Columns fit the rows on screen and the first SIZED_ROWS (Qt measures every cell of up
        # to 1000 rows by default: 0.3 s for 500 subjects); a wider cell elsewhere is elided
        # and its tooltip repeats it.
        header.setResizeContentsPrecision(SIZED_ROWS)
        header.setStretchLastSection(True)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.layout_.addWidget(self.hint)
        self.layout_.addWidget(self.table, 1)
        QShortcut(QKeySequence("F5"), self, self.reload)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.title.setText(_t("Today on the ward"))
        self.hint.setText(
            _t("Enter or double-click opens the task. ‼ alert, ⚠ warning, • to do. F5 refreshes.")
        )
        self.model.retranslate()

    def reload(self) -> None:
        ws, session = self.context.workspace, self.context.session

        def fetch() -> Any:
            from app.services.worklist import build_worklist

            return build_worklist(ws, session)

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, rows: Any) -> None:
        # The header (ResizeToContents) sizes the columns on the reset; resizing here again
        # measured every cell a second time.
        self.model.set_rows(rows)

    def _failed(self, exc: Exception) -> None:
        self.hint.setText(error_text(exc))

    def open_row(self, row: int) -> None:
        data = self.model.row_at(row)
        alerts = sorted(data.alerts, key=lambda a: -SEVERITY_RANK.get(a.severity, 0))
        target = alerts[0].target if alerts else data.opens
        self.task_opened.emit(data.subject_key, target)  # the main window opens it
