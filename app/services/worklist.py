"""Today on the ward: one row per active subject with what is due and what is wrong.

Every alert comes from a domain rule (engraftment status, dose deviation, visit status, GVHD
grade, drug level range and sampling interval) and names the event/form the row opens.

Drug levels (app.domain.druglevels): a subject is on prophylaxis from its first recorded
ciclosporin or tacrolimus level until study day `prophylaxis_last_day`. While on it, the latest
trough of those drugs (a sample marked as not taken before the dose is no trough and is ignored)
gives "druglevels.status.below/above" when outside the drug's target range, and
"druglevels.due.due" once the drug's sampling interval has passed since it was taken.

Speed (issue 4: < 100 ms for 500 subjects): the first call reads the few items the worklist needs
for every active subject in one query (no N+1); later calls re-read only the subjects the audit
trail shows changed since (every clinical write is audited), plus the open-query counts; then the
rules run per subject on today's date.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.domain import conditioning as cond_rules
from app.domain import druglevels, gvhd, schedule, stages
from app.domain import engraftment as eng
from app.domain.schedule import ScheduleParams, ward_today
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.permissions import Permission
from app.services.stage_common import Target, as_date, as_float, rule_params
from app.services.workspace import Workspace
from db.engine import Database
from db.models import AuditRecord, FormData, ItemData, Query, StudyEvent, Subject

ACTIVE_STAGES = tuple(s.value for s in stages.ACTIVE)
# Stages in hospital: daily isolation checklist and blood count expected.
INPATIENT = (stages.Stage.CONDITIONING.value, stages.Stage.INFUSED.value,
             stages.Stage.ENGRAFTMENT.value)  # fmt: skip
DAY_EVENTS = ("SE.COND", "SE.DAY0", "SE.POST")
# Items every active subject contributes (dates anchoring study days and visits, logs).
GENERAL_ITEMS = (
    "IT.INF.START", "IT.TC.DTC", "IT.IS.INF_START", "IT.FU.DTC", "IT.GV.A_GRADE", "IT.GV.A_DTC",
    "IT.IN.ONSET", "IT.IN.END", "IT.IN.OUTCOME", "IT.PK.DRUG", "IT.PK.CONC", "IT.PK.DTC",
    "IT.PK.TROUGH",
)  # fmt: skip
# Items read only for subjects in hospital (daily counts, doses, isolation).
INPATIENT_ITEMS = (
    "IT.LB.ANC", "IT.LB.PLT", "IT.TR.PRODUCT", "IT.CM.DRUG", "IT.CM.DOSE_GIVEN",
    "IT.CM.DOSE_CALC", "IT.CM.START", "IT.CP.DRUG", "IT.CP.DAY_FROM", "IT.CP.DAY_TO",
    "IT.PE.DTC", "IT.PE.BY",
)  # fmt: skip
FORMS = (
    "F.INFUS", "F.TRTCOMP", "F.ISLINF", "F.FU", "F.AGVHD", "F.INFECT", "F.DLVL", "F.FBC",
    "F.TRANSF", "F.CONDADM", "F.CONDPLAN", "F.ISOL",
)  # fmt: skip
_CLOSED_INFECTION = ("RESOLVED", "RESOLVED_SEQ", "FATAL")
_PRODUCTS = {"PLT": eng.PLATELETS, "RBC": eng.RED_CELLS}


@dataclass(frozen=True)
class Alert:
    code: str  # e.g. "engraftment.status.warning_day28", "schedule.visit.overdue"
    severity: str  # "info" | "warning" | "alert"
    target: Target  # the event/form the row opens for this alert
    values: Mapping[str, object] = field(default_factory=dict)
    rule: str | None = None  # rule@version


@dataclass(frozen=True)
class DrugLevel:
    drug: str  # CL.PKDRUG
    value: float | None  # ng/mL
    on: date | None


@dataclass(frozen=True)
class _Trough:
    """The latest trough level of a monitored prophylaxis drug and where it was entered."""

    event_oid: str
    repeat_key: str
    drug: str
    on: date
    value: float | None


@dataclass(frozen=True)
class VisitSummary:
    month: int
    event_oid: str
    status: str  # app.domain.schedule status
    target: date
    window_close: date


@dataclass(frozen=True)
class WorklistRow:
    subject_key: str
    stage: str
    study_day: int | None  # None before Day 0 is known (planned from conditioning records)
    doses_due: int  # conditioning doses planned today
    doses_given: int
    isolation_done: bool | None  # None outside the inpatient stages
    count_entered: bool | None  # today's blood count, idem
    drug_level: DrugLevel | None  # latest immunosuppressant level (range: druglevels alerts)
    engraftment_status: str | None  # app.domain.engraftment status
    agvhd_grade: int | None  # latest assessment
    infections_open: int
    dose_deviations: int  # administrations beyond the deviation limit
    visit: VisitSummary | None  # the most pressing follow-up visit
    open_queries: int  # open or answered, not yet closed
    alerts: tuple[Alert, ...]
    opens: Target  # where the row opens by default


def item_statement() -> Select[int, str, str, str, str, str, str | None]:
    """The one query of the worklist's items (also timed bare by bench/bench_ward.py)."""
    return (
        select(
            Subject.id,
            StudyEvent.event_oid,
            StudyEvent.repeat_key,
            FormData.form_oid,
            ItemData.group_repeat_key,
            ItemData.item_oid,
            ItemData.value,
        )
        .select_from(Subject)
        .join(StudyEvent, StudyEvent.subject_id == Subject.id)
        .join(FormData, FormData.study_event_id == StudyEvent.id)
        .join(ItemData, ItemData.form_data_id == FormData.id)
        .where(
            Subject.stage.in_(ACTIVE_STAGES),
            FormData.form_oid.in_(FORMS),
            or_(
                ItemData.item_oid.in_(GENERAL_ITEMS),
                Subject.stage.in_(INPATIENT) & ItemData.item_oid.in_(INPATIENT_ITEMS),
            ),
        )
    )


