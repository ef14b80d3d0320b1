"""Islet graft outcome: beta-score (Ryan 2005), BETA-2 (Forbes 2016) and the Igls 2018 classes.

Sources: Ryan et al., Diabetes Care 2005;28:343 Table 1; Forbes et al., Am J Transplant
2016;16:2704 (equation from memory, to confirm); Rickels et al., Transplantation 2018;102:1479 and
Transpl Int 2018;31:343 Table 3; DOMAIN.md 6.3. Thresholds: resources/study/rules/islet.yaml.
Units: glucose mmol/L, HbA1c % (NGSP), insulin U/kg/day, C-peptide nmol/L.

Beta-score boundaries for values between the printed bands: FPG 5.5 < x < 7.0 and HbA1c
6.1 < x < 7.0 score 1; insulin > 0 and < 0.25 U/kg (or any oral agent) scores 1. Special rules:
fasting C-peptide >= 0.3 nmol/L counts as stimulated >= 0.3 (2 points, applied first); stimulated
C-peptide < 0.1 nmol/L makes the whole score 0.

Igls: C-peptide must exceed both baseline and 0.17 nmol/L or the graft is a failure; a zero
severe-hypoglycaemia baseline cannot improve, so such a graft is at best good or else a failure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.result import RuleRef

SOURCE_BETA = "Ryan et al., Diabetes Care 2005;28:343 Table 1; DOMAIN.md 6.3"
SOURCE_BETA2 = "Forbes et al., Am J Transplant 2016;16:2704 (equation to confirm); DOMAIN.md 6.3"
SOURCE_IGLS = "Rickels et al., Transplantation 2018;102:1479 Table 3 (Igls); DOMAIN.md 6.3"


@dataclass(frozen=True)
class IsletOutcomeParams:
    version: str
    beta_fpg_2pt_max_mmol_l: float
    beta_fpg_0pt_min_mmol_l: float
    beta_hba1c_2pt_max_pct: float
    beta_hba1c_0pt_min_pct: float
    beta_insulin_0pt_min_u_kg: float
    beta_cpep_2pt_min_nmol_l: float
    beta_cpep_1pt_min_nmol_l: float
    beta2_scale: float
    beta2_ngt_likely_min: float
    beta2_insulin_independence_min: float
    igls_optimal_hba1c_max_pct: float
    igls_good_hba1c_below_pct: float
    igls_good_insulin_fraction_below: float
    igls_good_insulin_u_kg_below: float
    igls_cpeptide_above_nmol_l: float


@dataclass(frozen=True)
class BetaScore:
    code: str  # "islet.beta_score" or "islet.beta_score.zero_cpeptide"
    score: int
    points: Mapping[str, int]  # fpg, hba1c, insulin, cpeptide
    special_rule: (
        str | None
    )  # "fasting_cpeptide_implies_stimulated" | "stimulated_cpeptide_below_min"
    rule: RuleRef


@dataclass(frozen=True)
class Beta2:
    code: str  # "islet.beta2.ngt_likely" | ".insulin_independence_likely" | ".insulin_needed"
    value: float
    rule: RuleRef


@dataclass(frozen=True)
class Glycaemia:
    """One assessment (baseline before transplant, or follow-up)."""

    hba1c_pct: float
    severe_hypo_per_year: float
    insulin_u_kg_day: float
    cpeptide_nmol_l: float  # fasting or stimulated, whichever is reported for Igls


@dataclass(frozen=True)
class IglsResult:
    code: str  # "islet.igls.optimal" | ".good" | ".marginal" | ".failure"
    category: str
    treatment_success: bool
    values: Mapping[str, float | bool]
    rule: RuleRef


def beta_score(
    fpg_mmol_l: float,
    hba1c_pct: float,
    insulin_u_kg_day: float,
    on_oral_agent: bool,
    params: IsletOutcomeParams,
    stimulated_cpeptide_nmol_l: float | None = None,
    fasting_cpeptide_nmol_l: float | None = None,
) -> BetaScore:
    """Original beta-score 0-8 (Ryan 2005), with both special C-peptide rules."""
    p = params
    if min(fpg_mmol_l, hba1c_pct, insulin_u_kg_day) < 0:
        raise ValueError("glucose, HbA1c and insulin must be >= 0")
    rule = RuleRef("islet.beta_score", SOURCE_BETA, p.version)
    special = None
    if (
        fasting_cpeptide_nmol_l is not None
        and fasting_cpeptide_nmol_l >= p.beta_cpep_2pt_min_nmol_l
    ):
        cpep_points, special = 2, "fasting_cpeptide_implies_stimulated"
    elif stimulated_cpeptide_nmol_l is None:
        raise ValueError("stimulated C-peptide is needed unless fasting C-peptide is >= 0.3 nmol/L")
    elif stimulated_cpeptide_nmol_l < p.beta_cpep_1pt_min_nmol_l:
        points = {"fpg": 0, "hba1c": 0, "insulin": 0, "cpeptide": 0}
        return BetaScore(
            "islet.beta_score.zero_cpeptide", 0, points, "stimulated_cpeptide_below_min", rule
        )
    else:
        cpep_points = 2 if stimulated_cpeptide_nmol_l >= p.beta_cpep_2pt_min_nmol_l else 1
    points = {
        "fpg": _band(fpg_mmol_l, p.beta_fpg_2pt_max_mmol_l, p.beta_fpg_0pt_min_mmol_l),
        "hba1c": _band(hba1c_pct, p.beta_hba1c_2pt_max_pct, p.beta_hba1c_0pt_min_pct),
        "insulin": _insulin_points(insulin_u_kg_day, on_oral_agent, p),
        "cpeptide": cpep_points,
    }
    return BetaScore("islet.beta_score", sum(points.values()), points, special, rule)


def _band(value: float, two_max: float, zero_min: float) -> int:
    if value <= two_max:
        return 2
    return 0 if value >= zero_min else 1


def _insulin_points(insulin: float, oral_agent: bool, p: IsletOutcomeParams) -> int:
    if insulin >= p.beta_insulin_0pt_min_u_kg:
        return 0
    return 1 if insulin > 0 or oral_agent else 2


def beta2(
    fasting_cpeptide_nmol_l: float,
    insulin_u_kg_day: float,
    fpg_mmol_l: float,
    hba1c_pct: float,
    params: IsletOutcomeParams,
) -> Beta2:
    """BETA-2 = sqrt(C-pep x (1 - insulin)) / (FPG x HbA1c) x scale; 0 when insulin >= 1 U/kg/day."""
    if fasting_cpeptide_nmol_l < 0 or insulin_u_kg_day < 0:
        raise ValueError("C-peptide and insulin must be >= 0")
    if not (fpg_mmol_l > 0 and hba1c_pct > 0):
        raise ValueError("fasting glucose and HbA1c must be > 0")
    product = max(0.0, fasting_cpeptide_nmol_l * (1 - insulin_u_kg_day))
    value = math.sqrt(product) / (fpg_mmol_l * hba1c_pct) * params.beta2_scale
    if value >= params.beta2_ngt_likely_min:
        code = "islet.beta2.ngt_likely"
    elif value >= params.beta2_insulin_independence_min:
        code = "islet.beta2.insulin_independence_likely"
    else:
        code = "islet.beta2.insulin_needed"
    return Beta2(code, value, RuleRef("islet.beta2", SOURCE_BETA2, params.version))


def igls(baseline: Glycaemia, follow_up: Glycaemia, params: IsletOutcomeParams) -> IglsResult:
    """Igls 2018 beta-cell graft function (optimal, good, marginal, failure) and treatment success."""
    p, b, f = params, baseline, follow_up
    cpeptide_ok = (
        f.cpeptide_nmol_l > b.cpeptide_nmol_l and f.cpeptide_nmol_l > p.igls_cpeptide_above_nmol_l
    )
    no_severe_hypo = f.severe_hypo_per_year == 0
    if f.insulin_u_kg_day == 0:
        insulin_fraction = 0.0
    elif b.insulin_u_kg_day > 0:
        insulin_fraction = f.insulin_u_kg_day / b.insulin_u_kg_day
    else:
        insulin_fraction = math.inf
    if not cpeptide_ok:
        category = "failure"
    elif f.hba1c_pct <= p.igls_optimal_hba1c_max_pct and no_severe_hypo and f.insulin_u_kg_day == 0:
        category = "optimal"
    elif (
        f.hba1c_pct < p.igls_good_hba1c_below_pct
        and no_severe_hypo
        and insulin_fraction < p.igls_good_insulin_fraction_below
        and f.insulin_u_kg_day < p.igls_good_insulin_u_kg_below
    ):
        category = "good"
    elif f.severe_hypo_per_year < b.severe_hypo_per_year:
        category = "marginal"
    else:
        category = "failure"
    values: dict[str, float | bool] = {
        "hba1c_pct": f.hba1c_pct,
        "baseline_hba1c_pct": b.hba1c_pct,
        "severe_hypo_per_year": f.severe_hypo_per_year,
        "baseline_severe_hypo_per_year": b.severe_hypo_per_year,
        "insulin_u_kg_day": f.insulin_u_kg_day,
        "insulin_fraction_of_baseline": insulin_fraction,
        "cpeptide_nmol_l": f.cpeptide_nmol_l,
        "baseline_cpeptide_nmol_l": b.cpeptide_nmol_l,
        "cpeptide_ok": cpeptide_ok,
    }
    rule = RuleRef("islet.igls", SOURCE_IGLS, p.version)
    success = category in ("optimal", "good")
    return IglsResult(f"islet.igls.{category}", category, success, values, rule)
