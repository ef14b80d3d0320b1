"""The Day 0 infusion screen in real widgets on a real SQLCipher ward (FD-004 conditioning, FD-005
infused): the record refused before the two-person check, the check in the shared dialog, the
vital-sign rows every 15 minutes, DMSO g/kg shown, the stored values and the audit rows; the grid
model without a view; Enter moving through the grid; unsaved edits kept and asked about.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from app.domain import isbt128
from app.domain.infusion import InfusionParams
from app.services.audit_trail import audit_rows
from app.services.forms import load_form
from app.services.stage_facts import stage_view
from app.services.stage_infusion import VitalSignRow, selected_dins
from app.study.loader import default_study
from tests.ui.conftest import DEMO_PASSWORD, wait_for
from ui.form_registry import FormRef, stage_bodies
from ui.stages.infusion import InfusionPage
from ui.stages.infusion_vitals import (
    GridRow,
    VitalGridModel,
    from_stored,
    merge,
    point_text,
    schedule,
    to_vital_rows,
)

START = datetime(2026, 11, 27, 10, 0)
# The study's own intervals (resources/study/rules/infusion.yaml): every 15 min, then +0/30/60.
PARAMS = default_study().rules.params(InfusionParams, "infusion")


def _open(qtbot: Any, make_context: Any, ward: Any, key: str, stage: str, user: str) -> Any:
    context = make_context(ward.workspace, ward.login(user))
    page = InfusionPage(context, FormRef(key, "", "", "", stage))
    qtbot.addWidget(page)
    page.resize(1000, 900)
    page.show()
    wait_for(qtbot, context.runner)
    return page


def _stored(ward: Any, key: str) -> dict[tuple[str, str, str], str | None]:
    return dict(
        load_form(ward.workspace, ward.login("nurse"), key, "SE.DAY0", "", "F.INFUS").values
    )


# --- the schedule and the grid model, without a view ----------------------------------------


def test_rows_baseline_every_15_minutes_during_then_after() -> None:
    rows = schedule(START, START + timedelta(minutes=40), None, PARAMS)
    assert [(r.point, r.minute, r.time) for r in rows] == [
        ("BASELINE", 0, "10:00"),
        ("DURING", 15, "10:15"),
        ("DURING", 30, "10:30"),
        ("AFTER", 40, "10:40"),
        ("AFTER", 70, "11:10"),
        ("AFTER", 100, "11:40"),
    ]
    # No end yet (infusion running): 15-minute rows reach "now", at least one hour.
    open_rows = schedule(START, None, START + timedelta(minutes=95), PARAMS)
    assert [r.minute for r in open_rows] == [0, 15, 30, 45, 60, 75, 90]
    assert all(r.point != "AFTER" for r in open_rows)
    # An end on the quarter hour is the first "after" row, not a "during" one.
    assert [r.minute for r in schedule(START, START + timedelta(minutes=45), None, PARAMS)][:5] == [
        0,
        15,
        30,
        45,
        75,
    ]


def test_grid_model_edits_order_and_read_only() -> None:
    stored = from_stored(
        [VitalSignRow("BASELINE", 0, "2026-11-27T10:00:00", 36.8, 96, 102, 60, 22, 99)]
    )
    model = VitalGridModel()
    model.set_rows(merge(stored, schedule(START, START + timedelta(minutes=20), None, PARAMS)))
    assert model.rowCount() == 5 and model.columnCount() == 7
    assert model.headerData(0, Qt.Orientation.Vertical) == "Baseline"
    assert model.headerData(1, Qt.Orientation.Vertical) == "+15 min"
    assert model.headerData(2, Qt.Orientation.Vertical) == "After, +20 min"
    assert model.data(model.index(0, 1)) == "36.8" and model.data(model.index(0, 2)) == "96"
    assert not model.is_dirty()
    assert model.setData(model.index(1, 2), " 120 ")
    assert model.setData(model.index(1, 1), "37,4")  # a decimal comma is a point
    assert model.data(model.index(1, 1)) == "37.4"
    assert model.data(model.index(1, 1), Qt.ItemDataRole.BackgroundRole) is not None
    assert [r.minute for r in model.edited_rows()] == [15]
    # Stored row first (its IG.INFUS.VS number stays), new rows with a value after it.
    assert [(r.minute, r.stored) for r in model.rows_to_save()] == [(0, 1), (15, None)]
    # A later end extends the schedule and keeps what was typed.
    model.extend_schedule(schedule(START, START + timedelta(minutes=50), None, PARAMS))
    assert [r.minute for r in model.rows()] == [0, 15, 30, 45, 50, 80, 110]
    assert model.rows()[1].values[1] == "120" and model.is_dirty()
    rows = to_vital_rows(model.rows_to_save(), START)
    assert rows[1] == VitalSignRow("DURING", 15, "2026-11-27T10:15:00", 37.4, 120)
    model.read_only = True
    assert not model.setData(model.index(2, 1), "36")
    assert not model.flags(model.index(2, 1)) & Qt.ItemFlag.ItemIsEditable


def test_registered_for_conditioning_after_the_conditioning_screens() -> None:
    bodies = {b.key: b for b in stage_bodies("conditioning")}
    assert bodies["infusion"].order == 30 and "F.INFUS" in bodies["infusion"].forms
    assert bodies["conditioning"].order < bodies["infusion"].order  # conditioning tab first
    assert "infusion" in {b.key for b in stage_bodies("infused")}


# --- the screen on the demo ward ------------------------------------------------------------


def test_refused_before_verification_then_verified_recorded_and_audited(
    qtbot: Any, make_context: Any, ward: Any, clock: Any
) -> None:
    clock.advance(timedelta(days=3))  # FD-004 was on Day -3: now its Day 0
    page = _open(qtbot, make_context, ward, "FD-004", "conditioning", "nurse")
    day0 = page.record.day().isoformat()
    assert "not done yet" in page.verification.text()
    assert "locked" in page.blocked.text() and not page.blocked.isHidden()
    assert not page.save_button.isEnabled() and not page.record.isEnabled()
    assert page.grid_empty.isVisibleTo(page) and page.model.rowCount() == 0

    # Whatever is sent before the two-person check, the service refuses it and stores nothing.
    page.record.start.setText("10:00")
    page.record.weight.setText("25")
    page.record.volume.setText("50")
    page.save()
    wait_for(qtbot, page.context.runner)
    assert "Refused" in page.message.text() and "bedside verification" in page.message.text()
    assert ("IG.INFUS", "1", "IT.INF.START") not in _stored(ward, "FD-004")

    # The shared two-person dialog, opened from the page.
    din = next(iter(selected_dins(ward.workspace, "FD-004")))
    dialog = page.open_bedside()
    qtbot.addWidget(dialog)
    dialog.din.setText(din + isbt128.mod37_2(din))
    dialog.identity.setChecked(True)
    dialog.second_user.setText("physician")
    dialog.second_password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.verified, timeout=20_000):
        dialog.verify()
    wait_for(qtbot, page.context.runner)
    assert "Verified at the bedside by nurse and physician" in page.verification.text()
    assert page.blocked.isHidden() and page.save_button.isEnabled() and page.record.isEnabled()

    # The record: rows follow the start and end times, DMSO per kg shown while typing.
    page.record.units[0].thaw_start.setText("0930")
    page.record.units[0].thaw_end.setText("09:42")
    page.record.units[0].volume.setText("25")
    page.record.start.setText("10:00")
    page.record.end.setText("10:40")
    page.record.weight.setText("25")
    page.record.volume.setText("50")
    page.record.dmso_pct.setText("10")
    headers = [page.model.headerData(r, Qt.Orientation.Vertical) for r in range(6)]
    assert headers == ["Baseline", "+15 min", "+30 min", "After, +40 min", "After, +70 min",
                       "After, +100 min"]  # fmt: skip
    times = [page.model.data(page.model.index(r, 0)) for r in range(6)]
    assert times == ["10:00", "10:15", "10:30", "10:40", "11:10", "11:40"]
    assert "0.22 g/kg" in page.record.dmso.text() and "not saved" in page.record.dmso.text()
    for row, values in enumerate((("36.8", "98", "104", "62", "22", "99"),
                                  ("37.0", "102", "110", "66", "24", "98"))):  # fmt: skip
        for column, value in enumerate(values, start=1):
            page.model.setData(page.model.index(row, column), value)
    page.extras.set_value(("IG.INFUS.PREMED", "1", "IT.INF.PREMED"), "ANTIHIST")
    page.extras.set_value(("IG.INFUS.REACT", "1", "IT.INF.REACT"), "NAUSEA")
    page.extras.set_value(("IG.INFUS.REACT", "1", "IT.INF.REACT_GRADE"), "1")
    assert page.has_unsaved() and "not saved" in page.message.text()

    page.save_button.click()
    wait_for(qtbot, page.context.runner)
    assert not page.has_unsaved(), page.message.text()
    assert "0.22 g/kg" in page.record.dmso.text() and "not saved" not in page.record.dmso.text()
    assert "DMSO within limit" in page.record.dmso.text()

    stored = _stored(ward, "FD-004")
    assert stored[("IG.INFUS", "1", "IT.INF.START")] == f"{day0}T10:00:00"
    assert stored[("IG.INFUS", "1", "IT.INF.END")] == f"{day0}T10:40:00"
    assert stored[("IG.INFUS", "1", "IT.INF.DMSO_GKG")] == "0.220"
    assert stored[("IG.INFUS.UNIT", "1", "IT.INF.DIN")] == din
    assert stored[("IG.INFUS.UNIT", "1", "IT.INF.THAW_START")] == f"{day0}T09:30:00"
    assert stored[("IG.INFUS.VS", "1", "IT.INF.VS_POINT")] == "BASELINE"
    assert stored[("IG.INFUS.VS", "2", "IT.INF.VS_MIN")] == "15"
    assert stored[("IG.INFUS.VS", "2", "IT.INF.VS_DTC")] == f"{day0}T10:15:00"
    assert stored[("IG.INFUS.VS", "2", "IT.INF.VS_HR")] == "102"
    assert ("IG.INFUS.VS", "3", "IT.INF.VS_POINT") not in stored  # empty rows are not stored
    assert stored[("IG.INFUS.PREMED", "1", "IT.INF.PREMED")] == "ANTIHIST"
    assert stored[("IG.INFUS.REACT", "1", "IT.INF.REACT")] == "NAUSEA"
    view = stage_view(ward.workspace, ward.login("nurse"), "FD-004")
    assert view.stage == "infused"

    trail = audit_rows(ward.workspace, ward.login("monitor"), "FD-004/SE.DAY0")
    by_path = {r.path: r for r in trail}
    assert [r.action for r in trail].count("bedside_verified") == 1
    assert by_path["FD-004/SE.DAY0/F.INFUS/IG.INFUS[1]/IT.INF.START"].username == "nurse"
    assert by_path["FD-004/SE.DAY0/F.INFUS/IG.INFUS.VS[1]/IT.INF.VS_TEMP"].new_value == "36.8 Cel"
    dmso = by_path["FD-004/SE.DAY0/F.INFUS/IG.INFUS[1]/IT.INF.DMSO_GKG"]
    assert dmso.new_value == "0.220 g/kg" and dmso.username is None  # derived by the system


def test_infused_subject_changes_need_a_reason_soft_values_a_comment(
    qtbot: Any, make_context: Any, ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _open(qtbot, make_context, ward, "FD-005", "infused", "nurse")
    assert "Verified at the bedside by nurse and physician" in page.verification.text()
    assert "g/kg" in page.record.dmso.text() and "DMSO within limit" in page.record.dmso.text()
    assert page.model.rowCount() == 7  # 10:00-11:00: baseline, 15/30/45, after 60/90/120

    # A hard range violation is refused with the range and the time point named.
    page.model.setData(page.model.index(1, 2), "400")
    page.save()
    wait_for(qtbot, page.context.runner)
    assert "+15 min" in page.message.text() and "20 – 300" in page.message.text()
    assert page.has_unsaved()
    # A record value outside the expected range asks for a comment; cancelled, nothing is
    # saved (neither the record nor the grid) and what was typed stays on screen.
    asked: list[str] = []
    monkeypatch.setattr(
        "ui.ward.soft_range.ask_soft_confirmation", lambda *a: asked.append(f"{a[1]} {a[2]:g}")
    )
    page.model.setData(page.model.index(1, 2), "")
    page.model.setData(page.model.index(1, 6), "99")
    page.record.volume.setText("12")
    page.save()
    wait_for(qtbot, page.context.runner)
    assert asked == ["Total volume infused 20"]
    assert page.message.text() == "Not saved: values outside the expected range."
    assert page.has_unsaved() and page.record.volume.text() == "12"
    assert page.model.data(page.model.index(1, 6)) == "99"
    stored = _stored(ward, "FD-005")
    assert stored[("IG.INFUS", "1", "IT.INF.VOLUME")] == "25"
    assert ("IG.INFUS.VS", "2", "IT.INF.VS_SPO2") not in stored
    page.model.setData(page.model.index(1, 6), "")

    # A soft one (fever) is saved with its comment; a changed volume asks for a reason.
    comments: list[str] = []
    monkeypatch.setattr(
        "ui.ward.soft_range.ask_soft_confirmation",
        lambda *a: comments.append(a[1]) or "fever during infusion, physician informed",
    )
    monkeypatch.setattr("ui.stages.infusion.ask_reason", lambda parent: "volume re-measured")
    page.model.setData(page.model.index(1, 2), "120")
    page.model.setData(page.model.index(1, 1), "39.4")
    page.record.volume.setText("30")
    page.save()
    wait_for(qtbot, page.context.runner)
    assert not page.has_unsaved(), page.message.text()
    assert comments and "+15 min" in comments[0]
    stored = _stored(ward, "FD-005")
    assert stored[("IG.INFUS.VS", "1", "IT.INF.VS_TEMP")] == "39.4"
    assert stored[("IG.INFUS", "1", "IT.INF.VOLUME")] == "30"
    trail = audit_rows(ward.workspace, ward.login("monitor"), "FD-005/SE.DAY0")
    volume = next(r for r in trail if r.path.endswith("IT.INF.VOLUME") and r.old_value)
    assert (volume.old_value, volume.new_value) == ("25 mL", "30 mL")
    assert volume.reason == "volume re-measured" and volume.username == "nurse"
    assert any(r.action == "soft_range_confirmed" and r.path.endswith("VS_TEMP") for r in trail)


def test_enter_moves_through_the_grid_and_unsaved_edits_are_kept(
    qtbot: Any, make_context: Any, ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _open(qtbot, make_context, ward, "FD-005", "infused", "nurse")
    grid, model = page.grid, page.model
    grid.setFocus()
    grid.setCurrentIndex(model.index(0, 5))
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, 6)
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # last column: the first measurement of the next row
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, 1)
    # Typing in a cell and Enter commits the value and moves on.
    grid.edit(grid.currentIndex())
    editor = grid.findChild(QLineEdit)
    assert editor is not None
    editor.setText("36.9")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.data(model.index(1, 1)) == "36.9")
    qtbot.waitUntil(lambda: grid.currentIndex().column() == 2)

    # Every time point is on screen at once (the page scrolls, not the grid).
    assert grid.height() >= model.rowCount() * grid.verticalHeader().defaultSectionSize()
    # Enter in the record's fields moves to the next field too.
    page.activateWindow()
    page.record.start.setFocus()
    qtbot.waitUntil(page.record.start.hasFocus)
    qtbot.keyClick(page.record.start, Qt.Key.Key_Return)
    assert page.record.end.hasFocus()

    # Another save elsewhere reloads the page but never over unsaved edits.
    page.context.runner.changed.emit("forms")
    wait_for(qtbot, page.context.runner)
    assert model.data(model.index(1, 1)) == "36.9" and page.has_unsaved()
    # Closing asks; Cancel keeps the page and the edits.
    asked: list[str] = []

    def cancel(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    assert not page.close()
    assert asked and "not saved" in asked[0] and page.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


def test_monitor_sees_the_record_read_only(qtbot: Any, make_context: Any, ward: Any) -> None:
    page = _open(qtbot, make_context, ward, "FD-005", "infused", "monitor")
    assert not page.save_button.isEnabled() and page.verify_button.isHidden()
    assert not page.model.flags(page.model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert page.record.start.text() == "10:00" and page.record.end.text() == "11:00"


def test_chinese_and_a_language_switch_on_the_open_page(
    qtbot: Any, make_context: Any, ward: Any, language: Any
) -> None:
    page = _open(qtbot, make_context, ward, "FD-005", "infused", "nurse")
    assert "Verified at the bedside" in page.verification.text()
    language.switch("zh_CN", remember=False)
    qtbot.waitUntil(lambda: "回输" in page.heading.text())
    assert "已由 nurse 和 physician 完成床旁核对" in page.verification.text()
    assert page.save_button.text() == "保存" and page.model.headers()[0] == "时间"
    assert page.model.headerData(0, Qt.Orientation.Vertical) == "基线"
    assert "上限" in page.record.dmso.text()
    assert point_text(GridRow("DURING", 15, "10:15")) == "+15 分钟"
    locked = _open(qtbot, make_context, ward, "FD-004", "conditioning", "nurse")
    assert "锁定" in locked.blocked.text() and "尚未完成" in locked.verification.text()


def test_record_widget_two_units_overnight_and_missing_fields(qtbot: Any) -> None:
    from datetime import date

    from ui.stages.infusion_record import InfusionRecordWidget, RecordProblem

    widget = InfusionRecordWidget()
    qtbot.addWidget(widget)
    widget.load({}, ["W432126123456", "W432126654321"], date(2026, 11, 27))
    assert [u.din for u in widget.units] == ["W432126123456", "W432126654321"]
    assert widget.dmso_pct.text() == "10" and not widget.is_dirty()  # a default, not typed
    with pytest.raises(RecordProblem) as missing:
        widget.record()
    assert missing.value.field == "start"
    widget.start.setText("2330")
    widget.end.setText("00:20")  # after midnight: the next day
    widget.units[0].thaw_start.setText("23:40")  # after the start: read as the day before
    widget.units[1].thaw_start.setText("23:05")
    widget.units[1].volume.setText("24,5")
    widget.weight.setText("18")
    widget.volume.setText("49")
    assert widget.is_dirty()
    record = widget.record()
    assert (record.start, record.end) == ("2026-11-27T23:30:00", "2026-11-28T00:20:00")
    assert record.units[1] == {
        "IT.INF.DIN": "W432126654321",
        "IT.INF.THAW_START": "2026-11-27T23:05:00",
        "IT.INF.UNIT_VOL": "24.5",
    }
    assert record.units[0]["IT.INF.THAW_START"] == "2026-11-26T23:40:00"
    assert (record.weight_kg, record.total_volume_ml, record.dmso_percent) == (18, 49, 10)
    widget.rate.setText("9.9.9")
    with pytest.raises(RecordProblem) as bad:
        widget.record()
    assert widget.field_label(bad.value.field) == "Infusion rate"
    assert widget.field_label("unitVolume2") == "Thaw of unit W432126654321"
