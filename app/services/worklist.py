"""Today on the ward: one row per active subject with what is due and what is wrong.

Every alert comes from a domain rule (engraftment status, dose deviation, visit status, GVHD
grade) and names the event/form the row opens. Speed (issue 4: < 100 ms for 500 subjects): three
queries in all, whatever the number of subjects - the subjects, the few items the worklist reads
(joined subject -> event -> form -> item in that order so SQLite walks the indexes and never
scans every item), and the open-query counts - then plain Python per subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, func, or_, select

from app.domain import conditioning as cond_rules
from app.domain import engraftment as eng
from app.domain import schedule, stages
from app.domain.schedule import ScheduleParams, ward_today
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.permissions import Permission
from app.services.stage_common import Target, as_date, as_float, rule_params
from app.services.workspace import Workspace
from db.models import FormData, ItemData, Query, StudyEvent, Subject

ACTIVE_STAGES = tuple(s.value for s in stages.ACTIVE)
# Stages in hospital: daily isolation checklist and blood count expected.
INPATIENT = (stages.Stage.CONDITIONING.value, stages.Stage.INFUSED.value,
             stages.Stage.ENGRAFTMENT.value)  # fmt: skip
DAY_EVENTS = ("SE.COND", "SE.DAY0", "SE.POST")
# Clinically significant acute GVHD is grade II-IV (DOMAIN.md 3.2, MAGIC; systemic treatment).
AGVHD_ALERT_GRADE = 2
# Items every active subject contributes (dates anchoring study days and visits, logs).
GENERAL_ITEMS = (
    "IT.INF.START", "IT.TC.DTC", "IT.IS.INF_START", "IT.FU.DTC", "IT.GV.A_GRADE", "IT.GV.A_DTC",
    "IT.IN.ONSET", "IT.IN.END", "IT.IN.OUTCOME", "IT.PK.DRUG", "IT.PK.CONC", "IT.PK.DTC",
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
    drug_level: DrugLevel | None  # latest immunosuppressant level (no range rule yet)
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


def build_worklist(
    ws: Workspace, user: UserSession, today: date | None = None
) -> list[WorklistRow]:
    """Every active subject (by subject ID) with today's tasks and alerts (VIEW_SUBJECTS)."""
    today = today or ward_today(ws.clock)
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        subjects = session.execute(
            select(Subject.id, Subject.subject_key, Subject.stage)
            .where(Subject.stage.in_(ACTIVE_STAGES))
            .order_by(Subject.subject_key)
        ).all()
        items: dict[int, Rows] = {}
        for sid, event, repeat, form, grk, item, value in session.execute(item_statement()):
            items.setdefault(sid, []).append((event, repeat, form, grk, item, value))
        queries = dict(
            session.execute(
                select(StudyEvent.subject_id, func.count(Query.id))
                .join(FormData, Query.form_data_id == FormData.id)
                .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
                .where(Query.status != "closed")
                .group_by(StudyEvent.subject_id)
            ).all()
        )
    ctx = _Context(ws)
    return [
        _row(ctx, key, stage, items.get(sid, []), int(queries.get(sid, 0)), today)
        for sid, key, stage in subjects
    ]


class _Context:
    """Rule parameters, read once per worklist."""

    def __init__(self, ws: Workspace) -> None:
        self.schedule = rule_params(ws, ScheduleParams, "schedule")
        self.engraftment = rule_params(ws, eng.EngraftmentParams, "engraftment")
        self.conditioning = rule_params(ws, cond_rules.ConditioningParams, "conditioning")


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


