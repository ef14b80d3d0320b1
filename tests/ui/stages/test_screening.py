"""The screening and eligibility screen in real widgets on a real SQLCipher site: the checklist typed
into the generated F.ELIG form, each criterion's result and the overall result as shown, a nurse
refused the signature, the investigator signing with their password, enrolment showing the subject
ID, a screen failure stored with its reason, and the audit rows all of this leaves.
"""

from __future__ import annotations

from typing import Any

from app.services.audit_trail import audit_rows
from app.services.forms import load_form
from app.services.permissions import Role
from app.services.stage_facts import stage_view
from tests.services.conftest import STAFF_PASSWORD
from tests.services.ward.test_stage_walk import eligible_answers
from tests.ui.conftest import wait_for
from ui.form_registry import FormRef, stage_bodies
from ui.stages.screening import REASON_KEY, ScreeningPage
from ui.ward.form_widget import FormPage

VIRUS = ("IG.ELIG.EXCL", "1", "IT.IE.EX_VIRUS")


def _page(qtbot: Any, context: Any, key: str, stage: str = "screening") -> ScreeningPage:
    page = ScreeningPage(context, FormRef(key, "", "", "", stage))
    qtbot.addWidget(page)
    wait_for(qtbot, context.runner)
    return page


def _rows(page: ScreeningPage) -> dict[str, tuple[str, str]]:
    """Criterion title -> (result, decided by), as the table shows them."""
    table = page.criteria
    rows = {}
    for row in range(table.rowCount()):
        cells = [table.item(row, c) for c in range(3)]
        assert all(cell is not None for cell in cells)
        rows[cells[0].text()] = (cells[1].text(), cells[2].text())  # type: ignore[union-attr]
    return rows


def _answer(qtbot: Any, page: ScreeningPage, values: dict[Any, str | None]) -> None:
    for key, value in values.items():  # chosen in the combo boxes, as a user does
        field = page.form_page.form_widget.fields[key]
        field.editor.setCurrentIndex(field.codes.index(value))  # type: ignore[attr-defined]
    assert not page.unsaved.isHidden()  # the results are of the saved answers until saved
    page.form_page.save_button.click()
    wait_for(qtbot, page.context.runner)
    assert page.unsaved.isHidden()


def _sign(qtbot: Any, page: ScreeningPage, password: str) -> Any:
    dialog = page.open_sign_dialog()
    dialog.password.setText(password)
    dialog.sign()
    wait_for(qtbot, page.context.runner)
    return dialog


def test_the_screening_tabs_are_registered() -> None:
    assert [b.key for b in stage_bodies("screening")][:2] == ["screening", "consent"]
    assert "screening" in [b.key for b in stage_bodies("screen_failure")]


def test_checklist_signature_and_enrolment(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str
) -> None:
    key = new_subject
    nurse = _page(qtbot, make_context(ward_ws, users[Role.NURSE]), key)

    # Nothing answered: every criterion waits, the age is computed from the date of birth.
    rows = _rows(nurse)
    assert rows["Age 18 years or under"] == ("✓ Met", "10 years (limit 18)")
    result, missing = rows["Exclusion 3: active infection"]
    assert result == "? Not answered" and missing == ""
    organs = rows["Inclusion 2: extrapancreatic organ damage, recurring"]
    assert organs == ("? Not answered", "Missing: 11 answers")
    assert nurse.overall.text() == "Eligibility: Incomplete — 19 answers missing"
    assert "Age at assessment: 10 years" in nurse.facts.text()
    assert nurse.sign_button.isHidden()  # a nurse does not sign eligibility
    assert nurse.enrol_button.isHidden()  # nor enrol

    # The nurse types the checklist into the generated form and saves it.
    _answer(qtbot, nurse, eligible_answers())
    rows = _rows(nurse)
    assert {r for r, _ in rows.values()} == {"✓ Met"}
    assert rows["Inclusion 2: extrapancreatic organ damage, recurring"][1] == (
        "Present: (1) Inflammatory bowel disease · recurs: Yes"
    )
    assert rows["Exclusion 2: HIV, HBV or HCV positive"][1] == "Condition present: No"
    assert nurse.overall.text() == "Eligibility: Eligible"
    assert "Not signed by an investigator yet" in nurse.facts.text()

    # Even through the dialog, the service refuses a nurse's signature, in words.
    refused = _sign(qtbot, nurse, STAFF_PASSWORD)
    assert refused.error.text() == "Your role does not allow this action."
    assert refused.result_ is None

    # The investigator signs: a wrong password first, then the right one.
    context = make_context(ward_ws, users[Role.INVESTIGATOR])
    page = _page(qtbot, context, key)
    assert not page.sign_button.isHidden() and page.sign_button.isEnabled()
    wrong = _sign(qtbot, page, "not my password at all")
    assert wrong.error.text() == "The password is not correct." and wrong.result_ is None
    assert wrong.password.text() == ""  # never kept
    signed = _sign(qtbot, page, STAFF_PASSWORD)
    assert signed.result_.signed
    wait_for(qtbot, context.runner)
    assert "Signed by Demo investigator on 2026-11-24 09:00" in page.facts.text()
    assert not page.sign_button.isEnabled()

    # Enrolment needs the guardian's consent: refused with the reason, then done.
    page.enrol_button.click()
    wait_for(qtbot, context.runner)
    assert page.message.text() == "Not possible yet: consent not signed"
    assert page.assigned.isHidden()
    consent = FormPage(context, FormRef(key, "SE.ENROL", "", "F.ENROL", "screening"))
    qtbot.addWidget(consent)
    wait_for(qtbot, context.runner)
    consent.form_widget.set_value(("IG.ENROL", "1", "IT.DS.CONSENT_DTC"), "2026-11-20")
    consent.save_button.click()
    wait_for(qtbot, context.runner)
    page.enrol_button.click()
    wait_for(qtbot, context.runner)
    assert page.assigned.text() == "Enrolled. Subject ID: FD-001"
    assert not page.assigned.isHidden() and page.message.text() == ""
    assert not page.enrol_button.isEnabled() and not page.failure_button.isEnabled()
    assert stage_view(ward_ws, users[Role.MONITOR], key).stage == "enrolled"

    trail = audit_rows(ward_ws, users[Role.MONITOR], key)
    assert any(r.action == "sign" and r.username == "investigator" for r in trail)
    assert any(r.action == "stage" and r.new_value == "enrolled" for r in trail)
    typed = [r for r in trail if r.path.endswith("IT.IE.OD_IBD")]
    assert typed and typed[0].username == "nurse" and typed[0].new_value == "Y"


