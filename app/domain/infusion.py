"""Thaw and infusion-day calculations: DMSO load, infused viable CD34+ dose, TNC recovery.

Sources: DOMAIN.md 2.5 (vital signs every 15 min during the infusion [P], then a local
schedule [U]; DMSO g = volume mL x fraction v/v x 1.10 g/mL [P]; limit <=1 g/kg/day [U])
and DOMAIN.md 1.2 (infused viable CD34+/kg = post-thaw CD34+ x viability / weight; the infused viable
CD34+ dose best predicts engraftment, Purtill et al., Blood 2014;124:2905 [V]). Numbers come from
resources/study/rules/infusion.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.cordblood import CD34_SCALE, Recovery, tnc_recovery
from app.domain.result import RuleRef

SOURCE_DMSO = "DOMAIN.md 2.5 DMSO dose formula and limit (commonly quoted, to confirm)"
SOURCE_CD34 = "Purtill et al., Blood 2014;124:2905; DOMAIN.md 1.2"

__all__ = [
    "CD34Dose",
    "DmsoLoad",
    "InfusionParams",
    "Recovery",
    "VitalSignTime",
    "dmso_load",
    "infused_viable_cd34",
    "tnc_recovery",
    "vital_sign_schedule",
]


@dataclass(frozen=True)
class InfusionParams:
    version: str
    dmso_density_g_per_ml: float
    dmso_max_g_per_kg: float
    vitals_every_min: int  # during the infusion [P]
    vitals_after_min: tuple[int, ...]  # after its end (local schedule [U])
    vitals_open_min: int  # no end time yet: the during rows reach at least this far


@dataclass(frozen=True)
class VitalSignTime:
    """One time point of the infusion's vital-sign grid, in minutes from the start."""

    point: str  # CL.VSPOINT: "BASELINE" | "DURING" | "AFTER"
    minute: int


def vital_sign_schedule(
    duration_min: int | None, elapsed_min: int, params: InfusionParams
) -> tuple[VitalSignTime, ...]:
    """Baseline, then every `vitals_every_min` strictly inside the infusion, then the checks
    `vitals_after_min` after its end (DOMAIN.md 2.5: every 15 min during the infusion [P], then a
    local post-infusion schedule [U]). Without an end yet (`duration_min` None) the during points
    run on to max(vitals_open_min, elapsed_min), so "now" always has a row."""
    if params.vitals_every_min <= 0:
        raise ValueError("the interval between vital-sign checks must be positive")
    if duration_min is None:
        until = max(params.vitals_open_min, elapsed_min) + 1
    else:
        until = max(duration_min, 0)
    points = [VitalSignTime("BASELINE", 0)]
    points += [
        VitalSignTime("DURING", minute)
        for minute in range(params.vitals_every_min, until, params.vitals_every_min)
    ]
    if duration_min is not None:
        points += [VitalSignTime("AFTER", until + extra) for extra in params.vitals_after_min]
    return tuple(points)


@dataclass(frozen=True)
class DmsoLoad:
    code: str  # "infusion.dmso.ok" | "infusion.dmso.over_limit"
    grams: float
    g_per_kg: float
    limit_g_per_kg: float
    rule: RuleRef


def dmso_load(
    volume_ml: float, dmso_fraction: float, weight_kg: float, params: InfusionParams
) -> DmsoLoad:
    """DMSO grams and g/kg of a product; `dmso_fraction` is v/v (0.10 for 10%). At the limit is ok."""
    if volume_ml < 0 or not 0 <= dmso_fraction <= 1:
        raise ValueError("volume must be >= 0 and the DMSO fraction from 0 to 1")
    if not weight_kg > 0:
        raise ValueError("weight_kg must be > 0")
    grams = volume_ml * dmso_fraction * params.dmso_density_g_per_ml
    per_kg = grams / weight_kg
    code = "infusion.dmso.over_limit" if per_kg > params.dmso_max_g_per_kg else "infusion.dmso.ok"
    rule = RuleRef("infusion.dmso", SOURCE_DMSO, params.version)
    return DmsoLoad(code, grams, per_kg, params.dmso_max_g_per_kg, rule)


@dataclass(frozen=True)
class CD34Dose:
    code: str  # "infusion.viable_cd34_dose"
    e5_per_kg: float
    rule: RuleRef


def infused_viable_cd34(
    postthaw_cd34_cells: float, viability_percent: float, weight_kg: float, params: InfusionParams
) -> CD34Dose:
    """Infused viable CD34+ x10^5/kg = post-thaw CD34+ x viability fraction / weight."""
    if not 0 <= viability_percent <= 100 or not weight_kg > 0:
        raise ValueError("viability must be 0-100% and weight_kg > 0")
    dose = postthaw_cd34_cells * viability_percent / 100 / weight_kg / CD34_SCALE
    rule = RuleRef("infusion.viable_cd34_dose", SOURCE_CD34, params.version)
    return CD34Dose("infusion.viable_cd34_dose", dose, rule)
