"""The conditioning stage screen in real widgets on a real SQLCipher site (fixed clock, no sleeps).

Demo ward FD-004 is on conditioning Day -3 today with its doses due: the page opens on that day,
shows each calculated dose, refuses the nurse as her own checker, records the dose when another
user confirms with their password, and writes the audit rows. Busulfan AUCs add up against the
target. On a new subject a physician builds the plan from the template and a nurse records the
first dose checked by a second nurse.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.audit_trail import audit_rows
from app.services.permissions import Role
from app.services.stage_conditioning import busulfan_exposure, conditioning_plan, day_doses
from tests.services.conftest import STAFF_PASSWORD
from tests.services.ward.test_stage_walk import enrol_subject, select_unit
from tests.ui.conftest import DEMO_PASSWORD, wait_for
from ui.form_registry import FormRef, stage_bodies
from ui.stages.conditioning import ConditioningPage
from ui.stages.conditioning_models import PLAN_FIELDS

SHOTS = os.environ.get("SEQTX_SHOTS")  # a directory: save screenshots there (looking at it)


def _page(qtbot: Any, context: Any, key: str, stage: str) -> ConditioningPage:
    page = ConditioningPage(context, FormRef(key, "", "", "", stage))
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    wait_for(qtbot, context.runner)
    return page


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _row_of(page: ConditioningPage, drug: str) -> int:
    rows = [page.dose_model.row_at(n).drug for n in range(page.dose_model.rowCount())]
    return rows.index(drug)


def _confirm(qtbot: Any, page: ConditioningPage, user: str, password: str) -> str:
    dialog = page.dose_dialog
    assert dialog is not None
    dialog.user.setText(user)
    dialog.password.setText(password)
    dialog.confirm()
    wait_for(qtbot, page.context.runner)
    return dialog.error.text()


def test_conditioning_day_doses_two_people_and_busulfan(
    qtbot: Any, ward: Any, make_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, key = ward.workspace, "FD-004"
    nurse = ward.login("nurse")
    assert any(b.key == "conditioning" for b in stage_bodies("conditioning"))
    page = _page(qtbot, make_context(ws, nurse), key, "conditioning")

    # Today's study day is the default, the plan's days are the choices.
    assert page.data is not None and page.data.day == -3 and page.data.today == -3
    assert (
        page.day_picker.currentText().startswith("Day -3")
        and "today" in page.day_picker.currentText()
    )
    assert [page.day_picker.itemData(i) for i in range(page.day_picker.count())] == list(
        range(-6, 0)
    )
    assert "BSA" in page.summary.text()

    # Each dose shows the dose calculated from the day's weight and BSA (the service's figure).
    stored = {r.drug: r for r in day_doses(ws, nurse, key, -3)}
    shown = {page.dose_model.row_at(n).drug: page.dose_model.data(page.dose_model.index(n, 2))
             for n in range(page.dose_model.rowCount())}  # fmt: skip
    assert set(shown) == {"FLU", "BU", "ATG"}
    for drug, row in stored.items():
        assert row.calculated_mg is not None and row.given_mg is None
        assert shown[drug] == f"{row.calculated_mg:.2f}".rstrip("0").rstrip(".")
    _shot(page, "conditioning_doses_en")

    # The first due dose is chosen and prefilled; Enter in the table goes to the given dose.
    bu = _row_of(page, "BU")
    page.dose_table.selectRow(bu)
    assert page.dose_drug.text() == "Busulfan"
    assert page.given.text() == shown["BU"]
    assert page.start.text() == "2026-11-24 09:00"  # the ward's local time (fixed clock)
    page.dose_table.setFocus()
    QApplication.sendEvent(
        page.dose_table,
        QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
    )
    assert page.given.hasFocus() or QApplication.focusWidget() is page.given
    page.given.setText("52")
    assert page.deviation.text().startswith("⚠ -62.8 % · Dose deviation")  # live, before saving
    page.end.setText("2026-11-24 11:00")
    page.record_dose()
    dialog = page.dose_dialog
    assert dialog is not None and "52 mg on Day -3" in dialog.summary.text()

    # Enter in the name moves to the password: it is taken there, it does not confirm yet.
    enter = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    assert dialog.eventFilter(dialog.user, enter) and dialog.error.text() == ""

    # The same person twice is refused in words; nothing is stored.
    assert "someone else" in _confirm(qtbot, page, "nurse", DEMO_PASSWORD)
    assert dialog.password.text() == "" and dialog.isVisible()
    assert "password is not correct" in _confirm(qtbot, page, "physician", "wrong password")
    assert day_doses(ws, nurse, key, -3)[_row_of(page, "BU")].given_mg is None
    _shot(dialog, "conditioning_second_person_en")

    # Another logged-in user confirms with their password: recorded, the table shows it.
    with qtbot.waitSignal(dialog.confirmed, timeout=20_000):
        _confirm(qtbot, page, "physician", DEMO_PASSWORD)
    wait_for(qtbot, page.context.runner)
    row = next(r for r in day_doses(ws, nurse, key, -3) if r.drug == "BU")
    assert (row.given_mg, row.given_by, row.checked_by) == (52, "nurse", "physician")
    assert (row.start, row.end) == ("2026-11-24T09:00:00", "2026-11-24T11:00:00")
    assert "checked by physician" in page.dose_message.text()
    n = _row_of(page, "BU")
    assert (
        page.dose_model.data(
            page.dose_model.index(n, page.dose_model.column_keys().index("checked_by"))
        )
        == "physician"
    )
    time_column = page.dose_model.column_keys().index("time")
    assert page.dose_model.data(page.dose_model.index(n, time_column)) == "09:00 – 11:00"
    trail = audit_rows(ws, ward.login("monitor"), f"{key}/SE.COND[-3]/F.CONDADM")
    by_item = {r.path.rsplit("/", 1)[1]: r for r in trail}
    assert by_item["IT.CM.DOSE_GIVEN"].new_value == "52 mg"
    assert by_item["IT.CM.CHECKED_BY"].new_value == "physician"
    assert by_item["IT.CM.GIVEN_BY"].username == "nurse"

    # Correcting a recorded dose asks why first (a change of saved data), then a second person.
    from ui.ward import form_widget

    monkeypatch.setattr(form_widget, "ask_reason", lambda parent: "infusion pump reading")
    page.dose_table.selectRow(_row_of(page, "BU"))
    assert page.record_button.text() == "Correct dose…" and page.given.text() == "52"
    page.given.setText("139.8")
    page.given.setModified(True)
    assert page.deviation.text() == "0 % · Dose as calculated"
    page.record_dose()
    with qtbot.waitSignal(page.dose_dialog.confirmed, timeout=20_000):
        _confirm(qtbot, page, "physician", DEMO_PASSWORD)
    wait_for(qtbot, page.context.runner)
    changed = [r for r in audit_rows(ws, ward.login("monitor"), f"{key}/SE.COND[-3]/F.CONDADM")
               if r.path.endswith("IT.CM.DOSE_GIVEN") and r.new_value == "139.8 mg"]  # fmt: skip
    assert changed and changed[0].reason == "infusion pump reading"
    assert changed[0].old_value == "52 mg"

    # Busulfan: each dose's AUC typed (Enter enters it), the cumulative exposure against target.
    page.tabs.setCurrentIndex(2)
    assert "no AUC entered yet" in page.bu_summary.text()
    for auc in ("1300", "1300"):
        page.bu_auc.setText(auc)
        page.bu_auc.returnPressed.emit()
        wait_for(qtbot, page.context.runner)
    view = busulfan_exposure(ws, nurse, key)
    assert [d for d, _ in view.doses] == [1, 2] and view.code == "conditioning.busulfan.below"
    assert f"{view.cumulative_mg_h_l:.1f} mg·h/L after 2 dose(s)" in page.bu_summary.text()
    assert (
        "below the target range" in page.bu_summary.text() and "78 – 101" in page.bu_summary.text()
    )
    assert page.bu_model.rowCount() == 2 and page.bu_dose.value() == 3
    _shot(page, "conditioning_busulfan_en")


def test_isolation_checklist_of_the_day_and_unsaved_edits(
    qtbot: Any, ward: Any, make_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, key = ward.workspace, "FD-004"
    page = _page(qtbot, make_context(ws, ward.login("nurse")), key, "conditioning")
    page.tabs.setCurrentIndex(1)
    wait_for(qtbot, page.context.runner)
    form = page.isolation
    assert form is not None and form.ref.event_oid == "SE.COND" and form.ref.repeat_key == "-3"
    _shot(page, "conditioning_isolation_en")
    editor = form.form_widget.fields[("IG.ISOL", "1", "IT.PE.COMMENT")].editor
    editor.setText("HEPA alarm at 08:00, reset")  # typed, not saved
    editor.editingFinished.emit()
    assert page.unsaved() == ["the isolation checklist"]

    # Changing the day with unsaved edits asks; Cancel keeps the day and the edits.
    asked: list[str] = []

    def cancel(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    page.day_picker.setCurrentIndex(page.day_picker.findData(-4))
    page._day_chosen(page.day_picker.currentIndex())
    wait_for(qtbot, page.context.runner)
    assert asked and "isolation checklist" in asked[0]
    assert page.data is not None and page.data.day == -3 and page.isolation is form
    assert page.day_picker.currentData() == -3

    # Closing asks too; discarding clears the edits' undo history before the widgets go.
    monkeypatch.setattr(QMessageBox, "question", cancel)
    assert not page.close() and page.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert page.close()
    assert not form.form_widget.undo_stack.count()


def test_physician_plans_from_the_template_nurse_records_with_a_second_nurse(
    qtbot: Any, ward_ws: Any, users: Any, new_subject: str, make_context: Any
) -> None:
    ws, key = ward_ws, new_subject
    enrol_subject(ws, users, key)
    select_unit(ws, users, key)
    page = _page(qtbot, make_context(ws, users[Role.PHYSICIAN]), key, "unit_selected")
    assert "No conditioning plan yet" in page.message.text()
    plan = page.plan
    plan.template.setCurrentIndex(plan.template.findData("flu_bu_atg_example"))
    plan.apply_template()
    wait_for(qtbot, page.context.runner)
    assert [r.drug for r in plan.model.rows()] == ["FLU", "BU", "ATG"]
    per, calc = PLAN_FIELDS.index("dose_per"), PLAN_FIELDS.index("calculated")
    for row, dose in enumerate(("40", "3.2", "2.5")):
        plan.model.setData(plan.model.index(row, per), dose)
    plan.weight.setText("25")
    plan.height_cm.setText("144")
    assert plan.bsa.text().startswith("1 m²")  # live, before saving
    assert [plan.model.data(plan.model.index(r, calc)) for r in range(3)] == ["40", "80", "62.5"]
    assert plan.is_dirty()
    page.tabs.setCurrentWidget(plan)
    _shot(page, "conditioning_plan_en")
    plan.save()
    wait_for(qtbot, page.context.runner)
    assert "Plan saved" in plan.message.text() and not plan.is_dirty()
    stored = conditioning_plan(ws, users[Role.NURSE], key)
    assert stored.calculated_mg == (40.0, 80.0, 62.5) and stored.days == (-6, -5, -4, -3, -2, -1)
    assert stored.regimen == "flu_bu_atg_example" and stored.weight_kg == 25

    # A nurse reads the plan but does not prescribe; she records Day -6 with a second nurse.
    nurse_page = _page(qtbot, make_context(ws, users[Role.NURSE]), key, "unit_selected")
    assert not nurse_page.plan.save_button.isEnabled() and not nurse_page.plan.model.editable
    assert nurse_page.data is not None and nurse_page.data.day == -6  # Day 0 not known yet
    assert "Day 0 is not known yet" in nurse_page.message.text()
    assert nurse_page.dose_drug.text() == "Fludarabine" and nurse_page.given.text() == "40"
    nurse_page.record_dose()
    assert "someone else" in _confirm(qtbot, nurse_page, "nurse", STAFF_PASSWORD)
    _confirm(qtbot, nurse_page, "nurse2", STAFF_PASSWORD)
    wait_for(qtbot, nurse_page.context.runner)
    row = day_doses(ws, users[Role.NURSE], key, -6)[0]
    assert (row.drug, row.given_mg, row.checked_by) == ("FLU", 40, "nurse2")
    assert row.deviation_code == "conditioning.deviation.ok"


def test_conditioning_screen_in_chinese(
    qtbot: Any, ward: Any, make_context: Any, language: Any
) -> None:
    from ui.i18n import CHINESE

    page = _page(qtbot, make_context(ward.workspace, ward.login("nurse")), "FD-004", "conditioning")
    assert page.tabs.tabText(0) == "Doses of the day"
    language.switch(CHINESE, remember=False)  # an open page follows the switch
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "当日给药")
    wait_for(qtbot, page.context.runner)
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs == ["当日给药", "隔离核查表", "白消安暴露量", "预处理方案"]
    assert page.plan.labels[3].text() == "给药体重（kg）"
    assert page.plan.intensity.currentText() == "清髓性"
    assert page.day_picker.currentText() == "第-3天 · 2026-11-24 · 今天"
    headers = [page.dose_model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.dose_model.columnCount())]  # fmt: skip
    assert headers[:3] == ["药物", "医嘱剂量", "计算剂量（mg）"]
    assert page.dose_model.data(page.dose_model.index(0, 0)) == "氟达拉滨"
    assert page.bu_summary.text().startswith("白消安累积暴露量：尚未录入AUC")
    assert page.isolation is not None
    assert "保护性隔离核查表" in page.isolation.heading.text()  # rebuilt in Chinese
    _shot(page, "conditioning_doses_zh")
    page.record_dose()
    dialog = page.dose_dialog
    assert dialog is not None
    assert "不能核对自己给的药" in _confirm(qtbot, page, "nurse", DEMO_PASSWORD)
    _shot(dialog, "conditioning_second_person_zh")
    page.tabs.setCurrentWidget(page.plan)
    _shot(page, "conditioning_plan_zh")
    page.tabs.setCurrentIndex(1)
    _shot(page, "conditioning_isolation_zh")


def test_physician_adjusts_a_saved_plan_with_a_reason(
    qtbot: Any, ward: Any, make_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, key = ward.workspace, "FD-003"  # unit selected, plan saved, no dose given yet
    physician = ward.login("physician")
    page = _page(qtbot, make_context(ws, physician), key, "unit_selected")
    plan = page.plan
    assert [r.drug for r in plan.model.rows()] == ["FLU", "BU", "ATG"] and not plan.is_dirty()
    page.tabs.setCurrentWidget(plan)

    # Enter moves through the grid: right along the row, then to the next drug.
    plan.table.setFocus()
    plan.table.setCurrentIndex(plan.model.index(0, 4))
    QApplication.sendEvent(
        plan.table,
        QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
    )
    assert (plan.table.currentIndex().row(), plan.table.currentIndex().column()) == (1, 0)

    # Bad input is refused in words before anything is sent.
    weight = plan.weight.text()
    plan.weight.clear()
    plan.model.setData(plan.model.index(2, PLAN_FIELDS.index("day_to")), "1")
    plan.save()
    assert "Enter the dosing weight and height." in plan.message.text()
    assert "Row 3 (Rabbit anti-thymocyte globulin): days run" in plan.message.text()
    assert plan.model.calculated(plan.model.rows()[0]) is None  # no weight, no dose
    plan.weight.setText(weight)
    plan.model.setData(plan.model.index(2, PLAN_FIELDS.index("day_to")), "-2")

    # A change of the saved plan needs a reason; it lands in the audit trail.
    from ui.ward import form_widget

    reasons: list[str] = []
    monkeypatch.setattr(
        form_widget,
        "ask_reason",
        lambda parent: reasons.append("asked") or "ATG 2 mg/kg per protocol",
    )
    plan.model.setData(plan.model.index(2, PLAN_FIELDS.index("dose_per")), "2")
    assert plan.model.data(plan.model.index(2, PLAN_FIELDS.index("calculated"))) == fmt_mg(
        2 * float(weight)
    )
    assert page.unsaved() == ["the regimen plan"]
    plan.save()
    wait_for(qtbot, page.context.runner)
    assert reasons == ["asked"] and "Plan saved" in plan.message.text()
    assert conditioning_plan(ws, physician, key).drugs[2].dose_per_basis == 2
    trail = audit_rows(ws, ward.login("monitor"), f"{key}/SE.CONDPLAN")
    changed = [r for r in trail if r.path.endswith("IT.CP.DOSE_PER") and r.new_value == "2"]
    assert changed and changed[0].reason == "ATG 2 mg/kg per protocol"
    assert not page.unsaved()


def fmt_mg(value: float) -> str:
    from ui.stages.conditioning_models import fmt

    return fmt(value, 2)
