"""The treatment stage of a subject: the facts the state machine needs (from stored data), the
stepper of the subject page, and audited stage moves.

app.domain.stages decides; this module only derives its SubjectFacts from the record: signatures
(still valid) on the forms that need one, the bedside verification from the audit trail (items
alone could be typed by anyone), engraftment from app.domain.engraftment, visits from
app.domain.schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.domain import schedule, stages
from app.domain.schedule import ScheduleParams, ward_today
from app.services._records import subject_by_key
from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.permissions import Permission
from app.services.stage_common import (
    SubjectData,
    TransitionRefused,
    as_date,
    audited,
    load_subject_data,
    rule_params,
    valid_signatures,
)
from app.services.workspace import Workspace
from db.models import Subject

MAIN_PATH = (
    stages.Stage.SCREENING,
    stages.Stage.ENROLLED,
    stages.Stage.UNIT_SELECTED,
    stages.Stage.CONDITIONING,
    stages.Stage.INFUSED,
    stages.Stage.ENGRAFTMENT,
    stages.Stage.ISLET_ELIGIBILITY,
    stages.Stage.ISLET_TRANSPLANTED,
    stages.Stage.TREATMENT_COMPLETE,
    stages.Stage.FOLLOW_UP,
    stages.Stage.COMPLETED,
)
BEDSIDE_ACTION = "bedside_verified"
_DECISION = {"PROCEED": "eligible", "NO_ISLET": "not_eligible", "DEFER": None}
_ELIG = {"ELIGIBLE": "eligible", "NOT_ELIGIBLE": "not_eligible", "INCOMPLETE": "incomplete"}


@dataclass(frozen=True)
class StageStep:
    stage: str
    status: str  # "done" | "current" | "blocked" | "available" | "future" | "skipped"
    reasons: tuple[str, ...]  # "stages.needs.<fact>" codes when blocked


@dataclass(frozen=True)
class TransitionOption:
    target: str
    allowed: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class StageView:
    subject_key: str
    stage: str
    study_day: int | None  # None before Day 0 is recorded
    day0: date | None
    steps: tuple[StageStep, ...]  # MAIN_PATH in order
    transitions: tuple[TransitionOption, ...]  # every move out of the current stage
    rule: str


@dataclass(frozen=True)
class StageChange:
    subject_key: str
    source: str
    stage: str


def facts_from(
    data: SubjectData,
    signatures: set[tuple[str, str, str, str]],
    bedside_verified: bool,
    ws: Workspace,
    today: date,
) -> stages.SubjectFacts:
    from app.services.stage_engraftment import status_of

    signed_forms = {(e, r, f) for (e, r, f, _m) in signatures}
    engraftment = status_of(data, ws, today)
    neutrophil = engraftment is not None and engraftment.neutrophil.day is not None
    platelet = engraftment is not None and engraftment.platelet.day is not None
    eos = data.value("IT.DS.EOS_STATUS", "SE.EOS")
    decision = data.value("IT.ISE.DECISION", "SE.ISLELIG")
    visits_closed = False
    anchor = follow_up_anchor_of(data, ws)
    if anchor is not None:
        params = rule_params(ws, ScheduleParams, "schedule")
        done = visit_dates(data)
        visits_closed = all(
            schedule.visit_status(v, today, done.get(v.event_oid), params).status
            in ("done", "missed")
            for v in schedule.follow_up_plan(anchor, params)
        )
    return stages.SubjectFacts(
        consent_signed=data.value("IT.DS.CONSENT_DTC", "SE.ENROL") is not None,
        eligibility=_ELIG.get(data.value("IT.IE.RESULT", "SE.SCREEN") or ""),
        eligibility_signed=("SE.SCREEN", "", "F.ELIG", "eligibility_confirmed") in signatures,
        unit_selected=("SE.CBUSEL", "", "F.CBUSEL") in signed_forms
        and data.value("IT.CBS.DIN", "SE.CBUSEL") is not None,
        conditioning_started=bool(data.all("IT.CM.DOSE_GIVEN", "SE.COND")),
        infusion_recorded=data.value("IT.INF.START", "SE.DAY0") is not None,
        infusion_verified=bedside_verified,
        neutrophil_engraftment=neutrophil,
        platelet_engraftment=platelet,
        islet_decision=_DECISION.get(decision or ""),
        islet_decision_signed=("SE.ISLELIG", "", "F.ISLELIG") in signed_forms,
        islet_infusion_recorded=bool(data.all("IT.IS.INF_START", "SE.ISLINF")),
        treatment_complete_signed=("SE.TRTCOMP", "", "F.TRTCOMP") in signed_forms,
        follow_up_visits_closed=visits_closed,
        end_of_study_signed=("SE.EOS", "", "F.EOS") in signed_forms,
        withdrawal_recorded=eos == "WITHDRAWN",
        death_recorded=eos == "DIED",
        lost_to_follow_up_recorded=eos == "LOST",
    )


def follow_up_anchor_of(data: SubjectData, ws: Workspace) -> date | None:
    """Completion of treatment: the islet infusion date, else the treatment-complete date."""
    params = rule_params(ws, ScheduleParams, "schedule")
    islet = [d for r in data.all("IT.IS.INF_START", "SE.ISLINF") if (d := as_date(r.value))]
    complete = as_date(data.value("IT.TC.DTC", "SE.TRTCOMP"))
    return schedule.follow_up_anchor(min(islet) if islet else None, complete, params).anchor


def visit_dates(data: SubjectData) -> dict[str, date]:
    """Follow-up event OID -> visit date (F.FU IT.FU.DTC)."""
    return {r.event_oid: d for r in data.all("IT.FU.DTC") if (d := as_date(r.value))}


def _load_facts(
    session: Session, subject: Subject, ws: Workspace, today: date
) -> tuple[SubjectData, stages.SubjectFacts]:
    data = load_subject_data(session, subject)
    sigs = valid_signatures(session, subject)
    verified = audited(session, f"{subject.subject_key}/SE.DAY0", BEDSIDE_ACTION)
    return data, facts_from(data, sigs, verified, ws, today)


def subject_facts(
    ws: Workspace, subject_key: str, today: date | None = None
) -> stages.SubjectFacts:
    """The state machine's facts from the stored record (no permission: no data leaves)."""
    with ws.db.session() as session:
        subject = subject_by_key(session, subject_key)
        return _load_facts(session, subject, ws, today or ward_today(ws.clock))[1]


