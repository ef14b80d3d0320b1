"""The cord blood unit screen in the real widgets on a real SQLCipher site: candidate units with
match and dose as the services assess them, a DIN refused as typed with the reason in words, the
recipient's HLA, the physician's signed selection (a nurse is refused) and the receipt, with the
stored values and audit rows. The table model and the DIN check are also tested without a view.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from app.domain import isbt128
from app.services.audit_trail import audit_rows
from app.services.forms import load_form, save_form
from app.services.permissions import Role
from app.services.stage_cordblood import UnitAssessment, unit_matches
from app.services.stage_facts import stage_view
from app.study.loader import default_study
from tests.services.ward.test_stage_walk import HLA, enrol_subject
from tests.ui.conftest import wait_for
from ui.form_registry import FormRef, stage_bodies
from ui.i18n import CHINESE
from ui.stages.cordblood import CordBloodPage
from ui.stages.cordblood_data import CandidateRow, din_entry, din_message
from ui.stages.cordblood_model import CandidateUnitModel

DIN = "W432126123456"
CHECK = isbt128.mod37_2(DIN)
WRONG = next(c for c in "ABCDEFGH" if c != CHECK)
PARAMS = isbt128.Isbt128Params("test", 60)


# --- without a view ----------------------------------------------------------------------------


def _assessment(**changes: Any) -> UnitAssessment:
    values: dict[str, Any] = {
        "repeat_key": "1",
        "din": DIN,
        "din_code": "isbt128.din.ok",
        "match6": "5/6",
        "match8": "7/8",
        "hla_warnings": (),
        "tnc_e7_per_kg": 6.0,
        "cd34_e5_per_kg": 2.4,
        "dose_code": "cordblood.dose.adequate",
        "viability_code": "cordblood.viability.ok",
        "selected": False,
        "rules": (),
    }
    values.update(changes)
    return UnitAssessment(**values)


def _row(assessment: UnitAssessment, received: bool = False) -> CandidateRow:
    values = {
        ("IG.CBU", "1", "IT.CB.BANK"): "Shanghai Cord Blood Bank",
        ("IG.CBU", "1", "IT.CB.DIN"): DIN,
        ("IG.CBU", "1", "IT.CB.DIN_CHECK"): CHECK,
        ("IG.CBU", "1", "IT.CB.PRODCODE"): "S1234V00",
        ("IG.CBU", "1", "IT.CB.ABO"): "AB",
        ("IG.CBU", "1", "IT.CB.TNC"): "150",
        ("IG.CBU", "1", "IT.CB.CD34"): "60",
        ("IG.CBU.HLA", "1", "IT.HLA.U_A1"): "A*02:01",
        ("IG.CBU.HLA", "1", "IT.HLA.U_A2"): "A*24:02",
        ("IG.CBU.HLA", "1", "IT.HLA.U_DRB1_1"): "DRB1*09:01",
    }
    return CandidateRow(assessment.repeat_key, values, assessment, received)


def _cells(model: CandidateUnitModel, row: int = 0) -> dict[str, str]:
    return {
        key: model.data(model.index(row, column)) for column, key in enumerate(model.column_keys())
    }


def test_candidate_model_shows_the_stored_unit_and_the_service_assessment(qapp: Any) -> None:
    model = CandidateUnitModel(default_study(), lambda: "en")
    model.set_rows([_row(_assessment())])
    cells = _cells(model)
    assert cells["din"] == f"{DIN} {CHECK}"
    assert cells["bank"] == "Shanghai Cord Blood Bank"
    assert cells["product"] == "S1234V00"
    assert cells["abo"] == "AB"
    assert (cells["tnc"], cells["cd34"]) == ("150", "60")
    assert (cells["match6"], cells["match8"]) == ("5/6", "7/8")
    assert (cells["tnc_kg"], cells["cd34_kg"]) == ("6.00", "2.40")
    assert cells["hla_a"] == "A*02:01 / A*24:02"
    assert cells["hla_drb1"] == "DRB1*09:01"
    assert cells["hla_c"] == ""
    assert cells["warnings"] == "" and cells["status"] == ""
    header = model.headerData(model.column_keys().index("match6"), Qt.Orientation.Horizontal)
    assert header == "Match\n/6"


def test_candidate_model_says_every_warning_and_the_selection(qapp: Any) -> None:
    model = CandidateUnitModel(default_study(), lambda: "zh_CN")
    bad = _assessment(
        din_code="isbt128.din.wrong_check_character",
        hla_warnings=("hla.warn.c_mismatch",),
        dose_code="cordblood.dose.low",
        viability_code="cordblood.viability.low",
        selected=True,
    )
    model.set_rows([_row(bad, received=True)])
    cells = _cells(model)
    assert cells["warnings"].split("; ") == [
        "Wrong check character: the DIN was mistyped or misread. Check the label.",
        "HLA-C mismatch",
        "TNC dose too low",
        "Post-thaw CD34+ viability too low",
    ]
    assert cells["status"] == "Selected, received"
    assert cells["abo"] == "AB型"  # the code list label in the model's language
    warnings = model.index(0, model.column_keys().index("warnings"))
    assert model.data(warnings, Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(warnings, Qt.ItemDataRole.UserRole).assessment is bad
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0


@pytest.mark.parametrize(
    ("typed", "ok", "code"),
    [
        (f"{DIN}{CHECK}", True, "isbt128.din.ok"),
        (f"W4321 26 123456 {CHECK}", True, "isbt128.din.ok"),  # spaces as on the label
        (f"={DIN}00", True, "isbt128.din.ok"),  # a barcode scan
        (f"{DIN}{WRONG}", False, "isbt128.din.wrong_check_character"),
        (DIN, False, "cordblood.din.check_missing"),
        ("W43212", False, "isbt128.din.wrong_length"),
        ("", False, "cordblood.din.empty"),
    ],
)
def test_a_din_is_accepted_only_with_its_check(typed: str, ok: bool, code: str) -> None:
    entry = din_entry(typed, PARAMS)
    assert (entry.ok, entry.code) == (ok, code)
    if ok:
        assert (entry.din, entry.check) == (DIN, CHECK)


def test_din_messages_say_what_is_wrong(qapp: Any) -> None:
    assert din_message(din_entry(f"{DIN}{WRONG}", PARAMS)).startswith("✗ Wrong check character")
    assert "5 of 13" in din_message(din_entry("W4321", PARAMS), "W4321")
    assert din_message(din_entry(f"{DIN}{CHECK}", PARAMS)) == (
        f"✓ Valid DIN {DIN}, check character {CHECK}"
    )


# --- the real screen ---------------------------------------------------------------------------


def _page(qtbot: Any, context: Any, key: str, stage: str) -> CordBloodPage:
    page = CordBloodPage(context, FormRef(key, "", "", "", stage))
    qtbot.addWidget(page)
    wait_for(qtbot, context.runner)
    return page


def _type(page: CordBloodPage, item: str, text: str, group: str = "IG.CBU") -> None:
    """Type into a field of the candidate form and leave it, as a nurse would."""
    editor = page.entry.form_widget.fields[(group, "1", item)].editor
    if isinstance(editor, QComboBox):
        editor.setCurrentIndex(editor.findText(text))
        return
    assert isinstance(editor, QLineEdit)
    editor.setText(text)
    editor.editingFinished.emit()


def _recipient_ready(ws: Any, users: Any, key: str) -> None:
    enrol_subject(ws, users, key)
    nurse = users[Role.NURSE]
    save_form(ws, nurse, key, "SE.SCREEN", "", "F.VS", {("IG.VS", "1", "IT.VS.WEIGHT"): "25",
              ("IG.VS", "1", "IT.VS.HEIGHT"): "130", ("IG.VS", "1", "IT.VS.DTC"):
              "2026-11-20T09:00:00"})  # fmt: skip


def test_a_nurse_enters_a_unit_sees_match_and_dose_and_cannot_select(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str
) -> None:
    ws, key, nurse = ward_ws, new_subject, users[Role.NURSE]
    _recipient_ready(ws, users, key)
    context = make_context(ws, nurse)
    page = _page(qtbot, context, key, "enrolled")
    assert page.model.rowCount() == 0
    assert "No candidate unit entered yet." in page.summary.text()
    assert "Weight 25 kg" in page.summary.text()

    # The recipient's HLA through the generated F.HLAR form.
    for locus, value in HLA.items():
        editor = page.hla_widget.fields[("IG.HLAR", "1", f"IT.HLA.R_{locus}")].editor
        assert isinstance(editor, QLineEdit)
        editor.setText(value)
        editor.editingFinished.emit()
    page.hla_save.click()
    wait_for(qtbot, context.runner)
    assert page.hla_status.text() == "Recipient HLA saved; matches recomputed."
    assert page.data is not None and page.data.recipient_typing["DRB1"] == (
        "DRB1*09:01",
        "DRB1*03:01",
    )

    # A unit typed in: match and dose appear as it is typed.
    entry = page.entry
    _type(page, "IT.CB.BANK", "Shanghai Cord Blood Bank")
    _type(page, "IT.CB.PRODCODE", "S1234V00")
    _type(page, "IT.CB.ABO", "A")
    _type(page, "IT.CB.TNC", "150")
    _type(page, "IT.CB.CD34", "60")
    for locus, value in HLA.items():
        typed = "DRB1*15:01" if locus == "DRB1_2" else value
        _type(page, f"IT.HLA.U_{locus}", typed, "IG.CBU.HLA")
    assert entry.preview.text().startswith(
        "Match 5/6 · 7/8 · TNC 6.00 ×10⁷/kg · CD34+ 2.40 ×10⁵/kg"
    )

    # A mistyped check character is refused as typed, and saving sends nothing.
    entry.din.setText(f"{DIN} {WRONG}")
    assert entry.din_state.text().startswith("✗ Wrong check character")
    entry.save_button.click()
    wait_for(qtbot, context.runner)
    assert entry.message.text().startswith("Not saved: ✗ Wrong check character")
    assert unit_matches(ws, nurse, key).assessments == ()

    # The check character of the label: accepted, saved, in the table with the service's figures.
    entry.din.setText(f"{DIN} {CHECK}")
    assert entry.din_state.text() == f"✓ Valid DIN {DIN}, check character {CHECK}"
    entry.save_button.click()
    wait_for(qtbot, context.runner)
    assert entry.message.text() == "Unit saved."
    assert page.model.rowCount() == 1
    cells = _cells(page.model)
    assert (cells["din"], cells["match6"], cells["match8"]) == (f"{DIN} {CHECK}", "5/6", "7/8")
    assert (cells["tnc_kg"], cells["cd34_kg"], cells["abo"]) == ("6.00", "2.40", "A")
    assert cells["warnings"] == ""
    assert f"A single unit reaches the TNC dose: {DIN}" in page.summary.text()
    stored = load_form(ws, nurse, key, "SE.CBU", "1", "F.CBU").values
    assert stored[("IG.CBU", "1", "IT.CB.DIN")] == DIN
    assert stored[("IG.CBU", "1", "IT.CB.DIN_CHECK")] == CHECK
    assert stored[("IG.CBU.CALC", "1", "IT.CB.TNC_KG")] == "6.00"

    # A nurse may not select: the button is off, and the refusal is said in words.
    assert not page.select_button.isEnabled()
    assert page.open_selection() is None
    assert page.message.text() == "Your role does not allow this action."

    trail = audit_rows(ws, users[Role.MONITOR], f"{key}/SE.CBU")
    din_rows = [r for r in trail if r.path.endswith("IT.CB.DIN")]
    assert [(r.username, r.new_value) for r in din_rows] == [("nurse", DIN)]


def test_a_physician_selects_the_unit_and_its_receipt_is_recorded(
    qtbot: Any, make_context: Any, ward: Any
) -> None:
    ws, key = ward.workspace, "FD-002"
    physician = ward.login("physician")
    context = make_context(ws, physician)
    page = _page(qtbot, context, key, "enrolled")
    assert page.model.rowCount() == 2
    first, second = (_cells(page.model, n) for n in (0, 1))
    assert (first["match6"], first["match8"]) == ("6/6", "8/8")
    assert (second["match6"], second["match8"]) == ("5/6", "7/8")
    assert second["warnings"].startswith("TNC dose too low (needs more than 5 ×10⁷/kg)")
    assert page.select_button.isEnabled() and not page.receipt_button.isEnabled()
    suggested = page.model.row_at(0).assessment.din

    dialog = page.open_selection()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.chosen() == [suggested]  # the service's suggestion is ticked
    assert dialog.strategy.text() == "Single unit"
    dialog.password.setText("not my password")
    dialog.submit()
    wait_for(qtbot, context.runner)
    assert dialog.error.text() == "The password is not correct."
    assert dialog.isVisible() and dialog.password.text() == ""
    assert stage_view(ws, physician, key).stage == "enrolled"

    dialog.rationale.setText("Best HLA match, adequate TNC dose")
    dialog.password.setText("demo passphrase for the ward")
    dialog.submit()
    wait_for(qtbot, context.runner)
    assert not dialog.isVisible()
    assert stage_view(ws, physician, key).stage == "unit_selected"
    selection = load_form(ws, physician, key, "SE.CBUSEL", "", "F.CBUSEL")
    assert selection.values[("IG.CBUSEL.UNIT", "1", "IT.CBS.DIN")] == suggested
    assert (
        selection.values[("IG.CBUSEL", "1", "IT.CBS.REASON")] == "Best HLA match, adequate TNC dose"
    )
    assert selection.values[("IG.CBUSEL", "1", "IT.CBS.STRATEGY")] == "SINGLE"
    assert [(s.username, s.valid) for s in selection.signatures] == [("physician", True)]
    assert f"Selected: {suggested} (single unit)" in page.summary.text()
    assert "Not received yet" in page.summary.text()
    assert _cells(page.model, 0)["status"] == "Selected"
    assert page.receipt_button.isEnabled()

    receipt = page.open_receipt()
    assert receipt is not None
    qtbot.addWidget(receipt)
    assert receipt.when.text() == "2026-11-24 09:00"  # the fixed clock, Shanghai time
    receipt.temperature.setText("-190")
    receipt.label_ok.setCurrentIndex(1)
    receipt.bag_ok.setCurrentIndex(1)
    receipt.storage.setText("Tank 2, rack B")
    receipt.submit()
    wait_for(qtbot, context.runner)
    assert not receipt.isVisible()
    stored = load_form(ws, physician, key, "SE.CBUSEL", "", "F.CBUREC").values
    assert stored[("IG.CBUREC", "1", "IT.CBR.DIN")] == suggested
    assert stored[("IG.CBUREC", "1", "IT.CBR.SHIPPER_TEMP")] == "-190"
    assert stored[("IG.CBUREC", "1", "IT.CBR.LABEL_OK")] == "Y"
    assert f"Received: {suggested}" in page.summary.text()
    assert _cells(page.model, 0)["status"] == "Selected, received"

    trail = audit_rows(ws, ward.login("monitor"), f"{key}/SE.CBUSEL")
    paths = {(r.username, r.path.rsplit("/", 1)[-1]) for r in trail}
    assert ("physician", "IT.CBS.DIN") in paths and ("physician", "IT.CBR.DIN") in paths


def test_a_double_unit_and_a_nurse_refused_by_the_service(
    qtbot: Any, make_context: Any, ward: Any
) -> None:
    ws, key = ward.workspace, "FD-002"
    nurse_context = make_context(ws, ward.login("nurse"))
    page = _page(qtbot, nurse_context, key, "enrolled")
    assert page.data is not None
    # Even if a nurse reached the dialog, the service refuses, in words.
    from ui.stages.cordblood_dialogs import UnitSelectionDialog

    refused = UnitSelectionDialog(nurse_context, key, page.data.rows, page.data.suggested)
    qtbot.addWidget(refused)
    refused.password.setText("demo passphrase for the ward")
    refused.submit()
    wait_for(qtbot, nurse_context.runner)
    assert refused.error.text() == "Your role does not allow this action."

    physician_context = make_context(ws, ward.login("physician"))
    dialog = UnitSelectionDialog(physician_context, key, page.data.rows, page.data.suggested)
    qtbot.addWidget(dialog)
    for n in range(dialog.units.count()):
        dialog.units.item(n).setCheckState(Qt.CheckState.Checked)
    assert dialog.strategy.text() == "Double unit"
    dialog.password.setText("demo passphrase for the ward")
    dialog.submit()
    wait_for(qtbot, physician_context.runner)
    stored = load_form(ws, ward.login("physician"), key, "SE.CBUSEL", "", "F.CBUSEL").values
    assert stored[("IG.CBUSEL", "1", "IT.CBS.STRATEGY")] == "DOUBLE"
    assert stored[("IG.CBUSEL.UNIT", "2", "IT.CBS.ROLE")] == "SECOND"
    wait_for(qtbot, nurse_context.runner)
    assert "(double unit)" in page.summary.text()


def test_the_screen_is_a_tab_of_both_stages_and_speaks_chinese(
    qtbot: Any, make_context: Any, ward: Any, language: Any
) -> None:
    for stage in ("enrolled", "unit_selected"):
        assert "cordblood" in [b.key for b in stage_bodies(stage)]
    context = make_context(ward.workspace, ward.login("nurse"))
    page = _page(qtbot, context, "FD-003", "unit_selected")
    language.switch(CHINESE, remember=False)
    assert page.select_button.text() == "选择脐血…"
    assert page.entry_tabs.tabText(1) == "受者HLA"
    assert "已选定" in page.summary.text() and "尚未接收" in page.summary.text()
    warnings = _cells(page.model, 1)["warnings"]
    assert warnings.startswith("TNC剂量过低")
    header = page.model.headerData(
        page.model.column_keys().index("match8"), Qt.Orientation.Horizontal
    )
    assert header == "配型\n/8"


def test_a_candidate_corrected_with_a_reason_and_edits_never_lost_silently(
    qtbot: Any, make_context: Any, ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    import ui.stages.cordblood_entry as entry_module

    ws, key = ward.workspace, "FD-002"
    nurse = ward.login("nurse")
    context = make_context(ws, nurse)
    page = _page(qtbot, context, key, "enrolled")
    low = page.model.row_at(1)
    assert low.assessment.dose_code == "cordblood.dose.low"
    page.table.selectRow(1)
    page.edit_current()
    entry = page.entry
    assert entry.title.text() == "Candidate unit 2"
    assert entry.din_state.text().startswith("✓ Valid DIN")

    # Typing a corrected TNC shows the new dose at once, before it is saved.
    weight = page.data.weight_kg if page.data is not None else None
    assert weight is not None
    tnc = round(weight * 6)
    _type(page, "IT.CB.TNC", str(tnc))
    assert f"TNC {tnc / weight:.2f} ×10⁷/kg" in entry.preview.text()
    assert "TNC dose too low" not in entry.preview.text()

    # Leaving the unsaved edit asks first; Cancel keeps it.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    entry.new_button.click()
    assert entry.title.text() == "Candidate unit 2" and entry.is_dirty()

    # Saving a changed value asks for the reason; it goes into the audit trail.
    monkeypatch.setattr(entry_module, "ask_reason", lambda parent: "Count corrected by the bank")
    entry.save_button.click()
    wait_for(qtbot, context.runner)
    assert entry.message.text() == "Unit saved."
    (n,) = [n for n in range(page.model.rowCount()) if page.model.row_at(n).repeat_key == "2"]
    assert page.model.row_at(n).assessment.dose_code == "cordblood.dose.adequate"
    assert _cells(page.model, n)["tnc_kg"] == f"{tnc / weight:.2f}"
    assert _cells(page.model, n)["warnings"] == ""
    trail = audit_rows(ws, ward.login("monitor"), f"{key}/SE.CBU[2]")
    changes = [r for r in trail if r.path.endswith("IT.CB.TNC")]
    assert changes[0].new_value == f"{tnc} 10*7"  # the value with its UCUM unit
    assert changes[0].reason == "Count corrected by the bank" and changes[0].username == "nurse"


def test_a_new_unit_outside_the_expected_range_is_confirmed_with_a_comment(
    qtbot: Any, make_context: Any, ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, key = ward.workspace, "FD-002"
    nurse = ward.login("nurse")
    context = make_context(ws, nurse)
    page = _page(qtbot, context, key, "enrolled")
    asked: list[str] = []

    def confirm(parent: Any, label: str, low: Any, high: Any) -> str:
        asked.append(f"{label} {low}-{high}")
        return "Small unit, accepted by the physician"

    monkeypatch.setattr("ui.ward.soft_range.ask_soft_confirmation", confirm)
    _type(page, "IT.CB.BANK", "Beijing Cord Blood Bank")
    _type(page, "IT.CB.TNC", "25")  # expected 30-500 (x10^7)
    page.entry.din.setText(f"={DIN}00")  # scanned from the barcode
    page.entry.save_button.click()
    wait_for(qtbot, context.runner)
    assert asked == ["Pre-freeze total nucleated cells (×10⁷) 30.0-500.0"]
    assert page.entry.message.text() == "Unit saved."
    assert page.entry.title.text() == "Candidate unit 3"
    stored = load_form(ws, nurse, key, "SE.CBU", "3", "F.CBU").values
    assert stored[("IG.CBU", "1", "IT.CB.TNC")] == "25"
    assert stored[("IG.CBU", "1", "IT.CB.DIN_CHECK")] == CHECK
    assert page.model.rowCount() == 3
    trail = audit_rows(ws, ward.login("monitor"), f"{key}/SE.CBU[3]")
    confirmed = [r for r in trail if r.action == "soft_range_confirmed"]
    assert [r.reason for r in confirmed] == ["Small unit, accepted by the physician"]


def test_a_physician_adds_a_second_unit_to_a_signed_selection_with_a_reason(
    qtbot: Any, make_context: Any, ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.stages.cordblood_dialogs as dialogs

    ws, key = ward.workspace, "FD-003"
    physician = ward.login("physician")
    context = make_context(ws, physician)
    page = _page(qtbot, context, key, "unit_selected")
    dialog = page.open_selection()
    assert dialog is not None
    qtbot.addWidget(dialog)
    rows = [page.model.row_at(n) for n in range(page.model.rowCount())]
    selected = [r.assessment.din for r in rows if r.assessment.selected]
    assert dialog.chosen() == selected  # the saved selection, not the suggestion
    for n in range(dialog.units.count()):
        dialog.units.item(n).setCheckState(Qt.CheckState.Checked)
    monkeypatch.setattr(dialogs, "ask_reason", lambda parent: "Second unit for the dose")
    dialog.password.setText("demo passphrase for the ward")
    dialog.submit()
    wait_for(qtbot, context.runner)
    assert not dialog.isVisible()
    stored = load_form(ws, physician, key, "SE.CBUSEL", "", "F.CBUSEL")
    assert stored.values[("IG.CBUSEL", "1", "IT.CBS.STRATEGY")] == "DOUBLE"
    assert [s.valid for s in stored.signatures][-1] is True
    trail = audit_rows(ws, ward.login("monitor"), f"{key}/SE.CBUSEL")
    strategy = [r for r in trail if r.path.endswith("IT.CBS.STRATEGY")]
    assert strategy[0].reason == "Second unit for the dose"
    assert "(double unit)" in page.summary.text()
