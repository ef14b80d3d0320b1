"""IsletPage: the islet transplant stage screen (issue 4, subject page item 6).

From top to bottom: the islet eligibility checklist evaluated by the service from the recorded data
(each criterion with its result, the value that decided it and where it came from, missing data
named); the investigator's decision, recorded and signed with password re-entry (investigators
only); the islet product (IEQ/kg and release checks from the service) and the infusion record; or
"treatment phase complete without islets", signed by an investigator. Either path sets the
follow-up anchor, which the screen shows afterwards. Rules: app.domain.islet and
app.domain.schedule through app.services.stage_islet; the screen decides nothing clinical.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.discard import ask_discard
from ui.form_registry import FormRef, StageBody, register_stage_body
from ui.messages import error_text
from ui.stages.islet_data import INF_EVENT, IsletScreenData, fetch
from ui.stages.islet_forms import IsletFormSaver, entry_form, relabel
from ui.stages.islet_models import MET, MISSING, NOT_MET, CriterionModel, ReleaseCheckModel
from ui.stages.islet_sign import IsletSignDialog
from ui.ward.form_widget import FormWidget, ask_reason
from ui.worker import FORMS, SUBJECTS

DECISION_GROUP = "IG.ISLELIG"
DECISION_ITEM, REASON_ITEM = "IT.ISE.DECISION", "IT.ISE.REASON"


def _t(text: str) -> str:
    return QCoreApplication.translate("IsletPage", text)


def checklist_summary(code: str) -> str:
    texts = {
        "islet.eligibility.eligible": f"{MET} " + _t("Eligible for islet transplantation"),
        "islet.eligibility.not_eligible": f"{NOT_MET} " + _t("Not eligible at present"),
        "islet.eligibility.incomplete": f"{MISSING} " + _t("Incomplete: data missing"),
    }
    return texts.get(code, code)


def release_summary(code: str | None) -> str:
    texts = {
        "islet.release.released": f"{MET} " + _t("Release criteria met"),
        "islet.release.rejected": f"{NOT_MET} " + _t("Release criteria NOT met"),
    }
    return texts.get(code or "", _t("Release checks appear when the product values are saved."))


def _only(values: Any, groups: tuple[str, ...]) -> dict[tuple[str, str, str], str | None]:
    """The stored values of the groups an editor shows (computed groups are shown elsewhere)."""
    return {k: v for k, v in values.items() if k[0] in groups}


def _fit_height(view: QTableView) -> None:
    """Every row visible without an inner scroll bar (the page itself scrolls)."""
    view.resizeRowsToContents()
    rows = view.model().rowCount()
    height = view.horizontalHeader().height() + 2 * view.frameWidth()
    view.setFixedHeight(height + sum(view.rowHeight(r) for r in range(rows)))


def _table(model: Any, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    return view


class IsletPage(QWidget):
    """Registered as the "islet" StageBody of the engraftment and islet stages."""

    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        study = context.workspace.require_study()
        self.study, self.language = study, context.language.language
        self.data: IsletScreenData | None = None
        self.investigator = context.can("sign_eligibility")
        self.clinical = context.can("enter_clinical_data")
        self.sign_dialog: IsletSignDialog | None = None
        self.product_view: Any = None  # stage_islet.IsletProductView last shown

        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.anchor = QLabel()
        self.anchor.setObjectName("anchor")
        self.anchor.setWordWrap(True)
        self.anchor.setStyleSheet("font-weight: bold; color: #1b5e20;")

        # --- the checklist -------------------------------------------------------------------
        self.checklist_box = QGroupBox()
        self.result = QLabel()
        self.result.setObjectName("checklistResult")
        self.result.setStyleSheet("font-weight: bold;")
        self.criteria = CriterionModel(study, self.language, self)
        self.criteria_view = _table(self.criteria, "criteria")
        self.missing = QLabel()
        self.missing.setObjectName("missing")
        self.missing.setWordWrap(True)
        box = QVBoxLayout(self.checklist_box)
        box.addWidget(self.result)
        box.addWidget(self.criteria_view)
        box.addWidget(self.missing)

        # --- the investigator's decision -----------------------------------------------------
        self.decision_box = QGroupBox()
        self.decision_state = QLabel()
        self.decision_state.setObjectName("decisionState")
        self.decision_state.setWordWrap(True)
        self.decision_note = QLabel()
        self.decision_note.setObjectName("decisionNote")
        self.decision_note.setWordWrap(True)
        self.decision_note.setVisible(not self.investigator)
        self.decision_form = FormWidget(
            study, entry_form(study, "F.ISLELIG", (DECISION_GROUP,)), self.language
        )
        self.decision_form.setEnabled(self.investigator)
        self.sign_button = QPushButton()
        self.sign_button.setObjectName("signDecision")
        self.sign_button.setVisible(self.investigator)
        self.sign_button.clicked.connect(self.sign_decision)
        box = QVBoxLayout(self.decision_box)
        box.addWidget(self.decision_state)
        box.addWidget(self.decision_note)
        box.addWidget(self.decision_form)
        box.addWidget(self.sign_button, 0, Qt.AlignmentFlag.AlignRight)

        # --- product and infusion ------------------------------------------------------------
        self.product_box = QGroupBox()
        self.infusion_number = QSpinBox()
        self.infusion_number.setObjectName("infusionNumber")
        self.infusion_number.setRange(1, 5)  # IT.IS.INF_NO hard range
        self.infusion_number.valueChanged.connect(self._infusion_changed)
        self.infusion_number_label = QLabel()
        self.product_hint = QLabel()
        self.product_hint.setObjectName("productHint")
        self.product_hint.setWordWrap(True)
        self.product_form = FormWidget(
            study, entry_form(study, "F.ISLPROD", ("IG.ISLPROD",)), self.language
        )
        self.infusion_form = FormWidget(study, study.forms["F.ISLINF"], self.language)
        self.product_saver = IsletFormSaver(
            context, self._ref("F.ISLPROD"), self.product_form, self, self._after_product
        )
        self.product_saver.saved.connect(self._product_saved)
        self.product_saver.failed.connect(self._show_error)
        self.infusion_saver = IsletFormSaver(
            context, self._ref("F.ISLINF"), self.infusion_form, self, self._after_infusion
        )
        self.infusion_saver.saved.connect(self._infusion_saved)
        self.infusion_saver.failed.connect(self._show_error)
        self.dose = QLabel()
        self.dose.setObjectName("ieqPerKg")
        self.dose.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.release = QLabel()
        self.release.setObjectName("release")
        self.release.setWordWrap(True)
        self.checks = ReleaseCheckModel(self)
        self.checks_view = _table(self.checks, "releaseChecks")
        self.save_product_button = QPushButton()
        self.save_product_button.setObjectName("saveProduct")
        self.save_product_button.clicked.connect(lambda: self.product_saver.save())
        self.save_infusion_button = QPushButton()
        self.save_infusion_button.setObjectName("saveInfusion")
        self.save_infusion_button.clicked.connect(self.save_infusion)
        for form in (self.decision_form, self.product_form, self.infusion_form):
            for label in form.labels.values():
                label.setWordWrap(False)  # a wrapped label is clipped by its one-line row
        # The infusion number is the spin box above (the service stores it with the product).
        self.product_form.fields[("IG.ISLPROD", "1", "IT.IS.INF_NO")].editor.setEnabled(False)
        for table in self.infusion_form.tables.values():
            table.setMaximumHeight(120)  # three complication rows fit; the grid scrolls beyond
        number_row = QHBoxLayout()
        number_row.addWidget(self.infusion_number_label)
        number_row.addWidget(self.infusion_number)
        number_row.addStretch(1)
        product_buttons = QHBoxLayout()
        product_buttons.addWidget(self.dose, 1)
        product_buttons.addWidget(self.save_product_button)
        infusion_buttons = QHBoxLayout()
        infusion_buttons.addStretch(1)
        infusion_buttons.addWidget(self.save_infusion_button)
        self.product_inner = QWidget()
        inner = QVBoxLayout(self.product_inner)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(number_row)
        inner.addWidget(self.product_form)
        inner.addLayout(product_buttons)
        inner.addWidget(self.release)
        inner.addWidget(self.checks_view)
        inner.addWidget(self.infusion_form)
        inner.addLayout(infusion_buttons)
        box = QVBoxLayout(self.product_box)
        box.addWidget(self.product_hint)
        box.addWidget(self.product_inner)

        # --- complete without islets ---------------------------------------------------------
        self.no_islet_box = QGroupBox()
        self.no_islet_box.setVisible(self.investigator)
        self.no_islet_date = QDateEdit()
        self.no_islet_date.setObjectName("noIsletDate")
        self.no_islet_date.setCalendarPopup(True)
        self.no_islet_date.setDisplayFormat("yyyy-MM-dd")
        self.no_islet_reason = QLineEdit()
        self.no_islet_reason.setObjectName("noIsletReason")
        self.no_islet_reason.setMaxLength(200)  # IT.TC.REASON length
        self.no_islet_hint = QLabel()
        self.no_islet_hint.setWordWrap(True)
        self.no_islet_button = QPushButton()
        self.no_islet_button.setObjectName("completeWithoutIslets")
        self.no_islet_button.clicked.connect(self.complete_without_islets)
        self.no_islet_form = QFormLayout()
        self.no_islet_form.addRow("", self.no_islet_hint)
        self.no_islet_date_label, self.no_islet_reason_label = QLabel(), QLabel()
        self.no_islet_date_label.setBuddy(self.no_islet_date)
        self.no_islet_reason_label.setBuddy(self.no_islet_reason)
        self.no_islet_form.addRow(self.no_islet_date_label, self.no_islet_date)
        self.no_islet_form.addRow(self.no_islet_reason_label, self.no_islet_reason)
        no_islet_buttons = QHBoxLayout()
        no_islet_buttons.addStretch(1)
        no_islet_buttons.addWidget(self.no_islet_button)
        self.no_islet_form.addRow(no_islet_buttons)
        self.no_islet_box.setLayout(self.no_islet_form)

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self.checklist_box)
        column.addWidget(self.decision_box)
        column.addWidget(self.product_box)
        column.addWidget(self.no_islet_box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.anchor)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        self.message.setVisible(False)
        self.anchor.setVisible(False)
        self.save_product_button.setShortcut(QKeySequence.StandardKey.Save)
        self.retranslate()
        self._set_product_enabled(False)
        context.runner.changed.connect(self._on_changed)
        self.reload()

    # --- texts -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        language = self.context.language.language
        if language != self.language:
            self.language = self.criteria.language = language
            for form in (self.decision_form, self.product_form, self.infusion_form):
                relabel(form, language)
        self.heading.setText(f"{self.ref.subject_key} · " + _t("Islet transplantation"))
        self.checklist_box.setTitle(_t("Islet eligibility checklist (from the recorded data)"))
        self.decision_box.setTitle(_t("Investigator's decision"))
        self.decision_note.setText(_t("Only an investigator records and signs the islet decision."))
        self.sign_button.setText(_t("Record and sign the decision…"))
        self.product_box.setTitle(_t("Islet product and infusion"))
        self.infusion_number_label.setText(_t("Islet infusion number"))
        self.save_product_button.setText(_t("Save product"))
        self.save_infusion_button.setText(_t("Save infusion record"))
        self.no_islet_box.setTitle(_t("Treatment phase complete without islets"))
        self.no_islet_hint.setText(
            _t(
                "After a signed decision of no islet transplantation: the date signed here is "
                "the completion of treatment, and follow-up months count from it."
            )
        )
        self.no_islet_button.setText(_t("Sign: treatment phase complete without islets…"))
        self.no_islet_date_label.setText(_t("Date of completion"))
        self.no_islet_reason_label.setText(_t("Reason no islets are given"))
        self.criteria.retranslate()
        self.checks.retranslate()
        if self.data is not None:
            self._show(self.data)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- loading -----------------------------------------------------------------------------
    def _ref(self, form_oid: str) -> FormRef:
        number = str(self.infusion_number.value())
        return FormRef(self.ref.subject_key, INF_EVENT, number, form_oid, self.ref.stage)

    def _on_changed(self, topic: str) -> None:
        if topic in (FORMS, SUBJECTS) and not self.has_unsaved():
            self.reload()

    def reload(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key
        number = self.infusion_number.value()
        self.context.runner.submit(
            lambda: fetch(ws, session, key, number), self._loaded, self._show_error, owner=self
        )

    def _loaded(self, data: IsletScreenData) -> None:
        if data.infusion_number != self.infusion_number.value():
            return  # an older answer for another infusion
        self.data = data
        self.decision_form.load(_only(data.decision_values, (DECISION_GROUP,)))
        self.product_form.load(_only(data.product_values, ("IG.ISLPROD",)))
        self.infusion_form.load(
            _only(data.infusion_values, tuple(g.oid for g in self.infusion_form.form.groups))
        )
        if not self.no_islet_reason.text():
            today = data.ward_today
            self.no_islet_date.setDate(QDate(today.year, today.month, today.day))
        self._show(data)

    def _show(self, data: IsletScreenData) -> None:
        checklist = data.checklist
        self.criteria.set_rows(checklist.criteria)
        _fit_height(self.criteria_view)
        self.result.setText(checklist_summary(checklist.code))
        colour = {"islet.eligibility.eligible": "#1b7f3b", "islet.eligibility.not_eligible":
                  "#b00020"}.get(checklist.code, "#8a5a00")  # fmt: skip
        self.result.setStyleSheet(f"font-weight: bold; color: {colour};")
        missing = self.criteria.missing()
        self.missing.setText(_t("Missing: %1").replace("%1", "; ".join(missing)) if missing else "")
        self.missing.setVisible(bool(missing))
        self.decision_state.setText(self._decision_text(checklist))
        self._show_product(data.product)
        proceed = checklist.decision == "PROCEED" and checklist.signed
        self._set_product_enabled(proceed)
        self.product_hint.setText(
            _t(
                "The islet product and infusion are recorded after the investigator's signed "
                "decision to proceed to islet transplantation."
            )
        )
        self.product_hint.setVisible(not proceed)
        anchor = data.anchor
        if anchor is None:
            self.anchor.setText("")
            self.anchor.setVisible(False)
        else:
            how = (
                _t("islet infusion")
                if anchor.code == "schedule.anchor.islet_infusion"
                else _t("treatment complete without islets")
            )
            if anchor.month3_target is None:
                text = _t("Completion of treatment (follow-up anchor): %1 (%2).")
            else:
                text = _t(
                    "Completion of treatment (follow-up anchor): %1 (%2). Month-3 visit target: %3."
                ).replace("%3", anchor.month3_target.isoformat())
            text = text.replace("%1", anchor.when.isoformat()).replace("%2", how)
            self.anchor.setText(text)
            self.anchor.setVisible(True)
        self.no_islet_button.setEnabled(self.investigator and anchor is None)

    def _decision_text(self, checklist: Any) -> str:
        if checklist.decision is None:
            return _t("No decision recorded yet.")
        codelist = self.study.codelists["CL.ISLDEC"]
        label = codelist.label_of(checklist.decision)
        name = label.get(self.language) if label is not None else checklist.decision
        state = (
            f"{MET} " + _t("signed by the investigator")
            if checklist.signed
            else f"{NOT_MET} " + _t("not signed (or changed since it was signed)")
        )
        return _t("Decision: %1 — %2").replace("%1", name).replace("%2", state)

    def _show_product(self, product: Any) -> None:
        self.product_view = product
        if product.ieq_per_kg is None:
            self.dose.setText(_t("IEQ per kg: —"))
        else:
            self.dose.setText(
                _t("IEQ per kg: %1 IEQ/kg").replace("%1", f"{product.ieq_per_kg:,.0f}")
            )
        self.release.setText(release_summary(product.release_code))
        colour = "#1b7f3b" if product.release_code == "islet.release.released" else "#b00020"
        self.release.setStyleSheet(
            f"font-weight: bold; color: {colour};" if product.release_code else ""
        )
        self.checks.set_rows(product.checks)
        _fit_height(self.checks_view)
        self.checks_view.setVisible(bool(product.checks))

    def _set_product_enabled(self, enabled: bool) -> None:
        self.product_inner.setEnabled(enabled and self.clinical)

    def _show_error(self, error: Any) -> None:
        text = error if isinstance(error, str) else error_text(error)
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")
        self.message.setVisible(bool(text))

    def _show_info(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.message.setVisible(bool(text))

    # --- the decision ------------------------------------------------------------------------
    def sign_decision(self) -> None:
        values = _only(self.decision_form.values(), (DECISION_GROUP,))
        decision = values.get((DECISION_GROUP, "1", DECISION_ITEM))
        if not decision:
            self._show_error(_t("Choose the investigator decision first."))
            return
        reason_text = values.get((DECISION_GROUP, "1", REASON_ITEM))
        answers = {
            k[2]: v
            for k, v in values.items()
            if k[2] not in (DECISION_ITEM, REASON_ITEM) and v is not None
        }
        loaded = _only(self.data.decision_values if self.data else {}, (DECISION_GROUP,))
        changes_saved = any(loaded.get(k) is not None for k in self.decision_form.changed_values())
        reason: str | None = None
        if changes_saved:  # changing saved data needs a reason (21 CFR 11), asked before signing
            reason = ask_reason(self)
            if reason is None:
                self._show_error(_t("Not signed: a reason for the change is needed."))
                return
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key

        def action(password: str) -> Any:
            def call() -> Any:
                from app.services.stage_islet import record_islet_decision

                return record_islet_decision(
                    ws, session, password, key, decision, answers, reason_text, reason
                )

            return call

        label = self.study.codelists["CL.ISLDEC"].label_of(decision)
        name = label.get(self.language) if label is not None else decision
        self._open_sign_dialog(
            _t("Islet decision for %1: %2").replace("%1", key).replace("%2", name),
            _t(
                "Eligibility confirmed: as the investigator I confirm this islet "
                "transplantation decision and the assessment above."
            ),
            action,
            self._decision_signed,
        )

    def _decision_signed(self, _checklist: Any) -> None:
        self.decision_form.load(_only(self.decision_form.values(), (DECISION_GROUP,)))
        self._show_info(_t("The decision is recorded and signed."))
        self.reload()

    def _open_sign_dialog(self, statement: str, meaning: str, action: Any, done: Any) -> None:
        if self.sign_dialog is not None:
            self.sign_dialog.deleteLater()  # one signature dialog at a time
        dialog = IsletSignDialog(self.context, statement, meaning, action, error_text, self)
        dialog.signed.connect(done)
        self.sign_dialog = dialog
        dialog.open()

    # --- product and infusion ----------------------------------------------------------------
    @staticmethod
    def _after_product(ws: Any, session: Any, ref: FormRef, _values: Any) -> Any:
        """Runs on the worker: the infusion number, IEQ/kg and release checks (the service)."""
        from app.services.stage_islet import record_islet_product

        return record_islet_product(ws, session, ref.subject_key, int(ref.repeat_key), {})

    def _product_saved(self, product: Any) -> None:
        self._show_product(product)
        self._show_info(_t("The islet product is saved."))

    def save_infusion(self) -> None:
        start = self.infusion_form.values().get(("IG.ISLINF", "1", "IT.IS.INF_START"))
        if not start:
            self._show_error(_t("Enter the infusion start (YYYY-MM-DD HH:MM) first."))
            return
        if not self._product_released() and not self._confirm_unreleased():
            self._show_error(_t("Not saved: the infusion of a product not released was cancelled."))
            return
        self.infusion_saver.save()

    def _product_released(self) -> bool:
        product = self.product_view
        return product is not None and product.release_code == "islet.release.released"

    def _confirm_unreleased(self) -> bool:
        """Infusing a product that is not released (or not recorded) is a deviation: say so."""
        answer = QMessageBox.question(
            self,
            _t("Product not released"),
            _t(
                "The islet product of this infusion does not meet the release criteria or is not "
                "recorded. Record the infusion anyway (a protocol deviation)?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @staticmethod
    def _after_infusion(ws: Any, session: Any, ref: FormRef, values: Any) -> Any:
        """Runs on the worker: the stage moves (islet transplanted, follow-up) and the anchor."""
        from app.services.stage_islet import record_islet_infusion

        start = values.get(("IG.ISLINF", "1", "IT.IS.INF_START"))
        return record_islet_infusion(
            ws, session, ref.subject_key, int(ref.repeat_key), {"IT.IS.INF_START": start}
        )

    def _infusion_saved(self, stage: Any) -> None:
        from ui.labels import stage_name

        self._show_info(
            _t("The islet infusion is saved. Stage: %1.").replace("%1", stage_name(str(stage)))
        )
        self.reload()

    def _infusion_changed(self, _number: int) -> None:
        if self.data is not None and self.data.infusion_number == self.infusion_number.value():
            return
        if self._forms_dirty() and not self._ask_discard():
            self.infusion_number.blockSignals(True)
            if self.data is not None:
                self.infusion_number.setValue(self.data.infusion_number)
            self.infusion_number.blockSignals(False)
            return
        self.product_saver.set_ref(self._ref("F.ISLPROD"))
        self.infusion_saver.set_ref(self._ref("F.ISLINF"))
        self.reload()

    # --- complete without islets -------------------------------------------------------------
    def complete_without_islets(self) -> None:
        reason_text = self.no_islet_reason.text().strip()
        if not reason_text:
            self._show_error(_t("Give the reason no islets are given."))
            return
        picked = self.no_islet_date.date()
        on = date(picked.year(), picked.month(), picked.day())
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key

        def action(password: str) -> Any:
            def call() -> Any:
                from app.services.stage_islet import complete_treatment_without_islets

                return complete_treatment_without_islets(
                    ws, session, password, key, on, reason_text
                )

            return call

        self._open_sign_dialog(
            _t("Treatment phase complete without islets for %1 on %2")
            .replace("%1", key)
            .replace("%2", on.isoformat()),
            _t(
                "Approved as investigator: the treatment phase is complete without islet "
                "transplantation; follow-up months count from this date."
            ),
            action,
            self._completed,
        )

    def _completed(self, stage: Any) -> None:
        from ui.labels import stage_name

        self.no_islet_reason.clear()
        self._show_info(
            _t("Treatment phase complete without islets. Stage: %1.").replace(
                "%1", stage_name(str(stage))
            )
        )
        self.reload()

    # --- unsaved changes ---------------------------------------------------------------------
    def _forms_dirty(self) -> bool:
        return self.product_form.is_dirty() or self.infusion_form.is_dirty()

    def has_unsaved(self) -> bool:
        return (
            self._forms_dirty()
            or self.decision_form.is_dirty()
            or bool(self.no_islet_reason.text().strip())
        )

    def _ask_discard(self) -> bool:
        return ask_discard(
            self,
            _t("Unsaved changes"),
            _t("The islet screen has changes that are not saved or signed. Discard them?"),
        )

    def confirm_discard(self) -> bool:
        """True when nothing is unsaved or the user chose to discard it."""
        return not self.has_unsaved() or self._ask_discard()

    def closeEvent(self, event: Any) -> None:
        if self.confirm_discard():
            for form in (self.decision_form, self.product_form, self.infusion_form):
                form.undo_stack.clear()  # Python undo commands before their C++ stack
            event.accept()
        else:
            event.ignore()


register_stage_body(
    StageBody(
        key="islet",
        stages=frozenset({"engraftment", "islet_eligibility", "islet_transplanted"}),
        title=lambda: _t("Islet transplantation"),
        factory=IsletPage,
        order=20,
        # A worklist task on one of these forms opens this screen rather than the bare form.
        forms=frozenset({"F.ISLELIG", "F.ISLPROD", "F.ISLINF"}),
    )
)