def _params(ws: Workspace) -> stages.StageParams:
    return rule_params(ws, stages.StageParams, "stages")


def stage_view(
    ws: Workspace, user: UserSession, subject_key: str, today: date | None = None
) -> StageView:
    """The stepper: each main-path stage done / current / blocked (with reasons) / future."""
    from app.services.stage_engraftment import day0_from

    today = today or ward_today(ws.clock)
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        subject = subject_by_key(session, subject_key)
        data, facts = _load_facts(session, subject, ws, today)
    return view_from(ws, data, facts, today, day0_from(data, ws))


def view_from(
    ws: Workspace,
    data: SubjectData,
    facts: stages.SubjectFacts,
    today: date,
    day_zero: date | None,
) -> StageView:
    params = _params(ws)
    current = stages.Stage(data.stage)
    checks = {c.target: c for c in stages.available(current, facts, params)}
    index = MAIN_PATH.index(current) if current in MAIN_PATH else -1
    skipped = _skipped(data, current)
    steps = []
    for i, stage in enumerate(MAIN_PATH):
        if stage in skipped:
            steps.append(StageStep(stage.value, "skipped", ()))
        elif stage == current:
            steps.append(StageStep(stage.value, "current", ()))
        elif index >= 0 and i < index:
            steps.append(StageStep(stage.value, "done", ()))
        elif stage in checks:
            check = checks[stage]
            status = "available" if check.allowed else "blocked"
            steps.append(StageStep(stage.value, status, check.reasons))
        else:
            steps.append(StageStep(stage.value, "future", ()))
    transitions = tuple(TransitionOption(t.value, c.allowed, c.reasons) for t, c in checks.items())
    return StageView(
        data.subject_key,
        current.value,
        None if day_zero is None else (today - day_zero).days,
        day_zero,
        tuple(steps),
        transitions,
        f"stages@{params.version}",
    )