Rows = list[tuple[str, str, str, str, str, str | None]]  # event, repeat, form, grk, item, value


@dataclass
class _Inputs:
    """What the worklist needs of one subject, parsed from its stored items (cached until the
    audit trail shows a change to the subject): nothing here depends on today."""

    key: str
    stage: str
    day0: date | None = None
    day0_recorded: bool = False
    plan: list[tuple[str, int, int]] = field(default_factory=list)  # drug, day from, day to
    given: dict[str, set[str]] = field(default_factory=dict)  # study day -> drugs given
    deviation_alerts: list[Alert] = field(default_factory=list)
    isolation_days: set[str] = field(default_factory=set)
    count_days: set[str] = field(default_factory=set)
    anc: list[eng.Count] = field(default_factory=list)
    platelets: list[eng.Count] = field(default_factory=list)
    transfusions: list[eng.Transfusion] = field(default_factory=list)
    open_infections: list[str] = field(default_factory=list)
    agvhd: tuple[str, int | None] | None = None  # latest assessment: repeat key, grade
    anchor: date | None = None
    visits_done: dict[str, date] = field(default_factory=dict)
    drug_level: DrugLevel | None = None
    trough: _Trough | None = None  # latest trough of ciclosporin or tacrolimus
    graft: tuple[date, eng.EngraftmentStatus] | None = None  # status on the day it was asked


@dataclass
class _Cache:
    study_id: int
    last_audit_id: int
    subjects: dict[int, _Inputs]  # subject id -> inputs (active subjects only)


_CACHES: weakref.WeakKeyDictionary[Database, _Cache] = weakref.WeakKeyDictionary()


def build_worklist(
    ws: Workspace, user: UserSession, today: date | None = None
) -> list[WorklistRow]:
    """Every active subject (by subject ID) with today's tasks and alerts (VIEW_SUBJECTS).

    The parsed inputs of each subject are kept per open database and refreshed for the subjects
    the audit trail shows changed since the last call (every clinical write is audited), so a
    worklist after a save reloads one subject, not the ward.
    """
    today = today or ward_today(ws.clock)
    ctx = _Context(ws)
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        last = int(session.scalar(select(func.max(AuditRecord.id))) or 0)
        cache = _CACHES.get(ws.db)
        if cache is None or cache.study_id != id(ws.require_study()):
            cache = _Cache(id(ws.require_study()), last, _load(session, ctx, None))
            _CACHES[ws.db] = cache
        elif last != cache.last_audit_id:
            paths = session.scalars(
                select(AuditRecord.path).where(AuditRecord.id > cache.last_audit_id)
            )
            changed = {path.split("/", 1)[0].split("[", 1)[0] for path in paths}
            stale = [sid for sid, i in cache.subjects.items() if i.key in changed]
            for sid in stale:
                del cache.subjects[sid]
            cache.subjects.update(_load(session, ctx, changed))
            cache.last_audit_id = last
        queries = dict(
            session.execute(
                select(StudyEvent.subject_id, func.count(Query.id))
                .join(FormData, Query.form_data_id == FormData.id)
                .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
                .where(Query.status != "closed")
                .group_by(StudyEvent.subject_id)
            ).all()
        )
    ordered = sorted(cache.subjects.items(), key=lambda kv: kv[1].key)
    return [_evaluate(ctx, inputs, int(queries.get(sid, 0)), today) for sid, inputs in ordered]


