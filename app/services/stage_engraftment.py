"""Engraftment and post-transplant care: the daily blood-count grid, neutrophil and platelet
recovery with the chart series, graft-failure status, chimerism, drug levels and acute GVHD.

Counts live in F.FBC of SE.POST[study day] (transfusions in F.TRANSF of the same event), so the
repeat key is the study day. Recovery and status come from app.domain.engraftment only; the
derived F.ENGR items of each SE.ENGnn assessment are written by app.services.derived.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain import druglevels
from app.domain import engraftment as eng
from app.domain.schedule import ScheduleParams, date_of_study_day, ward_today
from app.domain.schedule import day0 as day0_of
from app.domain.schedule import study_day as study_day_of
from app.services._records import subject_by_key
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.errors import FormValidationFailed
from app.services.forms import ItemKey, ItemProblem, save_form, validate_values
from app.services.permissions import Permission
from app.services.stage_common import (
    NotReady,
    SubjectData,
    as_date,
    as_float,
    load_subject_data,
    repeat_sort,
    rule_params,
)
from app.services.workspace import Workspace

POST_EVENT = "SE.POST"
FBC_FORM = "F.FBC"
TRANSF_FORM = "F.TRANSF"
COUNT_EVENTS = ("SE.COND", "SE.DAY0", "SE.POST")  # repeat key = study day ("0" for Day 0)
_PRODUCTS = {"PLT": eng.PLATELETS, "RBC": eng.RED_CELLS}
_COUNT_ITEMS = {
    "anc": "IT.LB.ANC",
    "platelets": "IT.LB.PLT",
    "hb": "IT.LB.HGB",
    "wbc": "IT.LB.WBC",
    "lymphocytes": "IT.LB.LYM",
}


@dataclass(frozen=True)
class CountRow:
    """One study day of the grid (values as stored text; None = not entered)."""

    study_day: int
    date: date | None
    anc: str | None = None  # 10^9/L
    platelets: str | None = None  # 10^9/L
    hb: str | None = None  # g/L
    wbc: str | None = None  # 10^9/L
    lymphocytes: str | None = None  # 10^9/L
    transfusions: tuple[str, ...] = ()  # CL.BLOODPROD codes given that day, e.g. ("PLT",)


@dataclass(frozen=True)
class SeriesPoint:
    study_day: int
    anc: float | None
    platelets: float | None
    platelet_transfusion: bool


@dataclass(frozen=True)
class EngraftmentSummary:
    subject_key: str
    day0: date | None
    as_of_day: int | None
    status: str | None  # app.domain.engraftment status; None before Day 0
    status_code: str | None  # "engraftment.status.<status>" for the UI
    neutrophil_day: int | None
    neutrophil_date: date | None
    platelet_day: int | None
    platelet_date: date | None
    anc_threshold: float
    platelet_threshold: float
    early_warning_day: int
    primary_failure_day: int
    series: tuple[SeriesPoint, ...]
    rule: str  # rule@version


def day0_from(data: SubjectData, ws: Workspace) -> date | None:
    """Day 0: the infusion start of the (first) unit (app.domain.schedule.day0)."""
    dates = [d for r in data.all("IT.INF.START", "SE.DAY0") if (d := as_date(r.value))]
    if not dates:
        return None
    return day0_of(dates, rule_params(ws, ScheduleParams, "schedule"))


def counts_from(
    data: SubjectData,
) -> tuple[list[eng.Count], list[eng.Count], list[eng.Transfusion]]:
    """ANC, platelet counts and transfusions keyed by study day (repeat key of the day events)."""
    anc: list[eng.Count] = []
    plt: list[eng.Count] = []
    tx: list[eng.Transfusion] = []
    for r in data.all("IT.LB.ANC"):
        if r.event_oid in COUNT_EVENTS and (v := as_float(r.value)) is not None:
            anc.append(eng.Count(int(r.repeat_key or 0), v))
    for r in data.all("IT.LB.PLT"):
        if r.event_oid in COUNT_EVENTS and (v := as_float(r.value)) is not None:
            plt.append(eng.Count(int(r.repeat_key or 0), v))
    for r in data.all("IT.TR.PRODUCT"):
        if r.event_oid in COUNT_EVENTS and r.value is not None:
            tx.append(eng.Transfusion(int(r.repeat_key or 0), _PRODUCTS.get(r.value, r.value)))
    return anc, plt, tx


def status_of(data: SubjectData, ws: Workspace, today: date) -> eng.EngraftmentStatus | None:
    """Engraftment status on `today`'s study day; None before an infusion is recorded."""
    day_zero = day0_from(data, ws)
    if day_zero is None:
        return None
    anc, plt, tx = counts_from(data)
    params = rule_params(ws, eng.EngraftmentParams, "engraftment")
    return eng.engraftment_status(anc, plt, tx, study_day_of(today, day_zero), params)


