"""The conditioning screen's table models without a view: live plan doses (Mosteller BSA), the
day's doses with deviation, busulfan per dose and running total against the target."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.domain import conditioning as rules
from app.services.stage_conditioning import BusulfanView, DoseRow, PlanDrug
from app.study.loader import default_study
from ui.stages.conditioning_models import (
    PLAN_FIELDS,
    BusulfanModel,
    DoseModel,
    DrugNames,
    PlanModel,
    busulfan_summary,
)

D = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def params() -> rules.ConditioningParams:
    return default_study().rules.params(rules.ConditioningParams, "conditioning")


@pytest.fixture
def names(qapp: Any) -> DrugNames:
    return DrugNames(default_study(), lambda: "en")


def _cell(model: Any, row: int, key: str) -> str:
    return str(model.data(model.index(row, model.column_keys().index(key)), D))


def test_plan_doses_follow_the_typed_weight_and_height(
    names: DrugNames, params: rules.ConditioningParams
) -> None:
    model = PlanModel(names, params)
    model.load(
        [PlanDrug("FLU", "IV", "mg/m2", 40, -6, -3), PlanDrug("BU", "IV", "mg/kg", 3.2, -5, -2)]
    )
    calc = PLAN_FIELDS.index("calculated")
    assert model.data(model.index(0, calc), D) == ""  # no weight yet: nothing invented
    model.set_measures(25, 144)  # BSA sqrt(144 x 25 / 3600) = 1.0 m2
    assert model.bsa() == pytest.approx(1.0)
    assert [model.data(model.index(r, calc), D) for r in range(2)] == ["40", "80"]
    assert model.data(model.index(0, 0), D) == "Fludarabine"
    assert not model.is_dirty()

    per = PLAN_FIELDS.index("dose_per")
    assert model.setData(model.index(0, per), "30")
    assert model.data(model.index(0, calc), D) == "30" and model.is_dirty()
    assert model.setData(model.index(1, 0), "treosulfan")  # a drug typed by its name
    assert model.rows()[1].drug == "TREO"
    assert not model.setData(model.index(1, 0), "aspirin")  # not in CL.CONDDRUG
    assert not model.setData(model.index(1, PLAN_FIELDS.index("dose_basis")), "mg")
    assert not model.setData(model.index(0, calc), "99")  # derived, never typed
    assert not model.flags(model.index(0, calc)) & Qt.ItemFlag.ItemIsEditable


def test_a_plan_row_says_why_it_cannot_be_saved(
    names: DrugNames, params: rules.ConditioningParams
) -> None:
    model = PlanModel(names, params)
    model.add_row()
    assert model.rows()[0].problems() == ["enter the dose per m² or per kg"]
    day_from = PLAN_FIELDS.index("day_from")
    model.setData(model.index(0, PLAN_FIELDS.index("dose_per")), "40")
    model.setData(model.index(0, day_from), "0")
    assert model.rows()[0].problems() == [
        "days run from the first to the last day, both before Day 0"
    ]
    model.setData(model.index(0, day_from), "-4")
    assert model.rows()[0].problems() == []
    assert model.rows()[0].to_plan_drug() == PlanDrug("FLU", "IV", "mg/m2", 40, -4, -1)
    model.editable = False
    assert not model.setData(model.index(0, day_from), "-5")


def test_dose_rows_show_calculated_given_deviation_and_checker(names: DrugNames) -> None:
    given = DoseRow("BU", "IV", "mg/kg", 3.2, 80, 89.6, 12.0, "conditioning.deviation.warn",
                    "nurse", "physician", "2026-11-21T09:00:00", None, "2", "r")  # fmt: skip
    due = DoseRow("ATG", "IV", "mg/kg", 2.5, 62.5, None, None, None, None, None, None, None,
                  None, "r")  # fmt: skip
    model = DoseModel(names)
    model.set_rows([given, due])
    assert _cell(model, 0, "calculated") == "80" and _cell(model, 0, "given") == "89.6"
    assert _cell(model, 0, "prescribed") == "3.2 mg/kg"
    assert _cell(model, 0, "deviation") == "+12 % · Dose deviation"
    assert _cell(model, 0, "time") == "09:00"
    assert _cell(model, 0, "checked_by") == "physician"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert _cell(model, 1, "calculated") == "62.5" and _cell(model, 1, "given") == ""
    assert _cell(model, 1, "checked_by") == "not given yet"


def test_numbers_are_shown_without_trailing_zeros_or_a_negative_zero() -> None:
    from ui.stages.conditioning_models import fmt, number, whole

    assert (fmt(52.0, 2), fmt(139.846, 2), fmt(-0.03, 1), fmt(None)) == ("52", "139.85", "0", "")
    assert (number(" 3,2 "), number("x"), number(""), whole("-3"), whole("-3.5")) == (
        3.2, None, None, -3, None)  # fmt: skip


def test_busulfan_per_dose_running_total_and_summary(params: rules.ConditioningParams) -> None:
    model = BusulfanModel(params)
    model.set_rows([(1, 1218.0), (2, 1218.0)])  # 1218 umol.min/L = 5.0 mg.h/L each
    assert _cell(model, 0, "mg_h_l") == "5" and _cell(model, 1, "cumulative") == "10"
    view = BusulfanView(
        "conditioning.busulfan.below", 10.0, 78, 101, ((1, 1218.0), (2, 1218.0)), "r"
    )
    text = busulfan_summary(view, params)
    assert "10 mg·h/L after 2 dose(s)" in text and "below the target range" in text
    assert "target 78 – 101 mg·h/L" in text
    empty = BusulfanView(None, None, 78, 101, (), "r")
    assert "no AUC entered yet" in busulfan_summary(empty, params)
