"""Islet transplant: the eligibility checklist evaluated from the record (each criterion with the
value that decided it and where it came from), the investigator's signed decision, the islet
product (IEQ/kg, release checks) and infusion, or treatment complete without islets. Either path
sets the follow-up anchor (app.domain.schedule.follow_up_anchor).

Rules: app.domain.islet (Appendix C defaults, to confirm). The derived IG.ISLELIG.AUTO items hold
the data criteria; the investigator's sign-off is the signature on F.ISLELIG itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from app.domain import islet as rules
from app.domain.schedule import ward_today
from app.domain.stages import Stage
from app.services._records import subject_by_key
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.errors import InvalidInput
from app.services.forms import ItemKey, save_form
from app.services.permissions import Permission
from app.services.signatures import authenticate_signer, store_signature
from app.services.stage_common import (
    Provenance,
    SubjectData,
    TransitionRefused,
    as_bool,
    as_date,
    as_float,
    load_subject_data,
    rule_params,
    valid_signatures,
)
from app.services.workspace import Workspace

ELIG_EVENT, ELIG_FORM = "SE.ISLELIG", "F.ISLELIG"
INF_EVENT = "SE.ISLINF"
DECISIONS = ("PROCEED", "DEFER", "NO_ISLET")


@dataclass(frozen=True)
class CriterionRow:
    name: str  # app.domain.islet criterion, e.g. "donor_chimerism"
    code: str  # "islet.eligibility.<name>.met" | ".not_met" | ".missing"
    met: bool | None
    value: object
    limit: object
    source: Provenance | None  # event/form/item/date the value came from


@dataclass(frozen=True)
class IsletChecklist:
    subject_key: str
    code: str  # "islet.eligibility.eligible" | ".not_eligible" | ".incomplete"
    criteria: tuple[CriterionRow, ...]
    decision: str | None  # CL.ISLDEC code once recorded
    signed: bool
    rule: str


@dataclass(frozen=True)
class IsletProductView:
    infusion_number: int
    ieq_per_kg: float | None
    release_code: str | None  # "islet.release.released" | ".rejected"
    checks: tuple[tuple[str, bool, float, float], ...]  # name, met, value, limit
    infusion_start: str | None


def _latest(data: SubjectData, item: str, date_item: str) -> tuple[str, Provenance] | None:
    best: tuple[date, str, Provenance] | None = None
    for r in data.all(item):
        when = as_date(data.row(r.event_oid, r.repeat_key, r.form_oid, r.group_repeat_key).get(
            date_item)) or r.event_date  # fmt: skip
        key = when or date.min
        if best is None or key >= best[0]:
            prov = Provenance(r.event_oid, r.repeat_key, r.form_oid, item, when)
            best = (key, r.value or "", prov)
    return None if best is None else (best[1], best[2])


def _facts(
    data: SubjectData, ws: Workspace, today: date, signed: bool
) -> tuple[rules.EligibilityFacts, dict[str, Provenance | None]]:
    from app.services.stage_engraftment import status_of

    Ev = rules.Evidence
    sources: dict[str, Provenance | None] = {}
    status = status_of(data, ws, today)
    neut = plt = None
    if status is not None:
        for name, rec in (("neutrophil_engrafted", status.neutrophil),
                          ("platelet_engrafted", status.platelet)):  # fmt: skip
            sources[name] = Provenance("SE.POST", str(rec.day or ""), "F.FBC", "IT.LB.ANC"
                                       if name.startswith("n") else "IT.LB.PLT", None)  # fmt: skip
        neut = Ev(status.neutrophil.day is not None, f"Day {status.neutrophil.day}")
        plt = Ev(status.platelet.day is not None, f"Day {status.platelet.day}")
    chim = _latest(data, "IT.CH.DONOR_PCT", "IT.CH.DTC")
    cd4 = _latest(data, "IT.LB.CD4", "IT.LB.IR_DTC")
    grade = _latest(data, "IT.GV.A_GRADE", "IT.GV.A_DTC")
    severity = _latest(data, "IT.GV.C_SEVERITY", "IT.GV.C_DTC")
    sources["donor_chimerism"] = chim[1] if chim else None
    sources["cd4"] = cd4[1] if cd4 else None
    manual = data.row(ELIG_EVENT, "", ELIG_FORM, "1")

    def manual_prov(item: str) -> Provenance | None:
        return Provenance(ELIG_EVENT, "", ELIG_FORM, item, as_date(manual.get("IT.ISE.DTC")))

    agvhd_ev = None
    if grade is not None:
        agvhd_ev = Ev(int(grade[0]), "aGVHD")
        sources["acute_gvhd"] = grade[1]
    if manual.get("IT.ISE.AGVHD_ACTIVE") == "N":
        agvhd_ev = Ev(0, "islet eligibility form")
        sources["acute_gvhd"] = manual_prov("IT.ISE.AGVHD_ACTIVE")
    cgvhd_ev = None
    if severity is not None:
        cgvhd_ev = Ev(severity[0].lower(), "cGVHD")
        sources["chronic_gvhd"] = severity[1]
    elif manual.get("IT.ISE.CGVHD_MODSEV") == "N":
        cgvhd_ev = Ev("none", "islet eligibility form")
        sources["chronic_gvhd"] = manual_prov("IT.ISE.CGVHD_MODSEV")
    infection = as_bool(manual.get("IT.ISE.INF_ACTIVE"))
    steroids = as_bool(manual.get("IT.ISE.STEROIDS_OFF"))
    sources["no_active_infection"] = (
        manual_prov("IT.ISE.INF_ACTIVE") if infection is not None else None
    )
    sources["steroids_stopped"] = (
        manual_prov("IT.ISE.STEROIDS_OFF") if steroids is not None else None
    )
    sources["investigator_signoff"] = manual_prov("IT.ISE.DECISION") if signed else None
    facts = rules.EligibilityFacts(
        neutrophil_engrafted=neut,
        platelet_engrafted=plt,
        donor_chimerism_pct=None if chim is None or as_float(chim[0]) is None
        else Ev(float(chim[0]), "chimerism"),
        active_agvhd_grade=agvhd_ev,
        cgvhd_severity=cgvhd_ev,
        active_infection=None if infection is None else Ev(infection, "form"),
        systemic_steroids_stopped=None if steroids is None else Ev(steroids, "form"),
        cd4_per_ul=None if cd4 is None or as_float(cd4[0]) is None else Ev(float(cd4[0]), "CD4"),
        investigator_signoff=Ev(True, "signature") if signed else None,
    )  # fmt: skip
    return facts, sources


def checklist_from(
    data: SubjectData, ws: Workspace, today: date, signed: bool = True
) -> tuple[rules.Checklist, dict[str, Provenance | None]]:
    """The domain checklist; `signed=True` evaluates the data criteria only (for derived items)."""
    params = rule_params(ws, rules.IsletEligibilityParams, "islet")
    facts, sources = _facts(data, ws, today, signed)
    return rules.eligibility_checklist(facts, params), sources


def islet_eligibility(
    ws: Workspace, user: UserSession, subject_key: str, today: date | None = None
) -> IsletChecklist:
    """Each criterion with its deciding value and where it came from (event/form/item/date)."""
    today = today or ward_today(ws.clock)
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        subject = subject_by_key(session, subject_key)
        data = load_subject_data(session, subject)
        signed = (ELIG_EVENT, "", ELIG_FORM, "eligibility_confirmed") in valid_signatures(
            session, subject
        )
    checklist, sources = checklist_from(data, ws, today, signed)
    rows = tuple(
        CriterionRow(c.name, c.code, c.met, c.value, c.limit, sources.get(c.name))
        for c in checklist.criteria
    )
    return IsletChecklist(
        subject_key,
        checklist.code,
        rows,
        data.value("IT.ISE.DECISION", ELIG_EVENT),
        signed,
        checklist.rule.label(),
    )


def record_islet_decision(
    ws: Workspace,
    user: UserSession,
    password: str,
    subject_key: str,
    decision: str,
    answers: Mapping[str, str | None],
    reason_text: str | None = None,
    reason: str | None = None,
) -> IsletChecklist:
    """Store the decision (CL.ISLDEC) with the investigator's answers (IT.ISE.* -> value) and sign
    it ("eligibility_confirmed", SIGN_ELIGIBILITY). Moves the subject to islet_eligibility."""
    from app.services import derived
    from app.services.stage_facts import advance_stage

    if decision not in DECISIONS:
        raise InvalidInput(field="decision", problem="one of " + ", ".join(DECISIONS))
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.SIGN_ELIGIBILITY)
        data = load_subject_data(session, subject_by_key(session, subject_key))
    values: dict[ItemKey, str | None] = {("IG.ISLELIG", "1", k): v for k, v in answers.items()}
    values[("IG.ISLELIG", "1", "IT.ISE.DECISION")] = decision
    if data.value("IT.ISE.DTC", ELIG_EVENT) is None:
        values.setdefault(("IG.ISLELIG", "1", "IT.ISE.DTC"), ward_today(ws.clock).isoformat())
    if reason_text:
        values[("IG.ISLELIG", "1", "IT.ISE.REASON")] = reason_text
    # The password before the save: a wrong one leaves no unsigned decision behind.
    authenticate_signer(ws, user, password, "eligibility_confirmed")
    save_form(ws, user, subject_key, ELIG_EVENT, "", ELIG_FORM, values, reason)
    derived.recompute(ws, subject_key)
    store_signature(ws, user, subject_key, ELIG_EVENT, "", ELIG_FORM, "eligibility_confirmed")
    # Already past engraftment, or not engrafted yet: the stepper shows why.
    with contextlib.suppress(TransitionRefused):
        advance_stage(ws, user, subject_key, Stage.ISLET_ELIGIBILITY.value)
    return islet_eligibility(ws, user, subject_key)


def record_islet_product(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    infusion_number: int,
    values: Mapping[str, str | None],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> IsletProductView:
    """The islet product of infusion n (IT.IS.* -> value); IEQ/kg and release are derived. A value
    outside its soft range needs a comment in confirmations[("IG.ISLPROD", "1", item OID)]."""
    from app.services import derived

    out: dict[ItemKey, str | None] = {("IG.ISLPROD", "1", k): v for k, v in values.items()}
    out[("IG.ISLPROD", "1", "IT.IS.INF_NO")] = str(infusion_number)
    save_form(ws, user, subject_key, INF_EVENT, str(infusion_number), "F.ISLPROD", out, reason,
              confirmations)  # fmt: skip
    derived.recompute(ws, subject_key)
    return islet_product(ws, user, subject_key, infusion_number)


def islet_product(
    ws: Workspace, user: UserSession, subject_key: str, infusion_number: int
) -> IsletProductView:
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        data = load_subject_data(session, subject_by_key(session, subject_key))
    key = str(infusion_number)
    v = data.row(INF_EVENT, key, "F.ISLPROD", "1")
    params = rule_params(ws, rules.IsletReleaseParams, "islet")
    weight, ieq = as_float(v.get("IT.IS.WEIGHT")), as_float(v.get("IT.IS.IEQ"))
    viab, endo = as_float(v.get("IT.IS.VIABILITY")), as_float(v.get("IT.IS.ENDOTOX"))
    purity = as_float(v.get("IT.IS.PURITY"))
    code: str | None = None
    checks: tuple[tuple[str, bool, float, float], ...] = ()
    dose: float | None = None
    if weight and ieq is not None and viab is not None and endo is not None and purity is not None:
        result = rules.product_release(
            ieq, weight, viab, endo, purity, infusion_number, params,
            as_float(v.get("IT.IS.TISSUE_VOL")),
        )  # fmt: skip
        code, dose = result.code, result.ieq_per_kg
        checks = tuple((c.name, c.met, c.value, c.limit) for c in result.checks)
    return IsletProductView(
        infusion_number, dose, code, checks, data.value("IT.IS.INF_START", INF_EVENT, key)
    )


def record_islet_infusion(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    infusion_number: int,
    values: Mapping[str, str | None],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> str:
    """The islet infusion record (IT.IS.* of F.ISLINF; IT.IS.INF_START required). The first one
    sets the follow-up anchor; the subject moves to islet_transplanted, then follow_up. A value
    outside its soft range (e.g. portal pressure) needs a comment in
    confirmations[("IG.ISLINF", "1", item OID)]."""
    from app.services import derived
    from app.services.stage_facts import advance_stage, auto_advance

    if not values.get("IT.IS.INF_START"):
        raise InvalidInput(field="IT.IS.INF_START", problem="required")
    out: dict[ItemKey, str | None] = {("IG.ISLINF", "1", k): v for k, v in values.items()}
    save_form(ws, user, subject_key, INF_EVENT, str(infusion_number), "F.ISLINF", out, reason,
              confirmations)  # fmt: skip
    derived.recompute(ws, subject_key)
    with contextlib.suppress(TransitionRefused):
        advance_stage(ws, user, subject_key, Stage.ISLET_TRANSPLANTED.value)
    return auto_advance(ws, user, subject_key)


def complete_treatment_without_islets(
    ws: Workspace,
    user: UserSession,
    password: str,
    subject_key: str,
    on: date,
    reason_text: str,
) -> str:
    """ "Treatment phase complete without islets", signed by an investigator (SIGN_ELIGIBILITY);
    its date is the follow-up anchor. Returns the stage reached (follow_up when allowed)."""
    from app.services.stage_facts import advance_stage, auto_advance, precheck

    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.SIGN_ELIGIBILITY)
    precheck(ws, subject_key, Stage.TREATMENT_COMPLETE.value, treatment_complete_signed=True)
    values: dict[ItemKey, str | None] = {
        ("IG.TRTCOMP", "1", "IT.TC.DTC"): on.isoformat(),
        ("IG.TRTCOMP", "1", "IT.TC.ISLET"): "N",
        ("IG.TRTCOMP", "1", "IT.TC.REASON"): reason_text,
    }
    authenticate_signer(
        ws, user, password, "approved_as_investigator"
    )  # before anything is written
    save_form(ws, user, subject_key, "SE.TRTCOMP", "", "F.TRTCOMP", values, complete=True)
    store_signature(
        ws, user, subject_key, "SE.TRTCOMP", "", "F.TRTCOMP", "approved_as_investigator"
    )
    advance_stage(ws, user, subject_key, Stage.TREATMENT_COMPLETE.value)
    return auto_advance(ws, user, subject_key)
