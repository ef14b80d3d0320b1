"""The worklist on a demo-populated SQLCipher database with a fixed clock (2026-11-24 on the ward):
the alerts the charge nurse must see for the known demo subjects, and none that should not be."""

from __future__ import annotations

import pytest

from app.domain.clock import FixedClock
from app.services.auth import UserSession
from app.services.errors import SessionEnded
from app.services.forms import save_form
from app.services.permissions import Role
from app.services.queries import raise_query
from app.services.worklist import WorklistRow, build_worklist
from app.services.workspace import Workspace


def _rows(ws: Workspace, user: UserSession, demo: dict[str, str]) -> dict[str, WorklistRow]:
    return {demo[r.subject_key]: r for r in build_worklist(ws, user)}


def _codes(row: WorklistRow) -> set[str]:
    return {a.code for a in row.alerts}


def test_every_active_demo_subject_has_one_row_in_subject_order(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    keys = [r.subject_key for r in build_worklist(ward_ws, users[Role.NURSE])]
    assert keys == sorted(demo)


def test_graft_alerts_come_from_the_engraftment_rule(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    rows = _rows(ward_ws, users[Role.NURSE], demo)
    warning, failure = rows["warning_day28"], rows["primary_graft_failure"]
    assert (warning.study_day, warning.engraftment_status) == (31, "warning_day28")
    alert = next(a for a in warning.alerts if a.code == "engraftment.status.warning_day28")
    assert alert.severity == "warning"
    assert alert.rule is not None and alert.rule.startswith("engraftment.status@")
    assert (alert.target.event_oid, alert.target.repeat_key) == ("SE.POST", "31")
    assert failure.engraftment_status == "primary_graft_failure"
    assert {a.severity for a in failure.alerts if a.code.startswith("engraftment")} == {"alert"}
    for name in ("engrafted_day16", "engrafted_day24"):
        assert rows[name].engraftment_status == "engrafted"
        assert not _codes(rows[name])


def test_agvhd_grade_two_and_above_is_flagged_by_computed_grade(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    rows = _rows(ward_ws, users[Role.NURSE], demo)
    for grade in (2, 3, 4):
        row = rows[f"agvhd_grade{grade}"]
        assert row.agvhd_grade == grade
        alert = next(a for a in row.alerts if a.code == f"gvhd.acute.grade_{grade}")
        assert alert.severity == ("warning" if grade == 2 else "alert")
        assert alert.target.event_oid == "SE.AGVHD" and alert.target.form_oid == "F.AGVHD"
    assert rows["islet_assessment"].agvhd_grade == 1
    assert not any(a.code.startswith("gvhd") for a in rows["islet_assessment"].alerts)


def test_conditioning_day_shows_doses_due_deviation_and_missing_daily_tasks(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    row = _rows(ward_ws, users[Role.NURSE], demo)["conditioning_day_minus3"]
    assert row.study_day == -3
    assert (row.doses_due, row.doses_given) == (3, 0)  # FLU, BU, ATG planned on Day -3
    assert row.dose_deviations == 1  # busulfan on Day -5 given 12% above the calculated dose
    deviation = next(a for a in row.alerts if a.code == "conditioning.deviation.warn")
    assert deviation.target.repeat_key == "-5" and deviation.values["drug"] == "BU"
    assert row.isolation_done is False and row.count_entered is False
    assert {"ward.doses_due", "ward.isolation_due", "ward.count_due"} <= _codes(row)


def test_entering_todays_count_clears_the_count_alert(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    key = next(k for k, v in demo.items() if v == "infused_day6_count_due")
    before = _rows(ward_ws, users[Role.NURSE], demo)["infused_day6_count_due"]
    assert before.count_entered is False and "ward.count_due" in _codes(before)
    save_form(
        ward_ws,
        users[Role.NURSE],
        key,
        "SE.POST",
        "6",
        "F.FBC",
        {("IG.FBC", "1", "IT.LB.ANC"): "0.1", ("IG.FBC", "1", "IT.LB.PLT"): "14"},
    )
    after = _rows(ward_ws, users[Role.NURSE], demo)["infused_day6_count_due"]
    assert after.count_entered is True and "ward.count_due" not in _codes(after)


def test_follow_up_visits_due_open_overdue_missed_and_out_of_window(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    rows = _rows(ward_ws, users[Role.NURSE], demo)
    expected = {
        "islet_fu03_due": (3, "due", "info"),
        "no_islet_fu03_overdue": (3, "overdue", "warning"),
        "islet_fu06_open": (6, "open", "info"),
        "no_islet_fu12_missed": (12, "missed", "alert"),
    }
    for name, (month, status, severity) in expected.items():
        row = rows[name]
        assert row.visit is not None and (row.visit.month, row.visit.status) == (month, status)
        alert = next(a for a in row.alerts if a.code == f"schedule.visit.{status}")
        assert alert.severity == severity and alert.target.event_oid == f"SE.FU{month:02d}"
    # Month 9 of that subject was done 20 days after its target: outside the +-14 day window.
    assert "schedule.visit.out_of_window" in _codes(rows["no_islet_fu12_missed"])
    assert "schedule.visit.out_of_window" not in _codes(rows["islet_fu06_open"])


def test_open_infection_and_open_queries_are_counted(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    key = next(k for k, v in demo.items() if v == "engrafted_day16")
    raise_query(
        ward_ws,
        users[Role.DATA_MANAGER],
        key,
        "SE.POST",
        "3",
        "F.FBC",
        ("IG.FBC", "1", "IT.LB.ANC"),
        "Please check against the lab report",
    )
    rows = _rows(ward_ws, users[Role.NURSE], demo)
    assert rows["infection_open"].infections_open == 1
    assert rows["engrafted_day16"].open_queries == 1
    assert "ward.queries_open" in _codes(rows["engrafted_day16"])
    assert all(r.open_queries == 0 for n, r in rows.items() if n != "engrafted_day16")


def test_the_day_advances_with_the_clock(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str], clock: FixedClock
) -> None:
    from datetime import timedelta

    clock.advance(timedelta(days=30))
    row = _rows(ward_ws, users[Role.NURSE], demo)["islet_fu03_due"]
    assert row.visit is not None and row.visit.status == "overdue"


def test_the_worklist_needs_a_live_session(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    ghost = UserSession(9999, "ghost", "Ghost", Role.NURSE)
    with pytest.raises(SessionEnded):
        build_worklist(ward_ws, ghost)


def test_a_withdrawn_subject_leaves_and_a_new_one_joins_the_cached_worklist(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str], clock: FixedClock
) -> None:
    from datetime import date

    from app.services.stage_end import EndOfStudy, record_end_of_study
    from app.services.subjects import NewSubject, create_subject

    from ..conftest import STAFF_PASSWORD

    nurse = users[Role.NURSE]
    first = build_worklist(ward_ws, nurse)  # fills the per-database cache
    leaving = next(k for k, v in demo.items() if v == "no_islet_fu03_overdue")
    record_end_of_study(
        ward_ws,
        users[Role.INVESTIGATOR],
        STAFF_PASSWORD,
        leaving,
        EndOfStudy("LOST", date(2026, 11, 24), "no contact since month 2"),
    )
    joined = create_subject(
        ward_ws,
        users[Role.INVESTIGATOR],
        NewSubject("New Child", "HN-NEW-1", date(2019, 5, 1), "F"),
    )
    keys = [r.subject_key for r in build_worklist(ward_ws, nurse)]
    assert leaving in {r.subject_key for r in first} and leaving not in keys
    assert keys[-1] == joined.subject_key and len(keys) == len(first)


def test_engraftment_page_logs(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    from app.services.stage_engraftment import (
        chimerism_results,
        daily_counts,
        immune_panels,
        infections,
    )

    nurse = users[Role.NURSE]
    infected = next(k for k, v in demo.items() if v == "infection_open")
    (episode,) = infections(ward_ws, nurse, infected)
    assert episode.open and episode.values["IT.IN.ORGANISM"] == "CMV"
    assessed = next(k for k, v in demo.items() if v == "islet_assessment")
    (chimerism,) = chimerism_results(ward_ws, nurse, assessed)
    assert (chimerism.donor_pct, chimerism.category) == (98.0, "FULL")
    (panel,) = immune_panels(ward_ws, nurse, assessed)
    assert panel.values["IT.LB.CD4"] == "260"
    grid = daily_counts(ward_ws, nurse, next(k for k, v in demo.items() if v == "warning_day28"))
    assert [r.study_day for r in grid] == list(range(1, 32))
    assert grid[2].transfusions == ("PLT",)  # platelets every third day, no recovery


def test_the_worklist_runs_a_fixed_number_of_queries_whatever_the_ward_size(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    from sqlalchemy import event

    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(ward_ws.db.engine, "before_cursor_execute", count)
    try:
        build_worklist(ward_ws, users[Role.NURSE])
        first = len(statements)
        statements.clear()
        key = next(k for k, v in demo.items() if v == "engrafted_day16")
        save_form(ward_ws, users[Role.NURSE], key, "SE.POST", "3", "F.FBC",
                  {("IG.FBC", "1", "IT.LB.HGB"): "91"}, reason="typo")  # fmt: skip
        statements.clear()
        build_worklist(ward_ws, users[Role.NURSE])
        again = len(statements)
    finally:
        event.remove(ward_ws.db.engine, "before_cursor_execute", count)
    # user check, audit head, subjects, open-query counts (+ the item rows read from the driver
    # cursor directly) on the first build; plus the changed paths and that subject's rows after.
    assert first <= 5 and again <= 7
    assert len(demo) >= 18
