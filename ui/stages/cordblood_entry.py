"""UnitEntryWidget: entry of one candidate cord blood unit, with its DIN checked as it is typed.

The DIN is scanned or typed once in its own field (with the boxed check character, or as the
barcode); only a DIN whose check holds (app.domain.isbt128 through cordblood_data.din_entry) fills
the form's DIN and check-character items. The rest of F.CBU is the generated FormWidget. Match and
dose of the unit as typed show beside it (cordblood_data.preview_unit, the domain rules). Saving goes
through stage_cordblood.save_candidate_unit on the worker; a wrong DIN is refused before anything is
sent, with the reason in words.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.isbt128 import Isbt128Params
from ui.context import ShellContext
from ui.discard import ask_discard
from ui.messages import error_text
from ui.stages.cordblood_data import (
    CandidateRow,
    CordBloodData,
    DinEntry,
    din_entry,
    din_message,
    number,
    preview_unit,
    warning_texts,
)
from ui.ward.form_widget import FormWidget, ask_reason
from ui.worker import AUDIT, FORMS, SUBJECTS

DIN_KEY = ("IG.CBU", "1", "IT.CB.DIN")
CHECK_KEY = ("IG.CBU", "1", "IT.CB.DIN_CHECK")
OK_STYLE, BAD_STYLE = "color: #1b7f3b;", "color: #b00020;"


def _t(text: str) -> str:
    return QCoreApplication.translate("CordBloodPage", text)


class UnitEntryWidget(QWidget):
    """Add a candidate unit (repeat_key None) or edit one; `saved` carries the repeat key."""

    saved = Signal(str)

    def __init__(self, context: ShellContext, subject_key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.subject_key = context, subject_key
        self.data: CordBloodData | None = None
        self.repeat_key: str | None = None
        self.reason: str | None = None
        self.confirmations: dict[tuple[str, str, str], str] = {}
        study = context.workspace.require_study()
        self.din_params = study.rules.params(Isbt128Params, "cordblood")
        self.form_widget = FormWidget(study, study.forms["F.CBU"], context.language.language)
        for key in (DIN_KEY, CHECK_KEY):  # filled from the checked DIN only
            editor = self.form_widget.fields[key].editor
            assert isinstance(editor, QLineEdit)
            editor.setReadOnly(True)
            editor.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        calc = self.form_widget.findChild(QGroupBox, "IG.CBU.CALC")
        if calc is not None:  # the live preview shows these, computed from what is typed
            calc.setVisible(False)
        self.title = QLabel()
        self.title.setObjectName("entryTitle")
        self.din = QLineEdit()
        self.din.setObjectName("dinEntry")
        self.din.setPlaceholderText("=W4321 26 123456 00  /  W432126123456 F")
        self.din_state = QLabel()
        self.din_state.setObjectName("dinState")
        self.din_state.setWordWrap(False)
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        # Explicit line breaks, no word wrap: a wrapped label in a form row can be given less
        # height than its text needs and is then clipped.
        self.preview.setWordWrap(False)
        self.message = QLabel()
        self.message.setObjectName("entryMessage")
        self.message.setWordWrap(True)
        self.save_button = QPushButton(_t("Save unit"))
        self.save_button.setObjectName("saveUnit")
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(_t("New unit"))
        self.new_button.setObjectName("newUnit")
        self.new_button.clicked.connect(self.new_unit)
        top = QFormLayout()
        top.addRow(_t("DIN as scanned or typed"), self.din)
        top.addRow("", self.din_state)
        top.addRow(_t("Computed for this unit"), self.preview)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.din.textChanged.connect(self._din_changed)
        # Enter in the DIN field moves on to the first field of the form (keyboard order).
        bank = self.form_widget.fields[("IG.CBU", "1", "IT.CB.BANK")].editor
        self.din.returnPressed.connect(bank.setFocus)
        QWidget.setTabOrder(self.din, bank)
        self.form_widget.undo_stack.indexChanged.connect(lambda _i: self.update_preview())
        self.edit(None)

    # --- state ---------------------------------------------------------------------------
    def set_data(self, data: CordBloodData) -> None:
        self.data = data
        self.update_preview()

    def edit(self, row: CandidateRow | None) -> None:
        """Show a saved candidate for editing, or an empty form for a new one."""
        self.repeat_key = None if row is None else row.repeat_key
        self.reason, self.confirmations = None, {}
        self.form_widget.load({} if row is None else row.values)
        self.form_widget.clear_problems()
        din, check = (
            (None, None) if row is None else (row.value("IT.CB.DIN"), row.value(CHECK_KEY[2]))
        )
        self.din.setText(f"{din or ''} {check or ''}".strip())
        self.title.setText(
            _t("New candidate unit")
            if row is None
            else _t("Candidate unit %1").replace("%1", row.repeat_key)
        )
        self.message.clear()
        self._din_changed(self.din.text())

    def new_unit(self) -> None:
        if self.confirm_discard():
            self.edit(None)

    def confirm_discard(self) -> bool:
        """True when nothing typed is unsaved or the user chose to discard it."""
        if not self.is_dirty():
            return True
        return ask_discard(
            self,
            _t("Unsaved changes"),
            _t("The candidate unit has changes that are not saved. Discard them?"),
        )

    def entry(self) -> DinEntry:
        return din_entry(self.din.text(), self.din_params)

    def _din_changed(self, text: str) -> None:
        entry = self.entry()
        self.din_state.setText(din_message(entry, text))
        empty = entry.code == "cordblood.din.empty"
        self.din_state.setStyleSheet(OK_STYLE if entry.ok else "" if empty else BAD_STYLE)
        if entry.ok:
            self.form_widget.set_value(DIN_KEY, entry.din)
            self.form_widget.set_value(CHECK_KEY, entry.check)
        self.update_preview()

    def update_preview(self) -> None:
        if self.data is None:
            self.preview.setText("")
            return
        p = preview_unit(self.data, self.form_widget.values())
        if p.empty:
            self.preview.setText(_t("Type the unit's HLA typing and cell counts."))
            self.preview.setStyleSheet("")
            return
        dash = "–"
        text = (
            _t("Match %1 · %2 · TNC %3 ×10⁷/kg · CD34+ %4 ×10⁵/kg")
            .replace("%1", p.match6 or dash)
            .replace("%2", p.match8 or dash)
            .replace("%3", number(p.tnc_e7_per_kg) or dash)
            .replace("%4", number(p.cd34_e5_per_kg) or dash)
        )
        if p.warnings:
            text += "\n⚠ " + warning_texts(p.warnings, self.data.dose_params)
        self.preview.setText(text)
        self.preview.setStyleSheet(BAD_STYLE if p.warnings else "font-weight: bold;")

    def is_dirty(self) -> bool:
        return self.form_widget.is_dirty()

    # --- saving --------------------------------------------------------------------------
    def save(self) -> None:
        entry = self.entry()
        if not entry.ok:
            self.message.setText(
                _t("Not saved: %1").replace("%1", din_message(entry, self.din.text()))
            )
            self.message.setStyleSheet(BAD_STYLE)
            self.din.setFocus()
            return
        values = self.form_widget.changed_values()
        if not values:
            self.message.setText(_t("Nothing to save."))
            return
        ws, session, key = self.context.workspace, self.context.session, self.subject_key
        repeat, reason, confirmations = self.repeat_key, self.reason, dict(self.confirmations)

        def call() -> str:
            from app.services.stage_cordblood import save_candidate_unit

            return save_candidate_unit(ws, session, key, repeat, values, reason, confirmations)

        self.save_button.setEnabled(False)
        self.context.runner.submit(
            call, self._saved, self._failed, owner=self, changes=(FORMS, SUBJECTS, AUDIT)
        )

    def _saved(self, repeat_key: str) -> None:
        self.save_button.setEnabled(True)
        self.reason, self.confirmations = None, {}
        self.form_widget.load(self.form_widget.values())
        self.repeat_key = repeat_key
        self.title.setText(_t("Candidate unit %1").replace("%1", repeat_key))
        self.message.setText(_t("Unit saved."))
        self.message.setStyleSheet(OK_STYLE)
        self.saved.emit(repeat_key)

    def _failed(self, exc: Exception) -> None:
        from app.services.errors import ReasonRequired
        from ui.ward.soft_range import confirm_soft_values, validation_problems

        self.save_button.setEnabled(True)
        self.message.setStyleSheet(BAD_STYLE)
        if isinstance(exc, ReasonRequired):
            self.reason = ask_reason(self)
            if self.reason is None:
                self.message.setText(_t("Not saved: a reason for the change is needed."))
                return
            self.save()
            return
        problems = validation_problems(exc)
        if problems is None:
            self.message.setText(error_text(exc))
            return
        widget = self.form_widget
        answer = confirm_soft_values(self, problems, widget.label_of, widget.mark_problem)
        if answer.comments is None:
            self.message.setText(answer.message)
            return
        self.confirmations.update(answer.comments)
        self.save()
