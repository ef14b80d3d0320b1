"""BSA, calculated dose, dose deviation and busulfan AUC (DOMAIN.md 2.3, Appendix C)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.conditioning import (
    ConditioningParams,
    bsa_mosteller,
    busulfan_adjusted_dose,
    busulfan_cumulative_auc,
    calculated_dose,
    dose_deviation,
    mg_h_per_l_to_umol_min,
    umol_min_to_mg_h_per_l,
)
from app.study.rules import RuleBook


@pytest.fixture
def params(rulebook: RuleBook) -> ConditioningParams:
    return rulebook.params(ConditioningParams, "conditioning")


def test_mosteller_bsa(params: ConditioningParams) -> None:
    bsa = bsa_mosteller(120, 30, params)
    assert bsa.m2 == pytest.approx(1.0)
    assert bsa.rule.rule == "conditioning.bsa"
    assert bsa_mosteller(150, 40, params).m2 == pytest.approx(math.sqrt(150 * 40 / 3600))
    with pytest.raises(ValueError, match="height_cm"):
        bsa_mosteller(0, 30, params)


def test_calculated_dose_per_m2_and_per_kg(params: ConditioningParams) -> None:
    flu = calculated_dose(40, "mg/m2", weight_kg=30, height_cm=120, params=params)
    assert (flu.dose, flu.unit, flu.bsa_m2) == (pytest.approx(40.0), "mg", pytest.approx(1.0))
    cy = calculated_dose(50, "mg/kg", weight_kg=30, height_cm=None, params=params)
    assert (cy.dose, cy.unit, cy.bsa_m2) == (1500, "mg", None)
    treo = calculated_dose(14, "g/m2", weight_kg=30, height_cm=120, params=params)
    assert (treo.dose, treo.unit) == (pytest.approx(14.0), "g")


def test_calculated_dose_rejects_bad_input(params: ConditioningParams) -> None:
    with pytest.raises(ValueError, match="basis"):
        calculated_dose(1, "mg/lb", 30, 120, params)
    with pytest.raises(ValueError, match="height"):
        calculated_dose(40, "mg/m2", 30, None, params)
    with pytest.raises(ValueError, match="weight_kg"):
        calculated_dose(50, "mg/kg", 0, None, params)


@pytest.mark.parametrize(
    ("given_mg", "code"),
    [
        (94.9, "conditioning.deviation.warn"),
        (95.0, "conditioning.deviation.ok"),
        (100.0, "conditioning.deviation.ok"),
        (105.0, "conditioning.deviation.ok"),
        (105.1, "conditioning.deviation.warn"),
    ],
)
def test_deviation_warns_beyond_5_percent(
    params: ConditioningParams, given_mg: float, code: str
) -> None:
    result = dose_deviation(given_mg, 100.0, params)
    assert result.code == code and result.limit_percent == 5


def test_deviation_rejects_impossible_doses(params: ConditioningParams) -> None:
    with pytest.raises(ValueError):
        dose_deviation(-1, 100, params)
    with pytest.raises(ValueError):
        dose_deviation(1, 0, params)


@given(st.floats(min_value=1, max_value=1e4), st.floats(min_value=0, max_value=0.99))
def test_deviation_is_symmetric_in_sign(
    rulebook: RuleBook, calculated: float, fraction: float
) -> None:
    params = rulebook.params(ConditioningParams, "conditioning")
    delta = calculated * fraction
    over = dose_deviation(calculated + delta, calculated, params)
    under = dose_deviation(calculated - delta, calculated, params)
    assert over.deviation_percent == pytest.approx(-under.deviation_percent, abs=1e-9)
    assert over.code == under.code or abs(abs(over.deviation_percent) - 5) < 1e-9


def test_busulfan_unit_conversion_243_6(params: ConditioningParams) -> None:
    assert mg_h_per_l_to_umol_min(1, params) == pytest.approx(243.6, abs=0.01)
    assert mg_h_per_l_to_umol_min(78, params) == pytest.approx(19000, rel=0.001)
    assert mg_h_per_l_to_umol_min(101, params) == pytest.approx(24600, rel=0.001)
    assert umol_min_to_mg_h_per_l(mg_h_per_l_to_umol_min(90, params), params) == pytest.approx(90)


@pytest.mark.parametrize(
    ("total", "status"),
    [(77.9, "below"), (78, "within"), (101, "within"), (101.1, "above")],
)
def test_cumulative_auc_target_boundaries(
    params: ConditioningParams, total: float, status: str
) -> None:
    exposure = busulfan_cumulative_auc([(total / 4, "mg.h/L")] * 4, params)
    assert exposure.code == f"conditioning.busulfan.{status}"
    assert exposure.cumulative_mg_h_per_l == pytest.approx(total) and exposure.doses == 4


def test_cumulative_auc_mixes_units(params: ConditioningParams) -> None:
    exposure = busulfan_cumulative_auc(
        [(20.0, "mg.h/L"), (mg_h_per_l_to_umol_min(60, params), "umol.min/L")], params
    )
    assert exposure.cumulative_mg_h_per_l == pytest.approx(80)
    assert exposure.cumulative_umol_min_per_l == pytest.approx(80 * 243.6, rel=1e-3)
    assert exposure.code == "conditioning.busulfan.within"


def test_cumulative_auc_rejects_bad_values(params: ConditioningParams) -> None:
    with pytest.raises(ValueError, match="unit"):
        busulfan_cumulative_auc([(20.0, "ng.h/mL")], params)
    with pytest.raises(ValueError, match="negative"):
        busulfan_cumulative_auc([(-1.0, "mg.h/L")], params)


def test_adjusted_dose_is_proportional(params: ConditioningParams) -> None:
    adj = busulfan_adjusted_dose(current_dose=32, target_auc=1125, observed_auc=900, params=params)
    assert adj.dose == pytest.approx(40) and adj.code == "conditioning.busulfan.adjusted_dose"
    with pytest.raises(ValueError):
        busulfan_adjusted_dose(32, 1125, 0, params)
