"""EngraftmentPage: the daily blood-count grid, recovery days computed live, the ANC/platelet chart.

The grid is a keyboard-first editable table model over plain CountRow values (Enter moves right,
then to the next day). Recovery days are recomputed on every edit by the domain rule
(app.domain.engraftment) with the parameters the service returned; saving goes through
stage_engraftment.save_daily_counts on the worker. Below: drug levels, acute GVHD, infections,
chimerism as read-only tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import engraftment as eng
from ui.context import ShellContext
from ui.discard import ask_discard
from ui.form_registry import FormRef
from ui.messages import error_text
from ui.table_model import Column, RowTableModel
from ui.ward.chart_widget import ChartMarker, ChartPoint, ChartWidget
from ui.ward.codes import code_text
from ui.ward.form_widget import ask_reason
from ui.ward.soft_range import SOFT_RANGE
from ui.worker import AUDIT, FORMS, SUBJECTS

Index = QModelIndex | QPersistentModelIndex
FIELDS = ("anc", "platelets", "hb", "wbc", "lymphocytes", "transfusions")
_PRODUCTS = {"PLT": eng.PLATELETS, "RBC": eng.RED_CELLS}
_DISPLAY, _EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole
_ALIGNMENT, _BACKGROUND = Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.BackgroundRole
_ROLES = frozenset({_DISPLAY, _EDIT, _ALIGNMENT, _BACKGROUND})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_EDITED = QColor("#fff6d5")


def _t(text: str) -> str:
    return QCoreApplication.translate("EngraftmentPage", text)


class CountGridModel(QAbstractTableModel):
    """One row per study day; cells are the typed texts; `edited_rows()` are the changed days."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._original: dict[int, Any] = {}

    def headers(self) -> list[str]:
        return [
            _t("ANC\n10⁹/L"),
            _t("Platelets\n10⁹/L"),
            _t("Hb\ng/L"),
            _t("WBC\n10⁹/L"),
            _t("Lymph.\n10⁹/L"),
            _t("Transfused\nPLT, RBC"),
        ]

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._original = {r.study_day: r for r in rows}
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def edited_rows(self) -> list[Any]:
        return [r for r in self._rows if self._original.get(r.study_day) != r]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIELDS)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Asked for every role of every cell on each paint and column fit (thousands of calls
        # per load): roles the grid does not set are answered first, constants are made once.
        if role not in _ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        field = FIELDS[index.column()]
        if role in (_DISPLAY, _EDIT):
            value = getattr(row, field)
            if field == "transfusions":
                return ", ".join(value)
            return "" if value is None else str(value)
        if role == _ALIGNMENT:
            return None if field == "transfusions" else _RIGHT
        if self._original.get(row.study_day) != row:
            return _EDITED  # not saved yet (the title also says so)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row = self._rows[index.row()]
        field = FIELDS[index.column()]
        text = str(value).strip()
        if field == "transfusions":
            new: Any = tuple(
                p.strip().upper() for p in text.replace(";", ",").split(",") if p.strip()
            )
        else:
            new = text.replace(",", ".") or None
        self._rows[index.row()] = replace(row, **{field: new})
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        row = self._rows[section]
        return _t("Day +%1").replace("%1", str(row.study_day))


def live_status(rows: Sequence[Any], as_of: int, params: Any) -> Any:
    """The domain status computed from the grid as typed (unparseable cells are skipped)."""
    anc: list[eng.Count] = []
    plt: list[eng.Count] = []
    tx: list[eng.Transfusion] = []
    for r in rows:
        for field, out in (("anc", anc), ("platelets", plt)):
            try:
                value = getattr(r, field)
                if value is not None:
                    out.append(eng.Count(r.study_day, float(value)))
            except ValueError:
                pass
        for product in r.transfusions:
            tx.append(eng.Transfusion(r.study_day, _PRODUCTS.get(product, product)))
    return eng.engraftment_status(anc, plt, tx, as_of, params)


class _LogModel(RowTableModel[Any]):
    def __init__(self, columns: list[Column[Any]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = columns

    def columns(self) -> Sequence[Column[Any]]:
        return self._columns


def _d(value: Any) -> str:
    return "" if value is None else str(value)


class EngraftmentPage(QWidget):
    """Stage page of the engraftment stage (and any post-transplant subject)."""

    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        self.params: Any = None
        self.as_of: int | None = None
        self.reason: str | None = None
        self.confirmations: dict[int, dict[str, str]] = {}  # study day -> field -> comment
        # Asked for first: the worker reads the record while the widgets below are built (the
        # answer is handled on the GUI thread, after this constructor).
        self.reload()
        self.heading = QLabel(f"{ref.subject_key} · " + _t("Engraftment"))
        self.heading.setObjectName("pageTitle")
        self.summary = QLabel(_t("Loading…"))  # until the data arrives from the worker
        self.summary.setObjectName("engraftmentSummary")
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.model = CountGridModel(self)
        self.model.dataChanged.connect(lambda *_: self._recompute())
        self.grid = QTableView()
        self.grid.setObjectName("countGrid")
        self.grid.setModel(self.model)
        # Fitted to the contents once per load (_loaded), not in ResizeToContents mode: that mode
        # measured every cell again on each layout, scroll and keystroke (tens of ms each).
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.setEditTriggers(
            QTableView.EditTrigger.AnyKeyPressed
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.DoubleClicked
        )
        self.grid.installEventFilter(self)
        self.chart = ChartWidget()
        self.save_button = QPushButton(_t("Save counts"))
        self.save_button.setObjectName("saveCounts")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save)
        self.tabs = QTabWidget()
        self.levels = _LogModel(
            [
                Column("drug", lambda: _t("Drug"), lambda r: _d(r.drug)),
                Column("when", lambda: _t("Date"), lambda r: _d(r.when)),
                Column("value", lambda: _t("Level (ng/mL)"), lambda r: _d(r.value_ng_ml), True),
                Column(
                    "target",
                    lambda: _t("Target"),
                    lambda r: "" if r.target is None else f"{r.target[0]:g} – {r.target[1]:g}",
                ),
                Column("flag", lambda: _t("Status"), self._level_flag),
            ],
            self,
        )
        self.agvhd = _LogModel(
            [
                Column("when", lambda: _t("Date"), lambda r: _d(r.when)),
                Column("skin", lambda: _t("Skin"), lambda r: _d(r.stages.get("skin"))),
                Column("liver", lambda: _t("Liver"), lambda r: _d(r.stages.get("liver"))),
                Column("ugi", lambda: _t("Upper GI"), lambda r: _d(r.stages.get("upper_gi"))),
                Column("lgi", lambda: _t("Lower GI"), lambda r: _d(r.stages.get("lower_gi"))),
                Column("grade", lambda: _t("Grade (computed)"), lambda r: _d(r.grade)),
            ],
            self,
        )
        self.infections = _LogModel(
            [
                Column("when", lambda: _t("Onset"), lambda r: _d(r.when)),
                Column(
                    "what",
                    lambda: _t("Infection"),
                    lambda r: ", ".join(f"{v}" for k, v in r.values.items() if k != "IT.IN.ONSET"),
                ),
                Column(
                    "open", lambda: _t("Open"), lambda r: _t("open") if r.open else _t("closed")
                ),
            ],
            self,
        )
        self.chimerism = _LogModel(
            [
                Column("when", lambda: _t("Date"), lambda r: _d(r.when)),
                Column("lineage", lambda: _t("Lineage"), lambda r: _d(r.lineage)),
                Column("pct", lambda: _t("Donor %"), lambda r: _d(r.donor_pct), True),
                Column("cat", lambda: _t("Category"), lambda r: _d(r.category)),
            ],
            self,
        )
        # A log table is built when its tab is first shown: a table view is some 30 widgets for
        # the style sheet to polish, and opening the page shows only the first.
        self._log_models = [self.levels, self.agvhd, self.infections, self.chimerism]
        self.log_views: dict[int, QTableView] = {}
        for name in (_t("Drug levels"), _t("Acute GVHD"), _t("Infections"), _t("Chimerism")):
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(holder, name)
        self.tabs.currentChanged.connect(self._build_log)
        self._build_log(0)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.grid, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        top_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(top)
        upper.addWidget(self.chart)
        upper.setSizes([520, 480])
        splitter.addWidget(upper)
        splitter.addWidget(self.tabs)
        splitter.setSizes([420, 180])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        context.runner.changed.connect(self._on_changed)

    def _build_log(self, index: int) -> None:
        holder = self.tabs.widget(index)
        if index in self.log_views or holder is None:
            return
        view = QTableView(holder)
        view.setModel(self._log_models[index])
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        layout = holder.layout()
        assert layout is not None
        layout.addWidget(view)
        self.log_views[index] = view

    def _level_flag(self, r: Any) -> str:
        if r.target is None or r.value_ng_ml is None:
            return ""
        low, high = r.target
        if r.value_ng_ml < low:
            return "▼ " + _t("below target")
        if r.value_ng_ml > high:
            return "▲ " + _t("above target")
        return _t("within target")

    def _on_changed(self, topic: str) -> None:
        if topic == FORMS and not self.model.edited_rows():
            self.reload()

    def reload(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key

        def fetch() -> dict[str, Any]:
            from dataclasses import fields

            from app.services.stage_engraftment import engraftment_page_data

            page = engraftment_page_data(ws, session, key)  # one read of the record
            return {f.name: getattr(page, f.name) for f in fields(page)}

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, result: dict[str, Any]) -> None:
        self.params = result["params"]
        summary = result["summary"]
        self.as_of = summary.as_of_day
        self.model.set_rows(result["counts"])
        self.levels.set_rows(result["levels"])
        self.agvhd.set_rows(result["agvhd"])
        self.infections.set_rows(result["infections"])
        self.chimerism.set_rows(result["chimerism"])
        if self.as_of is None:
            self.summary.setText(_t("Day 0 is not recorded yet: no counts to enter."))
        self._recompute()
        self.grid.resizeColumnsToContents()
        last = self.model.rowCount() - 1
        if last >= 0:
            self.grid.setCurrentIndex(self.model.index(last, 0))
            self.grid.scrollTo(self.model.index(last, 0))

    def _failed(self, exc: Exception) -> None:
        self.summary.clear()  # not loading any more
        self.message.setText(error_text(exc))

    def _recompute(self) -> None:
        """Recovery days and status from the grid as typed; the chart follows."""
        if self.params is None or self.as_of is None:
            return
        rows = self.model.rows()
        status = live_status(rows, self.as_of, self.params)
        self.status = status
        n_day, p_day = status.neutrophil.day, status.platelet.day
        dash = "—"
        self.summary.setText(
            _t("Day +%1 · %2 · Neutrophil engraftment: %3 · Platelet engraftment: %4")
            .replace("%1", str(self.as_of))
            .replace("%2", code_text(status.code))
            .replace("%3", _t("Day +%1").replace("%1", str(n_day)) if n_day else dash)
            .replace("%4", _t("Day +%1").replace("%1", str(p_day)) if p_day else dash)
        )
        alert = status.status in (
            "warning_day28",
            "primary_graft_failure",
            "secondary_graft_failure",
        )
        self.summary.setStyleSheet(
            "color: #b00020; font-weight: bold;" if alert else "font-weight: bold;"
        )
        points = [ChartPoint(r.study_day, _f(r.anc), _f(r.platelets)) for r in rows]
        markers = []
        if n_day:
            markers.append(ChartMarker(n_day, _t("Neutrophils Day +%1").replace("%1", str(n_day))))
        if p_day:
            markers.append(ChartMarker(p_day, _t("Platelets Day +%1").replace("%1", str(p_day))))
        self.chart.set_data(
            points,
            self.params.anc_min_e9_per_l,
            self.params.platelet_min_e9_per_l,
            markers,
            (_t("ANC (10⁹/L)"), _t("Platelets (10⁹/L)"), _t("Study day")),
        )
        edited = len(self.model.edited_rows())
        self.message.setText(
            _t("%1 day(s) changed, not saved yet.").replace("%1", str(edited)) if edited else ""
        )

    def save(self) -> None:
        rows = self.model.edited_rows()
        if not rows:
            return
        ws, session, key, reason = (
            self.context.workspace,
            self.context.session,
            self.ref.subject_key,
            self.reason,
        )
        confirmations = {day: dict(fields) for day, fields in self.confirmations.items()}

        def call() -> int:
            from app.services.stage_engraftment import save_daily_counts

            return save_daily_counts(ws, session, key, rows, reason, confirmations)

        self.context.runner.submit(
            call, self._saved, self._save_failed, owner=self, changes=(FORMS, SUBJECTS, AUDIT)
        )

    def _saved(self, changed: int) -> None:
        self.reason = None
        self.confirmations = {}
        self.message.setText(_t("Saved: %1 value(s).").replace("%1", str(changed)))
        self.model.set_rows(self.model.rows())
        self.reload()

    def _save_failed(self, exc: Exception) -> None:
        from app.services.errors import FormValidationFailed, ReasonRequired

        if isinstance(exc, ReasonRequired):
            self.reason = ask_reason(self)
            if self.reason:
                self.save()
            return
        if isinstance(exc, FormValidationFailed):
            self._confirm_or_list(tuple(exc.values.get("problems", ())))
            return
        self.message.setText(error_text(exc))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.grid
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            index = self.grid.currentIndex()
            if index.column() + 1 < self.model.columnCount():
                self.grid.setCurrentIndex(self.model.index(index.row(), index.column() + 1))
            elif index.row() + 1 < self.model.rowCount():
                self.grid.setCurrentIndex(self.model.index(index.row() + 1, 0))
            return True
        return super().eventFilter(watched, event)

    def _confirm_or_list(self, problems: tuple[Any, ...]) -> None:
        """Values outside their soft range only: a comment per cell, then the grid is saved
        again; a cancelled comment saves nothing and keeps the grid as typed. Any other problem
        (hard range, not a number) is listed by day and column: nothing is saved."""
        from ui.ward.form_widget import _problem_text, ask_soft_confirmation

        if problems and all(p.code == SOFT_RANGE for p in problems):
            for p in problems:
                low, high = p.values.get("low"), p.values.get("high")
                comment = ask_soft_confirmation(self, self._cell_label(p), low, high)
                if comment is None:
                    self.confirmations = {}
                    self.message.setText(_t("Not saved: values outside the expected range."))
                    return
                self.confirmations.setdefault(p.values["study_day"], {})[p.values["field"]] = (
                    comment
                )
            self.save()
            return
        self.message.setText(
            _t("Not saved:")
            + "\n"
            + "\n".join(
                f"{self._cell_label(p)}: {_problem_text(p.code, p.values)}" for p in problems
            )
        )

    def _cell_label(self, problem: Any) -> str:
        """'Day +12, ANC' for a problem of the grid (its study day and column)."""
        field = problem.values.get("field")
        column = FIELDS.index(field) if field in FIELDS else None
        name = problem.key[2] if column is None else self.model.headers()[column].split("\n")[0]
        day = _t("Day +%1").replace("%1", str(problem.values.get("study_day", "?")))
        return f"{day}, {name}"

    def has_unsaved(self) -> bool:
        return bool(self.model.edited_rows())

    def confirm_discard(self) -> bool:
        """True when no count is unsaved, or the user chose to discard the typed counts."""
        if not self.has_unsaved():
            return True
        return ask_discard(
            self,
            _t("Unsaved changes"),
            _t("The blood count grid has changes that are not saved. Discard them?"),
        )


def _f(text: str | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None
