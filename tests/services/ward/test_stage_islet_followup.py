"""Islet eligibility with deciding values and their sources, the signed decision, both paths to
the follow-up anchor, the visit plan, derived values beside a visit, trends and end of study."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.auth import UserSession
from app.services.errors import PermissionDenied
from app.services.forms import save_form
from app.services.permissions import Role
from app.services.stage_common import NotReady, TransitionRefused
from app.services.stage_end import EndOfStudy, record_end_of_study
from app.services.stage_facts import stage_view
from app.services.stage_followup import trends, visit_derived, visit_plan
from app.services.stage_islet import (
    complete_treatment_without_islets,
    islet_eligibility,
    islet_product,
    record_islet_decision,
    record_islet_infusion,
    record_islet_product,
)
from app.services.workspace import Workspace

from ..conftest import STAFF_PASSWORD

ANSWERS = {"IT.ISE.AGVHD_ACTIVE": "N", "IT.ISE.CGVHD_MODSEV": "N", "IT.ISE.INF_ACTIVE": "N",
           "IT.ISE.STEROIDS_OFF": "Y"}  # fmt: skip


def _key(demo: dict[str, str], scenario: str) -> str:
    return next(k for k, v in demo.items() if v == scenario)


def test_islet_checklist_names_each_deciding_value_and_its_source(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    key = _key(demo, "islet_assessment")
    checklist = islet_eligibility(ward_ws, users[Role.NURSE], key)
    rows = {c.name: c for c in checklist.criteria}
    assert checklist.code == "islet.eligibility.incomplete"  # not signed yet
    assert rows["investigator_signoff"].met is None
    assert rows["donor_chimerism"].met and rows["donor_chimerism"].value == 98.0
    source = rows["donor_chimerism"].source
    assert source is not None
    assert (source.event_oid, source.form_oid, source.item_oid) == (
        "SE.ISLELIG", "F.CHIM", "IT.CH.DONOR_PCT")  # fmt: skip
    assert source.when == date(2026, 11, 23)
    assert rows["cd4"].met and rows["cd4"].value == 260.0
    assert rows["neutrophil_engrafted"].met and rows["platelet_engrafted"].met
    assert rows["acute_gvhd"].met  # the form says no active aGVHD


def test_only_an_investigator_signs_the_islet_decision(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    key = _key(demo, "islet_assessment")
    with pytest.raises(PermissionDenied):
        record_islet_decision(ward_ws, users[Role.PHYSICIAN], STAFF_PASSWORD, key, "PROCEED",
                              ANSWERS)  # fmt: skip
    from app.services.errors import WrongPassword
    from app.services.forms import load_form

    with pytest.raises(WrongPassword):  # nothing written: no unsigned decision left behind
        record_islet_decision(ward_ws, users[Role.INVESTIGATOR], "not the password", key,
                              "PROCEED", ANSWERS)  # fmt: skip
    stored = load_form(ward_ws, users[Role.NURSE], key, "SE.ISLELIG", "", "F.ISLELIG").values
    assert stored.get(("IG.ISLELIG", "1", "IT.ISE.DECISION")) is None
    checklist = record_islet_decision(ward_ws, users[Role.INVESTIGATOR], STAFF_PASSWORD, key,
                                      "PROCEED", ANSWERS)  # fmt: skip
    assert checklist.signed and checklist.decision == "PROCEED"
    assert checklist.code == "islet.eligibility.eligible"


def test_islet_path_sets_the_anchor_and_visit_plan(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    ws, key, inv = ward_ws, _key(demo, "islet_assessment"), users[Role.INVESTIGATOR]
    record_islet_decision(ws, inv, STAFF_PASSWORD, key, "PROCEED", ANSWERS)
    product = record_islet_product(ws, users[Role.NURSE], key, 1, {
        "IT.IS.WEIGHT": "30", "IT.IS.IEQ": "180000", "IT.IS.PURITY": "60",
        "IT.IS.VIABILITY": "85", "IT.IS.ENDOTOX": "60"})  # fmt: skip
    assert product.ieq_per_kg == pytest.approx(6000)
    assert product.release_code == "islet.release.released"
    with pytest.raises(NotReady):
        visit_plan(ws, users[Role.NURSE], key)
    stage = record_islet_infusion(ws, users[Role.NURSE], key, 1,
                                  {"IT.IS.INF_START": "2026-11-24T09:00:00"})  # fmt: skip
    assert stage == "follow_up"
    plan = visit_plan(ws, users[Role.NURSE], key, today=date(2027, 2, 20))
    assert [v.month for v in plan] == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36]
    first = plan[0]
    assert (first.target, first.window_open, first.window_close) == (
        date(2027, 2, 24), date(2027, 2, 10), date(2027, 3, 10))  # fmt: skip
    assert first.status == "open"
    assert islet_product(ws, users[Role.NURSE], key, 1).infusion_start == "2026-11-24T09:00:00"
    view = stage_view(ws, users[Role.NURSE], key)
    steps = {s.stage: s.status for s in view.steps}
    assert steps["islet_transplanted"] == "done" and steps["treatment_complete"] == "skipped"


def test_no_islet_path_needs_the_signed_decision_first(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    ws, key, inv = ward_ws, _key(demo, "islet_assessment"), users[Role.INVESTIGATOR]
    with pytest.raises(TransitionRefused) as refused:
        complete_treatment_without_islets(ws, inv, STAFF_PASSWORD, key, date(2026, 11, 24),
                                          "declined")  # fmt: skip
    assert "stages.needs.islet_decision_signed" in refused.value.values["reasons"]
    record_islet_decision(ws, inv, STAFF_PASSWORD, key, "NO_ISLET", ANSWERS, "declined")
    stage = complete_treatment_without_islets(ws, inv, STAFF_PASSWORD, key, date(2026, 11, 24),
                                              "family declined islets")  # fmt: skip
    assert stage == "follow_up"
    assert visit_plan(ws, users[Role.NURSE], key)[0].target == date(2027, 2, 24)


def test_visit_derived_values_and_trends(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    key = _key(demo, "no_islet_fu12_missed")
    nurse = users[Role.NURSE]
    save_form(ward_ws, nurse, key, "SE.FU03", "", "F.ISLFN", {
        ("IG.ISLFN", "1", "IT.LB.HBA1C"): "7.0"}, reason="lab re-run")  # fmt: skip
    from app.services.derived import recompute

    recompute(ward_ws, key)
    values = {d.name: d for d in visit_derived(ward_ws, nurse, key, "SE.FU03")}
    assert values["hba1c_ifcc"].value == "53"  # 7.0 % NGSP = 53 mmol/mol IFCC
    assert values["bmi"].value is not None
    series = trends(ward_ws, nurse, key)
    assert [p.month for p in series.hba1c] == [3, 6, 9]
    assert series.hba1c[0].value == 7.0


def test_end_of_study_withdrawal(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    key = _key(demo, "no_islet_fu03_overdue")
    from app.services.errors import WrongPassword
    from app.services.forms import load_form

    with pytest.raises(WrongPassword):  # a wrong password leaves nothing written, unsigned
        record_end_of_study(ward_ws, users[Role.INVESTIGATOR], "not the password", key,
                            EndOfStudy("WITHDRAWN", date(2026, 11, 24), "family moved"))  # fmt: skip
    assert not any(
        load_form(ward_ws, users[Role.NURSE], key, "SE.EOS", "", "F.EOS").values.values()
    )
    stage = record_end_of_study(ward_ws, users[Role.INVESTIGATOR], STAFF_PASSWORD, key,
                                EndOfStudy("WITHDRAWN", date(2026, 11, 24), "family moved",
                                           withdrawn_by="GUARDIAN"))  # fmt: skip
    assert stage == "withdrawn"
    # Completion needs every visit done or missed: refused for a subject just starting follow-up.
    other = _key(demo, "islet_fu03_due")
    with pytest.raises(TransitionRefused):
        record_end_of_study(ward_ws, users[Role.INVESTIGATOR], STAFF_PASSWORD, other,
                            EndOfStudy("COMPLETED", date(2026, 11, 24), "done"))  # fmt: skip


def test_beta_score_is_stored_beside_the_visit(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    from app.services.derived import save_and_recompute
    from app.services.forms import load_form

    nurse = users[Role.NURSE]
    fu = ("SE.FU03", "", "F.ISLFN")
    save_and_recompute(ward_ws, nurse, new_subject, "SE.FU03", "", "F.VS",
                       {("IG.VS", "1", "IT.VS.WEIGHT"): "30"})  # fmt: skip
    save_and_recompute(
        ward_ws,
        nurse,
        new_subject,
        "SE.FU03",
        "",
        "F.INSDOSE",
        {("IG.INSDOSE.DAY", "1", "IT.EX.INS_TOTAL"): "6"},
    )  # 0.2 U/kg/day
    save_and_recompute(
        ward_ws,
        nurse,
        new_subject,
        *fu,
        {
            ("IG.ISLFN", "1", "IT.LB.GLUC_F"): "5.0",
            ("IG.ISLFN", "1", "IT.LB.HBA1C"): "6.0",
            ("IG.ISLFN", "1", "IT.LB.CPEP_F"): "0.4",
            ("IG.ISLFN", "1", "IT.LB.CPEP_S"): "0.8",
        },
    )
    scores = load_form(ward_ws, nurse, new_subject, *fu).values
    # FPG 2 + HbA1c 2 + insulin 1 (0 < 0.2 < 0.25 U/kg) + C-peptide 2 (Ryan 2005).
    assert scores[("IG.ISLFN.SCORE", "1", "IT.IS.BSCORE")] == "7"
    assert scores[("IG.ISLFN.SCORE", "1", "IT.IS.BETA2")] is not None
    assert scores[("IG.ISLFN", "1", "IT.LB.HBA1C_IFCC")] == "42"