def _skipped(data: SubjectData, current: stages.Stage) -> set[stages.Stage]:
    """On the no-islet path the islet transplant stage is skipped, and vice versa."""
    if data.value("IT.TC.DTC", "SE.TRTCOMP") is not None and not data.all("IT.IS.INF_START"):
        return {stages.Stage.ISLET_TRANSPLANTED}
    if data.all("IT.IS.INF_START"):
        return {stages.Stage.TREATMENT_COMPLETE}
    return set()


def _permission_for(target: stages.Stage) -> Permission:
    return (
        Permission.CREATE_SUBJECT
        if target is stages.Stage.ENROLLED
        else (Permission.ENTER_CLINICAL_DATA)
    )


def advance_stage(
    ws: Workspace, user: UserSession, subject_key: str, target_stage: str
) -> StageChange:
    """Move the subject to `target_stage` if the state machine allows it (audited "stage").

    Raises TransitionRefused (values: source, target, reasons), PermissionDenied, SubjectNotFound.
    """
    from app.services import derived

    target = stages.Stage(target_stage)
    today = ward_today(ws.clock)
    # The guards read derived items (eligibility result, ...): bring them up to date first, in
    # case an input was saved through a plain form page.
    derived.recompute(ws, subject_key, today)
    with unit_of_work(ws, user.user_id) as session:
        acting_user(session, user.user_id, _permission_for(target))
        subject = subject_by_key(session, subject_key)
        _, facts = _load_facts(session, subject, ws, today)
        source = stages.Stage(subject.stage)
        check = stages.check_transition(source, target, facts, _params(ws))
        if not check.allowed:
            raise TransitionRefused(source=source.value, target=target.value, reasons=check.reasons)
        subject.stage = target.value
        session.flush()
        return StageChange(subject_key, source.value, target.value)


def auto_advance(ws: Workspace, user: UserSession, subject_key: str) -> str:
    """Follow the main path as far as the facts allow (after a save); returns the stage reached.

    Only single-successor forward moves are taken automatically; a branch (screen failure,
    islets or not, end of study) is always an explicit decision.
    """
    automatic = {
        stages.Stage.ENROLLED: stages.Stage.UNIT_SELECTED,
        stages.Stage.UNIT_SELECTED: stages.Stage.CONDITIONING,
        stages.Stage.CONDITIONING: stages.Stage.INFUSED,
        stages.Stage.INFUSED: stages.Stage.ENGRAFTMENT,
        stages.Stage.ISLET_TRANSPLANTED: stages.Stage.FOLLOW_UP,
        stages.Stage.TREATMENT_COMPLETE: stages.Stage.FOLLOW_UP,
    }
    with ws.db.session() as session:
        stage = stages.Stage(subject_by_key(session, subject_key).stage)
    while stage in automatic:
        try:
            stage = stages.Stage(advance_stage(ws, user, subject_key, automatic[stage]).stage)
        except TransitionRefused:
            break
    return stage.value


def precheck(ws: Workspace, subject_key: str, target_stage: str, **assume: Any) -> None:
    """Refuse (TransitionRefused) before anything is written when the move to `target_stage`
    would still be blocked once the facts in `assume` (what the action itself records) hold."""
    from dataclasses import replace

    target = stages.Stage(target_stage)
    today = ward_today(ws.clock)
    with ws.db.session() as session:
        subject = subject_by_key(session, subject_key)
        source = stages.Stage(subject.stage)
        _, facts = _load_facts(session, subject, ws, today)
    check = stages.check_transition(source, target, replace(facts, **assume), _params(ws))
    if not check.allowed:
        raise TransitionRefused(source=source.value, target=target.value, reasons=check.reasons)
