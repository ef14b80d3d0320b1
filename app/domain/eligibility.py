"""Eligibility of a screened child for NCT03835312: each criterion, then the overall decision.

Source: DOMAIN.md 0, from the registry record (seed/NCT03835312-record.txt): three inclusion
criteria (all required; criterion 2 = one or more of 11 extrapancreatic organ-damage items,
recurring after regular clinical treatment), six exclusion criteria (any excludes), age up to
18 years. The age limit is in resources/study/rules/eligibility.yaml; "up to 18 years" is read as
age in completed years <= 18 on the assessment date.

Answers are tri-state: True, False, or None (not yet answered). The overall result is
"not_eligible" as soon as any answered criterion excludes the child (still listing what is
missing), "incomplete" when nothing excludes but something is unanswered, else "eligible".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from app.domain.result import RuleRef

SOURCE = "NCT03835312 registry record, eligibility criteria; DOMAIN.md 0"

INCLUSION = ("inc1_t1dm", "inc2_organ_damage", "inc3_pathogenic_variant")
ORGAN_DAMAGE_ITEMS = (
    "inflammatory_bowel_disease",
    "impaired_renal_function",
    "repeated_infection",
    "immune_hepatitis",
    "chronic_iridocyclitis",
    "immune_adrenalitis",
    "hypophysitis",
    "rheumatoid_disease",
    "immune_vasculitis",
    "systemic_lupus_erythematosus",
    "other_organ_not_thyroid",
)
EXCLUSION = (
    "exc1_effective_treatment_available",
    "exc2_hiv_hbv_hcv_positive",
    "exc3_active_infection",
    "exc4_active_malignancy",
    "exc5_other_fatal_disease",
    "exc6_mental_disorder",
)


@dataclass(frozen=True)
class EligibilityParams:
    version: str
    age_max_years: int


@dataclass(frozen=True)
class EligibilityAnswers:
    """What the screening form recorded; None = not answered."""

    date_of_birth: date | None = None
    t1dm_confirmed: bool | None = None  # inclusion 1: T1DM criteria with genetic immunodeficiency
    organ_damage: Mapping[str, bool | None] = field(default_factory=dict)  # ORGAN_DAMAGE_ITEMS
    organ_damage_recurring: bool | None = None  # inclusion 2: recurs after regular treatment
    pathogenic_variant_confirmed: bool | None = None  # inclusion 3
    exclusions: Mapping[str, bool | None] = field(default_factory=dict)  # EXCLUSION: True = present


@dataclass(frozen=True)
class CriterionResult:
    criterion: str  # e.g. "inc2_organ_damage", "exc3_active_infection", "age"
    code: str  # "eligibility.criterion.met" | ".not_met" | ".missing" | ".invalid"
    status: str  # "met" | "not_met" | "missing" | "invalid"
    missing: tuple[str, ...]  # the answers still needed
    values: Mapping[str, object]
    rule: RuleRef


@dataclass(frozen=True)
class EligibilityResult:
    code: str  # "eligibility.eligible" | "eligibility.not_eligible" | "eligibility.incomplete"
    status: str  # "eligible" | "not_eligible" | "incomplete"
    criteria: tuple[CriterionResult, ...]
    failed: tuple[str, ...]  # criteria that exclude the child
    missing: tuple[str, ...]  # answers still needed
    rule: RuleRef


def age_in_years(date_of_birth: date, on: date) -> int:
    """Completed years on `on` (a 29 February birthday is reached on 1 March in common years)."""
    years = on.year - date_of_birth.year
    return years - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def _criterion(
    name: str, status: str, rule: RuleRef, missing: tuple[str, ...] = (), **values: object
) -> CriterionResult:
    return CriterionResult(name, f"eligibility.criterion.{status}", status, missing, values, rule)


def _yes_no(name: str, answer: bool | None, rule: RuleRef) -> CriterionResult:
    if answer is None:
        return _criterion(name, "missing", rule, (name,))
    return _criterion(name, "met" if answer else "not_met", rule, answer=answer)


def _organ_damage(answers: EligibilityAnswers, rule: RuleRef) -> CriterionResult:
    name = INCLUSION[1]
    items = {item: answers.organ_damage.get(item) for item in ORGAN_DAMAGE_ITEMS}
    present = tuple(item for item, v in items.items() if v)
    unanswered = tuple(f"{name}.{item}" for item, v in items.items() if v is None)
    if not present:
        if unanswered:
            return _criterion(name, "missing", rule, unanswered, present=present)
        return _criterion(name, "not_met", rule, present=present)
    recurring = answers.organ_damage_recurring
    if recurring is None:
        return _criterion(name, "missing", rule, (f"{name}.recurring",), present=present)
    status = "met" if recurring else "not_met"
    return _criterion(name, status, rule, present=present, recurring=recurring)


def _exclusion(name: str, present: bool | None, rule: RuleRef) -> CriterionResult:
    if present is None:
        return _criterion(name, "missing", rule, (name,))
    # An exclusion criterion is "met" (the child may proceed) when the condition is absent.
    return _criterion(name, "not_met" if present else "met", rule, present=present)


def _age(dob: date | None, on: date, params: EligibilityParams, rule: RuleRef) -> CriterionResult:
    if dob is None:
        return _criterion("age", "missing", rule, ("date_of_birth",))
    if dob > on:
        return _criterion("age", "invalid", rule, ("date_of_birth",))
    age = age_in_years(dob, on)
    status = "met" if age <= params.age_max_years else "not_met"
    return _criterion("age", status, rule, age_years=age, age_max_years=params.age_max_years)


def evaluate(answers: EligibilityAnswers, on: date, params: EligibilityParams) -> EligibilityResult:
    """Every criterion and the overall decision on the assessment date `on` (the caller's clock)."""
    rule = RuleRef("eligibility.nct03835312", SOURCE, params.version)
    criteria = (
        _yes_no(INCLUSION[0], answers.t1dm_confirmed, rule),
        _organ_damage(answers, rule),
        _yes_no(INCLUSION[2], answers.pathogenic_variant_confirmed, rule),
        *(_exclusion(name, answers.exclusions.get(name), rule) for name in EXCLUSION),
        _age(answers.date_of_birth, on, params, rule),
    )
    failed = tuple(c.criterion for c in criteria if c.status == "not_met")
    missing = tuple(m for c in criteria if c.status in ("missing", "invalid") for m in c.missing)
    status = "not_eligible" if failed else "incomplete" if missing else "eligible"
    return EligibilityResult(f"eligibility.{status}", status, criteria, failed, missing, rule)
