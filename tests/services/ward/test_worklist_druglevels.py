"""Worklist drug-level alerts (app.domain.druglevels) and the aGVHD alert grade read from
rules/gvhd.yaml, on the demo ward with a fixed clock: levels are entered through forms.save_form
as a nurse would, then the worklist is rebuilt."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from app.domain.clock import FixedClock
from app.domain.schedule import ward_today
from app.services.auth import UserSession
from app.services.forms import save_form
from app.services.permissions import Role
from app.services.stage_engraftment import drug_levels
from app.services.worklist import WorklistRow, build_worklist
from app.services.workspace import Workspace
from app.study.rules import RuleBook, RuleParam

SUBJECT = "engrafted_day16"  # in hospital after Day 0, no drug level recorded by the demo


def _row(ws: Workspace, user: UserSession, demo: dict[str, str], name: str) -> WorklistRow:
    return next(r for r in build_worklist(ws, user) if demo[r.subject_key] == name)


def _level_codes(row: WorklistRow) -> set[str]:
    return {a.code for a in row.alerts if a.code.startswith("druglevels")}


def _enter_level(
    ws: Workspace,
    user: UserSession,
    demo: dict[str, str],
    day: int,
    rows: list[tuple[str, str, str]],  # drug, ng/mL, trough Y/N
    days_ago: int = 0,
) -> str:
    key = next(k for k, v in demo.items() if v == SUBJECT)
    sampled = ward_today(ws.clock) - timedelta(days=days_ago)
    values: dict[tuple[str, str, str], str | None] = {}
    for n, (drug, conc, trough) in enumerate(rows, start=1):
        g = str(n)
        values[("IG.DLVL", g, "IT.PK.DRUG")] = drug
        values[("IG.DLVL", g, "IT.PK.DTC")] = f"{sampled.isoformat()}T0{n}:00"
        values[("IG.DLVL", g, "IT.PK.TROUGH")] = trough
        values[("IG.DLVL", g, "IT.PK.CONC")] = conc
    confirm = {k: "checked with the lab" for k in values if k[2] == "IT.PK.CONC"}
    save_form(ws, user, key, "SE.POST", str(day - days_ago), "F.DLVL", values,
              reason="lab report", confirmations=confirm)  # fmt: skip
    return key


def test_no_level_recorded_means_no_drug_level_alert(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    rows = build_worklist(ward_ws, users[Role.NURSE])
    assert all(not _level_codes(r) for r in rows)


def test_low_ciclosporin_trough_is_flagged_and_opens_the_sample(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    nurse = users[Role.NURSE]
    day = _row(ward_ws, nurse, demo, SUBJECT).study_day
    assert day is not None and day > 0
    _enter_level(ward_ws, nurse, demo, day, [("CSA", "149.9", "Y")])
    row = _row(ward_ws, nurse, demo, SUBJECT)
    (alert,) = [a for a in row.alerts if a.code.startswith("druglevels")]
    assert alert.code == "druglevels.status.below" and alert.severity == "warning"
    assert (alert.values["drug"], alert.values["low"], alert.values["high"]) == ("CSA", 150, 350)
    assert alert.rule == "druglevels.status@MDV.SEQTX.1"
    assert (alert.target.event_oid, alert.target.repeat_key, alert.target.form_oid) == (
        "SE.POST", str(day), "F.DLVL")  # fmt: skip
    assert row.drug_level is not None and row.drug_level.value == 149.9
    key = next(k for k, v in demo.items() if v == SUBJECT)
    (level,) = drug_levels(ward_ws, nurse, key)  # the engraftment page shows the same range
    assert (level.drug, level.value_ng_ml, level.trough, level.target) == (
        "CSA", 149.9, True, (150.0, 350.0))  # fmt: skip


def test_levels_at_the_limits_are_within_and_above_is_flagged(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    nurse = users[Role.NURSE]
    day = _row(ward_ws, nurse, demo, SUBJECT).study_day
    assert day is not None
    _enter_level(ward_ws, nurse, demo, day, [("CSA", "350", "Y")])
    assert not _level_codes(_row(ward_ws, nurse, demo, SUBJECT))
    _enter_level(ward_ws, nurse, demo, day, [("TAC", "15.1", "Y")], days_ago=0)
    # The same form row now holds tacrolimus 15.1 ng/mL: above 5-15.
    assert _level_codes(_row(ward_ws, nurse, demo, SUBJECT)) == {"druglevels.status.above"}


def test_a_level_is_due_when_the_interval_has_passed(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str], clock: FixedClock
) -> None:
    nurse = users[Role.NURSE]
    day = _row(ward_ws, nurse, demo, SUBJECT).study_day
    assert day is not None
    _enter_level(ward_ws, nurse, demo, day, [("TAC", "9.5", "Y")], days_ago=2)
    assert not _level_codes(_row(ward_ws, nurse, demo, SUBJECT))  # 2 days: not yet
    clock.advance(timedelta(days=1))
    row = _row(ward_ws, nurse, demo, SUBJECT)
    (due,) = [a for a in row.alerts if a.code.startswith("druglevels")]
    assert due.code == "druglevels.due.due" and due.severity == "info"
    assert (due.values["drug"], due.values["days_since"], due.values["interval"]) == ("TAC", 3, 3)
    assert (due.target.event_oid, due.target.repeat_key) == ("SE.POST", str(day + 1))


def test_the_latest_trough_decides_and_a_non_trough_sample_is_not_compared(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    nurse = users[Role.NURSE]
    day = _row(ward_ws, nurse, demo, SUBJECT).study_day
    assert day is not None
    # Row 1 at 01:00 a CsA trough within range; row 2 at 02:00 a CsA peak far above the range.
    _enter_level(ward_ws, nurse, demo, day, [("CSA", "200", "Y"), ("CSA", "900", "N")])
    assert not _level_codes(_row(ward_ws, nurse, demo, SUBJECT))


def test_no_drug_level_alert_after_the_prophylaxis_window(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str], clock: FixedClock
) -> None:
    nurse = users[Role.NURSE]
    day = _row(ward_ws, nurse, demo, SUBJECT).study_day
    assert day is not None
    _enter_level(ward_ws, nurse, demo, day, [("CSA", "100", "Y")])
    clock.advance(timedelta(days=100 - day))  # Day +100: still watched (low and due)
    assert _level_codes(_row(ward_ws, nurse, demo, SUBJECT)) == {
        "druglevels.status.below", "druglevels.due.due"}  # fmt: skip
    clock.advance(timedelta(days=1))  # Day +101
    assert not _level_codes(_row(ward_ws, nurse, demo, SUBJECT))


def test_agvhd_alert_grade_comes_from_the_rule_file(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    study = ward_ws.require_study()
    gvhd = dict(study.rules.entries["gvhd"])
    gvhd["worklist_alert_min_grade"] = dataclasses.replace(
        gvhd["worklist_alert_min_grade"], value=3
    )
    assert isinstance(gvhd["worklist_alert_min_grade"], RuleParam)
    entries = {**study.rules.entries, "gvhd": gvhd}
    ward_ws.study = dataclasses.replace(study, rules=RuleBook(study.rules.version, entries))
    rows = {demo[r.subject_key]: r for r in build_worklist(ward_ws, users[Role.NURSE])}
    assert not any(a.code.startswith("gvhd") for a in rows["agvhd_grade2"].alerts)
    (g3,) = [a for a in rows["agvhd_grade3"].alerts if a.code.startswith("gvhd")]
    (g4,) = [a for a in rows["agvhd_grade4"].alerts if a.code.startswith("gvhd")]
    assert (g3.severity, g4.severity) == ("warning", "alert")


def test_of_two_troughs_on_one_day_the_later_sample_decides(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    nurse = users[Role.NURSE]
    day = _row(ward_ws, nurse, demo, SUBJECT).study_day
    assert day is not None
    # Row 1 sampled at 01:00, row 2 at 02:00 (rows are entered in any order on the ward).
    _enter_level(ward_ws, nurse, demo, day, [("CSA", "400", "Y"), ("CSA", "200", "Y")])
    assert not _level_codes(_row(ward_ws, nurse, demo, SUBJECT))
    _enter_level(ward_ws, nurse, demo, day, [("CSA", "200", "Y"), ("CSA", "400", "Y")])
    assert _level_codes(_row(ward_ws, nurse, demo, SUBJECT)) == {"druglevels.status.above"}
