"""The part-B rule files: every parameter is read by a rule, sourced, and [U] values are flagged."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain.cgvhd import ChronicGvhdParams
from app.domain.chimerism import ChimerismParams
from app.domain.engraftment import EngraftmentParams
from app.domain.growth import GrowthParams
from app.domain.gvhd import AcuteGvhdParams
from app.domain.infections import InfectionParams
from app.domain.islet import IsletEligibilityParams, IsletReleaseParams
from app.domain.islet_outcome import IsletOutcomeParams
from app.domain.mmtt import MmttParams
from app.study.rules import RuleBook

READERS: dict[str, tuple[type, ...]] = {
    "engraftment": (EngraftmentParams, ChimerismParams),
    "gvhd": (AcuteGvhdParams, ChronicGvhdParams),
    "infections": (InfectionParams,),
    "islet": (IsletEligibilityParams, IsletReleaseParams, IsletOutcomeParams, MmttParams),
    "growth": (GrowthParams,),
}


@pytest.mark.parametrize("module", sorted(READERS))
def test_every_parameter_is_read_by_a_rule(rulebook: RuleBook, module: str) -> None:
    read = {f.name for cls in READERS[module] for f in dataclasses.fields(cls)} - {"version"}
    assert set(rulebook.module(module)) == read
    for cls in READERS[module]:
        assert rulebook.params(cls, module).version == "MDV.SEQTX.1"


@pytest.mark.parametrize("module", sorted(READERS))
def test_every_parameter_names_its_source(rulebook: RuleBook, module: str) -> None:
    for param in rulebook.module(module).values():
        assert "DOMAIN.md" in param.source or "SeqTx" in param.source, param.name


def test_unverified_values_are_listed_for_confirmation(rulebook: RuleBook) -> None:
    flagged = {(p.module, p.name) for p in rulebook.to_confirm()}
    for expected in [
        ("engraftment", "early_warning_day"),
        ("engraftment", "chimerism_rejection_below_pct"),
        ("engraftment", "secondary_anc_consecutive_days"),
        ("gvhd", "overall_grade_rules"),
        ("gvhd", "cgvhd_lung_fev1_scores"),
        ("infections", "grade_table_viral"),
        ("infections", "recurrence_interval_days"),
        ("islet", "eligibility_min_cd4_per_ul"),
        ("islet", "beta2_scale"),
    ]:
        assert expected in flagged
    for verified in [
        ("engraftment", "anc_min_e9_per_l"),
        ("engraftment", "primary_failure_day"),
        ("gvhd", "liver_bilirubin_stages_mg_dl"),
        ("islet", "release_first_min_ieq_per_kg"),
    ]:
        assert verified not in flagged
