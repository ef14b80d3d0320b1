"""Engraftment: ASTCT recovery days, graft failure at Day +28/+42, secondary failure, chimerism."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.chimerism import ChimerismParams, chimerism_category
from app.domain.clock import FixedClock
from app.domain.engraftment import (
    PLATELETS,
    RED_CELLS,
    Count,
    EngraftmentParams,
    Transfusion,
    engraftment_status,
    engraftment_status_today,
    neutrophil_recovery,
    platelet_recovery,
    secondary_graft_failure,
    study_day,
)
from app.study.rules import RuleBook

DAY0 = date(2027, 3, 1)


@pytest.fixture(scope="module")
def params(rulebook: RuleBook) -> EngraftmentParams:
    return rulebook.params(EngraftmentParams, "engraftment")


def series(values: dict[int, float]) -> list[Count]:
    return [Count(day, value) for day, value in values.items()]


def aplasia_then(recovery: dict[int, float], until: int = 14) -> list[Count]:
    """ANC 0.1 from Day +1 to `until`, then the given counts."""
    counts = {d: 0.1 for d in range(1, until + 1)}
    counts.update(recovery)
    return series(counts)


def test_neutrophil_day_is_first_of_three_days_at_threshold(params: EngraftmentParams) -> None:
    anc = aplasia_then({15: 0.5, 16: 0.7, 17: 0.9})
    result = neutrophil_recovery(anc, params)
    assert result.code == "engraftment.neutrophil.recovered"
    assert (result.day, result.confirmed_day) == (15, 17)
    assert result.nadir_value == 0.1 and result.nadir_day == 1
    assert result.rule.version == "MDV.SEQTX.1"
    assert result.rule.rule == "engraftment.neutrophil_recovery"


def test_just_below_threshold_breaks_the_run(params: EngraftmentParams) -> None:
    anc = aplasia_then({15: 0.5, 16: 0.49, 17: 0.6, 18: 0.6, 19: 0.6})
    assert neutrophil_recovery(anc, params).day == 17


def test_two_days_are_not_enough(params: EngraftmentParams) -> None:
    result = neutrophil_recovery(aplasia_then({15: 0.6, 16: 0.6}), params)
    assert result.code == "engraftment.neutrophil.pending" and result.day is None
    assert result.nadir_value == 0.1


def test_missing_calendar_day_breaks_the_run(params: EngraftmentParams) -> None:
    anc = aplasia_then({15: 0.6, 16: 0.6, 18: 0.6, 19: 0.6, 20: 0.6})
    assert neutrophil_recovery(anc, params).day == 18


def test_residual_counts_before_the_nadir_do_not_count(params: EngraftmentParams) -> None:
    anc = series({1: 1.2, 2: 0.9, 3: 0.7, 4: 0.3, 5: 0.0, 6: 0.6, 7: 0.6, 8: 0.6})
    result = neutrophil_recovery(anc, params)
    assert result.day == 6 and result.nadir_day == 5 and result.nadir_value == 0.0


def test_no_nadir_means_pending(params: EngraftmentParams) -> None:
    result = neutrophil_recovery(series({1: 1.2, 2: 1.1, 3: 1.0}), params)
    assert result.code == "engraftment.neutrophil.pending" and result.nadir_day is None


def test_day_zero_counts_are_not_post_transplant(params: EngraftmentParams) -> None:
    anc = series({0: 0.1, 1: 0.6, 2: 0.6, 3: 0.6})
    assert neutrophil_recovery(anc, params).day is None


def test_lowest_count_of_a_day_decides(params: EngraftmentParams) -> None:
    anc = [*aplasia_then({15: 0.6, 16: 0.6, 17: 0.6}), Count(16, 0.4)]
    assert neutrophil_recovery(anc, params).day is None


def test_dated_counts_need_day0_and_give_dates(params: EngraftmentParams) -> None:
    anc = [Count(date(2027, 3, d), v) for d, v in [(2, 0.1), (10, 0.6), (11, 0.6), (12, 0.6)]]
    result = neutrophil_recovery(anc, params, DAY0)
    assert result.day == 9 and result.date == date(2027, 3, 10)
    with pytest.raises(ValueError, match="Day 0"):
        neutrophil_recovery(anc, params)


def test_study_day_of_date_has_no_day_minus_zero() -> None:
    assert study_day(date(2027, 2, 28), DAY0) == -1
    assert study_day(DAY0, DAY0) == 0
    assert study_day(5, None) == 5


def test_platelet_recovery_needs_seven_transfusion_free_days(params: EngraftmentParams) -> None:
    plt = series({d: 10 for d in range(1, 30)} | {d: 30 for d in range(30, 41)})
    # A platelet transfusion on Day 23 covers counts up to Day 30 (30 - 7 = 23).
    result = platelet_recovery(plt, [Transfusion(23, PLATELETS)], params)
    assert result.day == 31
    # Day 22 is outside the window of the Day 30 count: Day 30 qualifies.
    assert platelet_recovery(plt, [Transfusion(22, PLATELETS)], params).day == 30
    # A transfusion on the day of a count disqualifies it and the next 7 days' counts.
    assert platelet_recovery(plt, [Transfusion(30, PLATELETS)], params).day == 38
    # Red cells do not matter.
    assert platelet_recovery(plt, [Transfusion(30, RED_CELLS)], params).day == 30


def test_platelets_held_up_by_transfusion_recover_once_transfusions_stop(
    params: EngraftmentParams,
) -> None:
    plt = series({d: 25 for d in range(1, 40)})
    transfusions = [Transfusion(d, PLATELETS) for d in range(1, 21, 2)]  # last on Day +19
    result = platelet_recovery(plt, transfusions, params)
    assert result.day == 27 and result.nadir_value == 25


def test_platelet_threshold_boundary(params: EngraftmentParams) -> None:
    low = series({1: 5, 2: 19.9, 3: 19.9, 4: 19.9})
    at = series({1: 5, 2: 20, 3: 20, 4: 20})
    assert platelet_recovery(low, [], params).day is None
    result = platelet_recovery(at, [], params)
    assert result.code == "engraftment.platelet.recovered" and result.day == 2


@given(
    st.lists(st.floats(min_value=0, max_value=3, allow_nan=False), min_size=1, max_size=40),
)
def test_engraftment_day_never_before_first_qualifying_count(
    params: EngraftmentParams, values: list[float]
) -> None:
    threshold, run = params.anc_min_e9_per_l, params.consecutive_days
    counts = [Count(i + 1, v) for i, v in enumerate(values)]
    result = neutrophil_recovery(counts, params)
    if result.day is not None:
        first_qualifying = min(c.when for c in counts if c.value >= threshold)
        assert isinstance(first_qualifying, int)
        assert result.day >= first_qualifying
        assert all(values[result.day - 1 + i] >= threshold for i in range(run))
        assert any(v < threshold for v in values[: result.day - 1])  # after the nadir


def full_recovery() -> tuple[list[Count], list[Count]]:
    anc = aplasia_then({d: 1.0 for d in range(15, 40)})
    plt = series({d: 10 for d in range(1, 25)} | {d: 40 for d in range(25, 40)})
    return anc, plt


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(27, "pending"), (28, "warning_day28"), (41, "warning_day28"), (42, "primary_graft_failure")],
)
def test_status_without_engraftment(params: EngraftmentParams, as_of: int, status: str) -> None:
    anc = series({d: 0.1 for d in range(1, 50)})
    result = engraftment_status(anc, [], [], as_of, params)
    assert result.status == status and result.code == f"engraftment.status.{status}"
    assert result.as_of_day == as_of


def test_status_engrafted_counts_only_known_data(params: EngraftmentParams) -> None:
    anc, plt = full_recovery()
    assert engraftment_status(anc, plt, [], 16, params).status == "pending"
    result = engraftment_status(anc, plt, [], 17, params)
    assert result.status == "engrafted" and result.neutrophil.day == 15
    assert result.platelet.day is None
    assert engraftment_status(anc, plt, [], 30, params).platelet.day == 25


def test_run_started_by_day42_holds_the_failure_until_confirmed(params: EngraftmentParams) -> None:
    anc = aplasia_then({41: 0.6, 42: 0.7, 43: 0.8}, until=40)
    assert engraftment_status(anc, [], [], 42, params).status == "warning_day28"
    assert engraftment_status(anc, [], [], 43, params).status == "engrafted"


def test_late_engraftment_after_day42_is_primary_failure(params: EngraftmentParams) -> None:
    anc = aplasia_then({43: 0.6, 44: 0.7, 45: 0.8}, until=42)
    assert engraftment_status(anc, [], [], 45, params).status == "primary_graft_failure"
    anc = aplasia_then({42: 0.1, 43: 0.6}, until=41)
    assert engraftment_status(anc, [], [], 43, params).status == "primary_graft_failure"


def test_status_with_dates(params: EngraftmentParams) -> None:
    anc = [Count(date(2027, 3, 2), 0.1)]
    result = engraftment_status(anc, [], [], date(2027, 3, 29), params, DAY0)
    assert result.as_of_day == 28 and result.status == "warning_day28"


def test_secondary_failure_by_anc_decline(params: EngraftmentParams) -> None:
    anc, plt = full_recovery()
    anc += series({40: 0.4, 41: 0.3, 42: 0.2})
    result = engraftment_status(anc, plt, [], 42, params)
    assert result.status == "secondary_graft_failure"
    assert result.secondary.code == "engraftment.secondary_failure.anc_decline"
    assert result.secondary.day == 40
    # Two low days are not a decline.
    result = engraftment_status(anc, plt, [], 41, params)
    assert result.status == "engrafted"


def test_secondary_failure_by_transfusion_dependence(params: EngraftmentParams) -> None:
    anc, plt = full_recovery()
    near = [Transfusion(30, RED_CELLS), Transfusion(43, PLATELETS)]  # 13 days apart: < 14
    far = [Transfusion(30, RED_CELLS), Transfusion(44, PLATELETS), Transfusion(20, "plasma")]
    result = secondary_graft_failure(
        anc, near, neutrophil_recovery(anc, params), platelet_recovery(plt, [], params), params
    )
    assert result.code == "engraftment.secondary_failure.transfusion_dependence"
    assert result.day == 30
    result = secondary_graft_failure(
        anc, far, neutrophil_recovery(anc, params), platelet_recovery(plt, [], params), params
    )
    assert result.code == "engraftment.secondary_failure.none"


def test_no_secondary_failure_before_both_recoveries(params: EngraftmentParams) -> None:
    anc, _ = full_recovery()
    neut = neutrophil_recovery(anc, params)
    plt = platelet_recovery([], [], params)
    tx = [Transfusion(30, RED_CELLS), Transfusion(31, RED_CELLS)]
    result = secondary_graft_failure(anc, tx, neut, plt, params)
    assert result.code == "engraftment.secondary_failure.none" and result.day is None


@pytest.fixture
def chim(rulebook: RuleBook) -> ChimerismParams:
    return rulebook.params(ChimerismParams, "engraftment")


@pytest.mark.parametrize(
    ("pct", "category"),
    [
        (100, "full"),
        (95.1, "full"),
        (95, "mixed"),
        (50, "mixed"),
        (5, "mixed"),
        (4.9, "rejection"),
        (0, "rejection"),
    ],
)
def test_chimerism_category(chim: ChimerismParams, pct: float, category: str) -> None:
    result = chimerism_category(pct, chim, lineage="CD3")
    assert result.category == category and result.code == f"chimerism.{category}"
    assert result.lineage == "CD3" and result.rule.version == "MDV.SEQTX.1"


def test_chimerism_rejects_impossible_percentages(chim: ChimerismParams) -> None:
    with pytest.raises(ValueError, match="0 to 100"):
        chimerism_category(101, chim)


def test_counts_never_aplastic_by_day42_are_flagged_for_review(params: EngraftmentParams) -> None:
    # No nadir: the counts are recipient cells (autologous recovery), not engraftment.
    anc = series({d: 1.5 for d in range(1, 43)})
    result = engraftment_status(anc, [], [], 42, params)
    assert result.status == "primary_graft_failure" and result.neutrophil.nadir_day is None


def test_status_today_uses_the_ward_calendar_day(params: EngraftmentParams) -> None:
    anc = [Count(date(2027, 3, 2), 0.1)]
    # 2027-03-28 17:00 UTC is already 2027-03-29 (Day +28) in Shanghai.
    clock = FixedClock(datetime(2027, 3, 28, 17, 0, tzinfo=UTC), offset_minutes=480)
    result = engraftment_status_today(anc, [], [], DAY0, clock, params)
    assert result.as_of_day == 28 and result.status == "warning_day28"
