"""Screening and eligibility: the criteria evaluated from the stored F.ELIG form, the investigator's
signature, screen failure with its reason, and enrolment.

Item OIDs map to app.domain.eligibility criterion keys through resources/study/rule_inputs.yaml
names ("eligibility.organ_ibd" -> IT.IE.OD_IBD); the age uses the date of birth of the subject's
identity (PHI, never returned here: only the age in years).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from app.domain import eligibility as rules
from app.domain.schedule import ward_today
from app.domain.stages import Stage
from app.services._records import subject_by_key
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.forms import ItemKey, save_form
from app.services.permissions import Permission
from app.services.signatures import sign_form
from app.services.stage_common import (
    NotReady,
    Provenance,
    SubjectData,
    as_bool,
    as_date,
    load_subject_data,
    rule_params,
)
from app.services.workspace import Workspace

EVENT, FORM = "SE.SCREEN", "F.ELIG"
ORGAN_ITEMS: Mapping[str, str] = {
    "inflammatory_bowel_disease": "IT.IE.OD_IBD",
    "impaired_renal_function": "IT.IE.OD_RENAL",
    "repeated_infection": "IT.IE.OD_INFECT",
    "immune_hepatitis": "IT.IE.OD_HEPAT",
    "chronic_iridocyclitis": "IT.IE.OD_IRIDO",
    "immune_adrenalitis": "IT.IE.OD_ADRENAL",
    "hypophysitis": "IT.IE.OD_HYPOPHYS",
    "rheumatoid_disease": "IT.IE.OD_RHEUM",
    "immune_vasculitis": "IT.IE.OD_VASC",
    "systemic_lupus_erythematosus": "IT.IE.OD_SLE",
    "other_organ_not_thyroid": "IT.IE.OD_OTHER",
}
EXCLUSION_ITEMS: Mapping[str, str] = {
    "exc1_effective_treatment_available": "IT.IE.EX_TREAT",
    "exc2_hiv_hbv_hcv_positive": "IT.IE.EX_VIRUS",
    "exc3_active_infection": "IT.IE.EX_INFECT",
    "exc4_active_malignancy": "IT.IE.EX_MALIG",
    "exc5_other_fatal_disease": "IT.IE.EX_FATAL",
    "exc6_mental_disorder": "IT.IE.EX_PSYCH",
}
CRITERION_ITEMS: Mapping[str, tuple[str, ...]] = {
    "inc1_t1dm": ("IT.IE.INCL1",),
    "inc2_organ_damage": ("IT.IE.INCL2", *ORGAN_ITEMS.values(), "IT.IE.OD_RECUR"),
    "inc3_pathogenic_variant": ("IT.IE.INCL3",),
    **{k: (v,) for k, v in EXCLUSION_ITEMS.items()},
    "age": ("IT.IE.DTC",),
}


@dataclass(frozen=True)
class CriterionView:
    criterion: str  # app.domain.eligibility key, e.g. "inc2_organ_damage"
    code: str  # "eligibility.criterion.met" | ...
    status: str  # met | not_met | missing | invalid
    missing: tuple[str, ...]
    values: Mapping[str, object]
    evidence: tuple[Provenance, ...]  # the items the answer came from


@dataclass(frozen=True)
class EligibilityView:
    subject_key: str
    code: str  # "eligibility.eligible" | ".not_eligible" | ".incomplete"
    status: str
    assessed_on: date
    age_years: int | None
    criteria: tuple[CriterionView, ...]
    signed: bool  # a valid "eligibility_confirmed" signature on F.ELIG
    rule: str


def answers_from(data: SubjectData, birth: date | None) -> rules.EligibilityAnswers:
    """The domain's answers from the stored F.ELIG items (None = not answered)."""

    def yn(item: str) -> bool | None:
        return as_bool(data.value(item, EVENT))

    return rules.EligibilityAnswers(
        date_of_birth=birth,
        t1dm_confirmed=yn("IT.IE.INCL1"),
        organ_damage={k: yn(v) for k, v in ORGAN_ITEMS.items()},
        organ_damage_recurring=yn("IT.IE.OD_RECUR"),
        pathogenic_variant_confirmed=yn("IT.IE.INCL3"),
        exclusions={k: yn(v) for k, v in EXCLUSION_ITEMS.items()},
    )


