"""Thaw and infusion-day calculations: DMSO load, infused viable CD34+ dose, TNC recovery.

Sources: DOMAIN.md 2.5 (DMSO g = volume mL x fraction v/v x 1.10 g/mL [P]; limit <=1 g/kg/day [U])
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
    "dmso_load",
    "infused_viable_cd34",
    "tnc_recovery",
]


@dataclass(frozen=True)
class InfusionParams:
    version: str
    dmso_density_g_per_ml: float
    dmso_max_g_per_kg: float


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
