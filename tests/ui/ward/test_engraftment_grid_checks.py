"""The engraftment count grid, the most typed screen of the ward: a value outside its soft range
asks a comment naming the day and the column (cancel: nothing saved, the grid kept as typed); a
value outside its hard range is listed by day and column and nothing of the grid is saved; unsaved
counts are not dropped without asking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain import isbt128
from app.services.audit_trail import audit_rows
from app.services.permissions import Role
from app.services.stage_conditioning import PlanDrug, save_conditioning_plan
from app.services.stage_engraftment import CountRow, daily_counts, save_daily_counts
from app.services.stage_infusion import InfusionRecord, record_infusion, verify_bedside
from tests.services.conftest import STAFF_PASSWORD
from tests.services.ward.test_stage_walk import DIN, enrol_subject, select_unit
from tests.ui.conftest import wait_for
from ui.form_registry import FormRef
from ui.ward.engraftment_page import EngraftmentPage

HB, PLT = 2, 1  # grid columns


@pytest.fixture
def infused(ward_ws: Any, users: Any, new_subject: str, clock: Any) -> str:
    """A subject infused on Day 0, seen on Day +5 (five empty days in the grid)."""
    ws, key, nurse = ward_ws, new_subject, users[Role.NURSE]
    enrol_subject(ws, users, key)
    select_unit(ws, users, key)
    save_conditioning_plan(ws, users[Role.PHYSICIAN], key, "flu_bu_atg_example", 25, 130,
                           [PlanDrug("BU", "IV", "mg/kg", 3.2, -5, -2)])  # fmt: skip
    clock.advance(timedelta(days=2))
    verify_bedside(ws, nurse, key, DIN + isbt128.mod37_2(DIN), True, "physician", STAFF_PASSWORD)
    record_infusion(ws, nurse, key, InfusionRecord("2026-11-26T10:00:00", "2026-11-26T10:40:00",
                    25, 25, 10, [{"IT.INF.DIN": DIN}]))  # fmt: skip
    clock.advance(timedelta(days=5))
    return key


def _page(qtbot: Any, context: Any, key: str) -> EngraftmentPage:
    page = EngraftmentPage(context, FormRef(key, "", "", "", "engraftment"))
    qtbot.addWidget(page)
    page.show()
    wait_for(qtbot, context.runner)
    assert page.model.rowCount() == 5
    return page


def _type_counts(page: EngraftmentPage) -> None:
    for day in range(1, 6):
        page.model.setData(page.model.index(day - 1, 0), "0.2")
        page.model.setData(page.model.index(day - 1, PLT), "30")
    page.model.setData(page.model.index(2, HB), "45")  # Day +3: below the soft 50 g/L
    page.model.setData(page.model.index(4, PLT), "1200")  # Day +5: above the soft 1000


def _stored(ws: Any, nurse: Any, key: str) -> dict[int, CountRow]:
    return {r.study_day: r for r in daily_counts(ws, nurse, key) if r.anc is not None}


def test_soft_range_counts_ask_a_comment_per_day_and_column_and_cancel_saves_nothing(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, infused: str, monkeypatch: Any
) -> None:
    nurse = users[Role.NURSE]
    page = _page(qtbot, make_context(ward_ws, nurse), infused)
    _type_counts(page)
    asked: list[str] = []

    def cancel(parent: Any, label: str, low: Any, high: Any) -> None:
        asked.append(label)
        return None

    monkeypatch.setattr("ui.ward.form_widget.ask_soft_confirmation", cancel)
    page.save_button.click()
    wait_for(qtbot, page.context.runner)
    assert asked == ["Day +3, Hb"]  # the first value asked; cancelled: nothing more asked
    assert page.message.text() == "Not saved: values outside the expected range."
    assert _stored(ward_ws, nurse, infused) == {}  # no day saved, not even the plain ones
    assert len(page.model.edited_rows()) == 5  # the grid keeps what was typed

    comments = {"Day +3, Hb": "haemolysed sample, repeat sent", "Day +5, Platelets": "clumping"}

    def confirm(parent: Any, label: str, low: Any, high: Any) -> str:
        asked.append(label)
        return comments[label]

    monkeypatch.setattr("ui.ward.form_widget.ask_soft_confirmation", confirm)
    page.save_button.click()
    wait_for(qtbot, page.context.runner)
    assert asked[1:] == ["Day +3, Hb", "Day +5, Platelets"]
    stored = _stored(ward_ws, nurse, infused)
    assert sorted(stored) == [1, 2, 3, 4, 5]
    assert (stored[3].hb, stored[5].platelets) == ("45", "1200")
    assert not page.model.edited_rows()
    confirmed = [
        (r.path.rsplit("/", 1)[-1], r.new_value, r.reason)
        for r in audit_rows(ward_ws, users[Role.MONITOR], infused)
        if r.action == "soft_range_confirmed"
    ]
    assert sorted(confirmed) == [
        ("IT.LB.HGB", "45", "haemolysed sample, repeat sent"),
        ("IT.LB.PLT", "1200", "clumping"),
    ]


def test_a_hard_range_count_is_listed_by_day_and_nothing_of_the_grid_is_saved(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, infused: str, monkeypatch: Any
) -> None:
    nurse = users[Role.NURSE]
    page = _page(qtbot, make_context(ward_ws, nurse), infused)
    _type_counts(page)
    page.model.setData(page.model.index(3, HB), "300")  # Day +4: above the hard 250 g/L

    def never(*_a: Any) -> str:
        raise AssertionError("a hard-range value cannot be confirmed: nothing is asked")

    monkeypatch.setattr("ui.ward.form_widget.ask_soft_confirmation", never)
    page.save_button.click()
    wait_for(qtbot, page.context.runner)
    lines = page.message.text().splitlines()
    assert lines[0] == "Not saved:"
    assert any(line.startswith("Day +4, Hb: ") and "250" in line for line in lines)
    assert _stored(ward_ws, nurse, infused) == {}
    assert len(page.model.edited_rows()) == 5


def test_save_daily_counts_checks_every_day_before_writing_any(
    ward_ws: Any, users: Any, infused: str
) -> None:
    from app.services.errors import FormValidationFailed

    nurse = users[Role.NURSE]
    rows = [CountRow(d, None, anc="0.2", platelets="30") for d in range(1, 6)]
    rows[3] = CountRow(4, None, anc="0.2", platelets="3500")  # hard range 0-3000
    with pytest.raises(FormValidationFailed) as refused:
        save_daily_counts(ward_ws, nurse, infused, rows)
    (problem,) = refused.value.values["problems"]
    assert (problem.values["study_day"], problem.values["field"]) == (4, "platelets")
    assert _stored(ward_ws, nurse, infused) == {}  # days 1-3 not written before day 4 failed


def test_unsaved_counts_are_not_dropped_without_asking(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, infused: str, monkeypatch: Any
) -> None:
    page = _page(qtbot, make_context(ward_ws, users[Role.NURSE]), infused)
    assert page.confirm_discard()  # nothing typed: nothing to ask
    page.model.setData(page.model.index(0, 0), "0.3")
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    assert not page.confirm_discard()  # Cancel: the user stays on the grid
    assert page.confirm_discard()  # Discard: the user chose to leave
