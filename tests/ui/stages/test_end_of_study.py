"""The end-of-study screen in real widgets on a real SQLCipher site: the outcome, reason and date
signed by the investigator with their password, the subject moved to its final stage, the record
then shown read-only; a completion with visits still open refused before anything is written; a
nurse sees the page but cannot record.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from app.services.audit_trail import audit_rows
from app.services.forms import load_form
from app.services.permissions import Role
from app.services.stage_facts import stage_view
from tests.services.conftest import STAFF_PASSWORD
from tests.services.ward.test_stage_walk import enrol_subject
from tests.ui.conftest import wait_for
from ui.form_registry import FormRef, stage_bodies
from ui.stages.end_of_study import EndOfStudyPage


def _page(qtbot: Any, context: Any, key: str, stage: str) -> EndOfStudyPage:
    page = EndOfStudyPage(context, FormRef(key, "", "", "", stage))
    qtbot.addWidget(page)
    wait_for(qtbot, context.runner)
    return page


def _choose(combo: Any, code: str) -> None:
    combo.setCurrentIndex(combo.findData(code))


def _sign(qtbot: Any, page: EndOfStudyPage, password: str) -> Any:
    dialog = page.open_record_dialog()
    assert dialog is not None
    dialog.password.setText(password)
    dialog.sign()
    wait_for(qtbot, page.context.runner)
    return dialog


def test_end_of_study_is_a_tab_from_enrolment_on() -> None:
    for stage in ("enrolled", "follow_up", "withdrawn", "completed"):
        body = next(b for b in stage_bodies(stage) if b.key == "end_of_study")
        assert body.order == 90 and body.title() == "End of study"
    assert "end_of_study" not in [b.key for b in stage_bodies("screening")]


def test_withdrawal_signed_then_read_only(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str
) -> None:
    key = new_subject
    enrol_subject(ward_ws, users, key)
    context = make_context(ward_ws, users[Role.INVESTIGATOR])
    page = _page(qtbot, context, key, "enrolled")
    assert page.status.text() == "No end of study recorded. Current stage: Enrolled"
    assert page.on.date().toString("yyyy-MM-dd") == "2026-11-24"  # the ward's today

    # No signature without a reason.
    _choose(page.outcome, "WITHDRAWN")
    assert page.open_record_dialog() is None
    assert page.message.text() == "Enter the reason before signing."

    # A completion is only offered from follow-up (the state machine); the service refuses it
    # anyway, before anything is written.
    outcome_items = page.outcome.model()
    offered = {page.outcome.itemData(i): outcome_items.item(i).isEnabled()  # type: ignore[attr-defined]
               for i in range(page.outcome.count())}  # fmt: skip
    assert offered == {"COMPLETED": False, "WITHDRAWN": True, "DIED": True, "LOST": True}
    _choose(page.outcome, "COMPLETED")
    page.reason.setText("Study finished")
    refused = _sign(qtbot, page, STAFF_PASSWORD)
    assert refused.error.text() == "Not possible yet: this move is not part of the treatment path"
    assert load_form(ward_ws, users[Role.MONITOR], key, "SE.EOS", "", "F.EOS").status == (
        "not_started"
    )
    refused.reject()

    # Withdrawal by the guardian: a wrong password is refused, then the right one signs.
    _choose(page.outcome, "WITHDRAWN")
    assert page.withdrawn_by.isEnabled() and not page.last_contact.isEnabled()
    _choose(page.withdrawn_by, "GUARDIAN")
    page.reason.setText("Family moved to another province")
    wrong = _sign(qtbot, page, "not the password")
    assert wrong.error.text() == "The password is not correct." and wrong.result_ is None
    assert wrong.password.text() == ""
    wrong.password.setText(STAFF_PASSWORD)
    wrong.sign()
    wait_for(qtbot, context.runner)
    assert wrong.result_ == "withdrawn"

    # Now read-only: the record with its signature, no entry.
    assert page.entry.isHidden() and page.record_button.isHidden()
    assert not page.record_box.isHidden()
    texts = {
        label.objectName(): label.text()
        for label in page.record_box.findChildren(QLabel)
        if label.objectName().startswith("IT.")
    }
    assert texts == {
        "IT.DS.EOS_STATUS": "Withdrawn",
        "IT.DS.EOS_DTC": "2026-11-24",
        "IT.DS.EOS_REASON": "Family moved to another province",
        "IT.DS.WD_BY": "Participant or guardian",
    }
    assert page.status.text() == "Signed by Demo investigator on 2026-11-24 09:00"
    assert stage_view(ward_ws, users[Role.MONITOR], key).stage == "withdrawn"
    trail = audit_rows(ward_ws, users[Role.MONITOR], key)
    assert any(r.action == "stage" and r.new_value == "withdrawn" for r in trail)
    assert any(r.action == "sign" and "SE.EOS" in r.path for r in trail)
    reason = [r for r in trail if r.path.endswith("IT.DS.EOS_REASON")]
    assert reason[0].new_value == "Family moved to another province"

    # Opened again in the final stage: still read-only.
    again = _page(qtbot, context, key, "withdrawn")
    assert again.entry.isHidden() and not again.record_box.isHidden()


def test_a_nurse_cannot_record_the_end_of_study(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str
) -> None:
    enrol_subject(ward_ws, users, new_subject)
    page = _page(qtbot, make_context(ward_ws, users[Role.NURSE]), new_subject, "enrolled")
    assert page.record_button.isHidden() and not page.entry.isEnabled()
    assert "An investigator records and signs the end of study." in page.status.text()


def test_end_of_study_in_chinese(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str, language: Any
) -> None:
    from ui.i18n import CHINESE

    enrol_subject(ward_ws, users, new_subject)
    context = make_context(ward_ws, users[Role.INVESTIGATOR])
    page = _page(qtbot, context, new_subject, "enrolled")
    language.switch(CHINESE, remember=False)
    assert page.record_button.text() == "记录研究结束…"
    assert page.outcome.itemText(page.outcome.findData("LOST")) == "失访"
    assert page.status.text() == "尚未记录研究结束。当前阶段：已入组"
