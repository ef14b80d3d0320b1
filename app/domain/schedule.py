"""Study-day arithmetic, the conditioning day plan and the follow-up visit plan with visit status.

Sources: DOMAIN.md 2.1 (Day 0 = day of cord blood infusion, first unit if several; no Day -0),
DOMAIN.md 0 and Appendix C (visits at months 3..36 after completion of treatment; anchor = islet
infusion date, else the date the investigator signs treatment phase complete; target = anchor + N
calendar months; window +/-14 days), DOMAIN.md 2.2 (regimen templates, reference only [U]).
Months, windows, notice period and regimens come from resources/study/rules/schedule.yaml.

Visit status for a given today (mutually exclusive, in this order):
- done: the visit was recorded (with whether it fell inside the window);
- not_yet_due: today is before (window opens - due_notice_days);
- due: the window opens within due_notice_days (book the visit);
- open: inside the window, on or before the target date;
- overdue: after the target date, window still open (do it now);
- missed: the window has closed without a visit.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.domain.clock import Clock
from app.domain.result import RuleRef

SOURCE_DAY = "DOMAIN.md 2.1 and Appendix C (Day 0 = cord blood infusion, no Day -0)"
SOURCE_FU = "NCT03835312 registry record outcome time frames; DOMAIN.md Appendix C (anchor, window)"
SOURCE_COND = "DOMAIN.md 2.2 regimen templates (reference only; the protocol's regimen overrides)"


@dataclass(frozen=True)
class ScheduleParams:
    version: str
    day0_unit: str  # "first" | "last" of several infusion dates
    follow_up_months: tuple[int, ...]
    follow_up_anchor: str
    window_days_before: int
    window_days_after: int
    due_notice_days: int
    regimens: Mapping[str, tuple[Mapping[str, object], ...]]


# --- study days ------------------------------------------------------------------------------


def ward_now(clock: Clock) -> datetime:
    """The ward's wall-clock time (naive): the clock's UTC time shifted by its local offset.

    Times written into items (a bedside check, a dose given) are the ward's local times, like
    every time a nurse types. A clock without an offset is taken as UTC.
    """
    offset = getattr(clock, "local_offset_minutes", None)
    minutes = offset() if callable(offset) else 0
    return (clock.now() + timedelta(minutes=minutes)).replace(tzinfo=None)


def ward_today(clock: Clock) -> date:
    """Today's date on the ward: the clock's UTC time shifted by its local offset.

    Study days and visit windows are calendar days where the child is treated; at 07:00 in
    Shanghai it is still yesterday in UTC.
    """
    return ward_now(clock).date()


def day0(infusion_dates: Iterable[date], params: ScheduleParams) -> date:
    """Day 0 from the infusion date(s): the first unit's date by default (DOMAIN.md 2.1)."""
    dates = sorted(infusion_dates)
    if not dates:
        raise ValueError("no infusion date recorded")
    if params.day0_unit not in ("first", "last"):
        raise ValueError(f"schedule.day0_unit must be 'first' or 'last', not {params.day0_unit!r}")
    return dates[0] if params.day0_unit == "first" else dates[-1]


def study_day(on: date, day_zero: date) -> int:
    """Day number of `on`: 0 on the infusion day, -1 the day before, +1 the day after."""
    return (on - day_zero).days


def date_of_study_day(day: int, day_zero: date) -> date:
    """The calendar date of study day `day` (inverse of study_day)."""
    return day_zero + timedelta(days=day)


def day_label(day: int) -> str:
    """ "Day -1", "Day 0", "Day +1": the sign is always shown, and there is no "Day -0"."""
    return f"Day {day:+d}" if day else "Day 0"


# --- conditioning plan -----------------------------------------------------------------------


@dataclass(frozen=True)
class ConditioningDay:
    day: int  # -N .. -1
    date: date | None  # None until Day 0 is planned
    drugs: tuple[str, ...]  # empty on a rest day


@dataclass(frozen=True)
class ConditioningPlan:
    code: str  # "schedule.conditioning_plan"
    regimen: str
    days: tuple[ConditioningDay, ...]  # from Day -N to Day -1
    rule: RuleRef