def _load(ws: Workspace, user: UserSession, subject_key: str) -> SubjectData:
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        return load_subject_data(session, subject_by_key(session, subject_key))


def daily_counts(ws: Workspace, user: UserSession, subject_key: str) -> list[CountRow]:
    """The grid: one row per post-transplant day from Day 0 up to today (or the last count).

    Raises NotReady before Day 0 is recorded.
    """
    return count_rows_from(_load(ws, user, subject_key), ws)


def count_rows_from(data: SubjectData, ws: Workspace) -> list[CountRow]:
    day_zero = day0_from(data, ws)
    if day_zero is None:
        raise NotReady(missing="day0")
    today_day = study_day_of(ward_today(ws.clock), day_zero)
    stored = {int(k) for k in data.repeats(POST_EVENT)}
    last = max([today_day, *stored]) if stored else today_day
    rows = []
    for day in range(1, max(last, 0) + 1):
        key = str(day)
        values = data.row(POST_EVENT, key, FBC_FORM, "1")
        tx = tuple(
            v
            for g in data.group_rows(POST_EVENT, key, TRANSF_FORM, "IG.TRANSF")
            if (v := data.row(POST_EVENT, key, TRANSF_FORM, g).get("IT.TR.PRODUCT"))
        )
        rows.append(
            CountRow(
                day,
                date_of_study_day(day, day_zero),
                values.get("IT.LB.ANC"),
                values.get("IT.LB.PLT"),
                values.get("IT.LB.HGB"),
                values.get("IT.LB.WBC"),
                values.get("IT.LB.LYM"),
                tx,
            )
        )
    return rows


def save_daily_counts(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    rows: Sequence[CountRow],
    reason: str | None = None,
    confirmations: Mapping[int, Mapping[str, str]] | None = None,
) -> int:
    """Save the grid rows (one F.FBC per study day, transfusions in F.TRANSF), then recompute the
    derived engraftment items. Returns the number of items changed. A changed saved value needs
    `reason` (ReasonRequired); soft-range values need a comment in confirmations[day][field].
    """
    from app.services import derived
    from app.services.stage_facts import auto_advance

    data = _load(ws, user, subject_key)
    day_zero = day0_from(data, ws)
    if day_zero is None:
        raise NotReady(missing="day0")
    entries = [(row, *_count_values(row, confirmations)) for row in rows]
    _check_counts(ws, entries)  # every day checked before any is written
    changed = 0
    for row, values, confirm in entries:
        key = str(row.study_day)
        if values:
            when = date_of_study_day(row.study_day, day_zero).isoformat() + "T08:00:00"
            if data.value("IT.LB.FBC_DTC", POST_EVENT, key) is None:
                values[("IG.FBC", "1", "IT.LB.FBC_DTC")] = when
            result = save_form(
                ws, user, subject_key, POST_EVENT, key, FBC_FORM, values, reason, confirm,
                recompute=False,  # once for the whole grid, below
            )  # fmt: skip
            changed += result.changed_items
        existing = len(data.group_rows(POST_EVENT, key, TRANSF_FORM, "IG.TRANSF"))
        for n, product in enumerate(row.transfusions[existing:], start=existing + 1):
            when = date_of_study_day(row.study_day, day_zero).isoformat() + "T12:00:00"
            tx_values: dict[ItemKey, str | None] = {
                ("IG.TRANSF", str(n), "IT.TR.PRODUCT"): product,
                ("IG.TRANSF", str(n), "IT.TR.DTC"): when,
            }
            changed += save_form(
                ws, user, subject_key, POST_EVENT, key, TRANSF_FORM, tx_values, recompute=False
            ).changed_items
    derived.recompute(ws, subject_key)
    auto_advance(ws, user, subject_key)
    return changed


