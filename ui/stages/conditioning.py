"""ConditioningPage: conditioning under protective isolation, the stage screen of issue 4 item 3.

For the chosen study day (today's by default): the day's doses with the dose calculated from that
day's weight and BSA, the given dose, times, given by and checked by (a second logged-in user
confirms with their password, SecondPersonDialog); the day's protective-isolation checklist (the
generated F.ISOL form); busulfan AUC entry with the cumulative exposure against the target; and
the regimen plan (PlanWidget). Every service call runs on the worker (app.services.
stage_conditioning); nothing typed is dropped without asking (confirm_discard).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import conditioning as rules
from app.services.stage_conditioning import day_event
from ui.context import ShellContext
from ui.discard import ask_discard
from ui.form_registry import FormRef, StageBody, register_stage_body
from ui.messages import error_text
from ui.stages.conditioning_dialogs import ItemKey, SecondPersonDialog, submit_with_reason
from ui.stages.conditioning_models import (
    BusulfanModel,
    DoseModel,
    DrugNames,
    busulfan_summary,
    fmt,
    number,
    signed,
)
from ui.stages.conditioning_plan import PlanWidget
from ui.ward.codes import code_text
from ui.ward.form_widget import FormPage
from ui.worker import FORMS

ENTRY_WIDTH = 260  # a dose or a time, not a paragraph


def _t(text: str) -> str:
    return QCoreApplication.translate("ConditioningPage", text)


@dataclass(frozen=True)
class DayData:
    """What the page shows, fetched in one worker call."""

    plan: Any  # ConditioningPlanView
    today: int | None  # today's study day (recorded or planned Day 0), None when not known
    day0: Any  # date | None
    day: int | None  # the day shown
    doses: tuple[Any, ...]  # DoseRow of that day
    busulfan: Any  # BusulfanView


def day_text(day: int, day0: Any, today: int | None) -> str:
    """ "Day -3 · 2026-11-24 · today" (the date once Day 0 is known)."""
    text = _t("Day %1").replace("%1", f"{day:+d}" if day else "0")
    if day0 is not None:
        text += f" · {(day0 + timedelta(days=day)).isoformat()}"
    if day == today:
        text += " · " + _t("today")
    return text


def parse_time(text: str) -> str | None:
    """A typed 'YYYY-MM-DD HH:MM' as the stored ISO datetime; None when it is not one."""
    try:
        return datetime.fromisoformat(text.strip()).replace(second=0).isoformat(timespec="seconds")
    except ValueError:
        return None


def load_day(ws: Any, session: Any, key: str, wanted: int | None) -> DayData:
    """Runs on the worker: the plan, today's study day, the chosen day's doses, busulfan."""
    from app.services.stage_conditioning import busulfan_exposure, conditioning_plan, day_doses
    from app.services.worklist import build_worklist

    plan = conditioning_plan(ws, session, key)
    # Today's study day as the worklist shows it (Day 0 recorded, else planned from the dated
    # conditioning records), so a row opened from the worklist lands on the same day.
    row = next((r for r in build_worklist(ws, session) if r.subject_key == key), None)
    today = None if row is None else row.study_day
    day0 = None
    if today is not None:
        from app.domain.schedule import ward_today

        day0 = ward_today(ws.clock) - timedelta(days=today)
    days = list(plan.days)
    day = wanted
    if day is None:
        day = today if today is not None and today in days else (days[0] if days else None)
    doses = () if day is None else tuple(day_doses(ws, session, key, day))
    return DayData(plan, today, day0, day, doses, busulfan_exposure(ws, session, key))


class ConditioningPage(QWidget):
    """The stage screen of unit_selected and conditioning (one tab under the stage stepper)."""

    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        study = context.workspace.require_study()
        self.params = study.rules.params(rules.ConditioningParams, "conditioning")
        self.names = DrugNames(study, lambda: context.language.language)
        self.data: DayData | None = None
        self.isolation: FormPage | None = None
        self.dose_dialog: SecondPersonDialog | None = None
        self._entry_drug: str | None = None
        self.can_enter = context.can("enter_clinical_data")

        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.day_picker = QComboBox()
        self.day_picker.setObjectName("dayPicker")
        self.day_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.day_picker.activated.connect(self._day_chosen)
        day_row = QHBoxLayout()
        self.day_label = QLabel()
        self.day_label.setBuddy(self.day_picker)
        day_row.addWidget(self.day_label)
        day_row.addWidget(self.day_picker)
        day_row.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("conditioningTabs")
        self.tabs.addTab(self._doses_tab(), "")
        self.isolation_box = QWidget()
        self.isolation_layout = QVBoxLayout(self.isolation_box)
        self.isolation_layout.setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.isolation_box, "")
        self.tabs.addTab(self._busulfan_tab(), "")
        self.plan = PlanWidget(context, ref, self.names, self.params)
        self.plan.saved.connect(lambda _view: self.reload())
        self.tabs.addTab(self.plan, "")

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addLayout(day_row)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        context.runner.changed.connect(self._on_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        """Every fixed text in the current language (also on a language switch)."""
        self.heading.setText(
            f"{self.ref.subject_key} · " + _t("Conditioning under protective isolation")
        )
        self.day_label.setText(_t("Study day"))
        titles = (_t("Doses of the day"), _t("Isolation checklist"), _t("Busulfan exposure"),
                  _t("Regimen plan"))  # fmt: skip
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
        self.drug_label.setText(_t("Drug"))
        self.given_label.setText(_t("Dose given (mg)"))
        self.start_label.setText(_t("Start"))
        self.end_label.setText(_t("End"))
        self.bu_dose_label.setText(_t("Dose number"))
        self.bu_auc_label.setText(_t("AUC of this dose (µM·min)"))
        self.bu_button.setText(_t("Enter AUC"))
        self._record_text()
        self.dose_model.retranslate()
        self.bu_model.retranslate()
        if self.data is not None:
            self._show_summary(self.data.plan)
            self._fill_days(self.data)
            self._show_busulfan(self.data.busulfan)
            self._select_dose(self.dose_table.currentIndex().row())
            if self.isolation is not None and not self.isolation.form_widget.is_dirty():
                self._show_isolation(self.data.day)  # its labels come from the study, rebuilt

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- building ----------------------------------------------------------------------------
    def _doses_tab(self) -> QWidget:
        self.dose_model = DoseModel(self.names, self)
        self.dose_table = QTableView()
        self.dose_table.setObjectName("doseTable")
        self.dose_table.setModel(self.dose_model)
        self.dose_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.dose_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.dose_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.dose_table.horizontalHeader().setStretchLastSection(True)
        self.dose_table.verticalHeader().setVisible(False)
        self.dose_table.installEventFilter(self)
        self.dose_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._select_dose(current.row())
        )
        self.dose_drug = QLabel()
        self.dose_drug.setObjectName("doseDrug")
        self.given = QLineEdit()
        self.given.setObjectName("givenDose")
        self.start = QLineEdit()
        self.start.setObjectName("doseStart")
        self.start.setPlaceholderText("YYYY-MM-DD HH:MM")
        self.end = QLineEdit()
        self.end.setObjectName("doseEnd")
        self.end.setPlaceholderText("YYYY-MM-DD HH:MM")
        self.record_button = QPushButton()
        self.record_button.setObjectName("recordDose")
        self.record_button.clicked.connect(self.record_dose)
        # Enter moves on: given dose, start, end, then the second person's check.
        self.given.returnPressed.connect(self.start.setFocus)
        self.start.returnPressed.connect(self.end.setFocus)
        self.end.returnPressed.connect(self.record_dose)
        self.deviation = QLabel()
        self.deviation.setObjectName("liveDeviation")
        self.given.textChanged.connect(lambda _text: self._show_deviation())
        self.drug_label, self.given_label = QLabel(), QLabel()
        self.start_label, self.end_label = QLabel(), QLabel()
        entry = QFormLayout()
        entry.addRow(self.drug_label, self.dose_drug)
        entry.addRow(self.given_label, self.given)
        entry.addRow("", self.deviation)
        entry.addRow(self.start_label, self.start)
        entry.addRow(self.end_label, self.end)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        self.dose_message = QLabel()
        self.dose_message.setObjectName("doseMessage")
        self.dose_message.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.dose_table, 1)
        layout.addLayout(entry)
        layout.addWidget(self.dose_message)
        layout.addLayout(buttons)
        for widget in (self.given, self.start, self.end, self.record_button):
            widget.setEnabled(False)  # until a dose is chosen
        for edit in (self.given, self.start, self.end):
            edit.setMaximumWidth(ENTRY_WIDTH)
        return tab

    def _busulfan_tab(self) -> QWidget:
        self.bu_model = BusulfanModel(self.params, self)
        self.bu_summary = QLabel()
        self.bu_summary.setObjectName("busulfanSummary")
        self.bu_summary.setWordWrap(True)
        self.bu_table = QTableView()
        self.bu_table.setObjectName("busulfanTable")
        self.bu_table.setModel(self.bu_model)
        self.bu_table.verticalHeader().setVisible(False)
        self.bu_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.bu_dose = QSpinBox()
        self.bu_dose.setObjectName("busulfanDoseNumber")
        self.bu_dose.setRange(1, 16)
        self.bu_auc = QLineEdit()
        self.bu_auc.setObjectName("busulfanAuc")
        self.bu_auc.setPlaceholderText("900 – 1500")
        self.bu_button = QPushButton()
        self.bu_button.setObjectName("enterAuc")
        self.bu_button.clicked.connect(self.enter_auc)
        self.bu_button.setEnabled(self.can_enter)
        self.bu_message = QLabel()
        self.bu_message.setObjectName("busulfanMessage")
        self.bu_message.setWordWrap(True)
        self.bu_dose.installEventFilter(self)
        self.bu_dose.setMaximumWidth(ENTRY_WIDTH)
        self.bu_auc.setMaximumWidth(ENTRY_WIDTH)
        self.bu_auc.returnPressed.connect(self.enter_auc)
        self.bu_dose_label, self.bu_auc_label = QLabel(), QLabel()
        entry = QFormLayout()
        entry.addRow(self.bu_dose_label, self.bu_dose)
        entry.addRow(self.bu_auc_label, self.bu_auc)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.bu_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.bu_summary)
        layout.addWidget(self.bu_table, 1)
        layout.addLayout(entry)
        layout.addWidget(self.bu_message)
        layout.addLayout(buttons)
        return tab

    # --- loading -----------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topic == FORMS:
            self.reload()

    def reload(self, day: int | None = None) -> None:
        """Fetch the plan and the day (the current one unless `day` is given)."""
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key
        wanted = day if day is not None else (self.data.day if self.data else None)
        self.context.runner.submit(
            lambda: load_day(ws, session, key, wanted), self._loaded, self._failed, owner=self
        )

    def _failed(self, exc: Exception) -> None:
        self._say(error_text(exc))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))  # no empty gap above the tabs

    def _loaded(self, data: DayData) -> None:
        previous = self.data
        self.data = data
        plan = data.plan
        if not self.plan.is_dirty():  # a physician's unsaved edits are never overwritten
            self.plan.show_plan(plan)
        self._show_summary(plan)
        self._fill_days(data)
        if not plan.drugs:
            self._say(_t("No conditioning plan yet: a physician enters it under Regimen plan."))
        elif data.today is None:
            self._say(_t("Day 0 is not known yet: choose the study day."))
        else:
            self._say("")
        self._show_doses(data, keep_entry=previous is not None and previous.day == data.day)
        self._show_busulfan(data.busulfan)
        if previous is None or previous.day != data.day or self.isolation is None:
            self._show_isolation(data.day)

    def _fill_days(self, data: DayData) -> None:
        self.day_picker.blockSignals(True)
        self.day_picker.clear()
        for day in data.plan.days:
            self.day_picker.addItem(day_text(day, data.day0, data.today), day)
        self.day_picker.setCurrentIndex(self.day_picker.findData(data.day))
        self.day_picker.setEnabled(self.day_picker.count() > 0)
        self.day_picker.blockSignals(False)

    def _show_summary(self, plan: Any) -> None:
        if not plan.drugs:
            self.summary.setText("")
            return
        bsa = "–" if plan.bsa_m2 is None else fmt(plan.bsa_m2, 2)
        self.summary.setText(
            _t("%1 · weight %2 kg · height %3 cm · BSA %4 m² · Day %5 to Day -1")
            .replace("%1", plan.regimen or "")
            .replace("%2", fmt(plan.weight_kg, 2))
            .replace("%3", fmt(plan.height_cm, 1))
            .replace("%4", bsa)
            .replace("%5", str(plan.days[0]) if plan.days else "")
        )

    def _show_doses(self, data: DayData, keep_entry: bool) -> None:
        current = self.dose_table.currentIndex().row()
        drug = self.dose_model.row_at(current).drug if 0 <= current < len(data.doses) else None
        self.dose_model.set_rows(data.doses)
        rows = [r.drug for r in data.doses]
        if not rows:
            self._select_dose(-1)
            return
        index = rows.index(drug) if keep_entry and drug in rows else self._first_due(data.doses)
        self.dose_table.selectRow(index)
        self._select_dose(index)

    @staticmethod
    def _first_due(doses: tuple[Any, ...]) -> int:
        return next((n for n, r in enumerate(doses) if r.given_mg is None), 0)

    def _select_dose(self, index: int) -> None:
        """Prefill the entry from the chosen dose: the calculated dose, now as the start."""
        rows = self.dose_model.rowCount()
        chosen = self.dose_model.row_at(index) if 0 <= index < rows else None
        enabled = chosen is not None and self.can_enter
        for widget in (self.given, self.start, self.end, self.record_button):
            widget.setEnabled(enabled)
        if chosen is None:
            self._entry_drug = None
            self.dose_drug.setText("")
            for edit in (self.given, self.start, self.end):
                edit.clear()
            self._record_text()
            return
        if self.given.isModified() and chosen.drug == self._entry_drug:
            return  # a reload while typing: what was typed stays
        self._entry_drug = chosen.drug
        self.dose_drug.setText(self.names.name(chosen.drug))
        given = chosen.given_mg if chosen.given_mg is not None else chosen.calculated_mg
        self.given.setText(fmt(given, 2))
        self.start.setText((chosen.start or self._now()).replace("T", " ")[:16])
        self.end.setText((chosen.end or "").replace("T", " ")[:16])
        self._record_text()
        self._show_deviation()

    def _chosen(self) -> Any:
        index = self.dose_table.currentIndex().row()
        return self.dose_model.row_at(index) if 0 <= index < self.dose_model.rowCount() else None

    def _record_text(self) -> None:
        chosen = self._chosen()
        given = chosen is not None and chosen.given_mg is not None
        self.record_button.setText(_t("Correct dose…") if given else _t("Record dose…"))

    def _show_deviation(self) -> None:
        """The typed dose against the calculated one, live (the >5 % rule, DOMAIN.md App. C)."""
        chosen, given = self._chosen(), number(self.given.text())
        if chosen is None or given is None or not chosen.calculated_mg:
            self.deviation.setText("")
            return
        result = rules.dose_deviation(given, chosen.calculated_mg, self.params)
        text = f"{signed(result.deviation_percent)} % · {code_text(result.code)}"
        warn = result.code == "conditioning.deviation.warn"
        self.deviation.setText(("⚠ " if warn else "") + text)
        self.deviation.setStyleSheet("color: #b00020; font-weight: bold;" if warn else "")

    def _now(self) -> str:
        """The ward's local time (the clock's UTC shifted by its offset), minutes precision."""
        clock = self.context.clock
        offset = getattr(clock, "local_offset_minutes", None)
        minutes = offset() if callable(offset) else 0
        return (clock.now() + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")

    def _show_busulfan(self, view: Any) -> None:
        self.bu_model.set_rows(view.doses)
        self.bu_summary.setText(busulfan_summary(view, self.params))
        colour = {"conditioning.busulfan.within": "#1b7f3b"}.get(view.code or "", "#b00020")
        self.bu_summary.setStyleSheet(
            f"font-weight: bold; color: {colour};" if view.code else "font-weight: bold;"
        )
        if not self.bu_auc.text().strip():
            self.bu_dose.setValue(min(16, max((n for n, _ in view.doses), default=0) + 1))

    def _show_isolation(self, day: int | None) -> None:
        if self.isolation is not None:
            self.isolation.form_widget.undo_stack.clear()  # Python commands before their stack
            self.isolation.deleteLater()
            self.isolation = None
        if day is None:
            return
        event, repeat = day_event(day)
        ref = FormRef(self.ref.subject_key, event, repeat, "F.ISOL", self.ref.stage)
        self.isolation = FormPage(self.context, ref)
        self.isolation.setObjectName("isolationForm")
        self.isolation_layout.addWidget(self.isolation)

    # --- the day ----------------------------------------------------------------------------
    def _day_chosen(self, index: int) -> None:
        day = self.day_picker.itemData(index)
        if self.data is None or day == self.data.day:
            return
        if not self.confirm_discard(include_plan=False):
            self.day_picker.setCurrentIndex(self.day_picker.findData(self.data.day))
            return
        self.given.setModified(False)
        self.bu_auc.clear()
        self.reload(day)

    # --- recording a dose -------------------------------------------------------------------
    def record_dose(self) -> None:
        """Check the entry, then the second person confirms in a small dialog."""
        data, index = self.data, self.dose_table.currentIndex().row()
        if data is None or data.day is None or not 0 <= index < self.dose_model.rowCount():
            return
        row = self.dose_model.row_at(index)
        given = number(self.given.text())
        start, end_text = parse_time(self.start.text()), self.end.text().strip()
        end = parse_time(end_text) if end_text else None
        if given is None or given <= 0:
            self.dose_message.setText(_t("Enter the dose given in mg."))
            self.given.setFocus()
            return
        if start is None or (end_text and end is None):
            self.dose_message.setText(_t("Enter the times as YYYY-MM-DD HH:MM."))
            self.start.setFocus()
            return
        if end is not None and end < start:
            self.dose_message.setText(_t("The end is before the start."))
            self.end.setFocus()
            return
        reason = None
        if row.given_mg is not None:  # correcting a recorded dose is a change of saved data
            from ui.ward import form_widget

            reason = form_widget.ask_reason(self)
            if reason is None:
                self.dose_message.setText(_t("Not saved: a reason for the change is needed."))
                return
        ws, session, key, day = (self.context.workspace, self.context.session,
                                 self.ref.subject_key, data.day)  # fmt: skip
        drug = row.drug

        def action(user: str, password: str, confirmations: Mapping[ItemKey, str]) -> Any:
            from app.services.stage_conditioning import record_dose

            return record_dose(ws, session, key, day, drug, given, start, end, user, password,
                               reason, confirmations)  # fmt: skip

        summary = (
            _t("%1: %2 mg on Day %3, start %4")
            .replace("%1", self.names.name(drug))
            .replace("%2", fmt(given, 2))
            .replace("%3", str(day))
            .replace("%4", start.replace("T", " ")[:16])
        )
        if row.calculated_mg is not None:
            summary += " · " + _t("calculated %1 mg").replace("%1", fmt(row.calculated_mg, 2))
        self.dose_dialog = SecondPersonDialog(self.context, summary, action, self)
        self.dose_dialog.confirmed.connect(self._dose_recorded)
        self.dose_dialog.open()

    def _dose_recorded(self, row: Any) -> None:
        self.given.setModified(False)
        text = _t("Recorded: %1 %2 mg, checked by %3.")
        self.dose_message.setText(
            text.replace("%1", self.names.name(row.drug))
            .replace("%2", fmt(row.given_mg, 2))
            .replace("%3", row.checked_by or "")
        )

    # --- busulfan ---------------------------------------------------------------------------
    def enter_auc(self) -> None:
        data = self.data
        auc = number(self.bu_auc.text())
        if data is None or data.day is None:
            return
        if auc is None or auc <= 0:
            self.bu_message.setText(_t("Enter the AUC of this dose in µM·min."))
            self.bu_auc.setFocus()
            return
        ws, session, key, day = (self.context.workspace, self.context.session,
                                 self.ref.subject_key, data.day)  # fmt: skip
        dose = self.bu_dose.value()

        def call(reason: str | None, confirmations: Mapping[ItemKey, str]) -> Any:
            from app.services.stage_conditioning import record_busulfan_auc

            return record_busulfan_auc(ws, session, key, day, dose, auc, reason, confirmations)

        def done(view: Any) -> None:
            self.bu_auc.clear()
            self.bu_message.setText(
                _t("AUC of dose %1 entered on Day %2.")
                .replace("%1", str(dose))
                .replace("%2", str(day))
            )
            self._show_busulfan(view)
            self.bu_auc.setFocus()

        submit_with_reason(self.context, self, call, done, self.bu_message.setText)

    # --- keyboard and unsaved changes -------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if watched is self.dose_table and self.given.isEnabled():
                self.given.setFocus()
                self.given.selectAll()
                return True
            if watched is self.bu_dose:
                self.bu_auc.setFocus()
                return True
        return super().eventFilter(watched, event)

    def unsaved(self, include_plan: bool = True) -> list[str]:
        """What would be lost, in words (empty when nothing)."""
        out = []
        if include_plan and self.plan.is_dirty():
            out.append(_t("the regimen plan"))
        if self.isolation is not None and self.isolation.form_widget.is_dirty():
            out.append(_t("the isolation checklist"))
        if self.given.isModified():
            out.append(_t("the dose typed but not recorded"))
        if self.bu_auc.text().strip():
            out.append(_t("the busulfan AUC typed but not entered"))
        return out

    def confirm_discard(self, include_plan: bool = True) -> bool:
        """True when nothing is unsaved or the user chose to discard it."""
        lost = self.unsaved(include_plan)
        if not lost:
            return True
        return ask_discard(
            self,
            _t("Unsaved changes"),
            _t("Not saved yet: %1. Discard?").replace("%1", ", ".join(lost)),
        )

    def closeEvent(self, event: Any) -> None:
        if self.confirm_discard():
            if self.isolation is not None:
                self.isolation.form_widget.undo_stack.clear()
            event.accept()
        else:
            event.ignore()


register_stage_body(
    StageBody(
        key="conditioning",
        stages=frozenset({"unit_selected", "conditioning"}),
        title=lambda: _t("Conditioning"),
        factory=ConditioningPage,
        order=20,
        forms=frozenset({"F.CONDADM", "F.ISOL"}),
    )
)
