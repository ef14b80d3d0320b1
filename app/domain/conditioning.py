"""Conditioning chemotherapy dose checks and busulfan therapeutic drug monitoring.

Sources: DOMAIN.md 2.2, 2.3 and Appendix C. BSA by Mosteller (N Engl J Med 1987;317:1098):
sqrt(height cm x weight kg / 3600); given-versus-calculated dose deviation with a warning limit
(common practice [U]); busulfan cumulative AUC target 78-101 mg.h/L (Bartelink et al., Lancet
Haematol 2016, quoted by Lawson 2020) [V]; MW 246.3 g/mol, so 1 mg.h/L = 243.6 umol.min/L [V];
dose adjustment by target/observed AUC assuming linear PK [P]. Every number is in
resources/study/rules/conditioning.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.result import RuleRef

SOURCE_BSA = "Mosteller RD, N Engl J Med 1987;317:1098; DOMAIN.md Appendix C"
SOURCE_DOSE = "DOMAIN.md Appendix C, chemotherapy dose check (common practice)"
SOURCE_BU = "Bartelink et al., Lancet Haematol 2016 (via Lawson 2020); DOMAIN.md 2.3"

# Definitions of the units (not thresholds): mg per g, minutes per hour.
_MG_PER_G = 1000
_MIN_PER_H = 60

AUC_UNITS = ("mg.h/L", "umol.min/L")
DOSE_BASES = {"mg/m2": ("mg", "bsa"), "mg/kg": ("mg", "weight"), "g/m2": ("g", "bsa")}


@dataclass(frozen=True)
class ConditioningParams:
    version: str
    mosteller_divisor: float
    dose_deviation_warn_percent: float
    busulfan_mw_g_per_mol: float
    busulfan_target_auc_low_mg_h_per_l: float
    busulfan_target_auc_high_mg_h_per_l: float


def _require_positive(**values: float) -> None:
    for name, value in values.items():
        if not value > 0:
            raise ValueError(f"{name} must be > 0")


@dataclass(frozen=True)
class Bsa:
    code: str  # "conditioning.bsa"
    m2: float
    height_cm: float
    weight_kg: float
    rule: RuleRef


def bsa_mosteller(height_cm: float, weight_kg: float, params: ConditioningParams) -> Bsa:
    """Body surface area in m2 (Mosteller)."""
    _require_positive(height_cm=height_cm, weight_kg=weight_kg)
    m2 = math.sqrt(height_cm * weight_kg / params.mosteller_divisor)
    return Bsa(
        "conditioning.bsa",
        m2,
        height_cm,
        weight_kg,
        RuleRef("conditioning.bsa", SOURCE_BSA, params.version),
    )


@dataclass(frozen=True)
class CalculatedDose:
    code: str  # "conditioning.dose.calculated"
    dose: float
    unit: str  # "mg" or "g"
    basis: str  # "mg/m2" | "mg/kg" | "g/m2"
    dose_per_basis: float
    bsa_m2: float | None
    weight_kg: float
    rule: RuleRef


def calculated_dose(
    dose_per_basis: float,
    basis: str,
    weight_kg: float,
    height_cm: float | None,
    params: ConditioningParams,
) -> CalculatedDose:
    """Dose from a per-m2 (BSA by Mosteller) or per-kg prescription; height is needed for per-m2."""
    if basis not in DOSE_BASES:
        raise ValueError(f"unsupported dose basis {basis!r}; expected one of {sorted(DOSE_BASES)}")
    unit, by = DOSE_BASES[basis]
    rule = RuleRef("conditioning.calculated_dose", SOURCE_DOSE, params.version)
    if by == "weight":
        _require_positive(weight_kg=weight_kg)
        return CalculatedDose(
            "conditioning.dose.calculated",
            dose_per_basis * weight_kg,
            unit,
            basis,
            dose_per_basis,
            None,
            weight_kg,
            rule,
        )
    if height_cm is None:
        raise ValueError(f"a {basis} dose needs the height for the BSA")
    bsa = bsa_mosteller(height_cm, weight_kg, params).m2
    return CalculatedDose(
        "conditioning.dose.calculated",
        dose_per_basis * bsa,
        unit,
        basis,
        dose_per_basis,
        bsa,
        weight_kg,
        rule,
    )


@dataclass(frozen=True)
class DoseDeviation:
    code: str  # "conditioning.deviation.ok" | "conditioning.deviation.warn"
    deviation_percent: float  # (given - calculated) / calculated x 100; negative = under-dosed
    given: float
    calculated: float
    limit_percent: float
    rule: RuleRef


def dose_deviation(given: float, calculated: float, params: ConditioningParams) -> DoseDeviation:
    """Deviation of the given from the calculated dose; warns when |deviation| exceeds the limit."""
    _require_positive(calculated=calculated)
    if given < 0:
        raise ValueError("given dose must be >= 0")
    pct = (given - calculated) / calculated * 100
    warn = abs(pct) > params.dose_deviation_warn_percent
    code = "conditioning.deviation.warn" if warn else "conditioning.deviation.ok"
    rule = RuleRef("conditioning.dose_deviation", SOURCE_DOSE, params.version)
    return DoseDeviation(code, pct, given, calculated, params.dose_deviation_warn_percent, rule)


def mg_h_per_l_to_umol_min(auc: float, params: ConditioningParams) -> float:
    """Busulfan AUC mg.h/L -> umol.min/L: x 1000 / MW x 60 (1 mg.h/L = 243.6 umol.min/L)."""
    return auc * _MG_PER_G / params.busulfan_mw_g_per_mol * _MIN_PER_H


def umol_min_to_mg_h_per_l(auc: float, params: ConditioningParams) -> float:
    """Busulfan AUC umol.min/L -> mg.h/L (inverse of mg_h_per_l_to_umol_min)."""
    return auc / _MIN_PER_H * params.busulfan_mw_g_per_mol / _MG_PER_G


@dataclass(frozen=True)
class BusulfanExposure:
    code: str  # "conditioning.busulfan.below" | ".within" | ".above"
    cumulative_mg_h_per_l: float
    cumulative_umol_min_per_l: float
    doses: int
    target_low_mg_h_per_l: float
    target_high_mg_h_per_l: float
    rule: RuleRef


def busulfan_cumulative_auc(
    dose_aucs: Sequence[tuple[float, str]], params: ConditioningParams
) -> BusulfanExposure:
    """Sum of per-dose AUCs (each value with its unit, mg.h/L or umol.min/L) against the cumulative
    target; "within" includes both ends of the range."""
    total = 0.0
    for value, unit in dose_aucs:
        if unit not in AUC_UNITS:
            raise ValueError(f"unsupported AUC unit {unit!r}; expected one of {AUC_UNITS}")
        if value < 0:
            raise ValueError("an AUC cannot be negative")
        total += value if unit == "mg.h/L" else umol_min_to_mg_h_per_l(value, params)
    low, high = (
        params.busulfan_target_auc_low_mg_h_per_l,
        params.busulfan_target_auc_high_mg_h_per_l,
    )
    status = "below" if total < low else "above" if total > high else "within"
    rule = RuleRef("conditioning.busulfan_auc", SOURCE_BU, params.version)
    return BusulfanExposure(
        f"conditioning.busulfan.{status}",
        total,
        mg_h_per_l_to_umol_min(total, params),
        len(dose_aucs),
        low,
        high,
        rule,
    )


@dataclass(frozen=True)
class AdjustedDose:
    code: str  # "conditioning.busulfan.adjusted_dose"
    dose: float
    current_dose: float
    target_auc: float
    observed_auc: float
    rule: RuleRef


def busulfan_adjusted_dose(
    current_dose: float, target_auc: float, observed_auc: float, params: ConditioningParams
) -> AdjustedDose:
    """dose_adjusted = dose_current x target AUC / observed AUC (same AUC unit; linear PK) [P]."""
    _require_positive(current_dose=current_dose, target_auc=target_auc, observed_auc=observed_auc)
    rule = RuleRef("conditioning.busulfan_adjustment", SOURCE_BU, params.version)
    dose = current_dose * target_auc / observed_auc
    return AdjustedDose(
        "conditioning.busulfan.adjusted_dose", dose, current_dose, target_auc, observed_auc, rule
    )