def _count_values(
    row: CountRow, confirmations: Mapping[int, Mapping[str, str]] | None
) -> tuple[dict[ItemKey, str | None], dict[ItemKey, str]]:
    """The F.FBC values of one grid row and the soft-range comments given for them."""
    values: dict[ItemKey, str | None] = {}
    confirm: dict[ItemKey, str] = {}
    for field_name, item_oid in _COUNT_ITEMS.items():
        value = getattr(row, field_name)
        if value is None:
            continue
        ikey = ("IG.FBC", "1", item_oid)
        values[ikey] = value
        comment = (confirmations or {}).get(row.study_day, {}).get(field_name)
        if comment:
            confirm[ikey] = comment
    return values, confirm


def _check_counts(
    ws: Workspace,
    entries: Sequence[tuple[CountRow, dict[ItemKey, str | None], dict[ItemKey, str]]],
) -> None:
    """FormValidationFailed for the whole grid, each problem naming its study day and grid field
    (values "study_day", "field"), so the screen can ask a soft-range comment per cell."""
    fields = {item: name for name, item in _COUNT_ITEMS.items()}
    problems = [
        ItemProblem(p.key, p.code, {**p.values, "study_day": row.study_day,
                                    "field": fields.get(p.key[2], p.key[2])})
        for row, values, confirm in entries
        for p in validate_values(ws, FBC_FORM, values, confirm)
    ]  # fmt: skip
    if problems:
        raise FormValidationFailed(count=len(problems), problems=tuple(problems))


def engraftment_summary(
    ws: Workspace, user: UserSession, subject_key: str, today: date | None = None
) -> EngraftmentSummary:
    """Recovery days, status on `today` (ward date by default) and the ANC/platelet chart series."""
    data = _load(ws, user, subject_key)
    return summary_from(data, ws, today or ward_today(ws.clock))


def summary_from(data: SubjectData, ws: Workspace, today: date) -> EngraftmentSummary:
    params = rule_params(ws, eng.EngraftmentParams, "engraftment")
    day_zero = day0_from(data, ws)
    anc, plt, tx = counts_from(data)
    by_day: dict[int, list[float | None]] = {}
    for c in anc:
        by_day.setdefault(int(c.when), [None, None])[0] = c.value  # type: ignore[arg-type]
    for c in plt:
        by_day.setdefault(int(c.when), [None, None])[1] = c.value  # type: ignore[arg-type]
    plt_days = {int(t.when) for t in tx if t.product == eng.PLATELETS}  # type: ignore[arg-type]
    series = tuple(
        SeriesPoint(d, v[0], v[1], d in plt_days)
        for d, v in sorted(by_day.items())
        if d >= params.first_post_transplant_day
    )
    rule = f"engraftment.status@{params.version}"
    if day_zero is None:
        return EngraftmentSummary(
            data.subject_key, None, None, None, None, None, None, None, None,
            params.anc_min_e9_per_l, params.platelet_min_e9_per_l, params.early_warning_day,
            params.primary_failure_day, series, rule,
        )  # fmt: skip
    as_of = study_day_of(today, day_zero)
    status = eng.engraftment_status(anc, plt, tx, as_of, params)
    return EngraftmentSummary(
        subject_key=data.subject_key,
        day0=day_zero,
        as_of_day=as_of,
        status=status.status,
        status_code=status.code,
        neutrophil_day=status.neutrophil.day,
        neutrophil_date=None
        if status.neutrophil.day is None
        else date_of_study_day(status.neutrophil.day, day_zero),
        platelet_day=status.platelet.day,
        platelet_date=None
        if status.platelet.day is None
        else date_of_study_day(status.platelet.day, day_zero),
        anc_threshold=params.anc_min_e9_per_l,
        platelet_threshold=params.platelet_min_e9_per_l,
        early_warning_day=params.early_warning_day,
        primary_failure_day=params.primary_failure_day,
        series=series,
        rule=rule,
    )


