"""Study days, conditioning plan, follow-up plan and visit status (DOMAIN.md 2.1, Appendix C)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.clock import FixedClock
from app.domain.schedule import (
    ScheduleParams,
    add_months,
    conditioning_plan,
    date_of_study_day,
    day0,
    day_label,
    follow_up_anchor,
    follow_up_plan,
    study_day,
    visit_status,
    ward_now,
    ward_today,
)
from app.study.rules import RuleBook

INFUSION = date(2026, 3, 10)


@pytest.fixture
def params(rulebook: RuleBook) -> ScheduleParams:
    return rulebook.params(ScheduleParams, "schedule")


def test_day_0_is_the_infusion_day_and_there_is_no_day_minus_0() -> None:
    assert study_day(INFUSION, INFUSION) == 0
    assert study_day(date(2026, 3, 9), INFUSION) == -1
    assert study_day(date(2026, 3, 11), INFUSION) == 1
    assert [day_label(d) for d in (-1, 0, 1)] == ["Day -1", "Day 0", "Day +1"]


def test_day_numbers_cross_month_and_leap_day() -> None:
    assert study_day(date(2028, 3, 1), date(2028, 2, 28)) == 2
    assert date_of_study_day(-9, date(2026, 3, 5)) == date(2026, 2, 24)


def test_day_0_uses_the_first_of_several_units(params: ScheduleParams) -> None:
    dates = [date(2026, 3, 11), INFUSION]
    assert day0(dates, params) == INFUSION
    assert day0(dates, replace(params, day0_unit="last")) == date(2026, 3, 11)
    with pytest.raises(ValueError, match="no infusion"):
        day0([], params)
    with pytest.raises(ValueError, match="day0_unit"):
        day0(dates, replace(params, day0_unit="middle"))


def test_today_from_the_clock_is_the_ward_date(clock: FixedClock) -> None:
    assert study_day(ward_today(clock), date(2026, 11, 20)) == 4
    clock.advance(timedelta(hours=22))  # 23:00 UTC = 07:00 next morning in Shanghai
    assert clock.now().date() == date(2026, 11, 24)
    assert ward_today(clock) == date(2026, 11, 25)
    assert ward_now(clock) == datetime(2026, 11, 25, 7, 0)  # Shanghai wall clock, naive


def test_a_clock_without_offset_is_utc() -> None:
    class UtcClock:
        def now(self) -> datetime:
            return datetime(2026, 11, 24, 23, 0, tzinfo=UTC)

    assert ward_today(UtcClock()) == date(2026, 11, 24)
    assert ward_now(UtcClock()) == datetime(2026, 11, 24, 23, 0)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(-400, 2000))
def test_study_day_round_trips_with_date(infusion: date, day: int) -> None:
    assert study_day(date_of_study_day(day, infusion), infusion) == day


def test_conditioning_plan_from_template(params: ScheduleParams) -> None:
    plan = conditioning_plan("flu_bu_atg_example", date(2026, 3, 10), params)
    assert [d.day for d in plan.days] == [-6, -5, -4, -3, -2, -1]
    assert plan.days[0].date == date(2026, 3, 4) and plan.days[0].drugs == ("fludarabine",)
    assert plan.days[2].drugs == ("fludarabine", "busulfan", "rabbit_atg")
    assert plan.days[-1].drugs == ()  # Day -1 is a rest day in this template
    assert plan.rule.rule == "schedule.conditioning_plan"


def test_conditioning_plan_without_day_0_has_no_dates(params: ScheduleParams) -> None:
    assert all(d.date is None for d in conditioning_plan("flu_bu_atg_example", None, params).days)


@pytest.mark.parametrize(
    ("regimen", "message"),
    [
        ({"x": ({"drug": "bu", "days": (-2, 0)},)}, "not before Day 0"),
        ({"x": ({"drug": "bu", "days": ()},)}, "list of days"),
        ({"x": ({"drug": "bu", "days": 3},)}, "list of days"),
    ],
)
def test_bad_regimen_templates_are_rejected(
    params: ScheduleParams, regimen: dict, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        conditioning_plan("x", None, replace(params, regimens=regimen))
    with pytest.raises(ValueError, match="unknown regimen"):
        conditioning_plan("nope", None, params)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 5, 31), 36, date(2029, 5, 31)),
    ],
)
def test_calendar_months_clamp_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_anchor_is_islet_infusion_else_treatment_complete(params: ScheduleParams) -> None:
    islet, signed = date(2027, 1, 5), date(2026, 12, 1)
    assert follow_up_anchor(islet, signed, params).anchor == islet
    assert follow_up_anchor(None, signed, params).code == "schedule.anchor.treatment_complete"
    missing = follow_up_anchor(None, None, params)
    assert (missing.code, missing.anchor) == ("schedule.anchor.missing", None)


def test_follow_up_plan_has_12_visits_with_14_day_windows(params: ScheduleParams) -> None:
    plan = follow_up_plan(date(2026, 11, 30), params)
    assert [v.month for v in plan] == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36]
    assert plan[0].event_oid == "SE.FU03" and plan[-1].event_oid == "SE.FU36"
    assert plan[0].target == date(2027, 2, 28)
    assert (plan[0].window_open, plan[0].window_close) == (date(2027, 2, 14), date(2027, 3, 14))


@pytest.mark.parametrize(
    ("offset_days", "status"),
    [
        (-29, "not_yet_due"),
        (-28, "due"),  # window opens in 14 days
        (-15, "due"),
        (-14, "open"),  # window opens
        (0, "open"),  # target day
        (1, "overdue"),
        (14, "overdue"),  # last day of the window
        (15, "missed"),
    ],
)
def test_visit_status_boundaries(params: ScheduleParams, offset_days: int, status: str) -> None:
    visit = follow_up_plan(date(2026, 1, 15), params)[0]  # target 2026-04-15
    result = visit_status(visit, visit.target + timedelta(days=offset_days), None, params)
    assert result.status == status and result.code == f"schedule.visit.{status}"
    assert result.days_to_target == -offset_days and result.done_in_window is None


@pytest.mark.parametrize(
    ("done_offset", "in_window"), [(-15, False), (-14, True), (14, True), (15, False)]
)
def test_done_visit_records_whether_it_was_in_window(
    params: ScheduleParams, done_offset: int, in_window: bool
) -> None:
    visit = follow_up_plan(date(2026, 1, 15), params)[0]
    done_on = visit.target + timedelta(days=done_offset)
    result = visit_status(visit, visit.target + timedelta(days=60), done_on, params)
    assert result.status == "done" and result.done_in_window is in_window


def test_window_and_months_come_from_rules(rulebook: RuleBook) -> None:
    names = {p.name for p in rulebook.to_confirm() if p.module == "schedule"}
    assert {"window_days_before", "window_days_after", "regimens"} <= names
