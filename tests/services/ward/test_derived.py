"""Derived items are stored by the system with rule@version, recomputed when an input changes,
and every change is in the audit trail (who: the system; why: "recomputed by rule@version")."""

from __future__ import annotations

import pytest

from app.services.audit_trail import audit_rows
from app.services.auth import UserSession
from app.services.derived import recompute, save_and_recompute
from app.services.errors import FormValidationFailed
from app.services.forms import load_form, save_form
from app.services.permissions import Role
from app.services.workspace import Workspace

VS = ("SE.SCREEN", "", "F.VS")
BMI_PATH = "/SE.SCREEN/F.VS/IG.VS[1]/IT.VS.BMI"


def _trail(
    ws: Workspace, users: dict[Role, UserSession], path: str
) -> list[tuple[str | None, str, str | None, str | None, str | None]]:
    rows = audit_rows(ws, users[Role.MONITOR], path)
    return [(r.username, r.action, r.old_value, r.new_value, r.reason) for r in reversed(rows)]


def test_bmi_is_derived_stored_and_recomputed_with_an_audit_row(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    nurse = users[Role.NURSE]
    changes = save_and_recompute(
        ward_ws,
        nurse,
        new_subject,
        *VS,
        {("IG.VS", "1", "IT.VS.WEIGHT"): "25", ("IG.VS", "1", "IT.VS.HEIGHT"): "125"},
    )
    assert [(c.new, c.derived_by.split("@")[0]) for c in changes] == [("16.0", "growth.bmi")]
    snapshot = load_form(ward_ws, nurse, new_subject, *VS)
    assert snapshot.values[("IG.VS", "1", "IT.VS.BMI")] == "16.0"

    save_and_recompute(
        ward_ws,
        nurse,
        new_subject,
        *VS,
        {("IG.VS", "1", "IT.VS.WEIGHT"): "30"},
        reason="scale recalibrated",
    )
    trail = _trail(ward_ws, users, new_subject + BMI_PATH)
    assert trail[0][:4] == (None, "insert", None, "16.0 kg/m2")
    system, action, old, new, why = trail[1]
    assert (system, action, old, new) == (None, "update", "16.0 kg/m2", "19.2 kg/m2")
    assert why is not None and why.startswith("recomputed by growth.bmi@")
    assert recompute(ward_ws, new_subject) == []  # nothing changes twice


def test_a_removed_input_clears_the_derived_value(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    nurse = users[Role.NURSE]
    save_and_recompute(
        ward_ws,
        nurse,
        new_subject,
        *VS,
        {("IG.VS", "1", "IT.VS.WEIGHT"): "25", ("IG.VS", "1", "IT.VS.HEIGHT"): "125"},
    )
    save_and_recompute(
        ward_ws,
        nurse,
        new_subject,
        *VS,
        {("IG.VS", "1", "IT.VS.HEIGHT"): None},
        reason="height was wrong",
    )
    snapshot = load_form(ward_ws, nurse, new_subject, *VS)
    assert snapshot.values.get(("IG.VS", "1", "IT.VS.BMI")) is None


def test_nobody_types_a_derived_value(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    with pytest.raises(FormValidationFailed):
        save_form(ward_ws, users[Role.NURSE], new_subject, *VS, {("IG.VS", "1", "IT.VS.BMI"): "99"})


def test_agvhd_grade_follows_its_organ_stages(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    from app.services.stage_engraftment import agvhd_assessments, save_agvhd

    nurse = users[Role.NURSE]
    base = {("IG.AGVHD", "1", "IT.GV.A_DTC"): "2026-11-24", ("IG.AGVHD", "1", "IT.GV.UGI"): "N",
            ("IG.AGVHD", "1", "IT.GV.SKIN_BSA"): "20", ("IG.AGVHD", "1", "IT.GV.WEIGHT"): "25",
            ("IG.AGVHD", "1", "IT.GV.STOOL_VOL"): "0"}  # fmt: skip
    row = save_agvhd(ward_ws, nurse, new_subject, None, base)
    assert (row.repeat_key, row.grade, row.stages["skin"]) == ("1", 1, 1)
    row = save_agvhd(ward_ws, nurse, new_subject, "1", {("IG.AGVHD", "1", "IT.GV.STOOL_VOL"):
                     "600"}, reason="3-day average corrected")  # fmt: skip
    assert row.grade == 3 and row.stages["lower_gi"] == 2  # 24 mL/kg/day in a 25 kg child
    (only,) = agvhd_assessments(ward_ws, nurse, new_subject)
    assert only.grade == 3
    path = new_subject + "/SE.AGVHD[1]/F.AGVHD/IG.AGVHD.STAGE[1]/IT.GV.A_GRADE"
    assert [t[3] for t in _trail(ward_ws, users, path)] == ["1", "3"]


def test_growth_z_scores_name_their_reference(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    nurse = users[Role.NURSE]
    # A 10-year-old boy (born 2016-11-24) of median-ish size: CDC 2000 applies from 2 years.
    save_and_recompute(
        ward_ws,
        nurse,
        new_subject,
        *VS,
        {
            ("IG.VS", "1", "IT.VS.DTC"): "2026-11-24T09:00:00",
            ("IG.VS", "1", "IT.VS.WEIGHT"): "32",
            ("IG.VS", "1", "IT.VS.HEIGHT"): "138",
        },
    )
    growth = load_form(ward_ws, nurse, new_subject, "SE.SCREEN", "", "F.GROWTH").values
    height_z = float(growth[("IG.GROWTH", "1", "IT.VS.HEIGHT_Z")] or "nan")
    assert -1 < height_z < 1
    assert (growth[("IG.GROWTH", "1", "IT.VS.GROWTH_REF")] or "").startswith("CDC 2000")
    assert growth[("IG.GROWTH", "1", "IT.VS.BMI_Z")] is not None
