"""The treatment-stage state machine of one subject: stages, allowed transitions and their guards.

Sources: DOMAIN.md 0 (the sequence: screening, cord blood unit matched, conditioning under protective
isolation, infusion, engraftment, islet transplantation for those who meet the conditions,
follow-up), DOMAIN.md 2.5 (two-person verification), Appendix C (islet eligibility needs neutrophil
and platelet engraftment; follow-up anchor). Configurable guard parts are in
resources/study/rules/stages.yaml.

A pure state machine (as in Electrum's wizard: a declarative table of states, each with its next
states and an "accept" predicate): the table maps each stage to its successors, each guarded by a
function of plain `SubjectFacts` that returns the reason codes the move is not yet allowed (empty =
allowed). Nothing here stores state; the caller persists the stage and the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.result import RuleRef

SOURCE = "NCT03835312 registry record (treatment sequence); DOMAIN.md 0, 2.5, Appendix C"


class Stage(StrEnum):
    SCREENING = "screening"
    SCREEN_FAILURE = "screen_failure"
    ENROLLED = "enrolled"
    UNIT_SELECTED = "unit_selected"
    CONDITIONING = "conditioning"
    INFUSED = "infused"
    ENGRAFTMENT = "engraftment"
    ISLET_ELIGIBILITY = "islet_eligibility"
    ISLET_TRANSPLANTED = "islet_transplanted"
    TREATMENT_COMPLETE = "treatment_complete"
    FOLLOW_UP = "follow_up"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    DIED = "died"
    LOST_TO_FOLLOW_UP = "lost_to_follow_up"


TERMINAL = frozenset(
    {Stage.SCREEN_FAILURE, Stage.COMPLETED, Stage.WITHDRAWN, Stage.DIED, Stage.LOST_TO_FOLLOW_UP}
)
ACTIVE = tuple(s for s in Stage if s not in TERMINAL)


@dataclass(frozen=True)
class StageParams:
    version: str
    enrolment_requires_consent: bool
    infusion_requires_two_person_check: bool
    islet_assessment_requires_platelet_engraftment: bool
    completion_requires_all_visits_closed: bool


@dataclass(frozen=True)
class SubjectFacts:
    """What the record shows, as plain values the services derive from stored data."""

    consent_signed: bool = False
    eligibility: str | None = (
        None  # "eligible" | "not_eligible" | "incomplete" (app.domain.eligibility)
    )
    eligibility_signed: bool = False
    unit_selected: bool = False
    conditioning_started: bool = False  # first conditioning administration recorded
    infusion_recorded: bool = False
    infusion_verified: bool = False  # two-person bedside verification signed
    neutrophil_engraftment: bool = False
    platelet_engraftment: bool = False
    islet_decision: str | None = None  # "eligible" | "not_eligible"
    islet_decision_signed: bool = False
    islet_infusion_recorded: bool = False
    treatment_complete_signed: bool = False
    follow_up_visits_closed: bool = False  # every follow-up visit done or missed
    end_of_study_signed: bool = False
    withdrawal_recorded: bool = False
    death_recorded: bool = False
    lost_to_follow_up_recorded: bool = False


Guard = Callable[[SubjectFacts, StageParams], list[str]]


def _need(**conditions: bool) -> list[str]:
    """Reason codes "stages.needs.<name>" for every condition that does not hold."""
    return [f"stages.needs.{name}" for name, ok in conditions.items() if not ok]


def _enrol(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(
        eligible=f.eligibility == "eligible",
        eligibility_signed=f.eligibility_signed,
        consent_signed=f.consent_signed or not p.enrolment_requires_consent,
    )


def _screen_fail(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(
        not_eligible=f.eligibility == "not_eligible", eligibility_signed=f.eligibility_signed
    )


def _select_unit(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(unit_selected=f.unit_selected)


def _condition(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(conditioning_started=f.conditioning_started)


def _infuse(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(
        infusion_recorded=f.infusion_recorded,
        infusion_verified=f.infusion_verified or not p.infusion_requires_two_person_check,
    )


def _engraft(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(neutrophil_engraftment=f.neutrophil_engraftment)


def _assess_islets(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(
        neutrophil_engraftment=f.neutrophil_engraftment,
        platelet_engraftment=f.platelet_engraftment
        or not p.islet_assessment_requires_platelet_engraftment,
    )


def _transplant_islets(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(
        islet_eligible=f.islet_decision == "eligible",
        islet_decision_signed=f.islet_decision_signed,
        islet_infusion_recorded=f.islet_infusion_recorded,
    )


def _complete_treatment(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(
        islet_decision_signed=f.islet_decision_signed,
        treatment_complete_signed=f.treatment_complete_signed,
    )


def _follow_after_islets(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(islet_infusion_recorded=f.islet_infusion_recorded)


def _follow_after_completion(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(treatment_complete_signed=f.treatment_complete_signed)


def _complete_study(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(
        follow_up_visits_closed=f.follow_up_visits_closed
        or not p.completion_requires_all_visits_closed,
        end_of_study_signed=f.end_of_study_signed,
    )


def _withdraw(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(withdrawal_recorded=f.withdrawal_recorded)


def _die(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(death_recorded=f.death_recorded)


def _lose(f: SubjectFacts, p: StageParams) -> list[str]:
    return _need(lost_to_follow_up_recorded=f.lost_to_follow_up_recorded)


_FORWARD: Mapping[Stage, Mapping[Stage, Guard]] = {
    Stage.SCREENING: {Stage.ENROLLED: _enrol, Stage.SCREEN_FAILURE: _screen_fail},
    Stage.ENROLLED: {Stage.UNIT_SELECTED: _select_unit},
    Stage.UNIT_SELECTED: {Stage.CONDITIONING: _condition},
    Stage.CONDITIONING: {Stage.INFUSED: _infuse},
    Stage.INFUSED: {Stage.ENGRAFTMENT: _engraft},
    Stage.ENGRAFTMENT: {Stage.ISLET_ELIGIBILITY: _assess_islets},
    Stage.ISLET_ELIGIBILITY: {
        Stage.ISLET_TRANSPLANTED: _transplant_islets,
        Stage.TREATMENT_COMPLETE: _complete_treatment,
    },
    Stage.ISLET_TRANSPLANTED: {Stage.FOLLOW_UP: _follow_after_islets},
    Stage.TREATMENT_COMPLETE: {Stage.FOLLOW_UP: _follow_after_completion},
    Stage.FOLLOW_UP: {Stage.COMPLETED: _complete_study},
}
_EXITS: Mapping[Stage, Guard] = {
    Stage.WITHDRAWN: _withdraw,
    Stage.DIED: _die,
    Stage.LOST_TO_FOLLOW_UP: _lose,
}
TRANSITIONS: Mapping[Stage, Mapping[Stage, Guard]] = {
    stage: {**_FORWARD.get(stage, {}), **_EXITS} for stage in ACTIVE
}


def successors(stage: Stage) -> tuple[Stage, ...]:
    """The stages `stage` may move to (none from a terminal stage)."""
    return tuple(TRANSITIONS.get(stage, {}))


@dataclass(frozen=True)
class TransitionCheck:
    code: str  # "stages.transition.allowed" | ".blocked" | ".undefined"
    source: Stage
    target: Stage
    allowed: bool
    reasons: tuple[str, ...]  # "stages.needs.<fact>" codes, or "stages.undefined"
    rule: RuleRef


def check_transition(
    source: Stage, target: Stage, facts: SubjectFacts, params: StageParams
) -> TransitionCheck:
    """Whether `source` -> `target` is defined and its guard holds, with the reasons if not."""
    rule = RuleRef(f"stages.{source.value}->{target.value}", SOURCE, params.version)
    guard = TRANSITIONS.get(source, {}).get(target)
    if guard is None:
        return TransitionCheck(
            "stages.transition.undefined", source, target, False, ("stages.undefined",), rule
        )
    reasons = tuple(guard(facts, params))
    code = "stages.transition.blocked" if reasons else "stages.transition.allowed"
    return TransitionCheck(code, source, target, not reasons, reasons, rule)


def available(
    source: Stage, facts: SubjectFacts, params: StageParams
) -> tuple[TransitionCheck, ...]:
    """Every transition out of `source`, each with its reasons (the UI offers the allowed ones)."""
    return tuple(check_transition(source, t, facts, params) for t in successors(source))


class TransitionRefused(ValueError):
    """A move the state machine does not allow; carries the check with its reason codes."""

    def __init__(self, check: TransitionCheck) -> None:
        super().__init__(f"{check.code}: {check.source} -> {check.target} {list(check.reasons)}")
        self.check = check


def advance(source: Stage, target: Stage, facts: SubjectFacts, params: StageParams) -> Stage:
    """The new stage, or TransitionRefused with the reasons."""
    check = check_transition(source, target, facts, params)
    if not check.allowed:
        raise TransitionRefused(check)
    return target
