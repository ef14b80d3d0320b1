"""Prophylaxis drug levels: target trough range (limits inclusive), next sample due, monitoring
window; every value from resources/study/rules/druglevels.yaml and marked to confirm."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.druglevels import (
    DrugLevelParams,
    level_due,
    level_status,
    monitored,
    on_prophylaxis,
    sampling_interval_days,
    target_range,
)
from app.study.rules import RuleBook

TODAY = date(2027, 3, 20)


@pytest.fixture(scope="module")
def params(rulebook: RuleBook) -> DrugLevelParams:
    return rulebook.params(DrugLevelParams, "druglevels")


def test_shipped_ranges_are_those_of_domain_3_1(params: DrugLevelParams) -> None:
    assert target_range("CSA", params) == (150.0, 350.0)
    assert target_range("TAC", params) == (5.0, 15.0)
    assert sampling_interval_days("CSA", params) == sampling_interval_days("TAC", params) == 3


def test_every_parameter_is_read_and_marked_to_confirm(rulebook: RuleBook) -> None:
    read = {f.name for f in dataclasses.fields(DrugLevelParams)} - {"version"}
    assert set(rulebook.module("druglevels")) == read
    flagged = {p.name for p in rulebook.to_confirm() if p.module == "druglevels"}
    assert flagged == read  # DOMAIN.md Appendix B item 6: protocol values still to obtain


@pytest.mark.parametrize(
    ("drug", "value", "status"),
    [
        ("CSA", 149.9, "below"),
        ("CSA", 150, "within"),
        ("CSA", 150.1, "within"),
        ("CSA", 349.9, "within"),
        ("CSA", 350, "within"),
        ("CSA", 350.1, "above"),
        ("TAC", 4.9, "below"),
        ("TAC", 5, "within"),
        ("TAC", 15, "within"),
        ("TAC", 15.1, "above"),
        ("TAC", 0, "below"),
    ],
)
def test_level_status_boundaries_are_inclusive(
    params: DrugLevelParams, drug: str, value: float, status: str
) -> None:
    result = level_status(drug, value, "ng/mL", params)
    assert (result.status, result.code) == (status, f"druglevels.status.{status}")
    assert result.value_ng_ml == value and (result.low, result.high) == target_range(drug, params)
    assert result.rule.label() == "druglevels.status@MDV.SEQTX.1"


def test_ug_per_litre_is_the_same_number(params: DrugLevelParams) -> None:
    assert level_status("TAC", 15.0, "ug/L", params).status == "within"
    assert level_status("TAC", 15.5, "µg/L", params).status == "above"


@pytest.mark.parametrize(
    ("drug", "value", "unit", "message"),
    [
        ("SIR", 10, "ng/mL", "no target range"),
        ("CSA", 200, "nmol/L", "unit"),
        ("CSA", -1, "ng/mL", ">= 0"),
        ("CSA", float("nan"), "ng/mL", ">= 0"),
    ],
)
def test_level_status_refuses_bad_input(
    params: DrugLevelParams, drug: str, value: float, unit: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        level_status(drug, value, unit, params)


@given(
    drug=st.sampled_from(["CSA", "TAC"]),
    value=st.floats(min_value=0, max_value=5000, allow_nan=False),
)
def test_status_orders_with_the_value(drug: str, value: float) -> None:
    from app.study.loader import default_study

    p = default_study().rules.params(DrugLevelParams, "druglevels")
    low, high = target_range(drug, p)
    status = level_status(drug, value, "ng/mL", p).status
    assert status == ("below" if value < low else "above" if value > high else "within")
    # Monotone: a higher level is never in a lower band.
    order = {"below": 0, "within": 1, "above": 2}
    assert order[level_status(drug, value + 1, "ng/mL", p).status] >= order[status]


@pytest.mark.parametrize(
    ("days", "status"), [(0, "not_due"), (2, "not_due"), (3, "due"), (9, "due")]
)
def test_level_due_after_the_sampling_interval(
    params: DrugLevelParams, days: int, status: str
) -> None:
    result = level_due("CSA", TODAY - timedelta(days=days), TODAY, params)
    assert (result.status, result.code) == (status, f"druglevels.due.{status}")
    assert (result.days_since, result.interval_days) == (days, 3)
    assert result.rule.label() == "druglevels.due@MDV.SEQTX.1"


def test_never_sampled(params: DrugLevelParams) -> None:
    result = level_due("TAC", None, TODAY, params)
    assert (result.status, result.days_since, result.drug) == ("never_sampled", None, "TAC")


def test_level_due_refuses_a_future_sample_and_an_unknown_drug(params: DrugLevelParams) -> None:
    with pytest.raises(ValueError, match="after today"):
        level_due("CSA", TODAY + timedelta(days=1), TODAY, params)
    with pytest.raises(ValueError, match="no target range"):
        level_due("SIR", TODAY, TODAY, params)
    with pytest.raises(ValueError, match="no target range"):
        target_range("MMF", params)


def test_monitored_drugs() -> None:
    assert monitored("CSA") and monitored("TAC")
    assert not monitored("SIR") and not monitored(None)


@pytest.mark.parametrize(
    ("day", "recorded", "on"),
    [(-2, True, True), (30, True, True), (100, True, True), (101, True, False), (30, False, False)],
)
def test_on_prophylaxis_from_first_level_until_the_last_day(
    params: DrugLevelParams, day: int, recorded: bool, on: bool
) -> None:
    assert on_prophylaxis(day, recorded, params) is on
