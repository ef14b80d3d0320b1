"""Cord blood unit cell doses, post-thaw checks and the single- versus double-unit suggestion.

Sources: DOMAIN.md 1.2 and Appendix C. ASH-SAP/Eurocord UCB selection table: non-malignant disease
needs pre-freeze TNC >5.0 x10^7/kg, and a double unit only when no single unit reaches it [V];
NetCord-FACT post-thaw release: viable CD34+ >70% (FACT news 2018) [V]; Politikos 2020: CD34/TNC
ratio as a unit-quality indicator [P]. Thresholds come from resources/study/rules/cordblood.yaml.
HLA matching is in app.domain.hla, the DIN in app.domain.isbt128.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from app.domain.result import RuleRef

SOURCE_DOSE = "ASH-SAP/Eurocord UCB selection table (non-malignant disease); DOMAIN.md 1.2"
SOURCE_POSTTHAW = "NetCord-FACT post-thaw release criteria, FACT news 2018; DOMAIN.md 1.2"
SOURCE_RATIO = "Politikos et al., BBMT 2020;26(12):2190-6; DOMAIN.md 1.2"

# Reporting units of cell doses (DOMAIN.md 1.2): TNC x10^7/kg, CD34+ x10^5/kg.
TNC_SCALE = 1e7
CD34_SCALE = 1e5


@dataclass(frozen=True)
class CordBloodParams:
    version: str
    tnc_min_e7_per_kg: float
    double_unit_min_each_tnc_e7_per_kg: float
    postthaw_cd34_viability_min_percent: float


def _require_positive(**values: float) -> None:
    for name, value in values.items():
        if not value > 0:
            raise ValueError(f"{name} must be > 0")


@dataclass(frozen=True)
class CellDose:
    code: str  # "cordblood.dose.adequate" | "cordblood.dose.low"
    tnc_e7_per_kg: float
    cd34_e5_per_kg: float | None
    tnc_min_e7_per_kg: float
    weight_kg: float
    rule: RuleRef


def cell_dose(
    tnc_cells: float, cd34_cells: float | None, weight_kg: float, params: CordBloodParams
) -> CellDose:
    """Pre-freeze TNC (x10^7/kg) and CD34+ (x10^5/kg) dose; adequate when TNC > the minimum."""
    _require_positive(weight_kg=weight_kg)
    tnc = tnc_cells / weight_kg / TNC_SCALE
    cd34 = None if cd34_cells is None else cd34_cells / weight_kg / CD34_SCALE
    adequate = tnc > params.tnc_min_e7_per_kg
    code = "cordblood.dose.adequate" if adequate else "cordblood.dose.low"
    rule = RuleRef("cordblood.tnc_dose", SOURCE_DOSE, params.version)
    return CellDose(code, tnc, cd34, params.tnc_min_e7_per_kg, weight_kg, rule)


@dataclass(frozen=True)
class ViabilityCheck:
    code: str  # "cordblood.viability.ok" | "cordblood.viability.low" (needs exceptional release)
    viability_percent: float
    min_percent: float
    rule: RuleRef


def postthaw_viability(viable_cd34_percent: float, params: CordBloodParams) -> ViabilityCheck:
    """Post-thaw viable CD34+ must exceed the NetCord-FACT minimum (strictly greater)."""
    if not 0 <= viable_cd34_percent <= 100:
        raise ValueError("viability must be a percentage from 0 to 100")
    ok = viable_cd34_percent > params.postthaw_cd34_viability_min_percent
    code = "cordblood.viability.ok" if ok else "cordblood.viability.low"
    rule = RuleRef("cordblood.postthaw_viability", SOURCE_POSTTHAW, params.version)
    return ViabilityCheck(
        code, viable_cd34_percent, params.postthaw_cd34_viability_min_percent, rule
    )


@dataclass(frozen=True)
class Ratio:
    code: str  # "cordblood.cd34_tnc_ratio"
    ratio_percent: float
    rule: RuleRef


def cd34_tnc_ratio(cd34_cells: float, tnc_cells: float, params: CordBloodParams) -> Ratio:
    """CD34+ as a percentage of TNC, a unit-quality indicator (no threshold is defined)."""
    _require_positive(tnc_cells=tnc_cells)
    rule = RuleRef("cordblood.cd34_tnc_ratio", SOURCE_RATIO, params.version)
    return Ratio("cordblood.cd34_tnc_ratio", cd34_cells / tnc_cells * 100, rule)


@dataclass(frozen=True)
class Recovery:
    code: str  # "cordblood.tnc_recovery"
    recovery_percent: float
    rule: RuleRef


def tnc_recovery(postthaw_tnc_cells: float, prefreeze_tnc_cells: float, version: str) -> Recovery:
    """TNC recovery % = post-thaw TNC / pre-freeze TNC x 100 (DOMAIN.md 1.2)."""
    _require_positive(prefreeze_tnc_cells=prefreeze_tnc_cells)
    rule = RuleRef("cordblood.tnc_recovery", SOURCE_DOSE, version)
    return Recovery("cordblood.tnc_recovery", postthaw_tnc_cells / prefreeze_tnc_cells * 100, rule)


@dataclass(frozen=True)
class CandidateUnit:
    unit_id: str  # DIN or bank unit number, never PHI
    tnc_cells: float  # pre-freeze total nucleated cells


@dataclass(frozen=True)
class UnitSuggestion:
    code: str  # "cordblood.single_unit" | "cordblood.consider_double_unit" | "cordblood.no_adequate_unit"
    unit_ids: tuple[str, ...]  # single: qualifying units by dose; double: the best pair
    tnc_e7_per_kg: tuple[float, ...]
    rule: RuleRef


def suggest_units(
    units: Sequence[CandidateUnit], weight_kg: float, params: CordBloodParams
) -> UnitSuggestion:
    """Single units reaching the TNC minimum (highest dose first); else the double unit with the
    highest combined dose whose units each reach the per-unit minimum (ASH-SAP: double only when no
    single unit meets the dose). HLA ranking is the caller's, from app.domain.hla."""
    _require_positive(weight_kg=weight_kg)
    rule = RuleRef("cordblood.unit_count", SOURCE_DOSE, params.version)
    doses = sorted(
        ((u.unit_id, u.tnc_cells / weight_kg / TNC_SCALE) for u in units),
        key=lambda d: d[1],
        reverse=True,
    )
    single = [d for d in doses if d[1] > params.tnc_min_e7_per_kg]
    if single:
        ids, values = zip(*single, strict=True)
        return UnitSuggestion("cordblood.single_unit", ids, values, rule)
    each = [d for d in doses if d[1] >= params.double_unit_min_each_tnc_e7_per_kg]
    pairs = sorted(combinations(each, 2), key=lambda p: p[0][1] + p[1][1], reverse=True)
    if pairs and pairs[0][0][1] + pairs[0][1][1] > params.tnc_min_e7_per_kg:
        (a, da), (b, db) = pairs[0]
        return UnitSuggestion("cordblood.consider_double_unit", (a, b), (da, db), rule)
    return UnitSuggestion("cordblood.no_adequate_unit", (), (), rule)