def _load(session: Session, ctx: _Context, keys: set[str] | None) -> dict[int, _Inputs]:
    """Parse the worklist items of the active subjects (all, or those with `keys`)."""
    subjects = select(Subject.id, Subject.subject_key, Subject.stage).where(
        Subject.stage.in_(ACTIVE_STAGES)
    )
    items = item_statement()
    if keys is not None:
        if not keys:
            return {}
        subjects = subjects.where(Subject.subject_key.in_(keys))
        items = items.where(Subject.subject_key.in_(keys))
    rows: dict[int, Rows] = {}
    for sid, event, repeat, form, grk, item, value in _plain_rows(session, items):
        rows.setdefault(sid, []).append((event, repeat, form, grk, item, value))
    return {
        sid: _parse(ctx, key, stage, rows.get(sid, []))
        for sid, key, stage in session.execute(subjects)
    }


def _plain_rows(
    session: Session, statement: Select[int, str, str, str, str, str, str | None]
) -> list[tuple[Any, ...]]:
    """The rows as plain tuples from the driver's cursor: tens of thousands of rows on the first
    worklist of a session, where SQLAlchemy's Row objects would cost a fifth of the time."""
    connection = session.connection()
    compiled = statement.compile(connection.engine, compile_kwargs={"render_postcompile": True})
    parameters = compiled.construct_params()
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            str(compiled), tuple(parameters[name] for name in compiled.positiontup or ())
        )
        return list(cursor.fetchall())
    finally:
        cursor.close()


class _Context:
    """Rule parameters, read once per worklist."""

    def __init__(self, ws: Workspace) -> None:
        self.schedule = rule_params(ws, ScheduleParams, "schedule")
        self.engraftment = rule_params(ws, eng.EngraftmentParams, "engraftment")
        self.conditioning = rule_params(ws, cond_rules.ConditioningParams, "conditioning")
        self.gvhd = rule_params(ws, gvhd.AcuteGvhdParams, "gvhd")
        self.druglevels = rule_params(ws, druglevels.DrugLevelParams, "druglevels")
        study = ws.require_study()
        self.level_unit = study.rule_input("druglevels.concentration").unit or ""
        # Day events where a level can be entered (not Day 0 itself).
        self.level_events = {e.oid for e in study.events if "F.DLVL" in e.forms}


def _day0(rows: Rows, ctx: _Context) -> tuple[date | None, bool]:
    """Day 0 (recorded infusion), else planned from dated conditioning records; and whether it
    is the recorded one."""
    infused = [d for e, _r, _f, _g, i, v in rows if i == "IT.INF.START" and (d := as_date(v))]
    if infused:
        return schedule.day0(infused, ctx.schedule), True
    for e, r, _f, _g, i, v in rows:
        if e == "SE.COND" and i in ("IT.CM.START", "IT.PE.DTC") and (d := as_date(v)):
            return d - timedelta(days=int(r)), False
    return None, False


