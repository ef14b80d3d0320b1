"""Conditioning under protective isolation: the regimen plan (a template the physician adjusts),
each day's doses calculated from that day's weight and BSA, two-person dose records, the daily
isolation checklist and busulfan exposure against its target.

Doses: app.domain.conditioning (Mosteller BSA, deviation warning); regimen templates:
app.domain.schedule.conditioning_plan. The plan is F.CONDPLAN of SE.CONDPLAN; administrations are
F.CONDADM rows of SE.COND[study day]; busulfan AUCs are IG.DLVL.BU rows of F.DLVL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain import conditioning as rules
from app.domain import schedule
from app.services._records import subject_by_key
from app.services._uow import acting_user, user_by_name
from app.services.auth import UserSession, reauthenticate
from app.services.errors import InvalidInput
from app.services.forms import ItemKey, save_form
from app.services.permissions import Permission, Role, can
from app.services.stage_common import (
    SubjectData,
    VerificationRefused,
    as_float,
    load_subject_data,
    rule_params,
)
from app.services.workspace import Workspace

PLAN_EVENT, PLAN_FORM = "SE.CONDPLAN", "F.CONDPLAN"
DAY_EVENT, ADMIN_FORM = "SE.COND", "F.CONDADM"
# Template drug names (schedule.yaml) -> CL.CONDDRUG codes.
TEMPLATE_DRUGS = {"fludarabine": "FLU", "busulfan": "BU", "rabbit_atg": "ATG",
                  "cyclophosphamide": "CY", "treosulfan": "TREO", "thiotepa": "TT",
                  "melphalan": "MEL", "alemtuzumab": "ALEM"}  # fmt: skip


# Usual paediatric dose basis per drug (DOMAIN.md 2.2): a starting point the physician changes.
PER_KG_DEFAULT = {"BU": "mg/kg", "ATG": "mg/kg", "MEL": "mg/kg", "CY": "mg/kg", "TT": "mg/kg"}


@dataclass(frozen=True)
class PlanDrug:
    drug: str  # CL.CONDDRUG code
    route: str  # CL.ROUTE code
    dose_basis: str  # "mg/m2" | "mg/kg"
    dose_per_basis: float | None  # the physician fills it in
    day_from: int  # e.g. -6
    day_to: int  # e.g. -3


@dataclass(frozen=True)
class ConditioningPlanView:
    regimen: str | None
    intensity: str | None
    weight_kg: float | None
    height_cm: float | None
    bsa_m2: float | None
    busulfan_target_mg_h_l: float | None
    drugs: tuple[PlanDrug, ...]
    calculated_mg: tuple[float | None, ...]  # per drug, from the plan's weight/BSA
    days: tuple[int, ...]  # Day -N .. -1


@dataclass(frozen=True)
class DoseRow:
    drug: str
    route: str | None
    dose_basis: str | None
    dose_per_basis: float | None
    calculated_mg: float | None  # from that day's weight/height (else the plan's)
    given_mg: float | None
    deviation_percent: float | None
    deviation_code: str | None  # "conditioning.deviation.ok" | ".warn"
    given_by: str | None
    checked_by: str | None
    start: str | None
    end: str | None
    row_key: str | None  # IG.CONDADM repeat key; None while not given
    rule: str


@dataclass(frozen=True)
class BusulfanView:
    code: str | None  # "conditioning.busulfan.below" | ".within" | ".above"; None without AUCs
    cumulative_mg_h_l: float | None
    target_low: float
    target_high: float
    doses: tuple[tuple[int, float], ...]  # (dose number, AUC umol.min/L)
    rule: str


def day_event(study_day: int) -> tuple[str, str]:
    """The event occurrence of a study day: SE.COND[-N], SE.DAY0, SE.POST[+N]."""
    if study_day < 0:
        return DAY_EVENT, str(study_day)
    if study_day == 0:
        return "SE.DAY0", ""
    return "SE.POST", str(study_day)


def regimen_template(ws: Workspace, regimen: str) -> tuple[PlanDrug, ...]:
    """A regimen template from schedule.yaml as plan rows; the physician sets the doses."""
    params = rule_params(ws, schedule.ScheduleParams, "schedule")
    if regimen not in params.regimens:
        raise InvalidInput(field="regimen", problem="not a known template")
    rows = []
    for entry in params.regimens[regimen]:
        days = [int(str(d)) for d in entry["days"]]  # type: ignore[attr-defined]
        drug = TEMPLATE_DRUGS.get(str(entry["drug"]), "OTHER")
        basis = PER_KG_DEFAULT.get(drug, "mg/m2")
        rows.append(PlanDrug(drug, "IV", basis, None, min(days), max(days)))
    return tuple(rows)


def plan_from(data: SubjectData) -> ConditioningPlanView:
    v = data.row(PLAN_EVENT, "", PLAN_FORM, "1")
    drugs = []
    calcs = []
    for g in data.group_rows(PLAN_EVENT, "", PLAN_FORM, "IG.CONDPLAN.DRUG"):
        r = data.row(PLAN_EVENT, "", PLAN_FORM, g)
        if "IT.CP.DRUG" not in r:
            continue
        drugs.append(
            PlanDrug(
                r["IT.CP.DRUG"],
                r.get("IT.CP.ROUTE", "IV"),
                r.get("IT.CP.DOSE_BASIS", "mg/kg"),
                as_float(r.get("IT.CP.DOSE_PER")),
                int(r.get("IT.CP.DAY_FROM", "-1")),
                int(r.get("IT.CP.DAY_TO", "-1")),
            )
        )
        calcs.append(as_float(r.get("IT.CP.DOSE_CALC")))
    first = min((d.day_from for d in drugs), default=0)
    return ConditioningPlanView(
        v.get("IT.CP.REGIMEN"),
        v.get("IT.CP.INTENSITY"),
        as_float(v.get("IT.CP.WEIGHT")),
        as_float(v.get("IT.CP.HEIGHT")),
        as_float(v.get("IT.CP.BSA")),
        as_float(v.get("IT.CP.BU_TARGET")),
        tuple(drugs),
        tuple(calcs),
        tuple(range(first, 0)),
    )


def _load(ws: Workspace, user: UserSession, subject_key: str) -> SubjectData:
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        return load_subject_data(session, subject_by_key(session, subject_key))


def conditioning_plan(ws: Workspace, user: UserSession, subject_key: str) -> ConditioningPlanView:
    """The stored plan with BSA and calculated doses (derived)."""
    return plan_from(_load(ws, user, subject_key))


def save_conditioning_plan(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    regimen: str,
    weight_kg: float,
    height_cm: float,
    drugs: Sequence[PlanDrug],
    intensity: str = "MAC",
    busulfan_target_mg_h_l: float | None = None,
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> ConditioningPlanView:
    """Save the plan (ENTER_CLINICAL_DATA); BSA and calculated doses are derived. A value outside
    its soft range (e.g. a weight under 2.5 kg) needs a comment in confirmations[item key]."""
    from app.services import derived

    values: dict[ItemKey, str | None] = {
        ("IG.CONDPLAN", "1", "IT.CP.REGIMEN"): regimen,
        ("IG.CONDPLAN", "1", "IT.CP.INTENSITY"): intensity,
        ("IG.CONDPLAN", "1", "IT.CP.START_DAY"): str(min((d.day_from for d in drugs), default=-1)),
        ("IG.CONDPLAN", "1", "IT.CP.WEIGHT"): f"{weight_kg:g}",
        ("IG.CONDPLAN", "1", "IT.CP.HEIGHT"): f"{height_cm:g}",
    }
    if busulfan_target_mg_h_l is not None:
        values[("IG.CONDPLAN", "1", "IT.CP.BU_TARGET")] = f"{busulfan_target_mg_h_l:g}"
    for n, d in enumerate(drugs, start=1):
        g = ("IG.CONDPLAN.DRUG", str(n))
        values[(*g, "IT.CP.DRUG")] = d.drug
        values[(*g, "IT.CP.ROUTE")] = d.route
        values[(*g, "IT.CP.DOSE_BASIS")] = d.dose_basis
        values[(*g, "IT.CP.DOSE_PER")] = (
            None if d.dose_per_basis is None else f"{d.dose_per_basis:g}"
        )
        values[(*g, "IT.CP.DAY_FROM")] = str(d.day_from)
        values[(*g, "IT.CP.DAY_TO")] = str(d.day_to)
    save_form(ws, user, subject_key, PLAN_EVENT, "", PLAN_FORM, values, reason, confirmations)
    derived.recompute(ws, subject_key)
    return conditioning_plan(ws, user, subject_key)


def dose_rows_from(data: SubjectData, ws: Workspace, study_day: int) -> list[DoseRow]:
    """Planned drugs of the day merged with what was given (calculated from the day's weight)."""
    params = rule_params(ws, rules.ConditioningParams, "conditioning")
    plan = plan_from(data)
    event, key = day_event(study_day)
    weight = as_float(data.value("IT.VS.WEIGHT", event, key)) or plan.weight_kg
    height = as_float(data.value("IT.VS.HEIGHT", event, key)) or plan.height_cm
    given: dict[str, tuple[str, dict[str, str]]] = {}
    for g in data.group_rows(event, key, ADMIN_FORM, "IG.CONDADM"):
        row = data.row(event, key, ADMIN_FORM, g)
        if "IT.CM.DRUG" in row:
            given[row["IT.CM.DRUG"]] = (g, row)
    planned = [d for d in plan.drugs if d.day_from <= study_day <= d.day_to]
    names = [d.drug for d in planned] + [d for d in given if d not in {p.drug for p in planned}]
    out = []
    for drug in names:
        p = next((d for d in planned if d.drug == drug), None)
        row_key, row = given.get(drug, (None, {}))
        basis = p.dose_basis if p else row.get("IT.CM.DOSE_BASIS")
        per = p.dose_per_basis if p else as_float(row.get("IT.CM.DOSE_PER"))
        calc = None
        if per is not None and basis and weight and (basis == "mg/kg" or height):
            calc = rules.calculated_dose(per, basis, weight, height, params).dose
        given_mg = as_float(row.get("IT.CM.DOSE_GIVEN"))
        dev = None
        if given_mg is not None and calc:
            dev = rules.dose_deviation(given_mg, calc, params)
        out.append(
            DoseRow(
                drug,
                p.route if p else row.get("IT.CM.ROUTE"),
                basis,
                per,
                calc,
                given_mg,
                None if dev is None else dev.deviation_percent,
                None if dev is None else dev.code,
                row.get("IT.CM.GIVEN_BY"),
                row.get("IT.CM.CHECKED_BY"),
                row.get("IT.CM.START"),
                row.get("IT.CM.END"),
                row_key,
                f"conditioning.dose_deviation@{params.version}",
            )
        )
    return out


def day_doses(ws: Workspace, user: UserSession, subject_key: str, study_day: int) -> list[DoseRow]:
    """The doses of one conditioning day: calculated, given, deviation, given/checked by."""
    return dose_rows_from(_load(ws, user, subject_key), ws, study_day)


def check_second_person(
    ws: Workspace, first: UserSession, username: str, password: str, permission: Permission
) -> UserSession:
    """The second person: another active user holding `permission`, with the right password.

    Raises VerificationRefused (reason "same_person", "unknown_user", "not_allowed"),
    WrongPassword / AccountLocked (counted towards the second user's lockout).
    """
    with ws.db.session() as session:
        second = user_by_name(session, username.strip())
        if second is None or not second.active:
            raise VerificationRefused(reason="unknown_user")
        if second.id == first.user_id:
            raise VerificationRefused(reason="same_person")
        if not can(second.role, permission):
            raise VerificationRefused(reason="not_allowed")
        session_of_second = UserSession(second.id, second.username, second.full_name,
                                        Role(second.role))  # fmt: skip
    reauthenticate(ws, session_of_second, password)
    return session_of_second


def record_dose(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    study_day: int,
    drug: str,
    given_mg: float,
    start: str,
    end: str | None,
    checked_by_username: str,
    checked_by_password: str,
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> DoseRow:
    """Record one administration; a second logged-in user confirms with their password (must be
    another person with ENTER_CLINICAL_DATA), checked before anything is written. Recomputes the
    deviation; advances to conditioning. `start`/`end` are ISO datetimes. A soft-range value
    needs a comment in confirmations[item key] (the key of the problem FormValidationFailed
    names: the IG.CONDADM row is chosen here)."""
    from app.services import derived
    from app.services.stage_facts import auto_advance

    if study_day >= 0:
        raise InvalidInput(field="study_day", problem="conditioning days are before Day 0")
    checker = check_second_person(
        ws, user, checked_by_username, checked_by_password, Permission.ENTER_CLINICAL_DATA
    )
    data = _load(ws, user, subject_key)
    rows = {r.drug: r for r in dose_rows_from(data, ws, study_day)}
    existing = rows.get(drug)
    event, key = day_event(study_day)
    if existing is not None and existing.row_key is not None:
        g = existing.row_key
    else:
        used = data.group_rows(event, key, ADMIN_FORM, "IG.CONDADM")
        g = str(max((int(k) for k in used), default=0) + 1)
    base = ("IG.CONDADM", g)
    values: dict[ItemKey, str | None] = {
        (*base, "IT.CM.DRUG"): drug,
        (*base, "IT.CM.DOSE_GIVEN"): f"{given_mg:g}",
        (*base, "IT.CM.START"): start,
        (*base, "IT.CM.END"): end,
        (*base, "IT.CM.GIVEN_BY"): user.username,
        (*base, "IT.CM.CHECKED_BY"): checker.username,
    }
    if existing is not None:
        if existing.route:
            values[(*base, "IT.CM.ROUTE")] = existing.route
        if existing.dose_basis:
            values[(*base, "IT.CM.DOSE_BASIS")] = existing.dose_basis
        if existing.dose_per_basis is not None:
            values[(*base, "IT.CM.DOSE_PER")] = f"{existing.dose_per_basis:g}"
    save_form(ws, user, subject_key, event, key, ADMIN_FORM, values, reason, confirmations)
    derived.recompute(ws, subject_key)
    auto_advance(ws, user, subject_key)
    return next(r for r in day_doses(ws, user, subject_key, study_day) if r.drug == drug)


def save_isolation_checklist(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    study_day: int,
    values: Mapping[str, str | None],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> None:
    """The day's protective-isolation checklist (F.ISOL; keys are IT.PE.* item OIDs). A value
    outside its soft range (e.g. a room pressure of 1 Pa) needs a comment in
    confirmations[("IG.ISOL", "1", item OID)]."""
    event, key = day_event(study_day)
    save_form(
        ws, user, subject_key, event, key, "F.ISOL",
        {("IG.ISOL", "1", k): v for k, v in values.items()}, reason, confirmations,
    )  # fmt: skip


def busulfan_from(data: SubjectData, ws: Workspace) -> BusulfanView:
    params = rule_params(ws, rules.ConditioningParams, "conditioning")
    doses: list[tuple[int, float]] = []
    for r in data.all("IT.PK.BU_AUC"):
        row = data.row(r.event_oid, r.repeat_key, "F.DLVL", r.group_repeat_key)
        value = as_float(r.value)
        if value is not None:
            doses.append((int(as_float(row.get("IT.PK.BU_DOSE_NO")) or 0), value))
    doses.sort()
    label = f"conditioning.busulfan_auc@{params.version}"
    low = params.busulfan_target_auc_low_mg_h_per_l
    high = params.busulfan_target_auc_high_mg_h_per_l
    if not doses:
        return BusulfanView(None, None, low, high, (), label)
    exposure = rules.busulfan_cumulative_auc([(v, "umol.min/L") for _, v in doses], params)
    return BusulfanView(
        exposure.code, exposure.cumulative_mg_h_per_l, low, high, tuple(doses), label
    )


def busulfan_exposure(ws: Workspace, user: UserSession, subject_key: str) -> BusulfanView:
    """Cumulative busulfan AUC against the target range (conditioning.yaml)."""
    return busulfan_from(_load(ws, user, subject_key), ws)


def record_busulfan_auc(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    study_day: int,
    dose_number: int,
    auc_umol_min_l: float,
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> BusulfanView:
    """Enter one dose's AUC (umol.min/L) on the day's F.DLVL; cumulative exposure is derived. An
    AUC outside its soft range needs a comment in confirmations[("IG.DLVL.BU", dose, item)]."""
    from app.services import derived

    event, key = day_event(study_day)
    values: dict[ItemKey, str | None] = {
        ("IG.DLVL.BU", str(dose_number), "IT.PK.BU_DOSE_NO"): str(dose_number),
        ("IG.DLVL.BU", str(dose_number), "IT.PK.BU_AUC"): f"{auc_umol_min_l:g}",
    }
    save_form(ws, user, subject_key, event, key, "F.DLVL", values, reason, confirmations)
    derived.recompute(ws, subject_key)
    return busulfan_exposure(ws, user, subject_key)


def planned_days(
    plan: ConditioningPlanView, day_zero: date | None
) -> list[tuple[int, date | None]]:
    return [(d, None if day_zero is None else schedule.date_of_study_day(d, day_zero))
            for d in plan.days]  # fmt: skip
