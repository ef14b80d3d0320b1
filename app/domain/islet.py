"""Islet transplantation: the recipient eligibility checklist, IEQ dose and product release.

Sources: DOMAIN.md 6.1 and Appendix C (operational "stable immune reconstitution" defaults, all to
confirm); Ricordi et al., Diabetes 2016;65:3418 Table 3 (NIH CIT certificate of analysis) and Hindawi
Adv Med 2014:429710 Table 2 (purity); DOMAIN.md 6.2. Thresholds: resources/study/rules/islet.yaml.

Every checklist criterion reports the value that decided it and where that value came from (the
caller passes a source label, e.g. "FBC 2027-03-02" or "chimerism CD15 2027-02-20"). A missing
value makes the criterion, and the checklist, incomplete rather than failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.domain.result import RuleRef

SOURCE_ELIGIBILITY = "DOMAIN.md 6.1 and Appendix C (stable immune reconstitution; to confirm)"
SOURCE_RELEASE = (
    "Ricordi et al., Diabetes 2016;65:3418 Table 3; Hindawi Adv Med 2014 Table 2; DOMAIN.md 6.2"
)

T = TypeVar("T")


@dataclass(frozen=True)
class Evidence(Generic[T]):
    """A value and where it came from (form, date, lab), shown beside the decision."""

    value: T
    source: str


@dataclass(frozen=True)
class EligibilityFacts:
    neutrophil_engrafted: Evidence[bool] | None = None
    platelet_engrafted: Evidence[bool] | None = None
    donor_chimerism_pct: Evidence[float] | None = None  # the latest measurement
    active_agvhd_grade: Evidence[int] | None = None  # 0 when no active acute GVHD
    cgvhd_severity: Evidence[str] | None = None  # none | mild | moderate | severe
    active_infection: Evidence[bool] | None = None
    systemic_steroids_stopped: Evidence[bool] | None = None
    cd4_per_ul: Evidence[float] | None = None
    investigator_signoff: Evidence[bool] | None = None


@dataclass(frozen=True)
class IsletEligibilityParams:
    version: str
    eligibility_min_donor_chimerism_pct: float
    eligibility_max_active_agvhd_grade: int
    eligibility_allowed_cgvhd_severities: tuple[str, ...]
    eligibility_min_cd4_per_ul: float


@dataclass(frozen=True)
class Criterion:
    code: str  # "islet.eligibility.<name>.met" | ".not_met" | ".missing"
    name: str
    met: bool | None  # None when the value is missing
    value: object
    source: str | None
    limit: object
    rule: RuleRef


@dataclass(frozen=True)
class Checklist:
    code: str  # "islet.eligibility.eligible" | ".not_eligible" | ".incomplete"
    criteria: tuple[Criterion, ...]
    missing: tuple[str, ...]
    failed: tuple[str, ...]
    rule: RuleRef


def _criterion(
    name: str,
    evidence: Evidence[T] | None,
    predicate: Callable[[T], bool],
    limit: object,
    rule: RuleRef,
) -> Criterion:
    if evidence is None:
        return Criterion(f"islet.eligibility.{name}.missing", name, None, None, None, limit, rule)
    met = predicate(evidence.value)
    state = "met" if met else "not_met"
    return Criterion(
        f"islet.eligibility.{name}.{state}", name, met, evidence.value, evidence.source, limit, rule
    )


def _is_true(value: bool) -> bool:
    return value is True


def eligibility_checklist(facts: EligibilityFacts, params: IsletEligibilityParams) -> Checklist:
    """Each Appendix C criterion with its deciding value and source; eligible only if all are met."""
    rule = RuleRef("islet.eligibility", SOURCE_ELIGIBILITY, params.version)
    p, f = params, facts
    chimerism = p.eligibility_min_donor_chimerism_pct
    agvhd = p.eligibility_max_active_agvhd_grade
    cgvhd = p.eligibility_allowed_cgvhd_severities
    cd4 = p.eligibility_min_cd4_per_ul
    criteria = (
        _criterion("neutrophil_engrafted", f.neutrophil_engrafted, _is_true, True, rule),
        _criterion("platelet_engrafted", f.platelet_engrafted, _is_true, True, rule),
        _criterion(
            "donor_chimerism", f.donor_chimerism_pct, lambda v: v > chimerism, chimerism, rule
        ),
        _criterion("acute_gvhd", f.active_agvhd_grade, lambda v: v <= agvhd, agvhd, rule),
        _criterion("chronic_gvhd", f.cgvhd_severity, lambda v: v in cgvhd, cgvhd, rule),
        _criterion("no_active_infection", f.active_infection, lambda v: v is False, False, rule),
        _criterion("steroids_stopped", f.systemic_steroids_stopped, _is_true, True, rule),
        _criterion("cd4", f.cd4_per_ul, lambda v: v >= cd4, cd4, rule),
        _criterion("investigator_signoff", f.investigator_signoff, _is_true, True, rule),
    )
    missing = tuple(c.name for c in criteria if c.met is None)
    failed = tuple(c.name for c in criteria if c.met is False)
    if failed:
        code = "islet.eligibility.not_eligible"
    elif missing:
        code = "islet.eligibility.incomplete"
    else:
        code = "islet.eligibility.eligible"
    return Checklist(code, criteria, missing, failed, rule)


@dataclass(frozen=True)
class IsletReleaseParams:
    version: str
    ieq_factor_by_diameter_class_um: Mapping[int, float]
    release_first_min_ieq_per_kg: float
    release_later_min_ieq_per_kg: float
    release_min_viability_pct: float
    release_max_endotoxin_eu_per_kg: float
    release_min_purity_pct: float
    release_max_tissue_volume_ml: float


@dataclass(frozen=True)
class ReleaseCheck:
    code: str  # "islet.release.<name>.met" | ".not_met"
    name: str
    met: bool
    value: float
    limit: float


@dataclass(frozen=True)
class ReleaseResult:
    code: str  # "islet.release.released" | "islet.release.rejected"
    ieq_per_kg: float
    checks: tuple[ReleaseCheck, ...]
    failed: tuple[str, ...]
    rule: RuleRef


def ieq_from_counts(counts: Mapping[int, int], params: IsletReleaseParams) -> float:
    """Islet equivalents from DTZ counts per diameter class (class lower bound in um -> count)."""
    factors = params.ieq_factor_by_diameter_class_um
    unknown = sorted(set(counts) - set(factors))
    if unknown:
        raise ValueError(f"unknown islet diameter classes {unknown}; expected {sorted(factors)}")
    if any(n < 0 for n in counts.values()):
        raise ValueError("islet counts must be >= 0")
    return sum(n * factors[d] for d, n in counts.items())


def ieq_per_kg(total_ieq: float, weight_kg: float) -> float:
    """Islet dose: total islet equivalents / recipient weight (DOMAIN.md 6.2)."""
    if total_ieq < 0:
        raise ValueError("total IEQ must be >= 0")
    if not weight_kg > 0:
        raise ValueError("weight_kg must be > 0")
    return total_ieq / weight_kg


def _check(name: str, met: bool, value: float, limit: float) -> ReleaseCheck:
    return ReleaseCheck(
        f"islet.release.{name}.{'met' if met else 'not_met'}", name, met, value, limit
    )


def product_release(
    total_ieq: float,
    weight_kg: float,
    viability_pct: float,
    endotoxin_eu_total: float,
    purity_pct: float,
    infusion_number: int,
    params: IsletReleaseParams,
    tissue_volume_ml: float | None = None,
) -> ReleaseResult:
    """Release criteria: dose (first vs later infusion), viability, endotoxin per kg, purity, volume."""
    if infusion_number < 1:
        raise ValueError("infusion_number starts at 1")
    p = params
    dose = ieq_per_kg(total_ieq, weight_kg)
    min_dose = (
        p.release_first_min_ieq_per_kg if infusion_number == 1 else p.release_later_min_ieq_per_kg
    )
    endotoxin = endotoxin_eu_total / weight_kg
    checks = [
        _check("dose", dose >= min_dose, dose, min_dose),
        _check(
            "viability",
            viability_pct >= p.release_min_viability_pct,
            viability_pct,
            p.release_min_viability_pct,
        ),
        _check(
            "endotoxin",
            endotoxin <= p.release_max_endotoxin_eu_per_kg,
            endotoxin,
            p.release_max_endotoxin_eu_per_kg,
        ),
        _check(
            "purity", purity_pct >= p.release_min_purity_pct, purity_pct, p.release_min_purity_pct
        ),
    ]
    if tissue_volume_ml is not None:
        limit = p.release_max_tissue_volume_ml
        checks.append(_check("tissue_volume", tissue_volume_ml <= limit, tissue_volume_ml, limit))
    failed = tuple(c.name for c in checks if not c.met)
    code = "islet.release.rejected" if failed else "islet.release.released"
    rule = RuleRef("islet.release", SOURCE_RELEASE, p.version)
    return ReleaseResult(code, dose, tuple(checks), failed, rule)