def test_screen_failure_is_stored_with_its_reason(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str
) -> None:
    key = new_subject
    context = make_context(ward_ws, users[Role.INVESTIGATOR])
    page = _page(qtbot, context, key)
    _answer(qtbot, page, {**eligible_answers(), VIRUS: "Y"})
    result, decided = _rows(page)["Exclusion 2: HIV, HBV or HCV positive"]
    assert (result, decided) == ("✗ Not met", "Condition present: Yes")
    assert (
        page.overall.text() == "Eligibility: Not eligible — Exclusion 2: HIV, HBV or HCV positive"
    )

    # Never without a reason, and never before an investigator has signed the "not eligible"
    # result; a refusal writes nothing.
    dialog = page.open_failure_dialog()
    dialog.reason.setPlainText("   ")
    dialog.record()
    assert dialog.error.text() == "Enter the reason for the screen failure."
    dialog.reason.setPlainText("HBsAg positive at screening serology")
    dialog.record()
    wait_for(qtbot, context.runner)
    assert dialog.error.text() == "Not possible yet: eligibility not signed by an investigator"
    assert (
        load_form(ward_ws, users[Role.MONITOR], key, "SE.SCREEN", "", "F.ELIG").values.get(
            REASON_KEY
        )
        is None
    )
    dialog.reject()
    _sign(qtbot, page, STAFF_PASSWORD)

    # The reason is part of the signed form: the investigator signs again with it.
    dialog = page.open_failure_dialog()
    assert dialog.password.isVisibleTo(dialog)
    dialog.reason.setPlainText("HBsAg positive at screening serology")
    dialog.password.setText("not my password")
    dialog.record()
    wait_for(qtbot, context.runner)
    assert dialog.error.text() == "The password is not correct."
    assert dialog.password.text() == ""
    assert stage_view(ward_ws, users[Role.MONITOR], key).stage == "screening"
    dialog.password.setText(STAFF_PASSWORD)
    with qtbot.waitSignal(dialog.recorded, timeout=20_000):
        dialog.record()
    wait_for(qtbot, context.runner)

    assert page.overall.text().startswith("Screen failure. Eligibility: Not eligible")
    assert "Screen failure reason: HBsAg positive at screening serology" in page.facts.text()
    assert not page.enrol_button.isEnabled() and not page.failure_button.isEnabled()
    stored = load_form(ward_ws, users[Role.MONITOR], key, "SE.SCREEN", "", "F.ELIG")
    assert stored.values[REASON_KEY] == "HBsAg positive at screening serology"
    assert [s.valid for s in stored.signatures][-1] is True  # signed again, with the reason
    assert stage_view(ward_ws, users[Role.MONITOR], key).stage == "screen_failure"
    trail = audit_rows(ward_ws, users[Role.MONITOR], key)
    reason_rows = [r for r in trail if r.path.endswith("IT.IE.SCRFAIL_REASON")]
    assert reason_rows[0].new_value == "HBsAg positive at screening serology"
    assert reason_rows[0].username == "investigator"
    assert any(r.action == "stage" and r.new_value == "screen_failure" for r in trail)

    # Reopened in the screen_failure stage, the page says so and offers no action.
    again = _page(qtbot, context, key, "screen_failure")
    assert again.overall.text().startswith("Screen failure.")
    assert not again.sign_button.isEnabled() and not again.enrol_button.isEnabled()


def test_screening_in_chinese(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str, language: Any
) -> None:
    from ui.i18n import CHINESE

    page = _page(qtbot, make_context(ward_ws, users[Role.INVESTIGATOR]), new_subject)
    language.switch(CHINESE, remember=False)
    assert page.overall.text().startswith("入组资格：资料不全")
    assert page.sign_button.text() == "签署入组资格…"
    assert _rows(page)["年龄不超过18岁"] == ("✓ 符合", "10岁（上限18岁）")
    # The generated checklist is built again in Chinese (it held no unsaved answer).
    label = page.form_page.form_widget.labels[("IG.ELIG.INCL", "1", "IT.IE.INCL1")]
    assert label.text().startswith("1. 伴遗传性免疫缺陷的1型糖尿病")


def test_the_stage_page_shows_the_screening_tabs(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str
) -> None:
    from ui.ward.stepper import StagePage

    context = make_context(ward_ws, users[Role.INVESTIGATOR])
    stage = StagePage(context, FormRef(new_subject, "", "", "", "screening"))
    qtbot.addWidget(stage)
    wait_for(qtbot, context.runner)
    tabs = [stage.tabs.tabText(i) for i in range(stage.tabs.count())]
    assert tabs[:2] == ["Screening and eligibility", "Consent"]
    assert isinstance(stage.body, ScreeningPage)