def _row(
    ctx: _Context, key: str, stage: str, rows: Rows, open_queries: int, today: date
) -> WorklistRow:
    alerts: list[Alert] = []
    day_zero, recorded = _day0(rows, ctx)
    sday = None if day_zero is None else (today - day_zero).days
    inpatient = stage in INPATIENT
    event_today, repeat_today = _day_event(sday)

    # Conditioning doses planned and given today (plan rows x administrations of the day).
    plan: dict[str, dict[str, str]] = {}
    given_today: set[str] = set()
    admin: dict[tuple[str, str], dict[str, str]] = {}
    anc: list[eng.Count] = []
    plt: list[eng.Count] = []
    tx: list[eng.Transfusion] = []
    isolation_days: set[str] = set()
    count_days: set[str] = set()
    infections: dict[str, dict[str, str]] = {}
    agvhd: dict[str, dict[str, str]] = {}
    visits_done: dict[str, date] = {}
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
            isolation_days.add(r if e != "SE.DAY0" else "0")
        elif f == "F.FBC" and e in DAY_EVENTS:
            day = int(r or 0)
            count_days.add(str(day))
            number = as_float(v)
            if number is not None:
                (anc if i == "IT.LB.ANC" else plt).append(eng.Count(day, number))
        elif f == "F.TRANSF" and e in DAY_EVENTS:
            tx.append(eng.Transfusion(int(r or 0), _PRODUCTS.get(v, v)))
        elif f == "F.INFECT":
            infections.setdefault(r, {})[i] = v
        elif f == "F.AGVHD":
            agvhd.setdefault(r, {})[i] = v
        elif f == "F.FU" and (d := as_date(v)):
            visits_done[e] = d
        elif i == "IT.IS.INF_START" and (d := as_date(v)):
            anchor_islet.append(d)
        elif i == "IT.TC.DTC":
            anchor_complete = as_date(v)
    levels = _levels(rows)

    doses_due = doses_given = deviations = 0
    if sday is not None and sday < 0 and stage in (
        stages.Stage.UNIT_SELECTED.value, stages.Stage.CONDITIONING.value
    ):  # fmt: skip
        due = {p["IT.CP.DRUG"] for p in plan.values() if _in_range(p, sday)}
        given_today = {a["IT.CM.DRUG"] for (r, _g), a in admin.items()
                       if r == str(sday) and "IT.CM.DOSE_GIVEN" in a and "IT.CM.DRUG" in a}  # fmt: skip
        doses_due, doses_given = len(due), len(due & given_today)
        target = Target("SE.COND", str(sday), "F.CONDADM")
        if due - given_today:
            alerts.append(Alert("ward.doses_due", "info", target,
                                {"due": len(due), "given": doses_given}))  # fmt: skip
    for (r, _g), a in admin.items():
        given, calc = as_float(a.get("IT.CM.DOSE_GIVEN")), as_float(a.get("IT.CM.DOSE_CALC"))
        if given is not None and calc:
            dev = cond_rules.dose_deviation(given, calc, ctx.conditioning)
            if dev.code == "conditioning.deviation.warn":
                deviations += 1
                alerts.append(Alert(dev.code, "warning", Target("SE.COND", r, "F.CONDADM"),
                                    {"percent": round(dev.deviation_percent, 1),
                                     "drug": a.get("IT.CM.DRUG")}, dev.rule.label()))  # fmt: skip

    isolation_done = count_done = None
    if inpatient and sday is not None:
        isolation_done = repeat_today in isolation_days
        count_done = repeat_today in count_days
        if not isolation_done:
            alerts.append(
                Alert(
                    "ward.isolation_due",
                    "info",
                    Target(event_today, _rk(event_today, repeat_today), "F.ISOL"),
                )
            )
        if not count_done:
            alerts.append(
                Alert(
                    "ward.count_due",
                    "info",
                    Target(event_today, _rk(event_today, repeat_today), "F.FBC"),
                )
            )

    status = None
    if recorded and day_zero is not None and stage in (
        stages.Stage.INFUSED.value, stages.Stage.ENGRAFTMENT.value
    ):  # fmt: skip
        result = eng.engraftment_status(anc, plt, tx, sday or 0, ctx.engraftment)
        status = result.status
        severity = {"warning_day28": "warning", "primary_graft_failure": "alert",
                    "secondary_graft_failure": "alert"}.get(status)  # fmt: skip
        if severity:
            alerts.append(Alert(result.code, severity, Target("SE.POST", str(sday), "F.FBC"),
                                {"study_day": sday}, result.rule.label()))  # fmt: skip

    grade = None
    if agvhd:
        latest_key = max(agvhd, key=lambda k: (as_date(agvhd[k].get("IT.GV.A_DTC")) or date.min,
                                               int(k) if k.isdigit() else 0))  # fmt: skip
        grade_text = agvhd[latest_key].get("IT.GV.A_GRADE")
        grade = None if grade_text is None else int(grade_text)
        if grade is not None and grade >= AGVHD_ALERT_GRADE:
            alerts.append(
                Alert(
                    f"gvhd.acute.grade_{grade}",
                    "alert" if grade >= 3 else "warning",
                    Target("SE.AGVHD", latest_key, "F.AGVHD"),
                    {"grade": grade},
                )
            )

    open_infections = [
        k
        for k, v in infections.items()
        if "IT.IN.END" not in v and v.get("IT.IN.OUTCOME") not in _CLOSED_INFECTION
    ]
    for k in open_infections:
        alerts.append(Alert("ward.infection_open", "warning", Target("SE.INF", k, "F.INFECT")))

    visit = None
    anchor = schedule.follow_up_anchor(min(anchor_islet) if anchor_islet else None,
                                       anchor_complete, ctx.schedule).anchor  # fmt: skip
    if anchor is not None:
        visit, visit_alerts = _visits(anchor, visits_done, today, ctx)
        alerts.extend(visit_alerts)

    if open_queries:
        alerts.append(Alert("ward.queries_open", "info", Target("", "", None),
                            {"count": open_queries}))  # fmt: skip

    drug_level = None
    if levels:
        on, drug, value = max(levels, key=lambda x: x[0])
        drug_level = DrugLevel(drug, value, on)

    return WorklistRow(
        subject_key=key,
        stage=stage,
        study_day=sday,
        doses_due=doses_due,
        doses_given=doses_given,
        isolation_done=isolation_done,
        count_entered=count_done,
        drug_level=drug_level,
        engraftment_status=status,
        agvhd_grade=grade,
        infections_open=len(open_infections),
        dose_deviations=deviations,
        visit=visit,
        open_queries=open_queries,
        alerts=tuple(alerts),
        opens=_stage_target(stage, sday),
    )


def _levels(rows: Rows) -> list[tuple[date, str, float | None]]:
    by_row: dict[tuple[str, str, str], dict[str, str]] = {}
    for e, r, f, g, i, v in rows:
        if f == "F.DLVL" and v is not None and i.startswith("IT.PK."):
            by_row.setdefault((e, r, g), {})[i] = v
    out = []
    for values in by_row.values():
        when = as_date(values.get("IT.PK.DTC"))
        if when is not None and "IT.PK.DRUG" in values:
            out.append((when, values["IT.PK.DRUG"], as_float(values.get("IT.PK.CONC"))))
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
