"""Cord blood cell doses, post-thaw checks and single/double unit suggestion (DOMAIN.md 1.2)."""

from __future__ import annotations

import pytest

from app.domain.cordblood import (
    CandidateUnit,
    CordBloodParams,
    cd34_tnc_ratio,
    cell_dose,
    postthaw_viability,
    suggest_units,
    tnc_recovery,
)
from app.study.rules import RuleBook


@pytest.fixture
def params(rulebook: RuleBook) -> CordBloodParams:
    return rulebook.params(CordBloodParams, "cordblood")


def test_dose_per_kg_in_reporting_units(params: CordBloodParams) -> None:
    dose = cell_dose(tnc_cells=1.2e9, cd34_cells=4.0e6, weight_kg=20, params=params)
    assert dose.tnc_e7_per_kg == pytest.approx(6.0)
    assert dose.cd34_e5_per_kg == pytest.approx(2.0)
    assert dose.code == "cordblood.dose.adequate" and dose.tnc_min_e7_per_kg == 5.0
    assert dose.rule.rule == "cordblood.tnc_dose" and dose.rule.version == "MDV.SEQTX.1"


@pytest.mark.parametrize(
    ("tnc_e7_per_kg", "code"),
    [(4.99, "cordblood.dose.low"), (5.0, "cordblood.dose.low"), (5.01, "cordblood.dose.adequate")],
)
def test_tnc_threshold_is_strictly_greater_than_5(
    params: CordBloodParams, tnc_e7_per_kg: float, code: str
) -> None:
    assert cell_dose(tnc_e7_per_kg * 1e7 * 10, None, 10, params).code == code


def test_cd34_is_optional_and_weight_must_be_positive(params: CordBloodParams) -> None:
    assert cell_dose(1e9, None, 10, params).cd34_e5_per_kg is None
    with pytest.raises(ValueError, match="weight_kg"):
        cell_dose(1e9, None, 0, params)


@pytest.mark.parametrize(
    ("viability", "code"),
    [
        (69.9, "cordblood.viability.low"),
        (70, "cordblood.viability.low"),
        (70.1, "cordblood.viability.ok"),
    ],
)
def test_postthaw_viability_must_exceed_70(
    params: CordBloodParams, viability: float, code: str
) -> None:
    check = postthaw_viability(viability, params)
    assert check.code == code and check.min_percent == 70


def test_viability_outside_0_to_100_is_rejected(params: CordBloodParams) -> None:
    with pytest.raises(ValueError, match="percentage"):
        postthaw_viability(101, params)


def test_cd34_tnc_ratio_and_tnc_recovery(params: CordBloodParams) -> None:
    assert cd34_tnc_ratio(4.0e6, 1.0e9, params).ratio_percent == pytest.approx(0.4)
    recovery = tnc_recovery(8.5e8, 1.0e9, params.version)
    assert (
        recovery.recovery_percent == pytest.approx(85.0)
        and recovery.code == "cordblood.tnc_recovery"
    )
    with pytest.raises(ValueError):
        tnc_recovery(1.0, 0.0, params.version)


def test_single_units_meeting_the_dose_are_ranked_by_dose(params: CordBloodParams) -> None:
    units = [CandidateUnit("U1", 1.1e9), CandidateUnit("U2", 1.6e9), CandidateUnit("U3", 0.5e9)]
    s = suggest_units(units, 20, params)
    assert s.code == "cordblood.single_unit" and s.unit_ids == ("U2", "U1")
    assert s.tnc_e7_per_kg == pytest.approx((8.0, 5.5))


def test_double_unit_suggested_only_when_no_single_unit_suffices(params: CordBloodParams) -> None:
    units = [CandidateUnit("U1", 0.9e9), CandidateUnit("U2", 0.8e9), CandidateUnit("U3", 0.2e9)]
    s = suggest_units(units, 20, params)
    assert s.code == "cordblood.consider_double_unit" and s.unit_ids == ("U1", "U2")
    assert sum(s.tnc_e7_per_kg) == pytest.approx(8.5)


def test_double_unit_needs_each_unit_above_the_per_unit_minimum(params: CordBloodParams) -> None:
    # 4.9 + 1.4 would exceed 5 combined, but 1.4 < 1.5 per unit.
    units = [CandidateUnit("U1", 0.98e9), CandidateUnit("U2", 0.28e9)]
    assert suggest_units(units, 20, params).code == "cordblood.no_adequate_unit"


def test_no_adequate_unit_when_even_the_best_pair_is_too_small(params: CordBloodParams) -> None:
    units = [CandidateUnit("U1", 0.4e9), CandidateUnit("U2", 0.4e9)]
    assert suggest_units(units, 20, params).code == "cordblood.no_adequate_unit"
    assert suggest_units([], 20, params).unit_ids == ()


def test_double_unit_per_unit_minimum_is_inclusive(params: CordBloodParams) -> None:
    # 3.6 + 1.5 = 5.1 > 5 combined; 1.5 is exactly the per-unit minimum (">= 1.5 each").
    units = [CandidateUnit("U1", 0.72e9), CandidateUnit("U2", 0.30e9)]
    s = suggest_units(units, 20, params)
    assert s.code == "cordblood.consider_double_unit" and s.unit_ids == ("U1", "U2")