def _parse(ctx: _Context, key: str, stage: str, rows: Rows) -> _Inputs:
    out = _Inputs(key, stage)
    out.day0, out.day0_recorded = _day0(rows, ctx)
    plan: dict[str, dict[str, str]] = {}
    admin: dict[tuple[str, str], dict[str, str]] = {}
    infections: dict[str, dict[str, str]] = {}
    agvhd: dict[str, dict[str, str]] = {}
    anchor_islet: list[date] = []
    anchor_complete: date | None = None
    for e, r, f, g, i, v in rows:
        if v is None:
            continue
        if f == "F.CONDPLAN":
            plan.setdefault(g, {})[i] = v
        elif f == "F.CONDADM":
            admin.setdefault((r, g), {})[i] = v
        elif f == "F.ISOL":
            out.isolation_days.add(r if e != "SE.DAY0" else "0")
        elif f == "F.FBC" and e in DAY_EVENTS:
            day = int(r or 0)
            out.count_days.add(str(day))
            number = as_float(v)
            if number is not None:
                (out.anc if i == "IT.LB.ANC" else out.platelets).append(eng.Count(day, number))
        elif f == "F.TRANSF" and e in DAY_EVENTS:
            out.transfusions.append(eng.Transfusion(int(r or 0), _PRODUCTS.get(v, v)))
        elif f == "F.INFECT":
            infections.setdefault(r, {})[i] = v
        elif f == "F.AGVHD":
            agvhd.setdefault(r, {})[i] = v
        elif f == "F.FU" and (d := as_date(v)):
            out.visits_done[e] = d
        elif i == "IT.IS.INF_START" and (d := as_date(v)):
            anchor_islet.append(d)
        elif i == "IT.TC.DTC":
            anchor_complete = as_date(v)
    out.plan = [
        (p["IT.CP.DRUG"], int(p["IT.CP.DAY_FROM"]), int(p["IT.CP.DAY_TO"]))
        for p in plan.values()
        if {"IT.CP.DRUG", "IT.CP.DAY_FROM", "IT.CP.DAY_TO"} <= p.keys()
    ]
    for (r, _g), a in admin.items():
        if "IT.CM.DOSE_GIVEN" in a and "IT.CM.DRUG" in a:
            out.given.setdefault(r, set()).add(a["IT.CM.DRUG"])
        given, calc = as_float(a.get("IT.CM.DOSE_GIVEN")), as_float(a.get("IT.CM.DOSE_CALC"))
        if given is not None and calc:
            dev = cond_rules.dose_deviation(given, calc, ctx.conditioning)
            if dev.code == "conditioning.deviation.warn":
                values = {"percent": round(dev.deviation_percent, 1), "drug": a.get("IT.CM.DRUG")}
                target = Target("SE.COND", r, "F.CONDADM")
                out.deviation_alerts.append(
                    Alert(dev.code, "warning", target, values, dev.rule.label())
                )
    out.open_infections = [
        k
        for k, v in infections.items()
        if "IT.IN.END" not in v and v.get("IT.IN.OUTCOME") not in _CLOSED_INFECTION
    ]
    if agvhd:
        latest = max(
            agvhd,
            key=lambda k: (
                as_date(agvhd[k].get("IT.GV.A_DTC")) or date.min,
                int(k) if k.isdigit() else 0,
            ),
        )
        grade_text = agvhd[latest].get("IT.GV.A_GRADE")
        out.agvhd = (latest, None if grade_text is None else int(grade_text))
    out.anchor = schedule.follow_up_anchor(
        min(anchor_islet) if anchor_islet else None, anchor_complete, ctx.schedule
    ).anchor
    levels = _levels(rows)
    if levels:
        on, drug, value, *_ = max(levels, key=_sampled)
        out.drug_level = DrugLevel(drug, value, on)
    troughs = [x for x in levels if druglevels.monitored(x[1]) and x[3] != "N"]
    if troughs:
        on, drug, value, _trough, event, repeat, _at = max(troughs, key=_sampled)
        out.trough = _Trough(event, repeat, drug, on, value)
    return out


