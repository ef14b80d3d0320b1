"""ScreeningPage: the screening and eligibility stage screen (issue 4, subject page item 1).

The inclusion and exclusion checklist is the generated F.ELIG entry page (ui.ward.form_widget), so
labels, choices and the reason-for-change come from the study definition. Beside it, the result of
each criterion with the value that decided it and the overall result, all from
app.services.stage_eligibility.evaluate_eligibility (the screen computes nothing). An investigator
signs eligibility with their password; a screen failure is recorded with its reason; enrolment
moves the subject on under the subject ID the site assigned (FD-001, ...), shown plainly. A second
tab holds the consent form (F.ENROL), which enrolment needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.form_registry import FormRef, StageBody, register_stage_body
from ui.stages.screening_dialogs import ScreenFailureDialog, SignatureDialog
from ui.stages.screening_texts import (
    COLOURS,
    OVERALL_COLOURS,
    criterion_details,
    criterion_status_text,
    criterion_title,
    item_label,
    local_time,
    missing_name,
    overall_text,
    refusal_text,
)
from ui.ward.form_widget import FormPage
from ui.worker import AUDIT, FORMS, SUBJECTS

EVENT, FORM = "SE.SCREEN", "F.ELIG"
REASON_KEY = ("IG.ELIG.RESULT", "1", "IT.IE.SCRFAIL_REASON")


def _t(text: str) -> str:
    return QCoreApplication.translate("ScreeningPage", text)


@dataclass(frozen=True)
class ScreeningState:
    """What one reload fetched: the evaluation, the stored screen-failure reason, the signatures."""

    view: Any  # app.services.stage_eligibility.EligibilityView
    reason: str | None
    signatures: tuple[Any, ...]  # app.services.forms.SignatureRow of F.ELIG


class ScreeningPage(QWidget):
    """Registered as the "screening" StageBody of the screening and screen_failure stages."""

    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        self.subject_key, self.stage = ref.subject_key, ref.stage or "screening"
        self.study = context.workspace.require_study()
        self.state: ScreeningState | None = None
        self.dialog: QWidget | None = None
        self.overall = QLabel()
        self.overall.setObjectName("overall")
        self.overall.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setObjectName("facts")
        self.facts.setWordWrap(True)
        self.unsaved = QLabel()
        self.unsaved.setObjectName("unsaved")
        self.unsaved.setWordWrap(True)
        self.unsaved.setStyleSheet("color: #8a5a00;")
        self.unsaved.setVisible(False)
        self.form_page = self._new_form_page()
        self.criteria = QTableWidget(0, 3)
        self.criteria.setObjectName("criteria")
        self.criteria.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.criteria.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.criteria.setWordWrap(True)
        self.criteria.verticalHeader().setVisible(False)
        # Rows as tall as their wrapped text, whatever the column widths become; wrap, not "…".
        self.criteria.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.criteria.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.criteria.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.criteria.setColumnWidth(0, 210)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.form_page)
        splitter.addWidget(self.criteria)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([560, 640])  # the results need room to say what decided them
        self.sign_button = QPushButton()
        self.sign_button.setObjectName("signEligibility")
        self.sign_button.setVisible(context.can("sign_eligibility"))
        self.sign_button.clicked.connect(self.open_sign_dialog)
        self.failure_button = QPushButton()
        self.failure_button.setObjectName("screenFailure")
        self.failure_button.setVisible(context.can("enter_clinical_data"))
        self.failure_button.clicked.connect(self.open_failure_dialog)
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("enrol")
        self.enrol_button.setVisible(context.can("create_subject"))
        self.enrol_button.clicked.connect(self.enrol)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.assigned = QLabel()
        self.assigned.setObjectName("assigned")
        self.assigned.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1b5e20;")
        self.assigned.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.failure_button)
        buttons.addWidget(self.enrol_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.overall)
        layout.addWidget(self.facts)
        layout.addWidget(self.unsaved)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.assigned)
        self.retranslate()
        context.runner.changed.connect(self._on_changed)
        self.reload()

    # --- texts ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.sign_button.setText(_t("Sign eligibility…"))
        self.failure_button.setText(_t("Record screen failure…"))
        self.enrol_button.setText(_t("Enrol"))
        self.criteria.setHorizontalHeaderLabels([_t("Criterion"), _t("Result"), _t("Decided by")])
        self.unsaved.setText(
            _t("Answers not saved yet: the results are those of the saved answers. Save to update.")
        )
        if self.state is not None:
            self._show(self.state)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._renew_form_page()
        super().changeEvent(event)

    def _new_form_page(self) -> FormPage:
        ref = self.ref
        page = FormPage(self.context, FormRef(ref.subject_key, EVENT, "", FORM, ref.stage))
        # Wrapped labels of a QFormLayout get too little height when the label column is left
        # to shrink (the clipped "(1) Inflammatory / bowel disease"): give the column a width.
        for label in page.form_widget.labels.values():
            label.setMinimumWidth(250)
        page.form_widget.dirty_changed.connect(self.unsaved.setVisible)
        return page

    def _renew_form_page(self) -> None:
        """The generated form takes its labels from the study definition in the language it was
        built in: build it again in the new one, unless it holds unsaved answers."""
        if self.form_page.form_widget.is_dirty() or self.context.language.language == getattr(
            self.form_page.form_widget, "language", None
        ):
            return
        sizes = self.splitter.sizes()
        old, self.form_page = self.form_page, self._new_form_page()
        self.splitter.replaceWidget(0, self.form_page)
        self.splitter.setSizes(sizes)
        old.form_widget.undo_stack.clear()  # Python-made undo commands before their C++ stack
        old.deleteLater()

    # --- loading -------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topic in (FORMS, SUBJECTS):
            self.reload()

    def reload(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.subject_key

        def fetch() -> ScreeningState:
            from app.services.forms import load_form
            from app.services.stage_eligibility import evaluate_eligibility

            view = evaluate_eligibility(ws, session, key)
            snapshot = load_form(ws, session, key, EVENT, "", FORM)
            return ScreeningState(view, snapshot.values.get(REASON_KEY), snapshot.signatures)

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, state: ScreeningState) -> None:
        self.state = state
        self._show(state)

    def _failed(self, exc: Exception) -> None:
        self.message.setText(refusal_text(exc))

    def _show(self, state: ScreeningState) -> None:
        view, language = state.view, self.context.language.language
        self._show_overall(view, language)
        self._show_facts(state)
        self.criteria.setRowCount(len(view.criteria))
        for row, c in enumerate(view.criteria):
            cells = [
                criterion_title(c.criterion),
                criterion_status_text(c.status),
                criterion_details(c.criterion, c.status, c.values, c.missing, self.study, language),
            ]
            sources = [item_label(self.study, p.item_oid, language) for p in c.evidence]
            tip = "\n".join(s for s in sources if s)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, c.status)
                if column == 1:
                    cell.setBackground(QColor(COLOURS.get(c.status, "#ffffff")))
                if tip:
                    cell.setToolTip(_t("From the answers:") + "\n" + tip)
                self.criteria.setItem(row, column, cell)
        screening = self.stage == "screening"
        self.sign_button.setEnabled(screening and view.status != "incomplete" and not view.signed)
        self.failure_button.setEnabled(screening)
        self.enrol_button.setEnabled(screening)

    def _show_overall(self, view: Any, language: str) -> None:
        text = _t("Eligibility: %1").replace("%1", overall_text(view.status))
        if view.status == "incomplete":
            missing = [m for c in view.criteria for m in c.missing]
            names = [missing_name(m, self.study, language) for m in missing]
            if len(names) > 3:  # the checklist beside the form names each one
                text += " — " + _t("%1 answers missing").replace("%1", str(len(names)))
            else:
                text += " — " + _t("missing: %1").replace("%1", "; ".join(names))
        elif view.status == "not_eligible":
            failed = [criterion_title(c.criterion) for c in view.criteria if c.status == "not_met"]
            text += " — " + "; ".join(failed)
        if self.stage == "screen_failure":
            text = _t("Screen failure.") + " " + text
        colour = OVERALL_COLOURS.get(view.status, "#f4f4f4")
        self.overall.setStyleSheet(
            f"background: {colour}; padding: 6px; font-size: 11pt; font-weight: bold;"
        )
        self.overall.setText(text)

    def _show_facts(self, state: ScreeningState) -> None:
        view = state.view
        age = "—" if view.age_years is None else _t("%1 years").replace("%1", str(view.age_years))
        parts = [
            _t("Age at assessment: %1").replace("%1", age),
            _t("Assessed on %1").replace("%1", view.assessed_on.isoformat()),
        ]
        valid = [s for s in state.signatures if s.valid and s.meaning == "eligibility_confirmed"]
        if view.signed and valid:
            last = valid[-1]
            parts.append(
                _t("Signed by %1 on %2")
                .replace("%1", last.printed_name)
                .replace("%2", local_time(last.signed_at, self.context.clock))
            )
        else:
            parts.append(_t("Not signed by an investigator yet"))
        if state.reason:
            parts.append(_t("Screen failure reason: %1").replace("%1", state.reason))
        self.facts.setText(" · ".join(parts))

    # --- actions -------------------------------------------------------------------------
    def open_sign_dialog(self) -> SignatureDialog:
        ws, session, key = self.context.workspace, self.context.session, self.subject_key

        def call(password: str) -> Any:
            from app.services.stage_eligibility import sign_eligibility

            return sign_eligibility(ws, session, password, key)

        dialog = SignatureDialog(
            self.context, _t("Sign eligibility"), "eligibility_confirmed", call, self
        )
        dialog.signed.connect(lambda _view: self.message.clear())
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_failure_dialog(self) -> ScreenFailureDialog:
        reason = self.state.reason if self.state is not None else None
        dialog = ScreenFailureDialog(self.context, self.subject_key, reason, self)
        dialog.recorded.connect(self._stage_changed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def enrol(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.subject_key

        def call() -> str:
            from app.services.stage_eligibility import enrol

            return enrol(ws, session, key)

        self.message.clear()
        self.enrol_button.setEnabled(False)
        self.context.runner.submit(
            call, self._enrolled, self._refused, owner=self, changes=(SUBJECTS, FORMS, AUDIT)
        )

    def _enrolled(self, subject_id: str) -> None:
        self.assigned.setText(_t("Enrolled. Subject ID: %1").replace("%1", subject_id))
        self.assigned.setVisible(True)
        self._stage_changed("enrolled")

    def _refused(self, exc: Exception) -> None:
        self.enrol_button.setEnabled(self.stage == "screening")
        self.message.setText(refusal_text(exc))

    def _stage_changed(self, stage: str) -> None:
        self.stage = stage
        self.message.clear()
        if self.state is not None:
            self._show(self.state)


def _consent_page(context: ShellContext, ref: FormRef, parent: QWidget | None) -> QWidget:
    return FormPage(context, FormRef(ref.subject_key, "SE.ENROL", "", "F.ENROL", ref.stage), parent)


register_stage_body(
    StageBody(
        key="screening",
        stages=frozenset({"screening", "screen_failure"}),
        title=lambda: _t("Screening and eligibility"),
        factory=ScreeningPage,
        order=10,
        forms=frozenset({"F.ELIG"}),
    )
)
register_stage_body(
    StageBody(
        key="consent",
        stages=frozenset({"screening"}),
        title=lambda: _t("Consent"),
        factory=_consent_page,
        order=20,
    )
)
