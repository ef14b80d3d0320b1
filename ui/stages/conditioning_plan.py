"""PlanWidget: the conditioning regimen plan, Day -N to Day -1, which a physician adjusts and saves.

A regimen template (schedule.yaml, through stage_conditioning.regimen_template) fills the rows; the
physician sets the drug, dose basis (mg/m² or mg/kg), dose and days, and the dosing weight and
height. BSA and each daily dose are computed as typed (PlanModel); saving goes through
stage_conditioning.save_conditioning_plan, which stores the derived values. Only prescribers
(roles that select the unit: physicians, investigators) edit the plan; everyone else reads it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import conditioning as rules
from app.domain import schedule
from ui.context import ShellContext
from ui.form_registry import FormRef
from ui.messages import error_text
from ui.stages.conditioning_dialogs import ItemKey, submit_with_reason
from ui.stages.conditioning_models import (
    DOSE_BASES,
    PLAN_FIELDS,
    DrugNames,
    PlanModel,
    basis_text,
    fmt,
    number,
)

Index = QModelIndex | QPersistentModelIndex


def _t(text: str) -> str:
    return QCoreApplication.translate("ConditioningPage", text)


class ChoiceDelegate(QStyledItemDelegate):
    """Drug and dose-basis cells edit with a combo box (typing the first letters picks)."""

    def __init__(self, names: DrugNames, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names = names

    def _choices(self, index: Index) -> list[tuple[str, str]]:
        if PLAN_FIELDS[index.column()] == "drug":
            return [(code, self.names.name(code)) for code in self.names.codes()]
        return [(basis, basis_text(basis)) for basis in DOSE_BASES]

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        if PLAN_FIELDS[index.column()] not in ("drug", "dose_basis"):
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for code, text in self._choices(index):
            combo.addItem(text, code)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class PlanWidget(QWidget):
    saved = Signal(object)  # ConditioningPlanView

    def __init__(
        self,
        context: ShellContext,
        ref: FormRef,
        names: DrugNames,
        params: rules.ConditioningParams,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.ref, self.names, self.params = context, ref, names, params
        self.view: Any = None
        self._loaded_fields: tuple[str, ...] = ()
        study = context.workspace.require_study()
        self.intensities = study.codelists["CL.CONDINT"].items
        templates = study.rules.params(schedule.ScheduleParams, "schedule").regimens
        self.template = QComboBox()
        self.template.setObjectName("template")
        for name in templates:
            self.template.addItem(name, name)
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("applyTemplate")
        self.apply_button.clicked.connect(self.apply_template)
        self.regimen = QLineEdit()
        self.regimen.setObjectName("regimen")
        self.intensity = QComboBox()
        self.intensity.setObjectName("intensity")
        for item in self.intensities:
            self.intensity.addItem("", item.code)  # labels: retranslate()
        self.weight = QLineEdit()
        self.weight.setObjectName("weight")
        self.height_cm = QLineEdit()
        self.height_cm.setObjectName("height")
        self.target = QLineEdit()
        self.target.setObjectName("busulfanTarget")
        self.target.setPlaceholderText(
            f"{fmt(params.busulfan_target_auc_low_mg_h_per_l)} – "
            f"{fmt(params.busulfan_target_auc_high_mg_h_per_l)}"
        )
        self.bsa = QLabel()
        self.bsa.setObjectName("bsa")
        self.model = PlanModel(names, params, self)
        self.table = QTableView()
        self.table.setObjectName("planTable")
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChoiceDelegate(names, self.table))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(
            QTableView.EditTrigger.AnyKeyPressed
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.DoubleClicked
        )
        self.table.installEventFilter(self)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addDrug")
        self.add_button.clicked.connect(self.add_drug)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeDrug")
        self.remove_button.clicked.connect(self.remove_drug)
        self.save_button = QPushButton()
        self.save_button.setObjectName("savePlan")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setObjectName("planMessage")
        self.message.setWordWrap(True)

        self.labels = [QLabel() for _ in range(7)]
        top = QHBoxLayout()
        top.addWidget(self.labels[0])
        top.addWidget(self.template)
        top.addWidget(self.apply_button)
        top.addStretch(1)
        form = QFormLayout()
        rows = (self.regimen, self.intensity, self.weight, self.height_cm, self.bsa, self.target)
        for label, widget in zip(self.labels[1:], rows, strict=True):
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        # Enter moves on: regimen, weight, height, target, then the first cell of the plan.
        chain: list[QLineEdit] = [self.regimen, self.weight, self.height_cm, self.target]
        for first, second in itertools.pairwise(chain):
            first.returnPressed.connect(second.setFocus)
        self.target.returnPressed.connect(self._into_table)
        for edit in (self.weight, self.height_cm):
            edit.textChanged.connect(self._measures_changed)
        for box in (self.regimen, self.weight, self.height_cm, self.target, self.intensity):
            box.setMaximumWidth(320)
        self.retranslate()
        self.set_editable(context.can("select_unit"))
        self._loaded_fields = self._fields()  # empty: nothing typed yet

    def retranslate(self) -> None:
        """Every fixed text in the current language (also on a language switch)."""
        language = self.context.language.language
        texts = (_t("Template"), _t("Regimen"), _t("Intensity"), _t("Dosing weight (kg)"),
                 _t("Dosing height (cm)"), _t("Body surface area"),
                 _t("Busulfan target cumulative AUC (mg·h/L)"))  # fmt: skip
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        for index, item in enumerate(self.intensities):
            self.intensity.setItemText(index, item.label.get(language))
        self.apply_button.setText(_t("Apply template"))
        self.add_button.setText(_t("Add drug"))
        self.remove_button.setText(_t("Remove drug"))
        self.save_button.setText(_t("Save plan"))
        self.model.retranslate()
        self._measures_changed()
        if not self.model.editable:
            self.message.setText(_t("The plan is prescribed by a physician; you can read it here."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- state -----------------------------------------------------------------------------
    def set_editable(self, editable: bool) -> None:
        """Prescribing is a physician's task (issue 4); other roles see the plan read-only."""
        self.model.editable = editable
        for widget in (self.template, self.apply_button, self.intensity, self.add_button,
                       self.remove_button, self.save_button):  # fmt: skip
            widget.setEnabled(editable)
        for edit in (self.regimen, self.weight, self.height_cm, self.target):
            edit.setReadOnly(not editable)
        if not editable:
            self.message.setText(_t("The plan is prescribed by a physician; you can read it here."))

    def _fields(self) -> tuple[str, ...]:
        return (self.regimen.text().strip(), str(self.intensity.currentData()),
                self.weight.text().strip(), self.height_cm.text().strip(),
                self.target.text().strip())  # fmt: skip

    def is_dirty(self) -> bool:
        return self.model.is_dirty() or self._fields() != self._loaded_fields

    def show_plan(self, view: Any) -> None:
        """Shows the stored plan (the caller keeps unsaved edits by not calling this)."""
        self.view = view
        self.regimen.setText(view.regimen or "")
        index = self.intensity.findData(view.intensity or "MAC")
        self.intensity.setCurrentIndex(max(0, index))
        self.weight.setText(fmt(view.weight_kg, 2))
        self.height_cm.setText(fmt(view.height_cm, 1))
        self.target.setText(fmt(view.busulfan_target_mg_h_l, 1))
        self.model.load(view.drugs)
        self._loaded_fields = self._fields()
        self._measures_changed()

    def _measures_changed(self) -> None:
        self.model.set_measures(number(self.weight.text()), number(self.height_cm.text()))
        bsa = self.model.bsa()
        self.bsa.setText("–" if bsa is None else f"{fmt(bsa, 2)} m² ({_t('Mosteller')})")

    def _into_table(self) -> None:
        self.table.setFocus()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    # --- editing ---------------------------------------------------------------------------
    def apply_template(self) -> None:
        ws, name = self.context.workspace, str(self.template.currentData())

        def call() -> Any:
            from app.services.stage_conditioning import regimen_template

            return regimen_template(ws, name)

        def done(drugs: Any) -> None:
            self.model.replace_rows(drugs)
            if not self.regimen.text().strip():
                self.regimen.setText(name)
            self.message.setText(
                _t("Template applied: enter each dose, check the days, then save.")
            )
            self._into_table()

        self.context.runner.submit(
            call, done, lambda exc: self.message.setText(error_text(exc)), owner=self
        )

    def add_drug(self) -> None:
        row = self.model.add_row()
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.setFocus()

    def remove_drug(self) -> None:
        self.model.remove_row(self.table.currentIndex().row())

    def problems(self) -> list[str]:
        """Why the plan cannot be saved yet, in words; checked before anything is sent."""
        out = []
        if not self.regimen.text().strip():
            out.append(_t("Enter the regimen name."))
        weight, height = number(self.weight.text()), number(self.height_cm.text())
        if weight is None or weight <= 0 or height is None or height <= 0:
            out.append(_t("Enter the dosing weight and height."))
        if self.target.text().strip() and number(self.target.text()) is None:
            out.append(_t("The busulfan target is not a number."))
        if not self.model.rowCount():
            out.append(_t("The plan has no drugs."))
        for n, row in enumerate(self.model.rows(), start=1):
            for problem in row.problems():
                out.append(
                    _t("Row %1 (%2): %3")
                    .replace("%1", str(n))
                    .replace("%2", self.names.name(row.drug))
                    .replace("%3", problem)
                )
        return out

    def save(self) -> None:
        problems = self.problems()
        if problems:
            self.message.setText(_t("Not saved:") + "\n" + "\n".join(problems))
            return
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key
        regimen, intensity = self.regimen.text().strip(), str(self.intensity.currentData())
        weight, height = number(self.weight.text()), number(self.height_cm.text())
        target = number(self.target.text())
        drugs = [row.to_plan_drug() for row in self.model.rows()]
        assert weight is not None and height is not None

        def call(reason: str | None, confirmations: Mapping[ItemKey, str]) -> Any:
            from app.services.stage_conditioning import save_conditioning_plan

            return save_conditioning_plan(ws, session, key, regimen, weight, height, drugs,
                                          intensity, target, reason, confirmations)  # fmt: skip

        self.save_button.setEnabled(False)
        submit_with_reason(self.context, self, call, self._saved, self._failed)

    def _saved(self, view: Any) -> None:
        self.save_button.setEnabled(True)
        self.show_plan(view)
        self.message.setText(
            _t("Plan saved: Day %1 to Day -1.").replace(
                "%1", str(view.days[0]) if view.days else ""
            )
        )
        self.saved.emit(view)

    def _failed(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(text)

    # --- keyboard: Enter moves on in the grid -------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            current = self.table.currentIndex()
            column = current.column() + 1
            row = current.row()
            if column >= len(PLAN_FIELDS) - 1:  # the calculated column is not typed
                column, row = 0, row + 1
            if row < self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(row, column))
            else:
                self.save_button.setFocus()
            return True
        return super().eventFilter(watched, event)
