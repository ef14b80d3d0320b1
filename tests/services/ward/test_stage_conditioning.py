"""Conditioning doses need a second, different person with their password; busulfan exposure is
summed against the target; a double cord blood unit is selected and signed by an investigator."""

from __future__ import annotations

import pytest

from app.domain import isbt128
from app.services.auth import UserSession
from app.services.errors import InvalidInput, PermissionDenied
from app.services.permissions import Role
from app.services.stage_common import VerificationRefused
from app.services.stage_conditioning import (
    PlanDrug,
    busulfan_exposure,
    conditioning_plan,
    record_busulfan_auc,
    record_dose,
    regimen_template,
    save_conditioning_plan,
)
from app.services.stage_cordblood import save_candidate_unit, select_units, unit_matches
from app.services.workspace import Workspace

from ..conftest import STAFF_PASSWORD
from .test_stage_walk import DIN, HLA, enrol_subject, select_unit


@pytest.fixture
def planned(ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str) -> str:
    enrol_subject(ward_ws, users, new_subject)
    select_unit(ward_ws, users, new_subject)
    template = regimen_template(ward_ws, "flu_bu_atg_example")
    assert [(d.drug, d.day_from, d.day_to) for d in template] == [
        ("FLU", -6, -3), ("BU", -5, -2), ("ATG", -4, -2)]  # fmt: skip
    drugs = [PlanDrug(d.drug, d.route, d.dose_basis, {"FLU": 40, "BU": 3.2, "ATG": 2.5}[d.drug],
                      d.day_from, d.day_to) for d in template]  # fmt: skip
    plan = save_conditioning_plan(ward_ws, users[Role.PHYSICIAN], new_subject,
                                  "flu_bu_atg_example", 25, 144, drugs)  # fmt: skip
    assert plan.bsa_m2 == pytest.approx(1.0)  # sqrt(144 x 25 / 3600)
    assert plan.calculated_mg == (40.0, 80.0, 62.5)
    assert plan.days == (-6, -5, -4, -3, -2, -1)
    return new_subject


def test_the_checker_must_be_another_person_with_the_right_password(
    ward_ws: Workspace, users: dict[Role, UserSession], planned: str
) -> None:
    nurse = users[Role.NURSE]
    args = (ward_ws, nurse, planned, -6, "FLU", 40, "2026-11-24T09:00:00", None)
    with pytest.raises(VerificationRefused) as same:
        record_dose(*args, "nurse", STAFF_PASSWORD)
    assert same.value.values["reason"] == "same_person"
    with pytest.raises(VerificationRefused) as monitor:
        record_dose(*args, "monitor", STAFF_PASSWORD)
    assert monitor.value.values["reason"] == "not_allowed"
    from app.services.errors import WrongPassword

    with pytest.raises(WrongPassword):
        record_dose(*args, "physician", "wrong password")
    row = record_dose(*args, "physician", STAFF_PASSWORD)
    assert (row.given_mg, row.calculated_mg, row.deviation_code) == (
        40, 40, "conditioning.deviation.ok")  # fmt: skip
    assert conditioning_plan(ward_ws, nurse, planned).regimen == "flu_bu_atg_example"


def test_busulfan_cumulative_exposure_against_the_target(
    ward_ws: Workspace, users: dict[Role, UserSession], planned: str
) -> None:
    nurse = users[Role.NURSE]
    assert busulfan_exposure(ward_ws, nurse, planned).code is None
    # Every 6 hours from Day -5 to Day -2: 16 doses, 1300 umol.min/L each.
    for dose in range(1, 13):
        view = record_busulfan_auc(ward_ws, nurse, planned, -5 + (dose - 1) // 4, dose, 1300)
    assert view.code == "conditioning.busulfan.below"  # 15600 umol.min/L = 64.0 mg.h/L
    assert view.cumulative_mg_h_l == pytest.approx(64.0, abs=0.1)
    for dose in range(13, 17):
        view = record_busulfan_auc(ward_ws, nurse, planned, -2, dose, 1300)
    assert view.code == "conditioning.busulfan.within"  # 85.4 mg.h/L, target 78-101
    assert [d for d, _ in view.doses] == list(range(1, 17))


def test_double_unit_selection_by_a_physician_not_a_nurse(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    ws, nurse = ward_ws, users[Role.NURSE]
    enrol_subject(ws, users, new_subject)
    select_unit_candidates = []
    for n, din in enumerate(("W432126111111", "W432126222222"), start=1):
        values = {("IG.CBU", "1", "IT.CB.DIN"): din,
                  ("IG.CBU", "1", "IT.CB.DIN_CHECK"): isbt128.mod37_2(din),
                  ("IG.CBU", "1", "IT.CB.TNC"): "80", ("IG.CBU", "1", "IT.CB.CD34"): "30"}  # fmt: skip
        values.update({("IG.CBU.HLA", "1", f"IT.HLA.U_{k}"): v for k, v in HLA.items()})
        select_unit_candidates.append(save_candidate_unit(ws, nurse, new_subject, None, values))
        assert select_unit_candidates[-1] == str(n)
    from app.services.forms import save_form

    save_form(ws, nurse, new_subject, "SE.SCREEN", "", "F.VS",
              {("IG.VS", "1", "IT.VS.WEIGHT"): "25"})  # fmt: skip
    save_form(ws, nurse, new_subject, "SE.ENROL", "", "F.HLAR",
              {("IG.HLAR", "1", f"IT.HLA.R_{k}"): v for k, v in HLA.items()})  # fmt: skip
    choice = unit_matches(ws, nurse, new_subject)
    assert choice.suggestion_code == "cordblood.consider_double_unit"  # 3.2 x10^7/kg each
    assert all(a.match8 == "8/8" for a in choice.assessments)
    with pytest.raises(PermissionDenied):  # issue 4: "a physician selects the unit"
        select_units(ws, nurse, new_subject, list(choice.suggested), STAFF_PASSWORD)
    with pytest.raises(InvalidInput):
        select_units(ws, users[Role.PHYSICIAN], new_subject, [DIN], STAFF_PASSWORD)
    result = select_units(ws, users[Role.PHYSICIAN], new_subject, list(choice.suggested),
                          STAFF_PASSWORD)  # fmt: skip
    assert sum(a.selected for a in result.assessments) == 2
