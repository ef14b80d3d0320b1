"""Table models of the ward screens, tested without a view: the worklist and the count grid."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from app.domain.engraftment import EngraftmentParams
from app.services.stage_common import Target
from app.services.stage_engraftment import CountRow
from app.services.worklist import Alert, VisitSummary, WorklistRow
from app.study.loader import default_study
from ui.ward.engraftment_page import CountGridModel, live_status
from ui.ward.worklist_page import WorklistModel


def _row(**kw: Any) -> WorklistRow:
    base: dict[str, Any] = dict(
        subject_key="FD-001", stage="engraftment", study_day=29, doses_due=0, doses_given=0,
        isolation_done=False, count_entered=True, drug_level=None,
        engraftment_status="warning_day28", agvhd_grade=2, infections_open=1, dose_deviations=0,
        visit=None, open_queries=3, alerts=(), opens=Target("SE.POST", "29", "F.FBC"),
    )  # fmt: skip
    base.update(kw)
    return WorklistRow(**base)


def _cell(model: WorklistModel, row: int, key: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.data(model.index(row, model.column_keys().index(key)), role)


def test_worklist_model_shows_alerts_as_text_and_colour(qapp: Any, language: Any) -> None:
    model = WorklistModel()
    alert = Alert("engraftment.status.warning_day28", "alert", Target("SE.POST", "29", "F.FBC"))
    info = Alert("ward.isolation_due", "info", Target("SE.POST", "29", "F.ISOL"))
    visit = VisitSummary(3, "SE.FU03", "overdue", date(2026, 11, 1), date(2026, 11, 20))
    model.set_rows([_row(alerts=(info, alert), visit=visit), _row(subject_key="FD-002")])
    assert model.rowCount() == 2 and model.columnCount() == 14
    assert _cell(model, 0, "day") == "+29"
    assert _cell(model, 0, "stage") == "Engraftment"
    assert _cell(model, 0, "isolation") == "✗ missing"
    assert _cell(model, 0, "count") == "✓ done"
    assert _cell(model, 0, "engraftment") == "No engraftment by Day +28"
    # The worst alert first, with its symbol: never colour alone.
    assert _cell(model, 0, "alerts") == (
        "‼ No engraftment by Day +28; • Isolation checklist not done"
    )
    assert "Month 3" in _cell(model, 0, "visit") and "overdue" in _cell(model, 0, "visit")
    assert _cell(model, 0, "alerts", Qt.ItemDataRole.BackgroundRole) is not None
    assert _cell(model, 1, "alerts", Qt.ItemDataRole.BackgroundRole) is None
    assert _cell(model, 1, "alerts") == ""


def _params() -> EngraftmentParams:
    return default_study().rules.params(EngraftmentParams, "engraftment")


def test_count_grid_edits_rows_and_recovery_days_follow(qapp: Any, language: Any) -> None:
    model = CountGridModel()
    model.set_rows([CountRow(d, None, anc="0.1", platelets="10") for d in range(1, 21)])
    assert model.rowCount() == 20 and model.headerData(0, Qt.Orientation.Vertical) == "Day +1"
    assert live_status(model.rows(), 20, _params()).neutrophil.day is None
    for day in (15, 16, 17):  # three consecutive days >= 0.5
        assert model.setData(model.index(day - 1, 0), "0,7")  # a decimal comma is accepted
    model.setData(model.index(2, 5), "plt; rbc")
    assert [r.study_day for r in model.edited_rows()] == [3, 15, 16, 17]
    assert model.data(model.index(14, 0)) == "0.7"
    assert model.data(model.index(2, 5)) == "PLT, RBC"
    status = live_status(model.rows(), 20, _params())
    assert status.neutrophil.day == 15 and status.status == "engrafted"
    model.setData(model.index(15, 0), "not a number")  # skipped, never crashes the live view
    assert live_status(model.rows(), 20, _params()).neutrophil.day is None
