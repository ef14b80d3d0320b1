"""Stage screens confirm values outside their soft range with a comment, as the generated forms do.

Real widgets on the demo ward's SQLCipher site (fixed clock); the comment dialog
(ui.ward.soft_range.ask_soft_confirmation) is patched: it answers a comment or cancels. A
cancelled comment saves nothing and keeps what was typed; a confirmed one saves the value and
the audit trail carries the comment.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.services.audit_trail import audit_rows
from app.services.forms import load_form
from app.services.stage_conditioning import busulfan_exposure
from tests.ui.conftest import wait_for
from tests.ui.stages.test_conditioning import _page as conditioning_page
from tests.ui.stages.test_infusion import _open as infusion_page
from tests.ui.stages.test_infusion import _stored as day0_values

ASK = "ui.ward.soft_range.ask_soft_confirmation"


def _answers(monkeypatch: pytest.MonkeyPatch, *answers: str | None) -> list[str]:
    """Patch the comment dialog: each question gets the next answer (None: cancelled)."""
    asked: list[str] = []
    queue = list(answers)

    def ask(parent: Any, label: str, low: Any, high: Any) -> str | None:
        asked.append(f"{label} {low:g}–{high:g}")
        return queue.pop(0)

    monkeypatch.setattr(ASK, ask)
    return asked


def _confirmed(ward: Any, prefix: str) -> list[tuple[str, str | None, str | None]]:
    trail = audit_rows(ward.workspace, ward.login("monitor"), prefix)
    return [
        (r.path.rsplit("/", 1)[-1], r.new_value, r.reason)
        for r in trail
        if r.action == "soft_range_confirmed"
    ]


def _conditioning_tab(qtbot: Any, make_context: Any, ward: Any, tab: int) -> Any:
    """Demo subject FD-004's conditioning screen (Day -3) as the nurse, on tab `tab`."""
    context = make_context(ward.workspace, ward.login("nurse"))
    page = conditioning_page(qtbot, context, "FD-004", "conditioning")
    page.tabs.setCurrentIndex(tab)
    wait_for(qtbot, page.context.runner)
    return page


def test_infusion_record_and_vital_signs_outside_the_expected_range_are_confirmed(
    qtbot: Any, make_context: Any, ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = infusion_page(qtbot, make_context, ward, "FD-005", "infused", "nurse")
    before = day0_values(ward, "FD-005")
    # SpO2 88 % at +15 min (expected 92-100) and a bag of 15 mL (expected 20-500 mL).
    page.model.setData(page.model.index(1, 6), "88")
    page.record.volume.setText("15")

    # Cancelled at the second question: nothing of the record or the grid is saved.
    asked = _answers(monkeypatch, "re-measured", None)
    page.save()
    wait_for(qtbot, page.context.runner)
    assert len(asked) == 2
    assert page.message.text() == "Not saved: values outside the expected range."
    assert day0_values(ward, "FD-005") == before
    assert page.has_unsaved() and page.record.volume.text() == "15"
    assert page.model.data(page.model.index(1, 6)) == "88"

    # Both confirmed: the volume through record_infusion, SpO2 through save_vital_signs.
    monkeypatch.setattr("ui.stages.infusion.ask_reason", lambda parent: "bag volume re-read")
    asked = _answers(monkeypatch, "small bag, as labelled", "crying, re-measured 95 % later")
    page.save()
    wait_for(qtbot, page.context.runner)
    assert not page.has_unsaved(), page.message.text()
    assert sorted(asked) == ["+15 min · Oxygen saturation 92–100", "Total volume infused 20–500"]
    stored = day0_values(ward, "FD-005")
    assert stored[("IG.INFUS", "1", "IT.INF.VOLUME")] == "15"
    assert [v for k, v in stored.items() if k[2] == "IT.INF.VS_SPO2"].count("88") == 1
    assert sorted(_confirmed(ward, "FD-005/SE.DAY0")) == [
        ("IT.INF.VOLUME", "15", "small bag, as labelled"),
        ("IT.INF.VS_SPO2", "88", "crying, re-measured 95 % later"),
    ]


def test_busulfan_auc_outside_the_expected_range_is_confirmed_with_a_comment(
    qtbot: Any, make_context: Any, ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, key, nurse = ward.workspace, "FD-004", ward.login("nurse")
    page = _conditioning_tab(qtbot, make_context, ward, 2)

    # 250 µM·min is below the expected 300-3000: cancelled, nothing is entered, the text stays.
    asked = _answers(monkeypatch, None)
    page.bu_auc.setText("250")
    page.bu_auc.returnPressed.emit()
    wait_for(qtbot, page.context.runner)
    assert len(asked) == 1 and asked[0].endswith("300–3000")
    assert page.bu_message.text() == "Not saved: values outside the expected range."
    assert page.bu_auc.text() == "250" and busulfan_exposure(ws, nurse, key).doses == ()

    # Confirmed: entered, and the comment is in the audit trail.
    _answers(monkeypatch, "sampling time checked with the lab")
    page.bu_auc.returnPressed.emit()
    wait_for(qtbot, page.context.runner)
    assert busulfan_exposure(ws, nurse, key).doses == ((1, 250.0),)
    assert page.bu_message.text() == "AUC of dose 1 entered on Day -3."
    assert _confirmed(ward, f"{key}/SE.COND[-3]/F.DLVL") == [
        ("IT.PK.BU_AUC", "250", "sampling time checked with the lab")
    ]

    # Outside the hard range (over 10000) no comment is asked: refused with the range.
    asked = _answers(monkeypatch)
    page.bu_auc.setText("20000")
    page.bu_auc.returnPressed.emit()
    wait_for(qtbot, page.context.runner)
    assert asked == [] and "allowed range is 0 – 10000" in page.bu_message.text()
    assert busulfan_exposure(ws, nurse, key).doses == ((1, 250.0),)


def test_isolation_checklist_value_outside_the_expected_range_is_confirmed(
    qtbot: Any, make_context: Any, ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, key, nurse = ward.workspace, "FD-004", ward.login("nurse")
    page = _conditioning_tab(qtbot, make_context, ward, 1)
    form = page.isolation
    assert form is not None
    pressure = ("IG.ISOL", "1", "IT.PE.PRESSURE")
    editor = form.form_widget.fields[pressure].editor
    editor.setText("1.5")  # Pa; expected 2.5-30
    editor.editingFinished.emit()
    asked = _answers(monkeypatch, "door opened for the X-ray")
    form.save_button.click()
    wait_for(qtbot, page.context.runner)
    assert len(asked) == 1 and asked[0].endswith("2.5–30")
    stored = load_form(ws, nurse, key, "SE.COND", "-3", "F.ISOL").values
    assert stored[pressure] == "1.5"
    assert _confirmed(ward, f"{key}/SE.COND[-3]/F.ISOL") == [
        ("IT.PE.PRESSURE", "1.5", "door opened for the X-ray")
    ]
