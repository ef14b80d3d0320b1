"""InfusionPage: the Day 0 stage screen (conditioning and infused): bedside verification state, the
infusion record with its DMSO dose per kg, premedication and reactions, the timed vital-sign grid.

Thin over app.services.stage_infusion: the two-person check is the shared BedsideVerificationDialog
(ui.ward); record_infusion refuses until that check is audited, and the page says why before anyone
types; DMSO g/kg comes from the service after a save and from the domain rule
(app.domain.infusion.dmso_load) while typing. One Save writes the record, premedication/reactions
and the vital signs in one worker job, so a reload of the subject page after the save cannot drop
a half of the edits; unsaved edits are never replaced by a reload and closing asks first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.discard import ask_discard
from ui.form_registry import FormRef, StageBody, register_stage_body
from ui.messages import error_text
from ui.stages.infusion_i18n import Retranslator
from ui.stages.infusion_record import InfusionRecordWidget, RecordProblem
from ui.stages.infusion_vitals import (
    TIME_COLUMN,
    GridProblem,
    VitalGridModel,
    from_stored,
    item_column,
    merge,
    point_text,
    schedule,
    to_vital_rows,
)
from ui.ward.form_widget import FormWidget, ask_reason
from ui.worker import AUDIT, FORMS, SUBJECTS

EVENT, FORM = "SE.DAY0", "F.INFUS"
EXTRA_GROUPS = ("IG.INFUS.PREMED", "IG.INFUS.REACT")
ItemKey = tuple[str, str, str]


def _t(text: str) -> str:
    return QCoreApplication.translate("InfusionPage", text)


def verification_text(verified: bool, values: Mapping[ItemKey, str | None]) -> str:
    """Who verified the bag at the bedside and when, or that nobody has yet."""
    if not verified:
        return "✗ " + _t("Bedside verification: not done yet.")
    first = values.get(("IG.INFUS.VERIF", "1", "IT.INF.VER1_BY")) or "?"
    second = values.get(("IG.INFUS.VERIF", "1", "IT.INF.VER2_BY")) or "?"
    when = values.get(("IG.INFUS.VERIF", "1", "IT.INF.VER2_DTC")) or ""
    return "✓ " + _t("Verified at the bedside by %1 and %2 (%3).").replace("%1", first).replace(
        "%2", second
    ).replace("%3", when.replace("T", " ")[:16])


def dmso_text(g_per_kg: float | None, code: str | None, limit: float | None, live: bool) -> str:
    """'0.44 g/kg · DMSO within limit (≤ 1 g/kg)'; the codes are said by ui.ward.codes."""
    from ui.ward.codes import code_text

    if g_per_kg is None:
        return _t("computed from volume, DMSO concentration and weight")
    text = f"{g_per_kg:.2f} g/kg"
    if code:
        text += " · " + code_text(code)
    if limit is not None:
        text += " " + _t("(limit %1 g/kg)").replace("%1", f"{limit:g}")
    if live:
        text += " · " + _t("as typed, not saved yet")
    return text


class InfusionPage(QWidget):
    """The Day 0 infusion screen of one subject."""

    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        study = context.workspace.require_study()
        self.language = context.language.language
        self.verified = False
        self.values: dict[ItemKey, str | None] = {}
        self.view: Any = None
        self.params: Any = None
        self.reason: str | None = None
        self.confirmations: dict[ItemKey, str] = {}
        self.can_enter = context.can("enter_clinical_data")

        self.i18n = i18n = Retranslator()
        self.heading = i18n.add(
            QLabel(),
            QLabel.setText,
            lambda: f"{ref.subject_key} · " + _t("Day 0: cord blood infusion"),
        )
        self.heading.setObjectName("pageTitle")
        # Verification: who and when, or why the record is locked.
        self.verification = QLabel()
        self.verification.setObjectName("verificationState")
        self.verification.setWordWrap(True)
        self.verify_button = i18n.add(
            QPushButton(), QPushButton.setText, lambda: _t("Bedside verification…")
        )
        self.verify_button.setObjectName("bedside")
        self.verify_button.clicked.connect(self.open_bedside)
        self.verify_button.setVisible(context.can("verify_infusion"))
        self.blocked = QLabel()
        self.blocked.setObjectName("blocked")
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet("color: #b00020; font-weight: bold;")
        verify_box = i18n.add(
            QGroupBox(), QGroupBox.setTitle, lambda: _t("Two-person bedside verification")
        )
        verify_layout = QVBoxLayout(verify_box)
        verify_row = QHBoxLayout()
        verify_row.addWidget(self.verification, 1)
        verify_row.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignTop)
        verify_layout.addLayout(verify_row)
        verify_layout.addWidget(self.blocked)
        # The record.
        self.record = InfusionRecordWidget()
        self.record.edited.connect(self._record_edited)
        record_box = i18n.add(QGroupBox(), QGroupBox.setTitle, lambda: _t("Infusion record"))
        QVBoxLayout(record_box).addWidget(self.record)
        # Premedication and reactions: generated from the study definition (ui.ward.FormWidget).
        form = study.forms[FORM]
        extras = replace(form, groups=tuple(g for g in form.groups if g.oid in EXTRA_GROUPS))
        self.extras = FormWidget(study, extras, self.language)
        self.extras.dirty_changed.connect(lambda _d: self._show_dirty())
        for table in self.extras.tables.values():
            table.setMinimumHeight(110)
            table.setMaximumHeight(160)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The vital-sign grid.
        self.model = VitalGridModel(self)
        self.model.dataChanged.connect(lambda *_: self._show_dirty())
        self.grid = QTableView()
        self.grid.setObjectName("vitalGrid")
        self.grid.setModel(self.model)
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(84)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        # As wide as its columns and as tall as its rows (_fit_grid): the page scrolls.
        self.grid.setSizeAdjustPolicy(QTableView.SizeAdjustPolicy.AdjustToContents)
        self.grid.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid.setEditTriggers(
            QTableView.EditTrigger.AnyKeyPressed
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.DoubleClicked
        )
        self.grid.installEventFilter(self)
        self.grid.itemDelegate().closeEditor.connect(self._editor_closed)
        vitals_box = i18n.add(
            QGroupBox(),
            QGroupBox.setTitle,
            lambda: _t("Vital signs: baseline, every 15 minutes, after the infusion"),
        )
        vitals_layout = QVBoxLayout(vitals_box)
        hint = i18n.add(
            QLabel(),
            QLabel.setText,
            lambda: _t(
                "Type in a cell; Enter moves to the next one. Rows follow the start and end times."
            ),
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        vitals_layout.addWidget(hint)
        self.grid_empty = i18n.add(
            QLabel(),
            QLabel.setText,
            lambda: _t("The rows appear once the infusion start time is typed."),
        )
        self.grid_empty.setObjectName("hint")
        vitals_layout.addWidget(self.grid_empty)
        vitals_layout.addWidget(self.grid, 0, Qt.AlignmentFlag.AlignLeft)
        vitals_layout.addStretch(1)  # spare height below the grid, not between the labels
        # Save.
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.save_button = i18n.add(QPushButton(), QPushButton.setText, lambda: _t("Save"))
        self.save_button.setObjectName("save")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(verify_box)
        body_layout.addWidget(record_box)
        body_layout.addWidget(vitals_box)
        body_layout.addWidget(self.extras)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self._set_editable(False)
        self._fit_grid()
        context.runner.changed.connect(self._on_changed)
        self.reload()

    # --- loading --------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        # Edits are kept over a reload; while locked there is nothing that could have been typed.
        if topic == FORMS and (not self.has_unsaved() or not self.verified):
            self.reload()

    def reload(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key

        def fetch() -> tuple[Any, Any, list[str], Any]:
            from app.domain.infusion import InfusionParams
            from app.services.forms import load_form
            from app.services.stage_common import rule_params
            from app.services.stage_infusion import infusion_view, selected_dins

            view = infusion_view(ws, session, key)
            snapshot = load_form(ws, session, key, EVENT, "", FORM)
            return (
                view,
                snapshot,
                list(selected_dins(ws, key)),
                rule_params(ws, InfusionParams, "infusion"),
            )

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, result: tuple[Any, Any, list[str], Any]) -> None:
        view, snapshot, dins, self.params = result
        self.view, self.verified = view, bool(view.verified)
        self.values = dict(snapshot.values)
        self._show_state()
        self.record.load(self.values, dins, self._local_now().date())
        self.extras.load({k: v for k, v in self.values.items() if k[0] in EXTRA_GROUPS})
        stored = from_stored(view.vital_signs)
        start, end = self.record.safe_times()
        generated = [] if start is None else schedule(start, end, self._local_now(), self.params)
        self.model.set_rows(merge(stored, generated))
        self._fit_grid()
        self._set_editable(self.verified and self.can_enter)
        self._show_dmso()
        self._show_dirty()

    def _show_state(self) -> None:
        """The verification line and, while not verified, why the record is locked."""
        self.verification.setText(verification_text(self.verified, self.values))
        self.verification.setStyleSheet(
            "color: #1b7f3b; font-weight: bold;" if self.verified else "font-weight: bold;"
        )
        self.verify_button.setEnabled(not self.verified)
        if self.verified:
            self.blocked.setText("")
        else:
            self.blocked.setText(
                _t(
                    "The infusion record is locked until two people have verified the bag at "
                    "the bedside: the DIN and its check character must match the selected unit, "
                    "the patient's identity is confirmed and the second person enters their "
                    "password. Use “Bedside verification…”."
                )
            )
        self.blocked.setVisible(not self.verified)

    def changeEvent(self, event: QEvent) -> None:
        """A language switch re-says everything this page wrote (the study's own labels of the
        premedication and reaction tables follow at the next opening)."""
        if event.type() == QEvent.Type.LanguageChange:
            self.i18n.apply()
            self.record.retranslate()
            self.model.headerDataChanged.emit(
                Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1
            )
            if self.model.rowCount():
                self.model.headerDataChanged.emit(
                    Qt.Orientation.Vertical, 0, self.model.rowCount() - 1
                )
            if self.view is not None:
                self._show_state()
                self._show_dmso()
        super().changeEvent(event)

    def _failed(self, exc: Exception) -> None:
        self.message.setText(error_text(exc))

    def _local_now(self) -> datetime:
        """The ward's wall clock (the context clock is UTC; times on Day 0 are local)."""
        clock = self.context.clock
        offset = getattr(clock, "local_offset_minutes", lambda: 0)()
        return clock.now().replace(tzinfo=None) + timedelta(minutes=offset)

    def _set_editable(self, editable: bool) -> None:
        self.record.setEnabled(editable)
        self.extras.setEnabled(editable)
        self.model.read_only = not editable
        self.save_button.setEnabled(editable)

    # --- live feedback --------------------------------------------------------------------
    def _record_edited(self) -> None:
        start, end = self.record.safe_times()
        if start is not None and self.params is not None:  # the rules arrive with the record
            self.model.extend_schedule(schedule(start, end, self._local_now(), self.params))
            self._fit_grid()
        self._show_dmso()
        self._show_dirty()

    def _show_dmso(self) -> None:
        limit = None if self.params is None else self.params.dmso_max_g_per_kg
        if self.record.is_dirty() and self.params is not None:
            from app.domain.infusion import dmso_load

            volume, pct, weight = self.record.numbers()
            try:
                if volume is None or pct is None or weight is None:
                    raise ValueError("incomplete")
                load = dmso_load(volume, pct / 100, weight, self.params)
            except ValueError:
                self.record.dmso.setText(dmso_text(None, None, None, True))
                self.record.dmso.setStyleSheet("")
                return
            self._style_dmso(load.code)
            self.record.dmso.setText(dmso_text(load.g_per_kg, load.code, limit, True))
            return
        view = self.view
        gkg = None if view is None else view.dmso_g_per_kg
        code = None if view is None else view.dmso_code
        self._style_dmso(code)
        self.record.dmso.setText(dmso_text(gkg, code, limit, False))

    def _style_dmso(self, code: str | None) -> None:
        over = code == "infusion.dmso.over_limit"
        self.record.dmso.setStyleSheet(
            "color: #b00020; font-weight: bold;" if over else "font-weight: bold;"
        )

    def _fit_grid(self) -> None:
        """Every time point visible at once: the grid's height follows its rows."""
        self.grid_empty.setVisible(self.model.rowCount() == 0)
        self.grid.setVisible(self.model.rowCount() > 0)
        rows = self.model.rowCount() * self.grid.verticalHeader().defaultSectionSize()
        height = self.grid.horizontalHeader().sizeHint().height()
        height += rows + 2 * self.grid.frameWidth()
        self.grid.setFixedHeight(height)

    def _show_dirty(self) -> None:
        if self.has_unsaved():
            self.message.setText(_t("Changes not saved yet (Ctrl+S saves)."))
        elif self.message.text() == _t("Changes not saved yet (Ctrl+S saves)."):
            self.message.setText("")

    # --- keyboard -------------------------------------------------------------------------
    def _next_cell(self) -> None:
        """Enter: the next cell to the right, then the first measurement of the next row."""
        index = self.grid.currentIndex()
        if index.column() + 1 < self.model.columnCount():
            self.grid.setCurrentIndex(self.model.index(index.row(), index.column() + 1))
        elif index.row() + 1 < self.model.rowCount():
            self.grid.setCurrentIndex(self.model.index(index.row() + 1, TIME_COLUMN + 1))

    def _editor_closed(self, _editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter in the editor
            self._next_cell()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.grid
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._next_cell()
            return True
        return super().eventFilter(watched, event)

    # --- saving ---------------------------------------------------------------------------
    def has_unsaved(self) -> bool:
        return self.record.is_dirty() or self.extras.is_dirty() or self.model.is_dirty()

    def save(self) -> None:
        """Record, premedication/reactions and vital signs in one job (only the parts edited)."""
        record: Any = None
        vitals: list[Any] | None = None
        try:
            if self.record.is_dirty():
                record = self.record.record()
            if self.model.is_dirty():
                start, _end = self.record.times()
                if start is None:
                    raise RecordProblem("start")
                vitals = to_vital_rows(self.model.rows_to_save(), start)
        except GridProblem as problem:
            row = self.model.rows().index(problem.row)
            self.grid.setCurrentIndex(self.model.index(row, problem.column))
            what = _t("not a time (HH:MM)") if problem.column == TIME_COLUMN else _t("not a number")
            self.message.setText(f"{point_text(problem.row)}: {what}")
            return
        except RecordProblem as problem:
            self.message.setText(
                _t("%1: missing or not readable.").replace(
                    "%1", self.record.field_label(problem.field)
                )
            )
            return
        extras = self.extras.changed_values()
        if record is None and vitals is None and not extras:
            return
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key
        reason, confirmations = self.reason, dict(self.confirmations)

        def call() -> Any:
            from app.services import stage_infusion as si
            from app.services.forms import save_form

            # Every part checked first: a refused or unconfirmed value leaves all parts unsaved.
            si.check_day0_values(ws, record, vitals, extras, confirmations)
            if record is not None:
                si.record_infusion(ws, session, key, record, reason, confirmations)
            if extras:
                save_form(ws, session, key, EVENT, "", FORM, extras, reason, confirmations)
            if vitals is not None:
                si.save_vital_signs(ws, session, key, vitals, reason, confirmations)
            return si.infusion_view(ws, session, key)

        self.save_button.setEnabled(False)
        self.context.runner.submit(
            call, self._saved, self._save_failed, owner=self, changes=(FORMS, SUBJECTS, AUDIT)
        )

    def _saved(self, view: Any) -> None:
        self.reason = None
        self.confirmations.clear()
        self.view = view
        self.record.mark_saved()
        self.extras.clear_problems()
        self.extras.load(self.extras.values())
        self.model.set_rows(self.model.rows())
        self._fit_grid()
        self.save_button.setEnabled(True)
        self._show_dmso()
        self.message.setText(_t("Saved."))
        self.reload()

    def _save_failed(self, exc: Exception) -> None:
        from app.services.errors import FormValidationFailed, ReasonRequired
        from app.services.stage_common import NotReady

        self.save_button.setEnabled(self.verified and self.can_enter)
        if isinstance(exc, ReasonRequired):
            self.reason = ask_reason(self)
            if self.reason:
                self.save()
            else:
                self.message.setText(_t("Not saved: a reason for the change is needed."))
            return
        if isinstance(exc, NotReady) and exc.values.get("missing") == "bedside_verification":
            self.message.setText(
                _t("Refused: the infusion cannot be recorded before the bedside verification.")
            )
            return
        if isinstance(exc, FormValidationFailed):
            self._show_problems(exc.values.get("problems", ()))
            return
        self.message.setText(error_text(exc))

    def _show_problems(self, problems: Any) -> None:
        """Hard-range and format problems are listed; soft-range values (record, premedication
        and reactions, the vital-sign grid) are confirmed with a comment and saved again."""
        from ui.ward.soft_range import confirm_soft_values, item_labels

        study_label = item_labels(self.context.workspace.require_study(), self.language)

        def label(key: ItemKey) -> str:
            if key[0] == "IG.INFUS.VS":
                return f"{self._vs_row_text(key[1], key[2])} · {study_label(key)}"
            return study_label(key)

        def mark(key: ItemKey, text: str) -> None:
            if key[0] in EXTRA_GROUPS:
                self.extras.mark_problem(key, text)

        answer = confirm_soft_values(self, problems, label, mark)
        if answer.comments is None:
            self.message.setText(answer.message)
            return
        self.confirmations.update(answer.comments)
        self.save()

    def _vs_row_text(self, repeat: str, item_oid: str) -> str:
        """The time point of IG.INFUS.VS[repeat] in the rows sent (stored order, then new);
        the grid's cursor goes to the cell."""
        rows = self.model.rows_to_save()
        n = int(repeat) if repeat.isdigit() else 0
        if 1 <= n <= len(rows):
            row = rows[n - 1]
            index = self.model.rows().index(row)
            self.grid.setCurrentIndex(self.model.index(index, item_column(item_oid)))
            return point_text(row)
        return repeat

    # --- verification ---------------------------------------------------------------------
    def open_bedside(self) -> Any:
        """The shared two-person dialog; the page reloads when the worker reports the change."""
        from ui.ward.bedside_dialog import BedsideVerificationDialog

        dialog = BedsideVerificationDialog(self.context, self.ref.subject_key, self)
        dialog.open()
        return dialog

    # --- closing --------------------------------------------------------------------------
    def confirm_discard(self) -> bool:
        """True when nothing is unsaved or the user chose to discard it."""
        if not self.has_unsaved():
            return True
        return ask_discard(
            self,
            _t("Unsaved changes"),
            _t("The infusion record has changes that are not saved. Discard them?"),
        )

    def closeEvent(self, event: Any) -> None:
        if self.confirm_discard():
            self.extras.undo_stack.clear()  # Python undo commands go before their C++ stack
            event.accept()
        else:
            event.ignore()


register_stage_body(
    StageBody(
        key="infusion",
        stages=frozenset({"conditioning", "infused"}),
        title=lambda: _t("Day 0 infusion"),
        factory=InfusionPage,
        order=30,
        forms=frozenset({FORM}),  # a worklist task on the infusion form opens this screen
    )
)
