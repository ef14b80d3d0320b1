"""Growth: LMS z-scores (worked examples), WHO restricted method, interpolation, BMI, age, reference."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.growth import (
    CDC_2000,
    WHO_2006,
    GrowthParams,
    LmsTable,
    age_days,
    age_months,
    bmi,
    centile,
    growth_z,
    lms_at,
    reference_for_age,
    who_restricted_z,
    x_from_z,
    z_from_lms,
)
from app.study.rules import RuleBook

WFA_GIRL_365 = (-0.2022, 8.9462, 0.12267)


@pytest.fixture(scope="module")
def params(rulebook: RuleBook) -> GrowthParams:
    return rulebook.params(GrowthParams, "growth")


def test_who_anthro_worked_example_waz() -> None:
    # WHO anthro example: female, 365 days, 9 kg -> WAZ 0.0488 (DOMAIN.md 7.1).
    assert z_from_lms(9, *WFA_GIRL_365) == pytest.approx(0.0488, abs=5e-5)


def test_who_2007_worked_example_haz() -> None:
    # Boy 10.0 y, 140 cm, L=1, M=137.7795, S=0.04626 -> HAZ 0.348 (DOMAIN.md 7.1).
    assert z_from_lms(140, 1, 137.7795, 0.04626) == pytest.approx(0.348, abs=5e-4)


def test_l_zero_uses_the_log_form() -> None:
    assert z_from_lms(20, 0, 10, 0.2) == pytest.approx(3.4657, abs=1e-4)
    assert z_from_lms(20, 1e-300, 10, 0.2) == pytest.approx(3.4657, abs=1e-4)
    assert x_from_z(1, 0, 10, 0.2) == pytest.approx(12.214, abs=1e-3)


@pytest.mark.parametrize("lms", [WFA_GIRL_365, (1, 137.7795, 0.04626), (0, 16.0, 0.08)])
def test_x_at_z_inverts_the_z_score(lms: tuple[float, float, float]) -> None:
    for z in (-2.5, -1, 0, 1.3, 2.9):
        assert z_from_lms(x_from_z(z, *lms), *lms) == pytest.approx(z, abs=1e-9)


def test_lms_input_errors() -> None:
    with pytest.raises(ValueError, match="> 0"):
        z_from_lms(0, 1, 10, 0.1)
    with pytest.raises(ValueError, match="range"):
        x_from_z(-10, 1, 10, 0.1)


def test_centile() -> None:
    assert centile(0) == pytest.approx(50)
    assert centile(1.959964) == pytest.approx(97.5, abs=1e-4)
    assert centile(-1.959964) == pytest.approx(2.5, abs=1e-4)


def test_restricted_method_beyond_plus_and_minus_three() -> None:
    lms = WFA_GIRL_365
    sd3, sd2 = x_from_z(3, *lms), x_from_z(2, *lms)
    assert who_restricted_z(sd3 + 0.5 * (sd3 - sd2), *lms, limit=3) == pytest.approx(3.5)
    sd3n, sd2n = x_from_z(-3, *lms), x_from_z(-2, *lms)
    assert who_restricted_z(sd3n - 0.5 * (sd2n - sd3n), *lms, limit=3) == pytest.approx(-3.5)
    assert who_restricted_z(9, *lms, limit=3) == pytest.approx(z_from_lms(9, *lms))
    # At exactly +/-3 SD both methods agree.
    assert who_restricted_z(sd3, *lms, limit=3) == pytest.approx(3)


def test_lms_interpolation() -> None:
    rows = ((0.0, 1.0, 10.0, 0.1), (10.0, 0.0, 20.0, 0.2), (20.0, -1.0, 30.0, 0.3))
    assert lms_at(rows, 5) == pytest.approx((0.5, 15.0, 0.15))
    assert lms_at(rows, 10) == (0.0, 20.0, 0.2)
    assert lms_at(rows, 0) == (1.0, 10.0, 0.1)
    assert lms_at(rows, 20) == (-1.0, 30.0, 0.3)
    for outside in (-0.1, 20.1):
        with pytest.raises(ValueError, match="outside"):
            lms_at(rows, outside)
    with pytest.raises(ValueError, match="outside"):
        lms_at((), 1)


def test_bmi() -> None:
    assert bmi(20, 100) == pytest.approx(20)
    assert bmi(45, 150) == pytest.approx(20.0)
    with pytest.raises(ValueError, match="> 0"):
        bmi(20, 0)


def test_age_in_days_and_months(params: GrowthParams) -> None:
    assert age_days(date(2020, 2, 29), date(2021, 2, 28)) == 365
    assert age_months(365, params) == pytest.approx(365 / 30.4375)
    with pytest.raises(ValueError, match="before the date of birth"):
        age_days(date(2021, 1, 2), date(2021, 1, 1))


@pytest.mark.parametrize(
    ("days", "reference"),
    [(0, WHO_2006), (730, WHO_2006), (731, CDC_2000), (3652, CDC_2000), (7305, CDC_2000)],
)
def test_reference_choice_at_2_and_20_years(
    params: GrowthParams, days: int, reference: str
) -> None:
    choice = reference_for_age(days, params)
    assert choice.reference == reference
    assert choice.code == "growth.reference." + reference.lower().replace(" ", "_")
    assert choice.rule.version == "MDV.SEQTX.1"


def test_no_reference_after_20_years(params: GrowthParams) -> None:
    with pytest.raises(ValueError, match="20 years"):
        reference_for_age(7306, params)


WHO_WFA_GIRL = LmsTable(
    WHO_2006, "test rows", "weight", "F", "days", ((364.0, -0.2, 8.9, 0.12), (365.0, *WFA_GIRL_365))
)


def test_growth_z_carries_reference_and_version(params: GrowthParams) -> None:
    result = growth_z(9, 365, WHO_WFA_GIRL, params)
    assert result.z == pytest.approx(0.0488, abs=5e-5)
    assert result.centile == pytest.approx(51.95, abs=0.01)
    assert (result.reference, result.reference_version) == (WHO_2006, "test rows")
    assert result.restricted is False and result.code == "growth.z"
    assert result.rule.rule == "growth.weight_z" and result.rule.version == "MDV.SEQTX.1"


def test_growth_z_restricted_only_for_who_weight_and_bmi(params: GrowthParams) -> None:
    heavy = 16.0  # far above +3 SD at one year
    who = growth_z(heavy, 365, WHO_WFA_GIRL, params)
    assert who.restricted is True
    assert who.z == pytest.approx(who_restricted_z(heavy, *WFA_GIRL_365, limit=3))
    assert who.z != pytest.approx(z_from_lms(heavy, *WFA_GIRL_365))
    cdc = LmsTable(
        CDC_2000, "cdc", "weight", "F", "months", ((0.0, *WFA_GIRL_365), (24.0, *WFA_GIRL_365))
    )
    assert growth_z(heavy, 365, cdc, params).restricted is False
    height = LmsTable(WHO_2006, "who", "height", "F", "days", WHO_WFA_GIRL.rows)
    assert growth_z(heavy, 365, height, params).restricted is False


def test_growth_z_uses_months_for_monthly_tables(params: GrowthParams) -> None:
    table = LmsTable(
        CDC_2000,
        "cdc",
        "height",
        "M",
        "months",
        ((119.5, 1, 137.0, 0.046), (120.5, 1, 138.0, 0.046)),
    )
    result = growth_z(140, 3652, table, params)
    assert result.age_in_table_unit == pytest.approx(3652 / 30.4375)
    assert result.m == pytest.approx(137.0 + (3652 / 30.4375 - 119.5))


lms_values = st.tuples(
    st.floats(min_value=-1.5, max_value=1.5),
    st.floats(min_value=1, max_value=100),
    st.floats(min_value=0.03, max_value=0.2),
)


@given(lms_values, st.floats(min_value=0.2, max_value=5), st.floats(min_value=0.2, max_value=5))
def test_z_score_is_monotonic_in_the_measurement(
    lms: tuple[float, float, float], r1: float, r2: float
) -> None:
    _, m, _ = lms
    lo, hi = sorted((m * r1, m * r2))
    assert z_from_lms(lo, *lms) <= z_from_lms(hi, *lms) + 1e-9
    assert who_restricted_z(lo, *lms, limit=3) <= who_restricted_z(hi, *lms, limit=3) + 1e-9
