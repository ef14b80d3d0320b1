"""The treatment-stage state machine and its guards (DOMAIN.md 0, Appendix C)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.stages import (
    ACTIVE,
    TERMINAL,
    Stage,
    StageParams,
    SubjectFacts,
    TransitionRefused,
    advance,
    available,
    check_transition,
    successors,
)
from app.study.rules import RuleBook

EVERYTHING = SubjectFacts(
    consent_signed=True,
    eligibility="eligible",
    eligibility_signed=True,
    unit_selected=True,
    conditioning_started=True,
    infusion_recorded=True,
    infusion_verified=True,
    neutrophil_engraftment=True,
    platelet_engraftment=True,
    islet_decision="eligible",
    islet_decision_signed=True,
    islet_infusion_recorded=True,
    treatment_complete_signed=True,
    follow_up_visits_closed=True,
    end_of_study_signed=True,
)


@pytest.fixture
def params(rulebook: RuleBook) -> StageParams:
    return rulebook.params(StageParams, "stages")


def test_the_whole_islet_pathway(params: StageParams) -> None:
    path = [
        Stage.ENROLLED,
        Stage.UNIT_SELECTED,
        Stage.CONDITIONING,
        Stage.INFUSED,
        Stage.ENGRAFTMENT,
        Stage.ISLET_ELIGIBILITY,
        Stage.ISLET_TRANSPLANTED,
        Stage.FOLLOW_UP,
        Stage.COMPLETED,
    ]
    stage = Stage.SCREENING
    for target in path:
        stage = advance(stage, target, EVERYTHING, params)
    assert stage is Stage.COMPLETED and successors(stage) == ()


def test_pathway_without_islets(params: StageParams) -> None:
    facts = replace(EVERYTHING, islet_decision="not_eligible", islet_infusion_recorded=False)
    assert not check_transition(
        Stage.ISLET_ELIGIBILITY, Stage.ISLET_TRANSPLANTED, facts, params
    ).allowed
    stage = advance(Stage.ISLET_ELIGIBILITY, Stage.TREATMENT_COMPLETE, facts, params)
    assert advance(stage, Stage.FOLLOW_UP, facts, params) is Stage.FOLLOW_UP


@pytest.mark.parametrize(
    ("source", "target", "missing", "reasons"),
    [
        (
            Stage.SCREENING,
            Stage.ENROLLED,
            {"consent_signed": False},
            ("stages.needs.consent_signed",),
        ),
        (
            Stage.SCREENING,
            Stage.ENROLLED,
            {"eligibility": "incomplete", "eligibility_signed": False},
            ("stages.needs.eligible", "stages.needs.eligibility_signed"),
        ),
        (Stage.SCREENING, Stage.SCREEN_FAILURE, {}, ("stages.needs.not_eligible",)),
        (
            Stage.ENROLLED,
            Stage.UNIT_SELECTED,
            {"unit_selected": False},
            ("stages.needs.unit_selected",),
        ),
        (
            Stage.UNIT_SELECTED,
            Stage.CONDITIONING,
            {"conditioning_started": False},
            ("stages.needs.conditioning_started",),
        ),
        (
            Stage.CONDITIONING,
            Stage.INFUSED,
            {"infusion_verified": False},
            ("stages.needs.infusion_verified",),
        ),
        (
            Stage.CONDITIONING,
            Stage.INFUSED,
            {"infusion_recorded": False},
            ("stages.needs.infusion_recorded",),
        ),
        (
            Stage.INFUSED,
            Stage.ENGRAFTMENT,
            {"neutrophil_engraftment": False},
            ("stages.needs.neutrophil_engraftment",),
        ),
        (
            Stage.ENGRAFTMENT,
            Stage.ISLET_ELIGIBILITY,
            {"platelet_engraftment": False},
            ("stages.needs.platelet_engraftment",),
        ),
        (
            Stage.ISLET_ELIGIBILITY,
            Stage.ISLET_TRANSPLANTED,
            {"islet_decision_signed": False},
            ("stages.needs.islet_decision_signed",),
        ),
        (
            Stage.ISLET_ELIGIBILITY,
            Stage.TREATMENT_COMPLETE,
            {"treatment_complete_signed": False},
            ("stages.needs.treatment_complete_signed",),
        ),
        (
            Stage.ISLET_TRANSPLANTED,
            Stage.FOLLOW_UP,
            {"islet_infusion_recorded": False},
            ("stages.needs.islet_infusion_recorded",),
        ),
        (
            Stage.TREATMENT_COMPLETE,
            Stage.FOLLOW_UP,
            {"treatment_complete_signed": False},
            ("stages.needs.treatment_complete_signed",),
        ),
        (
            Stage.FOLLOW_UP,
            Stage.COMPLETED,
            {"follow_up_visits_closed": False},
            ("stages.needs.follow_up_visits_closed",),
        ),
        (Stage.FOLLOW_UP, Stage.WITHDRAWN, {}, ("stages.needs.withdrawal_recorded",)),
        (Stage.CONDITIONING, Stage.DIED, {}, ("stages.needs.death_recorded",)),
        (
            Stage.FOLLOW_UP,
            Stage.LOST_TO_FOLLOW_UP,
            {},
            ("stages.needs.lost_to_follow_up_recorded",),
        ),
    ],
)
def test_each_guard_names_what_is_missing(
    params: StageParams,
    source: Stage,
    target: Stage,
    missing: dict[str, object],
    reasons: tuple[str, ...],
) -> None:
    check = check_transition(source, target, replace(EVERYTHING, **missing), params)
    assert not check.allowed and check.code == "stages.transition.blocked"
    assert check.reasons == reasons
    assert check.rule.rule == f"stages.{source.value}->{target.value}"
    with pytest.raises(TransitionRefused) as refused:
        advance(source, target, replace(EVERYTHING, **missing), params)
    assert refused.value.check.reasons == reasons


def test_screen_failure_needs_a_signed_not_eligible_decision(params: StageParams) -> None:
    facts = SubjectFacts(eligibility="not_eligible", eligibility_signed=True)
    assert advance(Stage.SCREENING, Stage.SCREEN_FAILURE, facts, params) is Stage.SCREEN_FAILURE
    assert not check_transition(Stage.SCREENING, Stage.ENROLLED, facts, params).allowed


def test_configurable_guard_parts(params: StageParams) -> None:
    lenient = replace(
        params,
        enrolment_requires_consent=False,
        infusion_requires_two_person_check=False,
        islet_assessment_requires_platelet_engraftment=False,
        completion_requires_all_visits_closed=False,
    )
    facts = replace(
        EVERYTHING,
        consent_signed=False,
        infusion_verified=False,
        platelet_engraftment=False,
        follow_up_visits_closed=False,
    )
    for source, target in [
        (Stage.SCREENING, Stage.ENROLLED),
        (Stage.CONDITIONING, Stage.INFUSED),
        (Stage.ENGRAFTMENT, Stage.ISLET_ELIGIBILITY),
        (Stage.FOLLOW_UP, Stage.COMPLETED),
    ]:
        assert check_transition(source, target, facts, lenient).allowed
        assert not check_transition(source, target, facts, params).allowed


@pytest.mark.parametrize("stage", ACTIVE)
def test_every_active_stage_can_end_in_withdrawal_death_or_loss(
    params: StageParams, stage: Stage
) -> None:
    facts = SubjectFacts(
        withdrawal_recorded=True, death_recorded=True, lost_to_follow_up_recorded=True
    )
    for end in (Stage.WITHDRAWN, Stage.DIED, Stage.LOST_TO_FOLLOW_UP):
        assert advance(stage, end, facts, params) is end


@pytest.mark.parametrize("stage", sorted(TERMINAL))
def test_terminal_stages_have_no_way_out(params: StageParams, stage: Stage) -> None:
    assert successors(stage) == () and available(stage, EVERYTHING, params) == ()
    check = check_transition(stage, Stage.FOLLOW_UP, EVERYTHING, params)
    assert check.code == "stages.transition.undefined" and check.reasons == ("stages.undefined",)


def test_skipping_a_stage_is_undefined(params: StageParams) -> None:
    check = check_transition(Stage.ENROLLED, Stage.INFUSED, EVERYTHING, params)
    assert not check.allowed and check.code == "stages.transition.undefined"


def test_available_lists_every_successor_with_reasons(params: StageParams) -> None:
    checks = available(Stage.SCREENING, SubjectFacts(), params)
    targets = [c.target for c in checks]
    assert targets == [
        Stage.ENROLLED,
        Stage.SCREEN_FAILURE,
        Stage.WITHDRAWN,
        Stage.DIED,
        Stage.LOST_TO_FOLLOW_UP,
    ]
    assert not any(c.allowed for c in checks)


def test_stage_names_match_the_team_contract() -> None:
    assert [s.value for s in Stage] == [
        "screening", "screen_failure", "enrolled", "unit_selected", "conditioning", "infused",
        "engraftment", "islet_eligibility", "islet_transplanted", "treatment_complete", "follow_up",
        "completed", "withdrawn", "died", "lost_to_follow_up",
    ]  # fmt: skip
