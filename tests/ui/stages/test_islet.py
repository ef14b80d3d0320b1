"""The islet transplant screen in the real widgets on a real SQLCipher demo ward (fixed clock).

The demo's "islet_assessment" subject (app.services.demo_ward) is engrafted with chimerism 98% and
CD4 260/µL recorded on 2026-11-23 and no decision yet. Asserted: each criterion with its deciding
value and source, the missing sign-off named; a nurse cannot decide; the investigator decides and
signs with the password (a wrong one refused); the product's IEQ/kg and release checks; the
infusion or the signed no-islet completion sets the follow-up anchor shown on the screen; stored
values, signatures and audit rows; unsaved edits survive a reload and closing asks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox

from app.services.audit_trail import audit_rows
from app.services.forms import load_form
from app.services.permissions import Role
from app.services.stage_common import Provenance
from app.services.stage_facts import stage_view
from app.services.stage_islet import CriterionRow
from app.study.loader import default_study
from tests.services.conftest import STAFF_PASSWORD
from tests.ui.conftest import wait_for
from ui.form_registry import FormRef, stage_bodies
from ui.i18n import CHINESE
from ui.stages.islet import IsletPage
from ui.stages.islet_models import CriterionModel, ReleaseCheckModel
from ui.stages.islet_sign import IsletSignDialog
from ui.ward.form_widget import FormWidget
from ui.ward.stepper import StagePage
from ui.worker import FORMS

PROD, INF = "IG.ISLPROD", "IG.ISLINF"
PRODUCT = {"IT.IS.BATCH": "ISL-7", "IT.IS.WEIGHT": "30", "IT.IS.IEQ": "180000",
           "IT.IS.PURITY": "60", "IT.IS.VIABILITY": "85", "IT.IS.ENDOTOX": "60",
           "IT.IS.TISSUE_VOL": "4", "IT.IS.GRAM": "NEG"}  # fmt: skip
INFUSION = {"IT.IS.INF_START": "2026-11-24 09:00", "IT.IS.INF_END": "2026-11-24 09:40",
            "IT.IS.ROUTE": "PTHPV", "IT.IS.PP_BEFORE": "8", "IT.IS.PP_AFTER": "12",
            "IT.IS.COMPL": "N"}  # fmt: skip


@pytest.fixture
def islet_subject(fast_argon2: None, ward_ws: Any, users: Any, clock: Any) -> str:
    from app.services.demo_ward import populate_ward_demo

    # The 14th demo scenario is "islet_assessment"; the subjects before it are the other stages.
    subjects = populate_ward_demo(ward_ws, clock, 14)
    return next(k for k, v in subjects.items() if v == "islet_assessment")


def _page(qtbot: Any, make_context: Any, ws: Any, user: Any, key: str) -> IsletPage:
    context = make_context(ws, user)
    page = IsletPage(context, FormRef(key, "", "", "", "islet_eligibility"))
    qtbot.addWidget(page)
    wait_for(qtbot, context.runner)
    return page


def _type(form: FormWidget, group: str, values: dict[str, str]) -> None:
    """As a user would: a choice picked from its list, text typed and Enter pressed."""
    for item, value in values.items():
        field = form.fields[(group, "1", item)]
        editor = field.editor
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(field.codes.index(value))
        else:
            assert isinstance(editor, QLineEdit)
            editor.setText(value)
            editor.editingFinished.emit()


def _rows(page: IsletPage) -> dict[str, dict[str, str]]:
    model = page.criteria
    keys = model.column_keys()
    return {
        model.row_at(r).name: {k: model.data(model.index(r, c)) for c, k in enumerate(keys)}
        for r in range(model.rowCount())
    }


def _dialog(page: IsletPage) -> IsletSignDialog:
    assert page.sign_dialog is not None, "no signature dialog opened"
    return page.sign_dialog


def _sign(qtbot: Any, page: IsletPage, password: str) -> str:
    dialog = _dialog(page)
    dialog.password.setText(password)
    dialog.sign()
    wait_for(qtbot, page.context.runner)
    return dialog.error.text()


# ------------------------------------------------------------------------------ models


def test_criterion_and_release_models_without_a_view(qapp: Any, language: Any) -> None:
    study = default_study()
    chim = Provenance("SE.ISLELIG", "", "F.CHIM", "IT.CH.DONOR_PCT", date(2026, 11, 23))
    model = CriterionModel(study, "en")
    model.set_rows(
        [
            CriterionRow("donor_chimerism", "islet.eligibility.donor_chimerism.met", True,
                         98.0, 95.0, chim),
            CriterionRow("neutrophil_engrafted", "x.met", True, True, True,
                         Provenance("SE.POST", "19", "F.FBC", "IT.LB.ANC", None)),
            CriterionRow("acute_gvhd", "x.not_met", False, 2, 1, None),
            CriterionRow("cd4", "islet.eligibility.cd4.missing", None, None, 200.0, None),
        ]
    )  # fmt: skip

    def cell(r: int, k: str) -> Any:
        return model.data(model.index(r, model.column_keys().index(k)))

    assert model.columnCount() == 4
    assert cell(0, "criterion") == "Latest donor chimerism above 95%"
    assert (cell(0, "result"), cell(0, "value")) == ("✓ met", "98%")
    assert cell(0, "source") == "Islet eligibility · Chimerism · 2026-11-23"
    tooltip = model.data(model.index(0, 3), 3)  # ToolTipRole: the item and its record path
    assert "IT.CH.DONOR_PCT" in tooltip and "SE.ISLELIG[]/F.CHIM" in tooltip
    assert (cell(1, "value"), cell(1, "source")) == (
        "reached on Day +19",
        "Day +19 · Full blood count",
    )
    assert cell(2, "criterion") == "No active acute GVHD of grade II or higher"
    assert (cell(2, "result"), cell(2, "value")) == ("✗ not met", "grade II")
    assert cell(3, "result") == "? missing" and cell(3, "value") == "—"
    assert cell(3, "source") == (
        "not recorded: enter it in Immune reconstitution (lymphocyte subsets)"
    )
    assert model.missing() == ["CD4+ T cells at least 200/µL"]

    checks = ReleaseCheckModel()
    checks.set_rows([("dose", True, 6000.0, 5000.0), ("endotoxin", False, 6.0, 5.0)])

    def row(r: int) -> list[Any]:
        return [checks.data(checks.index(r, c)) for c in range(4)]

    assert row(0) == ["Islet dose (IEQ/kg)", "6,000", "≥ 5,000", "✓ met"]
    assert row(1) == ["Endotoxin (EU/kg)", "6", "≤ 5", "✗ not met"]


def test_the_islet_tab_follows_the_engraftment_tab(qapp: Any) -> None:
    for stage in ("engraftment", "islet_eligibility"):
        keys = [b.key for b in stage_bodies(stage)]
        assert keys.index("engraftment") < keys.index("islet")
    assert "islet" in [b.key for b in stage_bodies("islet_transplanted")]
    assert "islet" not in [b.key for b in stage_bodies("conditioning")]
    islet = next(b for b in stage_bodies("islet_eligibility") if b.key == "islet")
    assert {"F.ISLELIG", "F.ISLPROD", "F.ISLINF"} <= islet.forms


# ------------------------------------------------------------------------------ the screen


def test_checklist_names_deciding_values_and_a_nurse_cannot_decide(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, islet_subject: str, language: Any
) -> None:
    context = make_context(ward_ws, users[Role.NURSE])
    stage = StagePage(context, FormRef(islet_subject, "", "", "", "islet_eligibility"))
    qtbot.addWidget(stage)
    wait_for(qtbot, context.runner)
    titles = [stage.tabs.tabText(i) for i in range(stage.tabs.count())]
    assert titles.index("Islet transplantation") > titles.index(
        "Engraftment and post-transplant care"
    )
    assert stage.select_body("islet")  # the tab under the stage stepper, built when shown
    wait_for(qtbot, context.runner)
    page = stage.bodies["islet"]
    assert isinstance(page, IsletPage)
    rows = _rows(page)
    assert rows["donor_chimerism"]["value"] == "98%"
    assert rows["donor_chimerism"]["source"] == "Islet eligibility · Chimerism · 2026-11-23"
    assert rows["cd4"]["value"] == "260/µL" and "2026-11-23" in rows["cd4"]["source"]
    assert rows["neutrophil_engrafted"]["result"] == "✓ met"
    assert rows["neutrophil_engrafted"]["value"].startswith("reached on Day +")
    assert rows["acute_gvhd"]["value"] == "none active"
    assert rows["investigator_signoff"]["result"] == "? missing"
    assert page.result.text() == "? Incomplete: data missing"
    assert page.missing.text() == "Missing: Investigator decision signed"
    # A nurse sees the checklist and the assessment but cannot decide or sign.
    assert page.sign_button.isHidden() and not page.decision_form.isEnabled()
    assert not page.decision_note.isHidden()
    assert page.no_islet_box.isHidden()
    assert not page.product_inner.isEnabled()  # nothing to record before a signed decision
    language.switch(CHINESE, remember=False)
    assert page.result.text() == "? 不完整：缺少数据"
    chimerism = _rows(page)["donor_chimerism"]
    assert chimerism["criterion"] == "最近一次供者嵌合率高于95%"
    assert chimerism["source"] == "胰岛移植资格评估 · 嵌合状态 · 2026-11-23"
    infection = ("IG.ISLELIG", "1", "IT.ISE.INF_ACTIVE")
    assert page.decision_form.labels[infection].text() == "活动性感染 *"
    combo = page.decision_form.fields[infection].editor
    assert isinstance(combo, QComboBox) and combo.currentText() == "否"


def test_investigator_decides_signs_and_the_infusion_sets_the_anchor(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, islet_subject: str
) -> None:
    ws, key, inv = ward_ws, islet_subject, users[Role.INVESTIGATOR]
    page = _page(qtbot, make_context, ws, inv, key)
    assert not page.sign_button.isHidden() and page.decision_form.isEnabled()

    _type(page.decision_form, "IG.ISLELIG", {"IT.ISE.DECISION": "PROCEED"})
    page.sign_decision()
    assert "Proceed to islet transplantation" in _dialog(page).statement.text()
    assert "Eligibility confirmed" in _dialog(page).meaning.text()
    assert _sign(qtbot, page, "not my password") == "The password is not correct."
    assert _dialog(page).isVisible() and _dialog(page).password.text() == ""
    assert _sign(qtbot, page, STAFF_PASSWORD) == ""
    wait_for(qtbot, page.context.runner)
    assert page.result.text() == "✓ Eligible for islet transplantation"
    assert page.decision_state.text() == (
        "Decision: Proceed to islet transplantation — ✓ signed by the investigator"
    )
    assert page.product_inner.isEnabled()
    sigs = load_form(ws, inv, key, "SE.ISLELIG", "", "F.ISLELIG").signatures
    assert [(s.meaning, s.username, s.valid) for s in sigs] == [
        ("eligibility_confirmed", "investigator", True)
    ]

    # The product: IEQ/kg and the release checks come from the service.
    _type(page.product_form, PROD, PRODUCT)
    assert page.has_unsaved()
    page.save_product_button.click()
    wait_for(qtbot, page.context.runner)
    assert page.dose.text() == "IEQ per kg: 6,000 IEQ/kg"
    assert page.release.text() == "✓ Release criteria met"
    checks = {
        page.checks.row_at(r)[0]: page.checks.row_at(r) for r in range(page.checks.rowCount())
    }
    assert checks["dose"][1:] == (True, 6000.0, 5000.0)
    assert checks["endotoxin"][1:] == (True, 2.0, 5.0)  # 60 EU / 30 kg
    stored = load_form(ws, inv, key, "SE.ISLINF", "1", "F.ISLPROD").values
    assert stored[(PROD, "1", "IT.IS.IEQ")] == "180000"
    assert stored[(PROD, "1", "IT.IS.INF_NO")] == "1"
    assert stored[("IG.ISLPROD.CALC", "1", "IT.IS.IEQ_KG")] == "6000"

    # The infusion: typed "YYYY-MM-DD HH:MM", it moves the subject on and sets the anchor.
    assert page.anchor.isHidden()
    _type(page.infusion_form, INF, INFUSION)
    page.save_infusion_button.click()
    wait_for(qtbot, page.context.runner)
    assert "Stage: Follow-up" in page.message.text()
    assert not page.anchor.isHidden()
    assert page.anchor.text() == (
        "Completion of treatment (follow-up anchor): 2026-11-24 (islet infusion). "
        "Month-3 visit target: 2027-02-24.")  # fmt: skip
    assert not page.has_unsaved()
    infusion = load_form(ws, inv, key, "SE.ISLINF", "1", "F.ISLINF").values
    assert infusion[(INF, "1", "IT.IS.INF_START")] == "2026-11-24T09:00"
    assert infusion[(INF, "1", "IT.IS.PP_AFTER")] == "12"
    assert stage_view(ws, inv, key).stage == "follow_up"

    trail = audit_rows(ws, users[Role.MONITOR], key)
    by_path = {(r.action, r.path.rsplit("/", 1)[-1], r.username) for r in trail}
    assert ("sign", "F.ISLELIG", "investigator") in by_path
    assert ("insert", "IT.ISE.DECISION", "investigator") in by_path
    assert ("insert", "IT.IS.IEQ", "investigator") in by_path
    assert ("insert", "IT.IS.INF_START", "investigator") in by_path


def test_no_islet_path_signed_by_the_investigator_sets_the_anchor(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, islet_subject: str
) -> None:
    ws, key, inv = ward_ws, islet_subject, users[Role.INVESTIGATOR]
    page = _page(qtbot, make_context, ws, inv, key)
    page.complete_without_islets()
    assert page.message.text() == "Give the reason no islets are given."
    page.no_islet_reason.setText("family declined islet transplantation")
    page.complete_without_islets()
    # Refused before the decision is signed: the screen names what is missing.
    assert _sign(qtbot, page, STAFF_PASSWORD) == (
        "Not possible yet: islet decision not signed")  # fmt: skip
    _dialog(page).reject()

    _type(page.decision_form, "IG.ISLELIG", {"IT.ISE.DECISION": "NO_ISLET",
                                              "IT.ISE.REASON": "family declined"})  # fmt: skip
    page.sign_decision()
    assert _sign(qtbot, page, STAFF_PASSWORD) == ""
    wait_for(qtbot, page.context.runner)
    assert "No islet transplantation" in page.decision_state.text()
    assert not page.product_inner.isEnabled()

    page.no_islet_reason.setText("family declined islet transplantation")
    page.complete_without_islets()
    assert "2026-11-24" in _dialog(page).statement.text()
    assert _sign(qtbot, page, STAFF_PASSWORD) == ""
    wait_for(qtbot, page.context.runner)
    assert page.anchor.text() == (
        "Completion of treatment (follow-up anchor): 2026-11-24 "
        "(treatment complete without islets). Month-3 visit target: 2027-02-24.")  # fmt: skip
    assert not page.no_islet_button.isEnabled()
    done = load_form(ws, inv, key, "SE.TRTCOMP", "", "F.TRTCOMP")
    assert done.values[("IG.TRTCOMP", "1", "IT.TC.DTC")] == "2026-11-24"
    assert done.values[("IG.TRTCOMP", "1", "IT.TC.ISLET")] == "N"
    assert [(s.meaning, s.valid) for s in done.signatures] == [("approved_as_investigator", True)]
    assert stage_view(ws, inv, key).stage == "follow_up"
    signs = [r for r in audit_rows(ws, users[Role.MONITOR], key) if r.action == "sign"]
    assert {r.path.rsplit("/", 1)[-1] for r in signs} >= {"F.ISLELIG", "F.TRTCOMP"}


def test_unsaved_edits_survive_a_reload_and_closing_asks(
    qtbot: Any,
    make_context: Any,
    ward_ws: Any,
    users: Any,
    islet_subject: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = _page(qtbot, make_context, ward_ws, users[Role.INVESTIGATOR], islet_subject)
    _type(page.decision_form, "IG.ISLELIG", {"IT.ISE.REASON": "typed, not signed"})
    page.context.runner.changed.emit(FORMS)  # another screen saved something
    wait_for(qtbot, page.context.runner)
    assert page.decision_form.values()[("IG.ISLELIG", "1", "IT.ISE.REASON")] == (
        "typed, not signed")  # fmt: skip
    asked: list[str] = []

    def cancel(*args: Any, **kw: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    page.show()
    assert page.close() is False and page.isVisible()
    assert asked == ["The islet screen has changes that are not saved or signed. Discard them?"]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert page.close() is True  # discarded on purpose: the page goes


def test_infusing_a_product_not_released_needs_a_confirmation(
    qtbot: Any,
    make_context: Any,
    ward_ws: Any,
    users: Any,
    islet_subject: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.services.stage_islet import record_islet_decision

    ws, key, nurse = ward_ws, islet_subject, users[Role.NURSE]
    record_islet_decision(ws, users[Role.INVESTIGATOR], STAFF_PASSWORD, key, "PROCEED", {})
    page = _page(qtbot, make_context, ws, nurse, key)  # a nurse records product and infusion
    assert page.product_inner.isEnabled() and page.product_hint.isHidden()
    # 4,667 IEQ/kg; 700 mL of suspension is outside the expected range: a comment confirms it.
    comments: list[str] = []

    def confirm(parent: Any, label: str, low: Any, high: Any) -> str:
        comments.append(f"{label} {low:g}-{high:g}")
        return "three bags pooled"

    monkeypatch.setattr("ui.ward.soft_range.ask_soft_confirmation", confirm)
    _type(page.product_form, PROD, {**PRODUCT, "IT.IS.IEQ": "140000", "IT.IS.SUSP_VOL": "700"})
    page.save_product_button.click()
    wait_for(qtbot, page.context.runner)
    assert comments == ["Suspension volume 20-600"]
    stored = load_form(ws, nurse, key, "SE.ISLINF", "1", "F.ISLPROD").values
    assert stored[(PROD, "1", "IT.IS.SUSP_VOL")] == "700"
    assert page.dose.text() == "IEQ per kg: 4,667 IEQ/kg"
    assert page.release.text() == "✗ Release criteria NOT met"
    dose = page.checks.row_at(0)
    assert (dose[0], dose[1], dose[3]) == ("dose", False, 5000.0)

    answers: list[QMessageBox.StandardButton] = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    _type(page.infusion_form, INF, INFUSION)
    page.save_infusion_button.click()
    wait_for(qtbot, page.context.runner)
    assert "cancelled" in page.message.text() and page.has_unsaved()
    assert load_form(ws, nurse, key, "SE.ISLINF", "1", "F.ISLINF").status == "not_started"

    answers.append(QMessageBox.StandardButton.Yes)
    page.save_infusion_button.click()
    wait_for(qtbot, page.context.runner)
    assert "2026-11-24 (islet infusion)" in page.anchor.text()
    assert stage_view(ws, nurse, key).stage == "follow_up"
