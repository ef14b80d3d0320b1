"""The follow-up stage screen on a demo ward with every follow-up scenario (visits due, overdue,
open, done, missed): the 12 visits with their status in words and symbols, a visit's forms entered
in the real generated FormPage with the derived values shown beside them after the save, the
trend charts' points, the values stored, unsaved edits kept when the user cancels, Chinese.

The table models are tested without a view. Real SQLCipher, real widgets offscreen, fixed clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDateEdit, QLineEdit, QMessageBox

from app.domain.clock import FixedClock
from app.services import stage_followup as sf
from app.services.audit_trail import audit_rows
from app.services.forms import load_form
from tests.ui.conftest import DEMO_PASSWORD, Ward, wait_for
from ui.form_registry import FormRef, stage_bodies
from ui.stages.followup import FOLLOW_UP_STAGES, FollowUpPage, first_visit_to_show
from ui.stages.followup_models import (
    DerivedModel,
    TrendTableModel,
    VisitTableModel,
    derived_rows,
    trend_rows,
)
from ui.stages.followup_trends import chart_specs, missing_series, percentile

# populate_ward_demo gives subject n scenario (n - 1) mod 18: the follow-up ones are the last four.
DUE, OVERDUE, OPEN, MISSED = "FD-015", "FD-016", "FD-017", "FD-018"
VS, ISLFN, FU = ("IG.VS", "1"), ("IG.ISLFN", "1"), ("IG.FU", "1")


@pytest.fixture
def fu_ward(tmp_path: Path, clock: FixedClock, fast_argon2: None) -> Iterator[Ward]:
    from app.services.demo import create_demo_site
    from app.services.demo_ward import populate_ward_demo

    result = create_demo_site(tmp_path / "fu" / "seqtx.db", 0, DEMO_PASSWORD, clock)
    subjects = populate_ward_demo(result.workspace, clock, 18)
    yield Ward(result.workspace, subjects)
    result.workspace.close()


def _cells(model: Any, column: str) -> list[str]:
    c = model.column_keys().index(column)
    return [model.data(model.index(r, c)) for r in range(model.rowCount())]


def _page(qtbot: Any, make_context: Any, ward: Ward, key: str) -> FollowUpPage:
    context = make_context(ward.workspace, ward.login("nurse"))
    page = FollowUpPage(context, FormRef(key, "", "", "", "follow_up"))
    qtbot.addWidget(page)
    page.resize(1400, 850)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    wait_for(qtbot, context.runner)
    return page


def _type(qtbot: Any, page: FollowUpPage, key: tuple[str, str, str], text: str) -> None:
    assert page.form_page is not None
    editor = page.form_page.form_widget.fields[key].editor
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.clear()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def _save(qtbot: Any, page: FollowUpPage) -> None:
    assert page.form_page is not None
    page.form_page.save_button.click()
    wait_for(qtbot, page.context.runner)


# --- models without a view --------------------------------------------------------------------


def test_visit_model_says_every_status_in_words_and_symbols(fu_ward: Ward) -> None:
    nurse = fu_ward.login("nurse")
    assert [fu_ward.subjects[k] for k in (DUE, OVERDUE, OPEN, MISSED)] == [
        "islet_fu03_due",
        "no_islet_fu03_overdue",
        "islet_fu06_open",
        "no_islet_fu12_missed",
    ]
    model = VisitTableModel()
    first: dict[str, str] = {}
    for key in (DUE, OVERDUE, OPEN, MISSED):
        model.set_rows(sf.visit_plan(fu_ward.workspace, nurse, key))
        assert model.rowCount() == 12
        assert _cells(model, "visit") == [f"Month {m}" for m in range(3, 37, 3)]
        first[key] = _cells(model, "status")[0]
    assert first == {
        DUE: "→ due",
        OVERDUE: "! overdue",
        OPEN: "✓ done",
        MISSED: "✓ done",
    }
    # FD-018: months 3, 6 done in window, 9 done late, 12 missed, the rest not yet due.
    statuses = _cells(model, "status")
    assert statuses[:4] == ["✓ done", "✓ done", "✓ done", "✗ missed"]
    assert set(statuses[4:]) == {"○ not yet due"}
    timing = _cells(model, "timing")
    assert timing[1] == "2026-04-15 (in window)" and timing[2] == "2026-08-09 (out of window)"
    assert timing[3] == "target 35 day(s) ago" and timing[4] == "target in 57 day(s)"
    assert _cells(model, "window")[0] == "2026-01-06 – 2026-02-03"
    assert model.data(model.index(3, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Target date"
    rows = [model.row_at(n) for n in range(12)]
    assert first_visit_to_show(rows) == 2  # nothing to act on: the last visit done


def test_derived_and_trend_models_and_chart_points(fu_ward: Ward) -> None:
    nurse = fu_ward.login("nurse")
    derived = DerivedModel()
    derived.set_rows(derived_rows(sf.visit_derived(fu_ward.workspace, nurse, MISSED, "SE.FU03")))
    assert derived.rowCount() == 9  # the three scores listed even when not computable
    assert derived.value_of("hba1c_pct") == "6.6 %"
    assert derived.value_of("hba1c_ifcc") == "49 mmol/mol"
    assert derived.value_of("bmi").endswith("kg/m²")
    assert derived.value_of("height_z") == "0.73"
    assert derived.value_of("beta_score") == "—"
    assert derived.meaning_of("beta_score") == "" and derived.meaning_of("bmi") == ""
    assert _cells(derived, "name")[:2] == ["BMI", "Height z-score"]
    # Scores carry their meaning under the value (rule result codes, not numbers alone).
    derived.set_rows(derived_rows([
        sf.DerivedValue("beta_score", "6", None, "islet.beta_score", "islet.beta_score@1"),
        sf.DerivedValue("beta2", "8.5", None, "islet.beta2.insulin_needed", "islet.beta2@1"),
        sf.DerivedValue("igls", "good", None, "islet.igls.good", "islet.igls@1"),
    ]))  # fmt: skip
    values = dict(zip(_cells(derived, "name"), _cells(derived, "value"), strict=True))
    assert values["β-score"] == "6\npoints of 8"
    assert values["BETA-2"] == "8.5\ninsulin still needed"
    assert values["Igls class"] == "good graft function" and values["BMI"] == "—"

    trends = sf.trends(fu_ward.workspace, nurse, MISSED)
    table = TrendTableModel()
    table.set_rows(trend_rows(trends))
    assert _cells(table, "month") == ["Month 3", "Month 6", "Month 9"]
    assert _cells(table, "hba1c") == ["6.6", "6.0", "7.2"]
    assert _cells(table, "bmi_z") == ["-1.83", "-1.97", "-2.14"]

    from app.domain.islet_outcome import IsletOutcomeParams
    from app.services.stage_common import rule_params

    specs = {s.key: s for s in chart_specs(trends, rule_params(fu_ward.workspace,
                                                               IsletOutcomeParams, "islet"))}  # fmt: skip
    assert [p.day for p in specs["cpeptide"].points] == [3, 6, 9]
    assert [p.anc for p in specs["cpeptide"].points] == [0.38, 0.37, 0.28]
    assert specs["cpeptide"].left_threshold == 0.17  # Igls C-peptide from islet.yaml
    assert [p.platelets for p in specs["glycaemia"].points] == [6.6, 6.0, 7.2]
    assert specs["glycaemia"].right_threshold == 7.0
    assert missing_series(specs["glycaemia"]) == ["Insulin (IU/kg/day)"]
    # Growth as percentiles (ChartWidget's axes start at 0): z -1.83 is the 3.4th percentile.
    assert [p.platelets for p in specs["growth"].points] == [3.4, 2.4, 1.6]
    assert percentile(0.0) == 50.0


# --- the page in real widgets --------------------------------------------------------------------


def test_registered_for_the_follow_up_stages() -> None:
    assert sorted(FOLLOW_UP_STAGES) == ["completed", "died", "follow_up", "lost_to_follow_up",
                                        "treatment_complete", "withdrawn"]  # fmt: skip
    for stage in FOLLOW_UP_STAGES:
        body = next(b for b in stage_bodies(stage) if b.key == "followup")
        assert body.order == 10 and body.title() == "Follow-up visits"
    assert all(b.key != "followup" for b in stage_bodies("engraftment"))


def test_visit_entry_shows_derived_values_and_updates_plan_and_charts(
    qtbot: Any, make_context: Any, fu_ward: Ward
) -> None:
    page = _page(qtbot, make_context, fu_ward, OPEN)
    assert page.visits.rowCount() == 12
    assert page.event_oid == "SE.FU06"  # the open visit is selected
    assert page.visit_view.currentIndex().row() == 1
    assert "● window open" in page.summary.text() and "1 of 12 visits done" in page.summary.text()
    assert page.form_list.count() == 11 and page.form_oid == "F.FU"
    assert page.form_page is not None and page.form_page.ref.event_oid == "SE.FU06"
    assert page.derived.value_of("bmi") == "—"
    glycaemia = page.trends.charts["glycaemia"]
    assert [p.day for p in glycaemia.points] == [3]

    # Height and weight in the visit's vital signs.
    page.open_form("F.VS")
    wait_for(qtbot, page.context.runner)
    assert page.form_page.ref.form_oid == "F.VS"
    # ISO with "T": stage_common.as_date reads no "YYYY-MM-DD HH:MM" (the form's placeholder),
    # and without a measurement date there is no age, so no z-score (reported to its owner).
    _type(qtbot, page, (*VS, "IT.VS.DTC"), "2026-11-24T09:30")
    _type(qtbot, page, (*VS, "IT.VS.HEIGHT"), "130")
    _type(qtbot, page, (*VS, "IT.VS.WEIGHT"), "30")
    # Beside the entry while typing: when typing pauses, the derived values follow the entries.
    assert page.preview_timer.isActive()
    page.preview_timer.stop()
    page.preview_timer.timeout.emit()  # the pause, without waiting for it
    wait_for(qtbot, page.context.runner)
    assert page.derived.value_of("bmi") == "17.8 kg/m²"  # 30 / 1.30²
    assert page.derived.value_of("height_z") != "—"
    assert "not saved yet" in page.derived_note.text()
    unsaved = load_form(fu_ward.workspace, fu_ward.login("nurse"), OPEN, "SE.FU06", "", "F.VS")
    assert (*VS, "IT.VS.BMI") not in unsaved.values  # a preview writes nothing
    _save(qtbot, page)
    assert page.derived.value_of("bmi") == "17.8 kg/m²"
    assert page.derived_note.text().startswith("Computed from the saved values")
    z = sf.visit_derived(fu_ward.workspace, fu_ward.login("nurse"), OPEN, "SE.FU06")
    stored_z = {v.name: v.value for v in z}
    assert stored_z["height_z"] is not None
    for name in ("height_z", "weight_z", "bmi_z"):
        assert page.derived.value_of(name) == stored_z[name]

    # HbA1c in the islet-function form: both units beside the entry.
    page.open_form("F.ISLFN")
    wait_for(qtbot, page.context.runner)
    fw = page.form_page.form_widget
    date = fw.fields[(*ISLFN, "IT.LB.ISLFN_DTC")].editor
    assert isinstance(date, QDateEdit)
    date.setDate(QDate(2026, 11, 24))
    _type(qtbot, page, (*ISLFN, "IT.LB.CPEP_F"), "0.42")
    _type(qtbot, page, (*ISLFN, "IT.LB.GLUC_F"), "6.1")
    _type(qtbot, page, (*ISLFN, "IT.LB.HBA1C"), "6.8")
    _save(qtbot, page)
    assert page.derived.value_of("hba1c_pct") == "6.8 %"
    assert page.derived.value_of("hba1c_ifcc") == "51 mmol/mol"
    view = page.derived_view  # shown beside the entry, in the view the nurse sees
    assert page.derived_box.isVisible() and view.model() is page.derived
    assert [p.day for p in glycaemia.points] == [3, 6]
    assert [p.day for p in page.trends.charts["cpeptide"].points] == [3, 6]
    assert page.trends.model.rowCount() == 2

    # The visit date makes the visit done; the plan follows.
    page.open_form("F.FU")
    wait_for(qtbot, page.context.runner)
    fu_date = page.form_page.form_widget.fields[(*FU, "IT.FU.DTC")].editor
    assert isinstance(fu_date, QDateEdit)
    fu_date.setDate(QDate(2026, 11, 24))
    _save(qtbot, page)
    assert page.visits.row_at(1).status == "done"
    assert page.visits.data(page.visits.index(1, 3)) == "✓ done"
    assert page.event_oid == "SE.FU06"  # the selection survived the reload

    nurse = fu_ward.login("nurse")
    ws = fu_ward.workspace
    vs = load_form(ws, nurse, OPEN, "SE.FU06", "", "F.VS").values
    assert (vs[(*VS, "IT.VS.HEIGHT")], vs[(*VS, "IT.VS.WEIGHT")]) == ("130", "30")
    assert vs[(*VS, "IT.VS.BMI")] == "17.8"
    lab = load_form(ws, nurse, OPEN, "SE.FU06", "", "F.ISLFN").values
    assert (lab[(*ISLFN, "IT.LB.HBA1C")], lab[(*ISLFN, "IT.LB.HBA1C_IFCC")]) == ("6.8", "51")
    assert sf.visit_plan(ws, nurse, OPEN)[1].done_on is not None
    paths = [r.path for r in audit_rows(ws, fu_ward.login("monitor"), OPEN)]
    assert f"{OPEN}/SE.FU06/F.VS/IG.VS[1]/IT.VS.WEIGHT" in paths


def test_unsaved_edits_are_kept_when_the_user_cancels(
    qtbot: Any, make_context: Any, fu_ward: Ward, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, make_context, fu_ward, OVERDUE)
    assert page.event_oid == "SE.FU03" and page.visits.row_at(0).status == "overdue"
    page.open_form("F.VS")
    wait_for(qtbot, page.context.runner)
    _type(qtbot, page, (*VS, "IT.VS.WEIGHT"), "31")
    asked: list[str] = []

    def cancel(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[1])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    page.visit_view.setCurrentIndex(page.visits.index(4, 0))  # another visit
    assert asked == ["Unsaved changes"]
    assert page.event_oid == "SE.FU03" and page.visit_view.currentIndex().row() == 0
    page.open_form("F.FU")  # another form of the same visit
    assert asked == ["Unsaved changes"] * 2 and page.form_oid == "F.VS"
    assert page.has_unsaved()
    assert page.form_page is not None
    assert page.form_page.form_widget.changed_values() == {(*VS, "IT.VS.WEIGHT"): "31"}

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    page.visit_view.setCurrentIndex(page.visits.index(4, 0))
    wait_for(qtbot, page.context.runner)
    assert page.event_oid == "SE.FU15" and not page.has_unsaved()
    assert load_form(fu_ward.workspace, fu_ward.login("nurse"), OVERDUE, "SE.FU03", "",
                     "F.VS").values == {}  # fmt: skip


def test_keyboard_path_from_visit_to_form(qtbot: Any, make_context: Any, fu_ward: Ward) -> None:
    page = _page(qtbot, make_context, fu_ward, DUE)
    assert page.event_oid == "SE.FU03"
    page.visit_view.setFocus()
    qtbot.keyClick(page.visit_view, Qt.Key.Key_Down)
    wait_for(qtbot, page.context.runner)
    assert page.event_oid == "SE.FU06" and page.form_oid == "F.FU"
    qtbot.keyClick(page.visit_view, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is page.form_list
    qtbot.keyClick(page.form_list, Qt.Key.Key_Down)
    wait_for(qtbot, page.context.runner)
    assert page.form_oid == "F.VS"
    qtbot.keyClick(page.form_list, Qt.Key.Key_Return)
    assert page.form_page is not None
    dtc = page.form_page.form_widget.fields[(*VS, "IT.VS.DTC")].editor
    assert QApplication.focusWidget() is dtc


def test_no_plan_before_the_end_of_treatment_is_said_in_words(
    qtbot: Any, make_context: Any, fu_ward: Ward
) -> None:
    page = _page(qtbot, make_context, fu_ward, "FD-014")  # islet assessment: no anchor yet
    assert page.visits.rowCount() == 0 and page.form_page is None
    assert "end of treatment is not recorded yet" in page.message.text()


def test_the_screen_in_chinese(qtbot: Any, make_context: Any, fu_ward: Ward) -> None:
    page = _page(qtbot, make_context, fu_ward, MISSED)
    page.context.language.switch("zh_CN", remember=False)
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "访视", timeout=5_000)
    assert page.tabs.tabText(1) == "各次访视的趋势"
    assert page.visits.data(page.visits.index(3, 3)) == "✗ 已错过"
    assert page.visits.data(page.visits.index(0, 0)) == "第 3 个月"
    assert page.visits.headerData(2, Qt.Orientation.Horizontal) == "时间窗"
    assert "12 次访视中已完成 3 次" in page.summary.text()
    assert page.trends.boxes["growth"].title() == "生长：身高和BMI"
    assert page.derived.headerData(0, Qt.Orientation.Horizontal) == "指标"