@dataclass(frozen=True)
class ChimerismRow:
    repeat: tuple[str, str, str]  # event OID, repeat key, group repeat key
    when: date | None
    lineage: str | None
    donor_pct: float | None
    category: str | None  # derived CL.CHCAT code


def chimerism_results(ws: Workspace, user: UserSession, subject_key: str) -> list[ChimerismRow]:
    """Every chimerism row of every event, oldest first, with the derived category."""
    return chimerism_from(_load(ws, user, subject_key))


def chimerism_from(data: SubjectData) -> list[ChimerismRow]:
    rows = []
    for r in data.all("IT.CH.DONOR_PCT"):
        values = data.row(r.event_oid, r.repeat_key, "F.CHIM", r.group_repeat_key)
        rows.append(
            ChimerismRow(
                (r.event_oid, r.repeat_key, r.group_repeat_key),
                as_date(values.get("IT.CH.DTC")),
                values.get("IT.CH.LINEAGE"),
                as_float(r.value),
                values.get("IT.CH.CATEGORY"),
            )
        )
    return sorted(rows, key=lambda c: c.when or date.min)


@dataclass(frozen=True)
class AgvhdRow:
    repeat_key: str
    when: date | None
    stages: Mapping[str, int | None]  # skin, liver, upper_gi, lower_gi (derived)
    grade: int | None  # derived overall grade 0-4


def agvhd_assessments(ws: Workspace, user: UserSession, subject_key: str) -> list[AgvhdRow]:
    """Acute GVHD assessments (SE.AGVHD repeats) with the derived stages and grade."""
    data = _load(ws, user, subject_key)
    return agvhd_rows(data)


def agvhd_rows(data: SubjectData) -> list[AgvhdRow]:
    out = []
    for key in data.repeats("SE.AGVHD", "F.AGVHD"):
        v = data.row("SE.AGVHD", key, "F.AGVHD", "1")
        grade = v.get("IT.GV.A_GRADE")
        out.append(
            AgvhdRow(
                key,
                as_date(v.get("IT.GV.A_DTC")),
                {
                    "skin": _int(v.get("IT.GV.SKIN_STAGE")),
                    "liver": _int(v.get("IT.GV.LIVER_STAGE")),
                    "upper_gi": _int(v.get("IT.GV.UGI_STAGE")),
                    "lower_gi": _int(v.get("IT.GV.LGI_STAGE")),
                },
                None if grade is None else int(grade),
            )
        )
    return sorted(out, key=lambda r: repeat_sort(r.repeat_key))