def _evaluate(ctx: _Context, inp: _Inputs, open_queries: int, today: date) -> WorklistRow:
    alerts: list[Alert] = []
    stage = inp.stage
    sday = None if inp.day0 is None else (today - inp.day0).days
    event_today, repeat_today = _day_event(sday)

    doses_due = doses_given = 0
    if (
        sday is not None
        and sday < 0
        and stage in (stages.Stage.UNIT_SELECTED.value, stages.Stage.CONDITIONING.value)
    ):
        due = {drug for drug, first, last in inp.plan if first <= sday <= last}
        given_today = inp.given.get(str(sday), set())
        doses_due, doses_given = len(due), len(due & given_today)
        if due - given_today:
            target = Target("SE.COND", str(sday), "F.CONDADM")
            values = {"due": len(due), "given": doses_given}
            alerts.append(Alert("ward.doses_due", "info", target, values))
    alerts.extend(inp.deviation_alerts)

    isolation_done = count_done = None
    if stage in INPATIENT and sday is not None:
        isolation_done = repeat_today in inp.isolation_days
        count_done = repeat_today in inp.count_days
        where = _rk(event_today, repeat_today)
        if not isolation_done:
            alerts.append(Alert("ward.isolation_due", "info", Target(event_today, where, "F.ISOL")))
        if not count_done:
            alerts.append(Alert("ward.count_due", "info", Target(event_today, where, "F.FBC")))

    status = None
    if inp.day0_recorded and stage in (
        stages.Stage.INFUSED.value,
        stages.Stage.ENGRAFTMENT.value,
    ):
        if inp.graft is None or inp.graft[0] != today:
            status_today = eng.engraftment_status(
                inp.anc, inp.platelets, inp.transfusions, sday or 0, ctx.engraftment
            )
            inp.graft = (today, status_today)
        result = inp.graft[1]
        status = result.status
        severity = _GRAFT_SEVERITY.get(status)
        if severity:
            target = Target("SE.POST", str(sday), "F.FBC")
            graft: dict[str, object] = {"study_day": sday}
            alerts.append(Alert(result.code, severity, target, graft, result.rule.label()))

    grade = None
    if inp.agvhd is not None:
        latest, grade = inp.agvhd
        severity = None if grade is None else gvhd.grade_alert(grade, ctx.gvhd)
        if severity is not None:
            target = Target("SE.AGVHD", latest, "F.AGVHD")
            alerts.append(Alert(f"gvhd.acute.grade_{grade}", severity, target, {"grade": grade}))

    if inp.trough is not None and sday is not None:
        alerts.extend(_level_alerts(ctx, inp.trough, sday, today))

    for k in inp.open_infections:
        alerts.append(Alert("ward.infection_open", "warning", Target("SE.INF", k, "F.INFECT")))

    visit = None
    if inp.anchor is not None:
        visit, visit_alerts = _visits(inp.anchor, inp.visits_done, today, ctx)
        alerts.extend(visit_alerts)

    if open_queries:
        alerts.append(
            Alert("ward.queries_open", "info", Target("", "", None), {"count": open_queries})
        )

    return WorklistRow(
        subject_key=inp.key,
        stage=stage,
        study_day=sday,
        doses_due=doses_due,
        doses_given=doses_given,
        isolation_done=isolation_done,
        count_entered=count_done,
        drug_level=inp.drug_level,
        engraftment_status=status,
        agvhd_grade=grade,
        infections_open=len(inp.open_infections),
        dose_deviations=len(inp.deviation_alerts),
        visit=visit,
        open_queries=open_queries,
        alerts=tuple(alerts),
        opens=_stage_target(stage, sday),
    )


_GRAFT_SEVERITY = {
    "warning_day28": "warning",
    "primary_graft_failure": "alert",
    "secondary_graft_failure": "alert",
}


def _level_alerts(ctx: _Context, level: _Trough, sday: int, today: date) -> list[Alert]:
    """Out of the target range and next sample due, while the subject is on prophylaxis."""
    params = ctx.druglevels
    if not druglevels.on_prophylaxis(sday, True, params) or level.on > today:
        return []
    alerts = []
    if level.value is not None:
        status = druglevels.level_status(level.drug, level.value, ctx.level_unit, params)
        if status.status != druglevels.WITHIN:
            target = Target(level.event_oid, level.repeat_key, "F.DLVL")
            values = {"drug": level.drug, "value": level.value, "low": status.low,
                      "high": status.high, "on": level.on.isoformat()}  # fmt: skip
            alerts.append(Alert(status.code, "warning", target, values, status.rule.label()))
    due = druglevels.level_due(level.drug, level.on, today, params)
    if due.status == druglevels.DUE:
        event, repeat = _day_event(sday)
        if event not in ctx.level_events:  # Day 0: open the last sample's day instead
            event, repeat = level.event_oid, level.repeat_key
        values = {"drug": level.drug, "days_since": due.days_since, "interval": due.interval_days}
        target = Target(event, repeat, "F.DLVL")
        alerts.append(Alert(due.code, "info", target, values, due.rule.label()))
    return alerts


_Level = tuple[date, str, float | None, str | None, str, str, str]


def _sampled(level: _Level) -> tuple[date, str]:
    """Order of sampling: the date, then the stored date-time text (ISO, so it sorts)."""
    return level[0], level[6]


