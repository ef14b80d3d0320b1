"""DMSO load, infused viable CD34+ dose and TNC recovery (DOMAIN.md 1.2, 2.5)."""

from __future__ import annotations

import pytest

from app.domain.infusion import InfusionParams, dmso_load, infused_viable_cd34, tnc_recovery
from app.study.rules import RuleBook


@pytest.fixture
def params(rulebook: RuleBook) -> InfusionParams:
    return rulebook.params(InfusionParams, "infusion")


def test_worked_example_25_ml_at_10_percent_is_2_75_g(params: InfusionParams) -> None:
    load = dmso_load(25, 0.10, 10, params)
    assert load.grams == pytest.approx(2.75)
    assert load.g_per_kg == pytest.approx(0.275)
    assert load.code == "infusion.dmso.ok" and load.rule.rule == "infusion.dmso"


@pytest.mark.parametrize(
    ("weight_kg", "code"),
    [(2.76, "infusion.dmso.ok"), (2.75, "infusion.dmso.ok"), (2.74, "infusion.dmso.over_limit")],
)
def test_dmso_limit_1_g_per_kg_boundaries(
    params: InfusionParams, weight_kg: float, code: str
) -> None:
    # 25 mL at 10% = 2.75 g: exactly 1 g/kg at 2.75 kg is still within the limit.
    assert dmso_load(25, 0.10, weight_kg, params).code == code


def test_dmso_limit_is_marked_to_confirm(rulebook: RuleBook) -> None:
    assert any(
        p.module == "infusion" and p.name == "dmso_max_g_per_kg" for p in rulebook.to_confirm()
    )


def test_dmso_rejects_impossible_input(params: InfusionParams) -> None:
    with pytest.raises(ValueError, match="fraction"):
        dmso_load(25, 10, 10, params)  # 10 is a percentage, not a fraction
    with pytest.raises(ValueError, match="fraction"):
        dmso_load(-1, 0.1, 10, params)
    with pytest.raises(ValueError, match="weight"):
        dmso_load(25, 0.1, 0, params)


def test_infused_viable_cd34_per_kg(params: InfusionParams) -> None:
    dose = infused_viable_cd34(
        postthaw_cd34_cells=5.0e6, viability_percent=92, weight_kg=20, params=params
    )
    assert dose.e5_per_kg == pytest.approx(2.3) and dose.code == "infusion.viable_cd34_dose"
    with pytest.raises(ValueError):
        infused_viable_cd34(5.0e6, 120, 20, params)
    with pytest.raises(ValueError):
        infused_viable_cd34(5.0e6, 90, 0, params)


def test_tnc_recovery_percent(params: InfusionParams) -> None:
    assert tnc_recovery(7.2e8, 9.0e8, params.version).recovery_percent == pytest.approx(80.0)