def save_agvhd(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    repeat_key: str | None,
    values: Mapping[ItemKey, str | None],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> AgvhdRow:
    """Save an acute GVHD staging form (a new SE.AGVHD repeat when repeat_key is None); the organ
    stages and overall grade are computed (MAGIC) and stored as derived items. A value outside
    its soft range (e.g. stool volume) needs a comment in confirmations[item key]."""
    from app.services import derived

    data = _load(ws, user, subject_key)
    if repeat_key is None:
        existing = [int(k) for k in data.repeats("SE.AGVHD") if k.isdigit()]
        repeat_key = str(max(existing, default=0) + 1)
    save_form(ws, user, subject_key, "SE.AGVHD", repeat_key, "F.AGVHD", values, reason,
              confirmations)  # fmt: skip
    derived.recompute(ws, subject_key)
    rows = {r.repeat_key: r for r in agvhd_assessments(ws, user, subject_key)}
    return rows[repeat_key]


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


@dataclass(frozen=True)
class DrugLevelRow:
    event_oid: str
    repeat_key: str
    row: str  # IG.DLVL repeat key
    drug: str | None  # CL.PKDRUG: CSA | TAC | SIR
    when: date | None
    trough: bool | None
    value_ng_ml: float | None
    target: tuple[float, float] | None  # ng/mL, inclusive (app.domain.druglevels); None: SIR


@dataclass(frozen=True)
class LogRow:
    """One entry of an unscheduled log (infections, chronic GVHD, immune panel) as item values."""

    event_oid: str
    repeat_key: str
    when: date | None
    values: Mapping[str, str]  # item OID -> stored value (derived items included)
    open: bool  # infections: no end date and not resolved


def drug_levels(ws: Workspace, user: UserSession, subject_key: str) -> list[DrugLevelRow]:
    """Immunosuppressant levels of every day event, oldest first."""
    return drug_levels_from(_load(ws, user, subject_key), ws)


def drug_levels_from(data: SubjectData, ws: Workspace) -> list[DrugLevelRow]:
    params = rule_params(ws, druglevels.DrugLevelParams, "druglevels")
    out = []
    for r in data.all("IT.PK.DRUG"):
        v = data.row(r.event_oid, r.repeat_key, "F.DLVL", r.group_repeat_key)
        trough = v.get("IT.PK.TROUGH")
        drug = v.get("IT.PK.DRUG")
        target = (
            druglevels.target_range(drug, params) if drug and druglevels.monitored(drug) else None
        )
        out.append(
            DrugLevelRow(
                r.event_oid,
                r.repeat_key,
                r.group_repeat_key,
                drug,
                as_date(v.get("IT.PK.DTC")),
                None if trough is None else trough == "Y",
                as_float(v.get("IT.PK.CONC")),
                target,
            )
        )
    return sorted(out, key=lambda d: d.when or date.min)


def _log(
    data: SubjectData, event: str, form: str, date_item: str, open_if: bool = False
) -> list[LogRow]:
    rows = []
    for key in data.repeats(event, form):
        v = data.row(event, key, form, "1")
        is_open = open_if and "IT.IN.END" not in v and v.get("IT.IN.OUTCOME") not in (
            "RESOLVED", "RESOLVED_SEQ", "FATAL")  # fmt: skip
        rows.append(LogRow(event, key, as_date(v.get(date_item)), v, is_open))
    return sorted(rows, key=lambda r: (r.when or date.min, repeat_sort(r.repeat_key)))


def infections(ws: Workspace, user: UserSession, subject_key: str) -> list[LogRow]:
    """The infection log (SE.INF repeats); `open` when not ended or resolved."""
    return infections_from(_load(ws, user, subject_key))


def infections_from(data: SubjectData) -> list[LogRow]:
    return _log(data, "SE.INF", "F.INFECT", "IT.IN.ONSET", True)


def cgvhd_assessments(ws: Workspace, user: UserSession, subject_key: str) -> list[LogRow]:
    """Chronic GVHD assessments with the derived NIH global severity (IT.GV.C_SEVERITY)."""
    return _log(_load(ws, user, subject_key), "SE.CGVHD", "F.CGVHD", "IT.GV.C_DTC")


def immune_panels(ws: Workspace, user: UserSession, subject_key: str) -> list[LogRow]:
    """Lymphocyte subsets of every event that holds F.IMMUNE, oldest first."""
    data = _load(ws, user, subject_key)
    rows = []
    for r in data.all("IT.LB.IR_DTC"):
        v = data.row(r.event_oid, r.repeat_key, "F.IMMUNE", "1")
        rows.append(LogRow(r.event_oid, r.repeat_key, as_date(r.value), v, False))
    return sorted(rows, key=lambda x: x.when or date.min)


@dataclass(frozen=True)
class EngraftmentPageData:
    """Everything the engraftment page shows, from one read of the subject's record."""

    summary: EngraftmentSummary
    counts: list[CountRow]  # empty before Day 0 is recorded
    levels: list[DrugLevelRow]
    agvhd: list[AgvhdRow]
    infections: list[LogRow]
    chimerism: list[ChimerismRow]
    params: eng.EngraftmentParams


def engraftment_page_data(
    ws: Workspace, user: UserSession, subject_key: str
) -> EngraftmentPageData:
    """The engraftment page's data in one read (VIEW_SUBJECTS), not one read per panel."""
    data = _load(ws, user, subject_key)
    try:
        counts = count_rows_from(data, ws)
    except NotReady:
        counts = []
    return EngraftmentPageData(
        summary=summary_from(data, ws, ward_today(ws.clock)),
        counts=counts,
        levels=drug_levels_from(data, ws),
        agvhd=agvhd_rows(data),
        infections=infections_from(data),
        chimerism=chimerism_from(data),
        params=rule_params(ws, eng.EngraftmentParams, "engraftment"),
    )