def _levels(rows: Rows) -> list[_Level]:
    """(date, drug, ng/mL, trough Y/N, event, repeat, sampled at) of every dated drug level."""
    by_row: dict[tuple[str, str, str], dict[str, str]] = {}
    for e, r, f, g, i, v in rows:
        if f == "F.DLVL" and v is not None and i.startswith("IT.PK."):
            by_row.setdefault((e, r, g), {})[i] = v
    out = []
    for (e, r, _g), values in by_row.items():
        when = as_date(values.get("IT.PK.DTC"))
        if when is not None and "IT.PK.DRUG" in values:
            out.append((when, values["IT.PK.DRUG"], as_float(values.get("IT.PK.CONC")),
                        values.get("IT.PK.TROUGH"), e, r, values["IT.PK.DTC"]))  # fmt: skip
    return out


def _in_range(plan: Mapping[str, str], sday: int) -> bool:
    try:
        return "IT.CP.DRUG" in plan and int(plan["IT.CP.DAY_FROM"]) <= sday <= int(
            plan["IT.CP.DAY_TO"]
        )
    except (KeyError, ValueError):
        return False


def _day_event(sday: int | None) -> tuple[str, str]:
    if sday is None or sday < 0:
        return "SE.COND", "" if sday is None else str(sday)
    if sday == 0:
        return "SE.DAY0", "0"
    return "SE.POST", str(sday)


def _rk(event: str, repeat: str) -> str:
    return "" if event == "SE.DAY0" else repeat


_VISIT_SEVERITY = {"due": "info", "open": "info", "overdue": "warning", "missed": "alert"}
_URGENCY = {"missed": 0, "overdue": 1, "open": 2, "due": 3}


def _visits(
    anchor: date, done: Mapping[str, date], today: date, ctx: _Context
) -> tuple[VisitSummary | None, list[Alert]]:
    alerts: list[Alert] = []
    pressing: tuple[int, VisitSummary] | None = None
    for v in schedule.follow_up_plan(anchor, ctx.schedule):
        s = schedule.visit_status(v, today, done.get(v.event_oid), ctx.schedule)
        target = Target(v.event_oid, "", "F.FU")
        if s.status == "done" and s.done_in_window is False:
            alerts.append(Alert("schedule.visit.out_of_window", "warning", target,
                                {"month": v.month}, s.rule.label()))  # fmt: skip
        if s.status in _VISIT_SEVERITY:
            alerts.append(Alert(s.code, _VISIT_SEVERITY[s.status], target,
                                {"month": v.month, "days_to_target": s.days_to_target},
                                s.rule.label()))  # fmt: skip
            summary = VisitSummary(v.month, v.event_oid, s.status, v.target, v.window_close)
            rank = _URGENCY[s.status]
            if pressing is None or rank < pressing[0]:
                pressing = (rank, summary)
    return (None if pressing is None else pressing[1]), alerts


def _stage_target(stage: str, sday: int | None) -> Target:
    """The screen a row opens: the stage's main form (today's day for the daily stages)."""
    s = stages.Stage(stage)
    if s in (stages.Stage.SCREENING,):
        return Target("SE.SCREEN", "", "F.ELIG")
    if s is stages.Stage.ENROLLED:
        return Target("SE.CBU", "", "F.CBU")
    if s is stages.Stage.UNIT_SELECTED:
        return Target("SE.CONDPLAN", "", "F.CONDPLAN")
    if s is stages.Stage.CONDITIONING:
        return Target("SE.COND", "" if sday is None else str(sday), "F.CONDADM")
    if s is stages.Stage.INFUSED and (sday is None or sday <= 0):
        return Target("SE.DAY0", "", "F.INFUS")
    if s in (stages.Stage.INFUSED, stages.Stage.ENGRAFTMENT):
        return Target("SE.POST", "" if sday is None else str(sday), "F.FBC")
    if s is stages.Stage.ISLET_ELIGIBILITY:
        return Target("SE.ISLELIG", "", "F.ISLELIG")
    if s is stages.Stage.ISLET_TRANSPLANTED:
        return Target("SE.ISLINF", "1", "F.ISLINF")
    if s is stages.Stage.TREATMENT_COMPLETE:
        return Target("SE.TRTCOMP", "", "F.TRTCOMP")
    return Target("SE.FU03", "", "F.FU")
