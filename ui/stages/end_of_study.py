"""EndOfStudyPage: how a subject's participation ended (issue 4, subject page item 8).

Completed, withdrawn, died or lost to follow-up, with the reason and the date (and who decided a
withdrawal, the cause of death, the last contact), recorded through
app.services.stage_end.record_end_of_study, which stores F.EOS, has the investigator sign it with
their password and moves the subject to the matching final stage. Once recorded the page shows the
record read-only: a correction goes through the form and its reason for change, not this page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.schedule import ward_today
from ui.context import ShellContext
from ui.form_registry import FormRef, StageBody, register_stage_body
from ui.labels import stage_name
from ui.stages.screening_dialogs import SignatureDialog
from ui.stages.screening_texts import local_time, refusal_text
from ui.worker import FORMS, SUBJECTS

EVENT, FORM, GROUP = "SE.EOS", "F.EOS", "IG.EOS"
STAGES = frozenset(
    {
        "enrolled",
        "unit_selected",
        "conditioning",
        "infused",
        "engraftment",
        "islet_eligibility",
        "islet_transplanted",
        "treatment_complete",
        "follow_up",
        "completed",
        "withdrawn",
        "died",
        "lost_to_follow_up",
    }
)
FINAL_STAGES = frozenset({"completed", "withdrawn", "died", "lost_to_follow_up"})
# Shown read-only, in this order (item OID of IG.EOS).
SHOWN = (
    "IT.DS.EOS_STATUS",
    "IT.DS.EOS_DTC",
    "IT.DS.EOS_REASON",
    "IT.DS.WD_BY",
    "IT.DS.DEATH_CAUSE",
    "IT.DS.DEATH_DTC",
    "IT.DS.LAST_CONTACT",
)


def _t(text: str) -> str:
    return QCoreApplication.translate("EndOfStudyPage", text)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class EndOfStudyPage(QWidget):
    """Registered as the "end_of_study" StageBody of every stage from enrolment on (order 90)."""

    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        self.subject_key = ref.subject_key
        self.study = context.workspace.require_study()
        self.snapshot: Any = None
        self.stage = ref.stage
        self.dialog: SignatureDialog | None = None
        self.status = QLabel()
        self.status.setObjectName("eosStatus")
        self.status.setWordWrap(True)
        # --- entry --------------------------------------------------------------------------
        self.outcome = self._combo("CL.EOSSTAT", "outcome", empty=False)
        self.on = QDateEdit()
        self.on.setObjectName("eosDate")
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        today = ward_today(context.clock)
        self.on.setDate(_qdate(today))
        self.on.setMaximumDate(_qdate(today))  # an end of study is never in the future
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(200)
        self.withdrawn_by = self._combo("CL.WDBY", "withdrawnBy")
        self.death_cause = self._combo("CL.DTHCAUSE", "deathCause")
        self.last_contact = QDateEdit()
        self.last_contact.setObjectName("lastContact")
        self.last_contact.setCalendarPopup(True)
        self.last_contact.setDisplayFormat("yyyy-MM-dd")
        self.last_contact.setDate(_qdate(today))
        self.last_contact.setMaximumDate(_qdate(today))
        self.entry = QGroupBox()
        self.entry_form = QFormLayout(self.entry)
        self.entry_labels = [QLabel() for _ in range(6)]
        editors = (
            self.outcome,
            self.on,
            self.reason,
            self.withdrawn_by,
            self.death_cause,
            self.last_contact,
        )
        for label, editor in zip(self.entry_labels, editors, strict=True):
            label.setBuddy(editor)
            self.entry_form.addRow(label, editor)
        self.record_button = QPushButton()
        self.record_button.setObjectName("recordEos")
        self.record_button.setVisible(context.can("sign_forms"))
        self.record_button.clicked.connect(self.open_record_dialog)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        # --- read-only record -----------------------------------------------------------------
        self.record_box = QGroupBox()
        self.record_form = QFormLayout(self.record_box)
        self.record_box.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        for box in (self.entry, self.record_box):
            box.setMaximumWidth(720)  # a short form reads badly stretched across a wide window
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.entry)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.record_box)
        layout.addStretch(1)
        self.outcome.currentIndexChanged.connect(lambda _i: self._outcome_changed())
        self.retranslate()
        self._outcome_changed()
        context.runner.changed.connect(self._on_changed)
        self.reload()

    @property
    def language(self) -> str:
        return self.context.language.language

    def _combo(self, codelist: str, name: str, empty: bool = True) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setProperty("codelist", codelist)
        if empty:
            combo.addItem("", None)
        for item in self.study.codelists[codelist].items:
            combo.addItem(item.label.get(self.language), item.code)
        return combo

    def _relabel(self, combo: QComboBox) -> None:
        """Choice labels in the current language (the codes stay)."""
        codelist = self.study.codelists[str(combo.property("codelist"))]
        for index in range(combo.count()):
            label = codelist.label_of(str(combo.itemData(index)))
            if label is not None:
                combo.setItemText(index, label.get(self.language))

    # --- texts ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.entry.setTitle(_t("Record the end of study"))
        self.record_box.setTitle(_t("End of study (recorded and signed)"))
        texts = (
            _t("Outcome"),
            _t("Date"),
            _t("Reason"),
            _t("Withdrawal decided by"),
            _t("Cause of death"),
            _t("Date of last contact"),
        )
        for label, text in zip(self.entry_labels, texts, strict=True):
            label.setText(text)
        self.reason.setPlaceholderText(_t("Why the subject's participation ends"))
        for combo in (self.outcome, self.withdrawn_by, self.death_cause):
            self._relabel(combo)
        self.record_button.setText(_t("Record end of study…"))
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _outcome_changed(self) -> None:
        """Only the details of the chosen outcome can be filled in."""
        outcome = self.outcome.currentData()
        self.withdrawn_by.setEnabled(outcome == "WITHDRAWN")
        self.death_cause.setEnabled(outcome == "DIED")
        self.last_contact.setEnabled(outcome == "LOST")

    # --- loading -------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topic in (FORMS, SUBJECTS):
            self.reload()

    def reload(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.subject_key

        def fetch() -> tuple[Any, str]:
            from app.services.forms import load_form
            from app.services.stage_facts import stage_view

            snapshot = load_form(ws, session, key, EVENT, "", FORM)
            return snapshot, stage_view(ws, session, key).stage

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, result: tuple[Any, str]) -> None:
        self.snapshot, self.stage = result
        if not self.recorded():
            self._prefill()
        self._show()

    def _prefill(self) -> None:
        """Values of an attempt that stopped at the signature (a wrong password): the service
        saved them first, so a retry must send them unchanged (a change would need a reason)."""
        values = self.snapshot.values if self.snapshot is not None else {}

        def value(oid: str) -> str | None:
            found = values.get((GROUP, "1", oid))
            return str(found) if found else None

        if value("IT.DS.EOS_STATUS") is None:
            return
        for combo, oid in (
            (self.outcome, "IT.DS.EOS_STATUS"),
            (self.withdrawn_by, "IT.DS.WD_BY"),
            (self.death_cause, "IT.DS.DEATH_CAUSE"),
        ):
            index = combo.findData(value(oid))
            if index >= 0:
                combo.setCurrentIndex(index)
        for edit, oid in ((self.on, "IT.DS.EOS_DTC"), (self.last_contact, "IT.DS.LAST_CONTACT")):
            day = QDate.fromString(value(oid) or "", "yyyy-MM-dd")
            if day.isValid():
                edit.setDate(day)
        self.reason.setText(value("IT.DS.EOS_REASON") or "")

    def _failed(self, exc: Exception) -> None:
        self.message.setText(refusal_text(exc))

    def recorded(self) -> bool:
        """Recorded = signed and the subject in its final stage (what the service does last)."""
        return self.snapshot is not None and self.stage in FINAL_STAGES

    def _show(self) -> None:
        done, signer = self.recorded(), self.context.can("sign_forms")
        self.entry.setVisible(not done)
        self.entry.setEnabled(signer)
        self.record_button.setVisible(not done and signer)
        self.record_box.setVisible(done)
        if not done:
            self._offer_outcomes()
            text = _t("No end of study recorded. Current stage: %1").replace(
                "%1", stage_name(self.stage)
            )
            if not signer:
                text += "\n" + _t("An investigator records and signs the end of study.")
            self.status.setText(text)
            return
        self.message.clear()
        self._fill_record()

    def _offer_outcomes(self) -> None:
        """Only the outcomes the state machine allows from the current stage (a completion only
        from follow-up, app.domain.stages); the service still decides."""
        from app.domain.stages import Stage, successors
        from app.services.stage_end import OUTCOMES

        try:
            allowed = set(successors(Stage(self.stage)))
        except ValueError:
            allowed = set()
        model = self.outcome.model()
        assert isinstance(model, QStandardItemModel)
        for index in range(self.outcome.count()):
            item = model.item(index)
            if item is not None:
                item.setEnabled(OUTCOMES.get(str(self.outcome.itemData(index))) in allowed)
        current = model.item(self.outcome.currentIndex())
        if current is not None and not current.isEnabled():
            for index in range(self.outcome.count()):
                candidate = model.item(index)
                if candidate is not None and candidate.isEnabled():
                    self.outcome.setCurrentIndex(index)
                    break

    def _fill_record(self) -> None:
        while self.record_form.rowCount():
            self.record_form.removeRow(0)
        items = {i.oid: i for g in self.study.forms[FORM].groups for i in g.items}
        values = self.snapshot.values
        for oid in SHOWN:
            value = values.get((GROUP, "1", oid))
            if not value:
                continue
            item = items[oid]
            text = str(value)
            if item.codelist:
                label = self.study.codelists[item.codelist].label_of(text)
                text = label.get(self.language) if label is not None else text
            shown = QLabel(text)
            shown.setObjectName(oid)
            shown.setWordWrap(True)
            self.record_form.addRow(QLabel(item.label.get(self.language)), shown)
        signed = [s for s in self.snapshot.signatures if s.valid]
        if signed:
            last = signed[-1]
            note = (
                _t("Signed by %1 on %2")
                .replace("%1", last.printed_name)
                .replace("%2", local_time(last.signed_at, self.context.clock))
            )
        else:
            note = _t("The signature is no longer valid: the record was changed after signing.")
        self.status.setText(note)

    # --- recording -----------------------------------------------------------------------
    def end_of_study(self) -> Any:
        """The EndOfStudy the user entered (only the chosen outcome's details)."""
        from app.services.stage_end import EndOfStudy

        outcome = str(self.outcome.currentData())
        return EndOfStudy(
            status=outcome,
            on=_pydate(self.on.date()),
            reason=self.reason.text().strip(),
            withdrawn_by=self.withdrawn_by.currentData() if outcome == "WITHDRAWN" else None,
            death_cause=self.death_cause.currentData() if outcome == "DIED" else None,
            last_contact=_pydate(self.last_contact.date()) if outcome == "LOST" else None,
        )

    def open_record_dialog(self) -> SignatureDialog | None:
        end = self.end_of_study()
        if not end.reason:
            self.message.setText(_t("Enter the reason before signing."))
            self.reason.setFocus()
            return None
        self.message.clear()
        ws, session, key = self.context.workspace, self.context.session, self.subject_key

        def call(password: str) -> Any:
            from app.services.stage_end import record_end_of_study

            return record_end_of_study(ws, session, password, key, end)

        dialog = SignatureDialog(
            self.context, _t("Sign the end of study"), "approved_as_investigator", call, self
        )
        self.dialog = dialog
        dialog.open()
        return dialog


register_stage_body(
    StageBody(
        key="end_of_study",
        stages=STAGES,
        title=lambda: _t("End of study"),
        factory=EndOfStudyPage,
        order=90,
    )
)
