"""Islet eligibility checklist (Appendix C), IEQ dose and product release criteria."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.islet import (
    EligibilityFacts,
    Evidence,
    IsletEligibilityParams,
    IsletReleaseParams,
    eligibility_checklist,
    ieq_from_counts,
    ieq_per_kg,
    product_release,
)
from app.study.rules import RuleBook


@pytest.fixture(scope="module")
def elig(rulebook: RuleBook) -> IsletEligibilityParams:
    return rulebook.params(IsletEligibilityParams, "islet")


@pytest.fixture(scope="module")
def release(rulebook: RuleBook) -> IsletReleaseParams:
    return rulebook.params(IsletReleaseParams, "islet")


READY = EligibilityFacts(
    neutrophil_engrafted=Evidence(True, "engraftment Day +19"),
    platelet_engrafted=Evidence(True, "engraftment Day +35"),
    donor_chimerism_pct=Evidence(98.0, "chimerism CD3 2027-06-01"),
    active_agvhd_grade=Evidence(0, "aGVHD assessment 2027-06-02"),
    cgvhd_severity=Evidence("none", "cGVHD assessment 2027-06-02"),
    active_infection=Evidence(False, "infection log"),
    systemic_steroids_stopped=Evidence(True, "CM log: prednisolone stopped 2027-05-01"),
    cd4_per_ul=Evidence(250.0, "immune panel 2027-06-01"),
    investigator_signoff=Evidence(True, "signature of Dr Investigator"),
)


def test_all_criteria_met_is_eligible(elig: IsletEligibilityParams) -> None:
    result = eligibility_checklist(READY, elig)
    assert result.code == "islet.eligibility.eligible"
    assert result.missing == () and result.failed == ()
    chimerism = next(c for c in result.criteria if c.name == "donor_chimerism")
    assert chimerism.value == 98.0 and chimerism.source == "chimerism CD3 2027-06-01"
    assert chimerism.code == "islet.eligibility.donor_chimerism.met" and chimerism.limit == 95
    assert result.rule.version == "MDV.SEQTX.1"


@pytest.mark.parametrize(
    ("field", "value", "criterion", "met"),
    [
        ("donor_chimerism_pct", 95.0, "donor_chimerism", False),
        ("donor_chimerism_pct", 95.1, "donor_chimerism", True),
        ("active_agvhd_grade", 1, "acute_gvhd", True),
        ("active_agvhd_grade", 2, "acute_gvhd", False),
        ("cgvhd_severity", "mild", "chronic_gvhd", True),
        ("cgvhd_severity", "moderate", "chronic_gvhd", False),
        ("cgvhd_severity", "severe", "chronic_gvhd", False),
        ("cd4_per_ul", 199.0, "cd4", False),
        ("cd4_per_ul", 200.0, "cd4", True),
        ("active_infection", True, "no_active_infection", False),
        ("systemic_steroids_stopped", False, "steroids_stopped", False),
        ("neutrophil_engrafted", False, "neutrophil_engrafted", False),
        ("platelet_engrafted", False, "platelet_engrafted", False),
        ("investigator_signoff", False, "investigator_signoff", False),
    ],
)
def test_each_criterion_at_its_boundary(
    elig: IsletEligibilityParams, field: str, value: object, criterion: str, met: bool
) -> None:
    facts = replace(READY, **{field: Evidence(value, "test source")})
    result = eligibility_checklist(facts, elig)
    decided = next(c for c in result.criteria if c.name == criterion)
    assert decided.met is met and decided.value == value and decided.source == "test source"
    expected = "islet.eligibility.eligible" if met else "islet.eligibility.not_eligible"
    assert result.code == expected
    assert (criterion in result.failed) is not met


def test_missing_value_makes_the_checklist_incomplete(elig: IsletEligibilityParams) -> None:
    result = eligibility_checklist(replace(READY, cd4_per_ul=None), elig)
    assert result.code == "islet.eligibility.incomplete" and result.missing == ("cd4",)
    cd4 = next(c for c in result.criteria if c.name == "cd4")
    assert cd4.met is None and cd4.code == "islet.eligibility.cd4.missing"


def test_a_failed_criterion_outranks_a_missing_one(elig: IsletEligibilityParams) -> None:
    facts = replace(READY, cd4_per_ul=None, active_infection=Evidence(True, "infection log"))
    result = eligibility_checklist(facts, elig)
    assert result.code == "islet.eligibility.not_eligible"
    assert result.failed == ("no_active_infection",) and result.missing == ("cd4",)


def test_nothing_recorded_is_incomplete(elig: IsletEligibilityParams) -> None:
    result = eligibility_checklist(EligibilityFacts(), elig)
    assert result.code == "islet.eligibility.incomplete" and len(result.missing) == 9


def test_ieq_from_diameter_class_counts(release: IsletReleaseParams) -> None:
    # 1,000 islets of 150-200 um and 2,000 of 100-150 um.
    assert ieq_from_counts({150: 1000, 100: 2000}, release) == pytest.approx(1685 + 1296)
    with pytest.raises(ValueError, match="diameter classes"):
        ieq_from_counts({125: 10}, release)
    with pytest.raises(ValueError, match=">= 0"):
        ieq_from_counts({150: -1}, release)


def test_ieq_per_kg() -> None:
    assert ieq_per_kg(150_000, 30) == 5000
    with pytest.raises(ValueError, match="IEQ"):
        ieq_per_kg(-1, 30)
    with pytest.raises(ValueError, match="weight"):
        ieq_per_kg(1000, 0)


def release_of(params: IsletReleaseParams, **changes: float) -> tuple[str, tuple[str, ...]]:
    values: dict[str, float] = {
        "total_ieq": 100_000,
        "weight_kg": 20,
        "viability_pct": 70,
        "endotoxin_eu_total": 100,
        "purity_pct": 30,
        "infusion_number": 1,
    }
    values.update(changes)
    result = product_release(
        values["total_ieq"],
        values["weight_kg"],
        values["viability_pct"],
        values["endotoxin_eu_total"],
        values["purity_pct"],
        int(values["infusion_number"]),
        params,
        tissue_volume_ml=values.get("tissue_volume_ml"),
    )
    return result.code, result.failed


def test_release_at_every_limit_passes(release: IsletReleaseParams) -> None:
    assert release_of(release) == ("islet.release.released", ())
    assert release_of(release, tissue_volume_ml=15) == ("islet.release.released", ())


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        ({"total_ieq": 99_980}, ("dose",)),  # 4,999 IEQ/kg on a first infusion
        ({"total_ieq": 80_000, "infusion_number": 2}, ()),  # 4,000 IEQ/kg later
        ({"total_ieq": 79_980, "infusion_number": 2}, ("dose",)),
        ({"viability_pct": 69.9}, ("viability",)),
        ({"endotoxin_eu_total": 101}, ("endotoxin",)),  # 5.05 EU/kg
        ({"purity_pct": 29.9}, ("purity",)),
        ({"tissue_volume_ml": 15.1}, ("tissue_volume",)),
    ],
)
def test_release_just_past_each_limit(
    release: IsletReleaseParams, changes: dict[str, float], failed: tuple[str, ...]
) -> None:
    code, names = release_of(release, **changes)
    assert names == failed
    assert code == ("islet.release.rejected" if failed else "islet.release.released")


def test_release_reports_dose_and_values(release: IsletReleaseParams) -> None:
    result = product_release(150_000, 30, 85, 60, 50, 1, release)
    assert result.ieq_per_kg == 5000 and result.rule.rule == "islet.release"
    endotoxin = next(c for c in result.checks if c.name == "endotoxin")
    assert endotoxin.value == 2 and endotoxin.limit == 5 and endotoxin.met
    with pytest.raises(ValueError, match="infusion_number"):
        product_release(150_000, 30, 85, 60, 50, 0, release)
