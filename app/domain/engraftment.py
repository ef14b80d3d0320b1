"""Neutrophil and platelet recovery, graft failure and the engraftment status of a subject.

Sources: Kharfan-Dabaja et al., Transplant Cell Ther 2021;27:642-9 (ASTCT definitions), as quoted
in Sureda et al., BMT 2024;59:832 Table 1; DOMAIN.md 4.1 and Appendix C. Every number comes from
resources/study/rules/engraftment.yaml.

Operational choices (documented because the definitions leave them open):
- Days are study days (Day 0 = infusion; Day -1 is the day before; no Day -0), so consecutive
  calendar dates are consecutive study days. A count may be given as a study day or as a date
  (then `day0`, the infusion date, is needed).
- Several counts on one day: the day qualifies only if its lowest count qualifies.
- "After the nadir": a qualifying run must start after the first post-transplant day that does not
  qualify (ANC below the threshold; platelets below it or transfused within 7 days). Counts before
  it are residual recipient cells, not recovery; for platelets this also covers a child whose
  counts are kept above 20 by transfusion and so never fall below the threshold.
- A missing day breaks a run: recovery is proved only by counts on consecutive calendar days.
- A platelet transfusion on the day of a count, or in the 7 days before it, disqualifies the count.
- Primary graft failure: no neutrophil recovery starting on or before Day +42. A run that started by
  Day +42 but is not yet confirmed keeps the status at warning until it completes or breaks.
- Secondary graft failure (the source gives no numbers, all marked to confirm): after both
  recoveries are confirmed, ANC below the threshold on N consecutive days, or at least K platelet or
  red-cell transfusions within a W-day window. Growth-factor use is not an input here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.clock import Clock
from app.domain.result import RuleRef
from app.domain.schedule import ward_today

SOURCE = "Kharfan-Dabaja et al., Transplant Cell Ther 2021;27:642-9 (ASTCT); DOMAIN.md 4.1"
SOURCE_SGF = "SeqTx operational definition after Kharfan-Dabaja 2021; DOMAIN.md 4.1 (to confirm)"

PLATELETS = "platelets"
RED_CELLS = "red_cells"

Day = int | date


@dataclass(frozen=True)
class EngraftmentParams:
    version: str
    anc_min_e9_per_l: float
    platelet_min_e9_per_l: float
    consecutive_days: int
    platelet_transfusion_free_days: int
    first_post_transplant_day: int
    primary_failure_day: int
    early_warning_day: int
    secondary_anc_consecutive_days: int
    secondary_transfusions_min: int
    secondary_transfusion_window_days: int


@dataclass(frozen=True)
class Count:
    """One dated blood count in 10^9/L (ANC or platelets)."""

    when: Day
    value: float


@dataclass(frozen=True)
class Transfusion:
    """One dated blood-product transfusion; `product` is PLATELETS, RED_CELLS or another code."""

    when: Day
    product: str


@dataclass(frozen=True)
class CountRecovery:
    code: str  # "engraftment.neutrophil.recovered" | "engraftment.neutrophil.pending" | platelet.*
    day: int | None  # first day of the qualifying run
    date: date | None
    confirmed_day: int | None  # last day of the run: recovery is known from this day on
    nadir_day: int | None
    nadir_value: float | None
    threshold: float
    rule: RuleRef


@dataclass(frozen=True)
class SecondaryFailure:
    code: str  # "engraftment.secondary_failure.none" | ".anc_decline" | ".transfusion_dependence"
    day: int | None  # first day of the decline, or first transfusion of the window
    reason_values: Mapping[str, object]
    rule: RuleRef


@dataclass(frozen=True)
class EngraftmentStatus:
    code: str  # "engraftment.status.<status>"
    status: (
        str  # pending | engrafted | warning_day28 | primary_graft_failure | secondary_graft_failure
    )
    as_of_day: int
    neutrophil: CountRecovery
    platelet: CountRecovery
    secondary: SecondaryFailure
    rule: RuleRef


def study_day(when: Day, day0: date | None) -> int:
    """Study day of a count: ints are study days already; a date needs the Day 0 date."""
    if isinstance(when, date):
        if day0 is None:
            raise ValueError("a dated count needs the infusion date (Day 0)")
        return (when - day0).days
    return when


def _daily_lowest(counts: Iterable[Count], day0: date | None, first_day: int) -> dict[int, float]:
    daily: dict[int, float] = {}
    for c in counts:
        d = study_day(c.when, day0)
        if d >= first_day:
            daily[d] = min(c.value, daily.get(d, c.value))
    return daily


def _first_run(qualifies: Mapping[int, bool], start_after: int, length: int) -> int | None:
    """First day d > start_after with d, d+1, ..., d+length-1 all present and qualifying."""
    for d in sorted(qualifies):
        if d > start_after and all(qualifies.get(d + i, False) for i in range(length)):
            return d
    return None


def _recovery(
    kind: str,
    daily: Mapping[int, float],
    qualifies: Mapping[int, bool],
    threshold: float,
    params: EngraftmentParams,
    day0: date | None,
) -> CountRecovery:
    rule = RuleRef(f"engraftment.{kind}_recovery", SOURCE, params.version)
    below = [d for d in sorted(daily) if not qualifies[d]]
    start = _first_run(qualifies, below[0], params.consecutive_days) if below else None
    if start is None:
        nadir = min(below, key=lambda d: (daily[d], d)) if below else None
        nadir_value = daily[nadir] if nadir is not None else None
        return CountRecovery(
            f"engraftment.{kind}.pending", None, None, None, nadir, nadir_value, threshold, rule
        )
    before = [d for d in below if d < start]
    nadir = min(before, key=lambda d: (daily[d], d))
    when = day0 + timedelta(days=start) if day0 is not None else None
    return CountRecovery(
        f"engraftment.{kind}.recovered",
        start,
        when,
        start + params.consecutive_days - 1,
        nadir,
        daily[nadir],
        threshold,
        rule,
    )


def neutrophil_recovery(
    anc: Iterable[Count], params: EngraftmentParams, day0: date | None = None
) -> CountRecovery:
    """First of N successive days with ANC >= threshold after the nadir (ASTCT 2021)."""
    daily = _daily_lowest(anc, day0, params.first_post_transplant_day)
    qualifies = {d: v >= params.anc_min_e9_per_l for d, v in daily.items()}
    return _recovery("neutrophil", daily, qualifies, params.anc_min_e9_per_l, params, day0)


def platelet_recovery(
    platelets: Iterable[Count],
    transfusions: Iterable[Transfusion],
    params: EngraftmentParams,
    day0: date | None = None,
) -> CountRecovery:
    """First of N consecutive days with platelets >= threshold, each untransfused for 7 days."""
    daily = _daily_lowest(platelets, day0, params.first_post_transplant_day)
    given = [study_day(t.when, day0) for t in transfusions if t.product == PLATELETS]
    window = params.platelet_transfusion_free_days

    def untransfused(d: int) -> bool:
        return not any(d - window <= t <= d for t in given)

    qualifies = {d: v >= params.platelet_min_e9_per_l and untransfused(d) for d, v in daily.items()}
    return _recovery("platelet", daily, qualifies, params.platelet_min_e9_per_l, params, day0)


def secondary_graft_failure(
    anc: Iterable[Count],
    transfusions: Iterable[Transfusion],
    neutrophil: CountRecovery,
    platelet: CountRecovery,
    params: EngraftmentParams,
    day0: date | None = None,
) -> SecondaryFailure:
    """Decline after both recoveries: ANC below threshold N days running, or transfusion need."""
    rule = RuleRef("engraftment.secondary_graft_failure", SOURCE_SGF, params.version)
    if neutrophil.confirmed_day is None or platelet.confirmed_day is None:
        return SecondaryFailure("engraftment.secondary_failure.none", None, {}, rule)
    after = max(neutrophil.confirmed_day, platelet.confirmed_day)
    daily = _daily_lowest(anc, day0, after + 1)
    low = {d: v < params.anc_min_e9_per_l for d, v in daily.items()}
    start = _first_run(low, after, params.secondary_anc_consecutive_days)
    if start is not None:
        values = {"anc_e9_per_l": daily[start], "days": params.secondary_anc_consecutive_days}
        return SecondaryFailure("engraftment.secondary_failure.anc_decline", start, values, rule)
    given = sorted(
        d
        for t in transfusions
        if t.product in (PLATELETS, RED_CELLS) and (d := study_day(t.when, day0)) > after
    )
    need, span = params.secondary_transfusions_min, params.secondary_transfusion_window_days
    for i in range(len(given) - need + 1):
        if given[i + need - 1] - given[i] < span:
            values = {"transfusions": need, "window_days": span}
            return SecondaryFailure(
                "engraftment.secondary_failure.transfusion_dependence", given[i], values, rule
            )
    return SecondaryFailure("engraftment.secondary_failure.none", None, {}, rule)


def _run_in_progress(
    anc: Sequence[Count], params: EngraftmentParams, day0: date | None
) -> int | None:
    """Start of a qualifying ANC run (after the nadir) that ends at the latest count, if any."""
    daily = _daily_lowest(anc, day0, params.first_post_transplant_day)
    below = [d for d in sorted(daily) if daily[d] < params.anc_min_e9_per_l]
    if not below:
        return None
    start = None
    d = max(daily)
    while d > below[0] and d in daily and daily[d] >= params.anc_min_e9_per_l:
        start, d = d, d - 1
    return start


def engraftment_status(
    anc: Sequence[Count],
    platelets: Sequence[Count],
    transfusions: Sequence[Transfusion],
    as_of: Day,
    params: EngraftmentParams,
    day0: date | None = None,
) -> EngraftmentStatus:
    """Status on study day `as_of`, from the counts and transfusions known up to that day."""
    today = study_day(as_of, day0)
    known_anc = [c for c in anc if study_day(c.when, day0) <= today]
    known_plt = [c for c in platelets if study_day(c.when, day0) <= today]
    known_tx = [t for t in transfusions if study_day(t.when, day0) <= today]
    neut = neutrophil_recovery(known_anc, params, day0)
    plt = platelet_recovery(known_plt, known_tx, params, day0)
    sgf = secondary_graft_failure(known_anc, known_tx, neut, plt, params, day0)
    limit = params.primary_failure_day
    if sgf.day is not None:
        status = "secondary_graft_failure"
    elif neut.day is not None and neut.day <= limit:
        status = "engrafted"
    elif today >= limit and not _pending_by(known_anc, limit, params, day0):
        status = "primary_graft_failure"
    elif today >= params.early_warning_day:
        status = "warning_day28"
    else:
        status = "pending"
    rule = RuleRef("engraftment.status", SOURCE, params.version)
    return EngraftmentStatus(f"engraftment.status.{status}", status, today, neut, plt, sgf, rule)


def engraftment_status_today(
    anc: Sequence[Count],
    platelets: Sequence[Count],
    transfusions: Sequence[Transfusion],
    day0: date,
    clock: Clock,
    params: EngraftmentParams,
) -> EngraftmentStatus:
    """Status on the ward's today (the clock's local calendar date), counted from Day 0."""
    return engraftment_status(anc, platelets, transfusions, ward_today(clock), params, day0)


def _pending_by(
    anc: Sequence[Count], limit: int, params: EngraftmentParams, day0: date | None
) -> bool:
    start = _run_in_progress(anc, params, day0)
    return start is not None and start <= limit
