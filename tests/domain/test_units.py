"""Unit conversions of DOMAIN.md 6.5 and UCUM validation (DOMAIN.md 8)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.units import (
    UnitConversionError,
    UnitParams,
    convert,
    unknown_study_units,
    validate_ucum,
)
from app.study.rules import RuleBook


@pytest.fixture
def params(rulebook: RuleBook) -> UnitParams:
    return rulebook.params(UnitParams, "units")


@pytest.mark.parametrize(("ng_ml", "nmol_l"), [(0.5, 0.17), (0.3, 0.10), (0.2, 0.07)])
def test_cpeptide_matches_the_igls_table_pairs(
    params: UnitParams, ng_ml: float, nmol_l: float
) -> None:
    result = convert(ng_ml, "ng/mL", "nmol/L", "cpeptide", params)
    assert round(result.value, 2) == nmol_l
    assert result.code == "units.converted" and result.unit == "nmol/L"
    assert result.rule.version == "MDV.SEQTX.1"


def test_cpeptide_lowest_igls_pair_is_the_exact_value_not_the_rounded_up_table(
    params: UnitParams,
) -> None:
    # DOMAIN.md 6.5: the Igls table shows 0.04 for 0.1 ng/mL, rounded upwards from 0.033.
    assert convert(0.1, "ng/mL", "nmol/L", "cpeptide", params).value == pytest.approx(0.0331)


def test_cpeptide_chains_to_pmol_and_back(params: UnitParams) -> None:
    assert convert(1.0, "ng/mL", "pmol/L", "cpeptide", params).value == pytest.approx(331.0)
    assert convert(1.0, "nmol/L", "ng/mL", "cpeptide", params).value == pytest.approx(
        3.02, abs=0.005
    )


@pytest.mark.parametrize(("ngsp", "ifcc"), [(6.5, 47.5), (7.0, 53.0)])
def test_hba1c_master_equation_worked_pairs(params: UnitParams, ngsp: float, ifcc: float) -> None:
    assert round(convert(ngsp, "%", "mmol/mol", "hba1c", params).value, 1) == ifcc


def test_hba1c_ifcc_to_ngsp_uses_the_published_inverse(params: UnitParams) -> None:
    assert convert(53.0, "mmol/mol", "%", "hba1c", params).value == pytest.approx(7.0, abs=0.01)


def test_glucose_insulin_bilirubin_ig_and_counts(params: UnitParams) -> None:
    assert convert(180.16, "mg/dL", "mmol/L", "glucose", params).value == pytest.approx(10.0)
    assert convert(10, "u[IU]/mL", "pmol/L", "insulin", params).value == pytest.approx(60.0)
    assert convert(10, "m[IU]/L", "pmol/L", "insulin", params).value == pytest.approx(60.0)
    assert convert(1, "mg/dL", "umol/L", "bilirubin", params).value == pytest.approx(17.1)
    assert convert(8.5, "g/L", "mg/dL", "immunoglobulin", params).value == pytest.approx(850)
    assert convert(0.5, "10*9/L", "/uL", "cell_count", params).value == pytest.approx(500)
    assert convert(0.5, "10*3/uL", "{cells}/uL", "cell_count", params).value == pytest.approx(500)


def test_insulin_factor_is_configurable(params: UnitParams) -> None:
    from dataclasses import replace

    lab = replace(params, insulin_pmol_l_per_uiu_ml=6.945)
    assert convert(1, "u[IU]/mL", "pmol/L", "insulin", lab).value == pytest.approx(6.945)


def test_same_unit_is_returned_unchanged(params: UnitParams) -> None:
    result = convert(4.2, "mmol/L", "mmol/L", "glucose", params)
    assert (result.code, result.value) == ("units.same_unit", 4.2)


@pytest.mark.parametrize(
    ("analyte", "src", "dst", "code"),
    [
        ("sodium", "mmol/L", "mg/dL", "units.unknown_analyte"),
        ("glucose", "mg/dL", "g/L", "units.unsupported_unit"),
        ("glucose", "ng/mL", "mmol/L", "units.unsupported_unit"),
    ],
)
def test_unsupported_conversions_raise_a_clear_code(
    params: UnitParams, analyte: str, src: str, dst: str, code: str
) -> None:
    with pytest.raises(UnitConversionError) as err:
        convert(1.0, src, dst, analyte, params)
    assert err.value.code == code


@given(st.floats(min_value=0, max_value=1e4, allow_nan=False))
def test_linear_conversions_round_trip(rulebook: RuleBook, value: float) -> None:
    params = rulebook.params(UnitParams, "units")
    for analyte, a, b in [
        ("glucose", "mg/dL", "mmol/L"),
        ("cpeptide", "ng/mL", "pmol/L"),
        ("bilirubin", "umol/L", "mg/dL"),
        ("cell_count", "/uL", "10*9/L"),
    ]:
        there = convert(value, a, b, analyte, params).value
        assert convert(there, b, a, analyte, params).value == pytest.approx(
            value, rel=1e-9, abs=1e-9
        )


@pytest.mark.parametrize(
    "unit",
    ["ng/mL", "u[IU]/mL", "10*9/L", "/uL", "{cells}/uL", "{ratio}", "1", "kg/m2", "mm[Hg]",
     "mg.h/L", "%", "mmol/mol", "Cel", "mL/min/{1.73_m2}", "m-2", "10^3"],
)  # fmt: skip
def test_valid_ucum_codes(params: UnitParams, unit: str) -> None:
    check = validate_ucum(unit, params)
    assert check.valid and check.code == "ucum.valid", check


@pytest.mark.parametrize(
    ("unit", "code"),
    [
        ("", "ucum.empty"),
        ("/", "ucum.syntax"),
        ("mg / dL", "ucum.syntax"),
        ("(mg)", "ucum.syntax"),
        ("mg//dL", "ucum.syntax"),
        ("mg-dL", "ucum.syntax"),
        ("mcg/mL", "ucum.unknown_atom"),
        ("IU/mL", "ucum.unknown_atom"),
        ("µg/L", "ucum.syntax"),
        ("kh", "ucum.prefix_not_allowed"),
        ("m%", "ucum.prefix_not_allowed"),
        ("{cells", "ucum.syntax"),
        ("}g", "ucum.syntax"),
        ("{{a}}", "ucum.syntax"),
    ],
)
def test_invalid_ucum_codes_name_the_problem(params: UnitParams, unit: str, code: str) -> None:
    check = validate_ucum(unit, params)
    assert not check.valid and check.code == code, check


def test_study_unit_list_is_valid_ucum_and_known(params: UnitParams) -> None:
    assert unknown_study_units(params) == []
    assert validate_ucum("u[IU]/mL", params).known_to_study
    assert not validate_ucum("mol/s", params).known_to_study


def test_every_unit_the_conversions_use_is_valid_ucum_and_a_study_unit(params: UnitParams) -> None:
    from app.domain.units import ANALYTES, _edges

    for analyte in ANALYTES:
        for src, targets in _edges(analyte, params).items():
            for unit in (src, *targets):
                check = validate_ucum(unit, params)
                assert check.valid and check.known_to_study, (analyte, unit)
