"""Follow-up: the 12 visits (months 3..36 after completion of treatment) with target, window and
status, the derived values beside a visit, and the trend series across visits.

Rules: app.domain.schedule (plan and status), app.domain.growth (BMI), app.domain.units (HbA1c
both units), app.domain.islet_outcome (beta-score, BETA-2, Igls class, from the visit's values and
the enrolment baseline). A visit is done when its F.FU visit date (IT.FU.DTC) is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain import islet_outcome, schedule
from app.domain.schedule import ScheduleParams, ward_today
from app.services._records import subject_by_key
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.permissions import Permission
from app.services.stage_common import (
    NotReady,
    SubjectData,
    as_bool,
    as_float,
    load_subject_data,
    rule_params,
)
from app.services.workspace import Workspace


@dataclass(frozen=True)
class VisitRow:
    month: int
    event_oid: str  # "SE.FU03"
    target: date
    window_open: date
    window_close: date
    status: str  # not_yet_due | due | open | overdue | missed | done
    code: str  # "schedule.visit.<status>"
    done_on: date | None
    done_in_window: bool | None
    days_to_target: int


@dataclass(frozen=True)
class DerivedValue:
    name: str  # "bmi", "hba1c_ifcc", "height_z", "beta_score", "beta2", "igls", ...
    value: str | None
    unit: str | None
    code: str | None  # the rule's result code, e.g. "islet.igls.good"
    rule: str | None


@dataclass(frozen=True)
class TrendPoint:
    month: int
    value: float


@dataclass(frozen=True)
class Trends:
    cpeptide_fasting: tuple[TrendPoint, ...]  # nmol/L
    cpeptide_stimulated: tuple[TrendPoint, ...]
    hba1c: tuple[TrendPoint, ...]  # %
    insulin_u_kg_day: tuple[TrendPoint, ...]
    height_z: tuple[TrendPoint, ...]
    weight_z: tuple[TrendPoint, ...]
    bmi_z: tuple[TrendPoint, ...]


def _load(ws: Workspace, user: UserSession, subject_key: str) -> SubjectData:
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        return load_subject_data(session, subject_by_key(session, subject_key))


def plan_from(data: SubjectData, ws: Workspace, today: date) -> list[VisitRow]:
    from app.services.stage_facts import follow_up_anchor_of, visit_dates

    anchor = follow_up_anchor_of(data, ws)
    if anchor is None:
        return []
    params = rule_params(ws, ScheduleParams, "schedule")
    done = visit_dates(data)
    rows = []
    for visit in schedule.follow_up_plan(anchor, params):
        s = schedule.visit_status(visit, today, done.get(visit.event_oid), params)
        rows.append(
            VisitRow(
                visit.month,
                visit.event_oid,
                visit.target,
                visit.window_open,
                visit.window_close,
                s.status,
                s.code,
                s.done_on,
                s.done_in_window,
                s.days_to_target,
            )
        )
    return rows


def visit_plan(
    ws: Workspace, user: UserSession, subject_key: str, today: date | None = None
) -> list[VisitRow]:
    """The 12 visits with status on `today` (ward date); NotReady before the anchor is set."""
    data = _load(ws, user, subject_key)
    rows = plan_from(data, ws, today or ward_today(ws.clock))
    if not rows:
        raise NotReady(missing="follow_up_anchor")
    return rows


def _glycaemia(data: SubjectData, event: str) -> islet_outcome.Glycaemia | None:
    hba1c = as_float(data.value("IT.LB.HBA1C", event))
    cpep = as_float(data.value("IT.LB.CPEP_S", event)) or as_float(
        data.value("IT.LB.CPEP_F", event)
    )
    insulin = as_float(data.value("IT.EX.INS_KG", event))
    if insulin is None:
        total = as_float(data.value("IT.EX.INS_TOTAL", event))
        weight = as_float(data.value("IT.VS.WEIGHT", event))
        insulin = None if total is None or not weight else total / weight
    hypo = as_float(data.value("IT.HY.N_12M", event)) or 0.0
    if hba1c is None or cpep is None or insulin is None:
        return None
    return islet_outcome.Glycaemia(hba1c, hypo, insulin, cpep)


def derived_for_visit(data: SubjectData, ws: Workspace, event_oid: str) -> list[DerivedValue]:
    p = rule_params(ws, islet_outcome.IsletOutcomeParams, "islet")
    out = [
        DerivedValue("bmi", data.value("IT.VS.BMI", event_oid), "kg/m2", None, None),
        DerivedValue("hba1c_pct", data.value("IT.LB.HBA1C", event_oid), "%", None, None),
        DerivedValue(
            "hba1c_ifcc", data.value("IT.LB.HBA1C_IFCC", event_oid), "mmol/mol", None, None
        ),
        DerivedValue("height_z", data.value("IT.VS.HEIGHT_Z", event_oid), None, None, None),
        DerivedValue("weight_z", data.value("IT.VS.WEIGHT_Z", event_oid), None, None, None),
        DerivedValue("bmi_z", data.value("IT.VS.BMI_Z", event_oid), None, None, None),
    ]
    fpg = as_float(data.value("IT.LB.GLUC_F", event_oid))
    hba1c = as_float(data.value("IT.LB.HBA1C", event_oid))
    cpep_f = as_float(data.value("IT.LB.CPEP_F", event_oid))
    cpep_s = as_float(data.value("IT.LB.CPEP_S", event_oid))
    follow = _glycaemia(data, event_oid)
    insulin = follow.insulin_u_kg_day if follow else None
    oral = bool(as_bool(data.value("IT.EX.OHA", event_oid)))
    if fpg and hba1c and insulin is not None and (cpep_s is not None or (cpep_f or 0) >= 0.3):
        b = islet_outcome.beta_score(fpg, hba1c, insulin, oral, p, cpep_s, cpep_f)
        out.append(DerivedValue("beta_score", str(b.score), None, b.code, b.rule.label()))
    if fpg and hba1c and insulin is not None and cpep_f is not None:
        b2 = islet_outcome.beta2(cpep_f, insulin, fpg, hba1c, p)
        out.append(DerivedValue("beta2", f"{b2.value:.1f}", None, b2.code, b2.rule.label()))
    baseline = _glycaemia(data, "SE.ENROL")
    if baseline is not None and follow is not None:
        ig = islet_outcome.igls(baseline, follow, p)
        out.append(DerivedValue("igls", ig.category, None, ig.code, ig.rule.label()))
    return out


def visit_derived(
    ws: Workspace, user: UserSession, subject_key: str, event_oid: str
) -> list[DerivedValue]:
    """Derived values shown beside a visit's entry: BMI, z-scores, HbA1c both units, beta-score,
    BETA-2, Igls class (vs the enrolment baseline)."""
    return derived_for_visit(_load(ws, user, subject_key), ws, event_oid)


def trends(ws: Workspace, user: UserSession, subject_key: str) -> Trends:
    """Series across follow-up visits (by month) for the trend charts."""
    data = _load(ws, user, subject_key)
    months = {e.oid: e.month for e in ws.require_study().events if e.month is not None}

    def series(item: str) -> tuple[TrendPoint, ...]:
        points = [
            TrendPoint(months[r.event_oid], v)
            for r in data.all(item)
            if r.event_oid in months and (v := as_float(r.value)) is not None
        ]
        return tuple(sorted(points, key=lambda p: p.month))

    insulin = []
    for event, month in months.items():
        g = _glycaemia(data, event)
        total = as_float(data.value("IT.EX.INS_KG", event))
        if total is not None:
            insulin.append(TrendPoint(month, total))
        elif g is not None:
            insulin.append(TrendPoint(month, g.insulin_u_kg_day))
    return Trends(
        series("IT.LB.CPEP_F"),
        series("IT.LB.CPEP_S"),
        series("IT.LB.HBA1C"),
        tuple(sorted(insulin, key=lambda p: p.month)),
        series("IT.VS.HEIGHT_Z"),
        series("IT.VS.WEIGHT_Z"),
        series("IT.VS.BMI_Z"),
    )
