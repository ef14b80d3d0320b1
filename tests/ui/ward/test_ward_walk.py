"""One synthetic subject through the ward screens: stepper reasons, bedside verification in the
real dialog (wrong DIN, bad check character, same person refused; two people accepted), the
engraftment grid typed until engraftment, the chart and the audit rows.

Eligibility, unit selection and conditioning are still entered through the services here (their
dedicated screens are not built yet); the rest goes through the real widgets.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.domain import isbt128
from app.services.audit_trail import audit_rows
from app.services.permissions import Role
from app.services.stage_conditioning import PlanDrug, record_dose, save_conditioning_plan
from app.services.stage_engraftment import engraftment_summary
from app.services.stage_infusion import InfusionRecord, record_infusion
from tests.services.conftest import STAFF_PASSWORD
from tests.services.ward.test_stage_walk import DIN, enrol_subject, select_unit
from tests.ui.conftest import wait_for
from ui.form_registry import FormRef
from ui.ward.bedside_dialog import BedsideVerificationDialog
from ui.ward.engraftment_page import EngraftmentPage
from ui.ward.stepper import StagePage

OTHER_DIN = "W432126654321"


def _attempt(qtbot: Any, dialog: BedsideVerificationDialog, din: str, second: str) -> str:
    dialog.din.setText(din)
    dialog.identity.setChecked(True)
    dialog.second_user.setText(second)
    dialog.second_password.setText(STAFF_PASSWORD)
    dialog.verify()
    wait_for(qtbot, dialog.context.runner)
    return dialog.error.text()


def test_walk_through_the_ward_screens(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str, clock: Any
) -> None:
    ws, key, nurse = ward_ws, new_subject, users[Role.NURSE]
    context = make_context(ws, nurse)

    # The stepper says why enrolment is not possible yet, in words.
    stage = StagePage(context, FormRef(key, "", "", "", "screening"))
    qtbot.addWidget(stage)
    wait_for(qtbot, context.runner)
    enrolled_box = next(b for b in stage.stepper.boxes if b.objectName() == "step:enrolled")
    assert "not yet" in enrolled_box.text() and "✗" in enrolled_box.text()
    assert "eligibility" in enrolled_box.text()

    enrol_subject(ws, users, key)
    select_unit(ws, users, key)
    save_conditioning_plan(ws, users[Role.PHYSICIAN], key, "flu_bu_atg_example", 25, 130,
                           [PlanDrug("BU", "IV", "mg/kg", 3.2, -5, -2)])  # fmt: skip
    record_dose(ws, nurse, key, -2, "BU", 80, "2026-11-24T09:00:00", None, "nurse2",
                STAFF_PASSWORD)  # fmt: skip
    clock.advance(timedelta(days=2))

    # Day 0: the bedside check in the real dialog.
    dialog = BedsideVerificationDialog(context, key)
    qtbot.addWidget(dialog)
    good = DIN + isbt128.mod37_2(DIN)
    dialog.din.setText(DIN + ("A" if isbt128.mod37_2(DIN) != "A" else "B"))
    assert dialog.din_state.text().startswith("✗")  # checked as typed
    dialog.din.setText(good)
    assert dialog.din_state.text().startswith("✓")
    wrong = OTHER_DIN + isbt128.mod37_2(OTHER_DIN)
    assert _attempt(qtbot, dialog, wrong, "physician").startswith("STOP")
    bad = DIN + ("A" if isbt128.mod37_2(DIN) != "A" else "B")
    assert "check character" in _attempt(qtbot, dialog, bad, "physician")
    assert "different user" in _attempt(qtbot, dialog, good, "nurse")
    assert dialog.result_ is None and dialog.second_password.text() == ""
    with qtbot.waitSignal(dialog.verified, timeout=20_000):
        _attempt(qtbot, dialog, good, "physician")
    assert dialog.result_.verified and dialog.result_.second_user == "physician"
    record_infusion(ws, nurse, key, InfusionRecord("2026-11-26T10:00:00", "2026-11-26T10:40:00",
                    25, 25, 10, [{"IT.INF.DIN": DIN}]))  # fmt: skip

    # Counts typed in the grid until engraftment (ANC >= 0.5 from Day +15).
    clock.advance(timedelta(days=17))
    page = EngraftmentPage(context, FormRef(key, "", "", "", "infused"))
    qtbot.addWidget(page)
    page.show()
    wait_for(qtbot, context.runner)
    assert page.model.rowCount() == 17
    for day in range(1, 18):
        page.model.setData(page.model.index(day - 1, 0), "0.6" if day >= 15 else "0.1")
        page.model.setData(page.model.index(day - 1, 1), "15")
    assert "Neutrophil engraftment: Day +15" in page.summary.text()  # live, before saving
    assert page.chart.markers and page.chart.markers[0].day == 15
    assert "17 day(s) changed" in page.message.text()
    page.save_button.click()
    wait_for(qtbot, context.runner)
    assert not page.model.edited_rows()
    summary = engraftment_summary(ws, nurse, key)
    assert (summary.neutrophil_day, summary.status) == (15, "engrafted")
    assert "Neutrophil engraftment: Day +15" in page.summary.text()
    image = page.chart.grab()
    assert not image.isNull()

    trail = audit_rows(ws, users[Role.MONITOR], key)
    actions = [r.action for r in trail]
    assert actions.count("bedside_refused") == 3 and "bedside_verified" in actions
    assert any(r.path.endswith("IT.LB.ANC") and r.new_value.startswith("0.6") for r in trail)

    # The stepper now shows the stages passed and the current one.
    stage.reload()
    wait_for(qtbot, context.runner)
    texts = {b.objectName(): b.text() for b in stage.stepper.boxes}
    assert texts["step:enrolled"].startswith("✓") and "current" in texts["step:engraftment"]
