"""DMSO load, infused viable CD34+ dose and TNC recovery (DOMAIN.md 1.2, 2.5)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.infusion import (
    InfusionParams,
    VitalSignTime,
    dmso_load,
    infused_viable_cd34,
    tnc_recovery,
    vital_sign_schedule,
)
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


def _minutes(points: tuple[VitalSignTime, ...], point: str) -> list[int]:
    return [p.minute for p in points if p.point == point]


def test_vital_signs_every_15_minutes_during_then_the_local_checks_after(
    params: InfusionParams,
) -> None:
    # DOMAIN.md 2.5: every 15 min during the infusion [P]; after it, the local schedule [U].
    points = vital_sign_schedule(40, 40, params)
    assert points[0] == VitalSignTime("BASELINE", 0)
    assert _minutes(points, "DURING") == [15, 30]
    assert _minutes(points, "AFTER") == [40, 70, 100]  # the end, then +30 and +60 min
    # An end on the quarter hour is the first check after, not one more during.
    assert _minutes(vital_sign_schedule(45, 45, params), "DURING") == [15, 30]


def test_a_running_infusion_has_rows_to_now_and_at_least_the_first_hour(
    params: InfusionParams,
) -> None:
    assert _minutes(vital_sign_schedule(None, 20, params), "DURING") == [15, 30, 45, 60]
    assert _minutes(vital_sign_schedule(None, 95, params), "DURING")[-1] == 90
    assert _minutes(vital_sign_schedule(None, 95, params), "AFTER") == []


def test_vital_sign_intervals_come_from_the_rules_and_the_after_schedule_is_to_confirm(
    rulebook: RuleBook, params: InfusionParams
) -> None:
    assert (params.vitals_every_min, params.vitals_after_min) == (15, (0, 30, 60))
    assert any(p.name == "vitals_after_min" for p in rulebook.to_confirm())
    hourly = replace(params, vitals_every_min=60, vitals_after_min=(0,))
    assert _minutes(vital_sign_schedule(130, 130, hourly), "DURING") == [60, 120]
    with pytest.raises(ValueError, match="positive"):
        vital_sign_schedule(40, 40, replace(params, vitals_every_min=0))
    assert vital_sign_schedule(-5, 0, params) == (VitalSignTime("BASELINE", 0), *(
        VitalSignTime("AFTER", m) for m in (0, 30, 60)))  # fmt: skip
