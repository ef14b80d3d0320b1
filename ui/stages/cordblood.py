"""CordBloodPage: the cord blood unit stage screen (issue 4, subject page item 2).

Shown as a tab under the stage stepper while the subject is enrolled or has a unit selected. On
top, the candidate units with match x/6 and x/8, doses per kg and warnings as the services assess
them (refreshed whenever forms change: a new unit, a corrected typing, a new weight); below, the
entry of a candidate unit (UnitEntryWidget) and of the recipient's HLA typing (the generated
F.HLAR FormWidget). A physician selects one or two units (UnitSelectionDialog, signed with the
password); a selected unit's receipt is recorded (UnitReceiptDialog).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.discard import ask_discard
from ui.form_registry import FormRef, StageBody, register_stage_body
from ui.messages import error_text
from ui.stages.cordblood_data import CordBloodData, code_text, fetch_cord_blood
from ui.stages.cordblood_dialogs import UnitReceiptDialog, UnitSelectionDialog
from ui.stages.cordblood_entry import UnitEntryWidget
from ui.stages.cordblood_model import CandidateUnitModel
from ui.ward.form_widget import FormSaver, FormWidget
from ui.worker import FORMS, SUBJECTS

SELECT_UNIT = "select_unit"  # app.services.permissions.Permission.SELECT_UNIT
ENTER_CLINICAL_DATA = "enter_clinical_data"


def _t(text: str) -> str:
    return QCoreApplication.translate("CordBloodPage", text)


class CordBloodPage(QWidget):
    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        self.data: CordBloodData | None = None
        study = context.workspace.require_study()
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("cordBloodSummary")
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.model = CandidateUnitModel(study, lambda: context.language.language, self)
        self.table = QTableView()
        self.table.setObjectName("candidateUnits")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("editUnit")
        self.edit_button.clicked.connect(self.edit_current)
        self.select_button = QPushButton()
        self.select_button.setObjectName("selectUnits")
        self.select_button.clicked.connect(self.open_selection)
        self.receipt_button = QPushButton()
        self.receipt_button.setObjectName("recordReceipt")
        self.receipt_button.clicked.connect(self.open_receipt)
        self.entry = UnitEntryWidget(context, ref.subject_key)
        self.entry.saved.connect(lambda _key: self.reload())
        hla_form = study.forms["F.HLAR"]
        self.hla_widget = FormWidget(study, hla_form, context.language.language)
        self.hla_ref = FormRef(ref.subject_key, "SE.ENROL", "", "F.HLAR", ref.stage)
        self.hla_saver = FormSaver(context, self.hla_ref, self.hla_widget, self)
        self.hla_saver.saved.connect(lambda _r: self._hla_saved())
        self.hla_status = QLabel()
        self.hla_status.setObjectName("hlaStatus")
        self.hla_status.setWordWrap(True)
        self.hla_saver.failed.connect(self.hla_status.setText)
        self.hla_save = QPushButton()
        self.hla_save.setObjectName("saveHla")
        self.hla_save.clicked.connect(lambda: self.hla_saver.save())
        self.entry_tabs = QTabWidget()
        self.entry_tabs.setObjectName("entryTabs")
        self.entry_tabs.addTab(self.entry, "")
        self.entry_tabs.addTab(self._hla_tab(), "")
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.select_button)
        buttons.addWidget(self.receipt_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.summary)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.entry_tabs)
        splitter.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        self._retranslate()
        self._update_buttons()
        context.runner.changed.connect(self._on_changed)
        self.reload()

    def _hla_tab(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.hla_widget)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addWidget(self.hla_status, 1)
        row.addWidget(self.hla_save)
        layout.addLayout(row)
        return tab

    def _retranslate(self) -> None:
        self.heading.setText(f"{self.ref.subject_key} · " + _t("Cord blood unit"))
        self.edit_button.setText(_t("Edit selected candidate"))
        self.select_button.setText(_t("Select unit(s)…"))
        self.receipt_button.setText(_t("Record receipt…"))
        self.hla_save.setText(_t("Save recipient HLA"))
        self.entry_tabs.setTabText(0, _t("Candidate unit"))
        self.entry_tabs.setTabText(1, _t("Recipient HLA"))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self.data is not None:
                self._loaded(self.data)
        super().changeEvent(event)

    # --- data ----------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topic in (FORMS, SUBJECTS):
            self.reload()

    def reload(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key
        self.context.runner.submit(
            lambda: fetch_cord_blood(ws, session, key), self._loaded, self._failed, owner=self
        )

    def _loaded(self, data: CordBloodData) -> None:
        self.data = data
        current = self.table.currentIndex().row()
        self.model.dose_params = data.dose_params
        self.model.set_rows(data.rows)
        if 0 <= current < self.model.rowCount():
            self.table.selectRow(current)
        self.entry.set_data(data)
        if not self.hla_widget.is_dirty():
            self.hla_widget.load(data.recipient)
        self.summary.setText(self._summary(data))
        self._update_buttons()

    def _failed(self, exc: Exception) -> None:
        self.message.setText(error_text(exc))

    def _summary(self, data: CordBloodData) -> str:
        weight = (
            _t("Weight %1 kg").replace("%1", f"{data.weight_kg:g}")
            if data.weight_kg is not None
            else code_text("cordblood.weight_missing")
        )
        parts = [weight]
        if not data.rows:
            parts.append(_t("No candidate unit entered yet."))
        elif data.selected:
            selected = ", ".join(data.selected)
            strategy = _t("double unit") if len(data.selected) == 2 else _t("single unit")
            parts.append(_t("Selected: %1 (%2)").replace("%1", selected).replace("%2", strategy))
            received = [d for d in data.selected if d in data.receipts]
            parts.append(
                _t("Received: %1").replace("%1", ", ".join(received))
                if received
                else _t("Not received yet")
            )
        else:
            parts.append(code_text(data.suggestion_code).replace("%1", ", ".join(data.suggested)))
        return " · ".join(parts)

    def _update_buttons(self) -> None:
        may_select = self.context.can(SELECT_UNIT)
        has_units = self.data is not None and any(
            r.assessment.din_code == "isbt128.din.ok" for r in self.data.rows
        )
        self.select_button.setEnabled(may_select and has_units)
        self.select_button.setToolTip(
            "" if may_select else _t("Only a physician selects the cord blood unit.")
        )
        selected = bool(self.data is not None and self.data.selected)
        self.receipt_button.setEnabled(selected and self.context.can(ENTER_CLINICAL_DATA))
        self.edit_button.setEnabled(self.model.rowCount() > 0)

    # --- actions -------------------------------------------------------------------------
    def edit_current(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < self.model.rowCount() and self.entry.confirm_discard():
            self.entry.edit(self.model.row_at(row))
            self.entry_tabs.setCurrentIndex(0)
            self.entry.din.setFocus()

    def open_selection(self) -> UnitSelectionDialog | None:
        if self.data is None:
            return None
        if not self.context.can(SELECT_UNIT):
            from app.services.errors import PermissionDenied

            self.message.setText(error_text(PermissionDenied(permission=SELECT_UNIT)))
            return None
        dialog = UnitSelectionDialog(
            self.context, self.ref.subject_key, self.data.rows, self.data.suggested, self
        )
        dialog.selected.connect(lambda _c: self.message.setText(_t("Selection signed.")))
        dialog.open()
        return dialog

    def open_receipt(self) -> UnitReceiptDialog | None:
        if self.data is None or not self.data.selected:
            return None
        dialog = UnitReceiptDialog(self.context, self.ref.subject_key, self.data.selected, self)
        dialog.recorded.connect(
            lambda din: self.message.setText(_t("Receipt of %1 recorded.").replace("%1", din))
        )
        dialog.open()
        return dialog

    def _hla_saved(self) -> None:
        self.hla_status.setText(_t("Recipient HLA saved; matches recomputed."))

    def has_unsaved(self) -> bool:
        return self.entry.is_dirty() or self.hla_widget.is_dirty()

    def confirm_discard(self) -> bool:
        """Nothing typed is lost without asking: the candidate unit, then the recipient HLA."""
        if not self.entry.confirm_discard():
            return False
        if not self.hla_widget.is_dirty():
            return True
        return ask_discard(
            self,
            _t("Unsaved changes"),
            _t("The recipient HLA typing has changes that are not saved. Discard them?"),
        )

    def closeEvent(self, event: Any) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        # Python-made undo commands must go before their C++ stacks (PySide ownership).
        self.entry.form_widget.undo_stack.clear()
        self.hla_widget.undo_stack.clear()
        event.accept()


register_stage_body(
    StageBody(
        key="cordblood",
        stages=frozenset({"enrolled", "unit_selected"}),
        title=lambda: _t("Cord blood unit"),
        factory=CordBloodPage,
        order=10,
    )
)