def conditioning_plan(
    regimen: str, planned_day0: date | None, params: ScheduleParams
) -> ConditioningPlan:
    """Day -N..-1 of a regimen template ({drug, days}); days are negative (before infusion)."""
    if regimen not in params.regimens:
        raise ValueError(f"unknown regimen {regimen!r}")
    by_day: dict[int, list[str]] = {}
    for entry in params.regimens[regimen]:
        drug, days = str(entry["drug"]), entry["days"]
        if not isinstance(days, Sequence) or not days:
            raise ValueError(f"regimen {regimen!r}: {drug} needs a list of days")
        for d in days:
            if not isinstance(d, int) or d >= 0:
                raise ValueError(f"regimen {regimen!r}: {drug} day {d!r} is not before Day 0")
            by_day.setdefault(d, []).append(drug)
    first = min(by_day)
    days_out = tuple(
        ConditioningDay(
            d,
            None if planned_day0 is None else date_of_study_day(d, planned_day0),
            tuple(by_day.get(d, ())),
        )
        for d in range(first, 0)
    )
    rule = RuleRef("schedule.conditioning_plan", SOURCE_COND, params.version)
    return ConditioningPlan("schedule.conditioning_plan", regimen, days_out, rule)


# --- follow-up -------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """`start` + calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class FollowUpAnchor:
    code: str  # "schedule.anchor.islet_infusion" | ".treatment_complete" | ".missing"
    anchor: date | None
    rule: RuleRef


def follow_up_anchor(
    islet_infusion: date | None, treatment_complete_signed: date | None, params: ScheduleParams
) -> FollowUpAnchor:
    """Completion of treatment: the islet infusion date, else the signed treatment-complete date."""
    rule = RuleRef("schedule.follow_up_anchor", SOURCE_FU, params.version)
    if islet_infusion is not None:
        return FollowUpAnchor("schedule.anchor.islet_infusion", islet_infusion, rule)
    if treatment_complete_signed is not None:
        return FollowUpAnchor("schedule.anchor.treatment_complete", treatment_complete_signed, rule)
    return FollowUpAnchor("schedule.anchor.missing", None, rule)


@dataclass(frozen=True)
class Visit:
    month: int
    event_oid: str  # "SE.FU03" .. "SE.FU36"
    target: date
    window_open: date
    window_close: date


def follow_up_plan(anchor: date, params: ScheduleParams) -> tuple[Visit, ...]:
    """One visit per configured month: target = anchor + N months, window around the target."""
    before, after = (
        timedelta(days=params.window_days_before),
        timedelta(days=params.window_days_after),
    )
    visits = []
    for month in params.follow_up_months:
        target = add_months(anchor, month)
        visits.append(Visit(month, f"SE.FU{month:02d}", target, target - before, target + after))
    return tuple(visits)


@dataclass(frozen=True)
class VisitStatus:
    code: str  # "schedule.visit.<status>"
    status: str  # "not_yet_due" | "due" | "open" | "overdue" | "missed" | "done"
    visit: Visit
    today: date
    days_to_target: int  # negative once the target has passed
    done_on: date | None
    done_in_window: bool | None
    rule: RuleRef


def visit_status(
    visit: Visit, today: date, done_on: date | None, params: ScheduleParams
) -> VisitStatus:
    """The status of one visit on `today` (the caller's clock); see the module docstring."""
    if done_on is not None:
        status = "done"
    elif today > visit.window_close:
        status = "missed"
    elif today > visit.target:
        status = "overdue"
    elif today >= visit.window_open:
        status = "open"
    elif today >= visit.window_open - timedelta(days=params.due_notice_days):
        status = "due"
    else:
        status = "not_yet_due"
    in_window = None if done_on is None else visit.window_open <= done_on <= visit.window_close
    rule = RuleRef("schedule.visit_status", SOURCE_FU, params.version)
    days = (visit.target - today).days
    return VisitStatus(
        f"schedule.visit.{status}", status, visit, today, days, done_on, in_window, rule
    )