def evaluate_eligibility(ws: Workspace, user: UserSession, subject_key: str) -> EligibilityView:
    """Each criterion from the stored screening form, with the items it came from."""
    from app.services.stage_common import valid_signatures

    params = rule_params(ws, rules.EligibilityParams, "eligibility")
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        subject = subject_by_key(session, subject_key)
        birth = subject.identity.birth_date if subject.identity is not None else None
        data = load_subject_data(session, subject)
        signed = (EVENT, "", FORM, "eligibility_confirmed") in valid_signatures(session, subject)
    on = as_date(data.value("IT.IE.DTC", EVENT)) or ward_today(ws.clock)
    result = rules.evaluate(answers_from(data, birth), on, params)
    views = []
    for c in result.criteria:
        evidence = tuple(
            Provenance(EVENT, "", FORM, item, on)
            for item in CRITERION_ITEMS.get(c.criterion, ())
            if data.value(item, EVENT) is not None
        )
        views.append(CriterionView(c.criterion, c.code, c.status, c.missing, c.values, evidence))
    age = next((c.values.get("age_years") for c in result.criteria if c.criterion == "age"), None)
    return EligibilityView(
        subject_key,
        result.code,
        result.status,
        on,
        age if isinstance(age, int) else None,
        tuple(views),
        signed,
        result.rule.label(),
    )


def save_eligibility(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    values: Mapping[ItemKey, str | None],
    reason: str | None = None,
) -> EligibilityView:
    """Save F.ELIG answers (keys (group, "1", item)), recompute age and result, return the view."""
    from app.services import derived

    save_form(ws, user, subject_key, EVENT, "", FORM, values, reason)
    derived.recompute(ws, subject_key)
    return evaluate_eligibility(ws, user, subject_key)


def sign_eligibility(
    ws: Workspace, user: UserSession, password: str, subject_key: str
) -> EligibilityView:
    """The investigator signs the eligibility form ("eligibility_confirmed", SIGN_ELIGIBILITY).

    Raises NotReady while the result is incomplete; WrongPassword, PermissionDenied.
    """
    view = evaluate_eligibility(ws, user, subject_key)
    if view.status == "incomplete":
        raise NotReady(missing="eligibility answers")
    sign_form(ws, user, password, subject_key, EVENT, "", FORM, "eligibility_confirmed")
    return evaluate_eligibility(ws, user, subject_key)


def record_screen_failure(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    reason: str,
    password: str | None = None,
) -> str:
    """Store the screen-failure reason and move the subject to screen_failure (needs a signed
    "not eligible" result). Returns the new stage.

    The reason is an item of the signed eligibility form, so writing a new one would invalidate
    the signature the move needs: an investigator then gives `password` and the form is signed
    again in the same action; without it SignatureRequired is raised. Every refusal comes before
    anything is written.
    """
    from app.services.errors import InvalidInput
    from app.services.forms import load_form
    from app.services.signatures import authenticate_signer, store_signature
    from app.services.stage_common import SignatureRequired
    from app.services.stage_facts import advance_stage, precheck

    text = reason.strip()
    if not text:
        raise InvalidInput(field="reason", problem="required")
    precheck(ws, subject_key, Stage.SCREEN_FAILURE.value)  # signed "not eligible", nothing written
    key: ItemKey = ("IG.ELIG.RESULT", "1", "IT.IE.SCRFAIL_REASON")
    changes_signed = load_form(ws, user, subject_key, EVENT, "", FORM).values.get(key) != text
    if changes_signed:
        if password is None:
            raise SignatureRequired(form_oid=FORM)
        authenticate_signer(ws, user, password, "eligibility_confirmed")
    save_form(ws, user, subject_key, EVENT, "", FORM, {key: text}, reason="screen failure recorded")
    if changes_signed:
        store_signature(ws, user, subject_key, EVENT, "", FORM, "eligibility_confirmed")
    return advance_stage(ws, user, subject_key, Stage.SCREEN_FAILURE.value).stage


def enrol(ws: Workspace, user: UserSession, subject_key: str) -> str:
    """Enrol a screened subject (CREATE_SUBJECT): eligible, signed, consent recorded. The subject
    already carries the site's next ID (FD-001, ...) from registration; it is returned.
    Raises TransitionRefused with the missing facts."""
    from app.services.stage_facts import advance_stage

    advance_stage(ws, user, subject_key, Stage.ENROLLED.value)
    return subject_key
