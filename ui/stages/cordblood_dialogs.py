"""The two actions on candidate cord blood units: a physician's selection and the receipt of a unit.

UnitSelectionDialog ticks one unit (single) or two (double), asks the physician's password (and a
reason when a saved selection changes) and calls stage_cordblood.select_units, which signs the
selection and moves the subject to "unit_selected". UnitReceiptDialog records the arrival of a selected unit
(stage_cordblood.record_receipt). Both stay open on a refusal and say why in the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.messages import error_text
from ui.stages.cordblood_data import CandidateRow, number
from ui.ward.form_widget import ask_reason
from ui.worker import AUDIT, FORMS, SUBJECTS


def _t(text: str) -> str:
    return QCoreApplication.translate("CordBloodPage", text)


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold;")
    return label


def unit_line(row: CandidateRow) -> str:
    a = row.assessment
    return (
        _t("%1 · match %2, %3 · TNC %4 ×10⁷/kg")
        .replace("%1", a.din or "")
        .replace("%2", a.match6 or "–")
        .replace("%3", a.match8 or "–")
        .replace("%4", number(a.tnc_e7_per_kg) or "–")
    )


class UnitSelectionDialog(QDialog):
    """Select one or two candidate units; signed with the physician's password."""

    selected = Signal(object)  # UnitChoice

    def __init__(
        self,
        context: ShellContext,
        subject_key: str,
        rows: Sequence[CandidateRow],
        suggested: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.subject_key = context, subject_key
        self.reason_for_change: str | None = None
        self.setWindowTitle(_t("Select cord blood unit(s)"))
        self.units = QListWidget()
        self.units.setObjectName("units")
        for row in rows:
            item = QListWidgetItem(unit_line(row))
            item.setData(Qt.ItemDataRole.UserRole, row.assessment.din)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            usable = row.assessment.din_code == "isbt128.din.ok"
            if not usable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            ticked = row.assessment.selected or (
                not any(r.assessment.selected for r in rows) and row.assessment.din in suggested
            )
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.units.addItem(item)
        self.units.itemChanged.connect(lambda _item: self._show_strategy())
        self.strategy = QLabel()
        self.strategy.setObjectName("strategy")
        self.rationale = QLineEdit()
        self.rationale.setObjectName("rationale")
        self.rationale.setMaxLength(200)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label()
        form = QFormLayout()
        form.addRow(_t("Reason for this choice (optional)"), self.rationale)
        form.addRow(
            _t("Your password (signs the selection as %1)").replace("%1", context.session.username),
            self.password,
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("Select and sign"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_t("Tick one unit (single) or two units (double unit):")))
        layout.addWidget(self.units, 1)
        layout.addWidget(self.strategy)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 380)
        self._show_strategy()

    def chosen(self) -> list[str]:
        out = []
        for n in range(self.units.count()):
            item = self.units.item(n)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _show_strategy(self) -> None:
        n = len(self.chosen())
        texts = {1: _t("Single unit"), 2: _t("Double unit")}
        self.strategy.setText(texts.get(n, _t("Tick one or two units.")))

    def submit(self) -> None:
        dins = self.chosen()
        if not 1 <= len(dins) <= 2:
            self.error.setText(_t("Tick one or two units."))
            return
        password = self.password.text()
        if not password:
            self.error.setText(_t("Enter your password to sign the selection."))
            return
        self._call(dins, password)

    def _call(self, dins: list[str], password: str) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.subject_key
        change_reason = self.reason_for_change  # only when a saved selection changes
        rationale = self.rationale.text()

        def call() -> Any:
            from app.services.stage_cordblood import select_units

            return select_units(ws, session, key, dins, password, change_reason, rationale)

        def failed(exc: Exception) -> None:
            from app.services.errors import ReasonRequired

            self.buttons.setEnabled(True)
            if isinstance(exc, ReasonRequired) and self.reason_for_change is None:
                self.reason_for_change = ask_reason(self)
                if self.reason_for_change is not None:
                    self._call(dins, password)
                    return
            self.password.clear()  # never kept past a refused attempt
            self.error.setText(error_text(exc))

        self.buttons.setEnabled(False)
        self.context.runner.submit(
            call, self._done, failed, owner=self, changes=(FORMS, SUBJECTS, AUDIT)
        )

    def _done(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.selected.emit(result)
        self.accept()


class UnitReceiptDialog(QDialog):
    """Receipt of a selected unit: when, the shipper temperature, label and bag checks, storage."""

    recorded = Signal(str)  # DIN

    def __init__(
        self,
        context: ShellContext,
        subject_key: str,
        dins: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.subject_key = context, subject_key
        self.reason_for_change: str | None = None
        self.confirmations: dict[tuple[str, str, str], str] = {}  # soft-range comments
        self.setWindowTitle(_t("Record receipt of the unit"))
        self.din = QComboBox()
        self.din.setObjectName("din")
        self.din.addItems(list(dins))
        self.when = QLineEdit(self._local_now())
        self.when.setObjectName("when")
        self.when.setPlaceholderText("YYYY-MM-DD HH:MM")
        self.temperature = QLineEdit()
        self.temperature.setObjectName("temperature")
        self.temperature.setPlaceholderText(_t("-150 °C or colder"))
        self.label_ok = self._yes_no("labelOk")
        self.bag_ok = self._yes_no("bagOk")
        self.storage = QLineEdit()
        self.storage.setObjectName("storage")
        self.received_by = QLineEdit(context.session.username)
        self.received_by.setObjectName("receivedBy")
        self.error = _error_label()
        form = QFormLayout()
        form.addRow(_t("Unit (DIN)"), self.din)
        form.addRow(_t("Date and time received"), self.when)
        form.addRow(_t("Dry shipper temperature on arrival (°C)"), self.temperature)
        form.addRow(_t("Label and documents match the selected unit"), self.label_ok)
        form.addRow(_t("Bag and canister intact"), self.bag_ok)
        form.addRow(_t("Storage location (tank and position)"), self.storage)
        form.addRow(_t("Received by"), self.received_by)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("Record receipt"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _yes_no(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem("", None)
        combo.addItem(_t("Yes"), "Y")
        combo.addItem(_t("No"), "N")
        return combo

    def _local_now(self) -> str:
        from datetime import timedelta

        clock = self.context.clock
        offset = getattr(clock, "local_offset_minutes", lambda: 0)()
        return (clock.now() + timedelta(minutes=offset)).strftime("%Y-%m-%d %H:%M")

    def values(self) -> dict[str, str | None]:
        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return {
            "IT.CBR.DTC": text(self.when),
            "IT.CBR.SHIPPER_TEMP": text(self.temperature),
            "IT.CBR.LABEL_OK": self.label_ok.currentData(),
            "IT.CBR.BAG_OK": self.bag_ok.currentData(),
            "IT.CBR.STORAGE": text(self.storage),
            "IT.CBR.BY": text(self.received_by),
        }

    def submit(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.subject_key
        din, values, reason = self.din.currentText(), self.values(), self.reason_for_change
        confirmations = dict(self.confirmations)

        def call() -> Any:
            from app.services.stage_cordblood import record_receipt

            record_receipt(ws, session, key, din, values, reason, confirmations)
            return din

        self.buttons.setEnabled(False)
        self.context.runner.submit(
            call, self._done, self._failed, owner=self, changes=(FORMS, SUBJECTS, AUDIT)
        )

    def _failed(self, exc: Exception) -> None:
        from app.services.errors import ReasonRequired
        from ui.ward.soft_range import confirm_soft_values, item_labels, validation_problems

        self.buttons.setEnabled(True)
        if isinstance(exc, ReasonRequired) and self.reason_for_change is None:
            self.reason_for_change = ask_reason(self)
            if self.reason_for_change is not None:
                self.submit()
                return
        problems = validation_problems(exc)
        if problems is not None:
            labels = item_labels(self.context.workspace.require_study(),
                                 self.context.language.language)  # fmt: skip
            answer = confirm_soft_values(self, problems, labels)
            if answer.comments is None:
                self.error.setText(answer.message)
                return
            self.confirmations.update(answer.comments)
            self.submit()
            return
        self.error.setText(error_text(exc))

    def _done(self, din: str) -> None:
        self.buttons.setEnabled(True)
        self.recorded.emit(din)
        self.accept()
