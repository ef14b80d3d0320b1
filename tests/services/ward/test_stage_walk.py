"""One synthetic subject walked through the ward services from screening to engraftment and the
islet decision, on a real SQLCipher database: stored values, computed results, stage moves and
the audit rows they leave."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.domain import isbt128
from app.domain.clock import FixedClock
from app.services.audit_trail import audit_rows
from app.services.auth import UserSession
from app.services.forms import save_form
from app.services.permissions import Role
from app.services.stage_common import TransitionRefused
from app.services.stage_conditioning import PlanDrug, day_doses, record_dose, save_conditioning_plan
from app.services.stage_cordblood import save_candidate_unit, select_units, unit_matches
from app.services.stage_eligibility import enrol, save_eligibility, sign_eligibility
from app.services.stage_engraftment import CountRow, engraftment_summary, save_daily_counts
from app.services.stage_facts import stage_view
from app.services.stage_infusion import InfusionRecord, record_infusion, verify_bedside
from app.services.workspace import Workspace

from ..conftest import STAFF_PASSWORD

INCL = {"IT.IE.INCL1": "Y", "IT.IE.INCL2": "Y", "IT.IE.OD_IBD": "Y", "IT.IE.OD_RECUR": "Y",
        "IT.IE.INCL3": "Y"}  # fmt: skip
NO_ORGANS = ("IT.IE.OD_RENAL", "IT.IE.OD_INFECT", "IT.IE.OD_HEPAT", "IT.IE.OD_IRIDO",
             "IT.IE.OD_ADRENAL", "IT.IE.OD_HYPOPHYS", "IT.IE.OD_RHEUM", "IT.IE.OD_VASC",
             "IT.IE.OD_SLE", "IT.IE.OD_OTHER")  # fmt: skip
EXCL = ("IT.IE.EX_TREAT", "IT.IE.EX_VIRUS", "IT.IE.EX_INFECT", "IT.IE.EX_MALIG", "IT.IE.EX_FATAL",
        "IT.IE.EX_PSYCH")  # fmt: skip
HLA = {"A1": "A*02:01", "A2": "A*24:02", "B1": "B*46:01", "B2": "B*58:01", "C1": "C*01:02",
       "C2": "C*03:02", "DRB1_1": "DRB1*09:01", "DRB1_2": "DRB1*03:01"}  # fmt: skip
DIN = "W432126123456"


def eligible_answers() -> dict[tuple[str, str, str], str | None]:
    values: dict[tuple[str, str, str], str | None] = {
        ("IG.ELIG.INCL", "1", k): v for k, v in INCL.items()
    }
    values.update({("IG.ELIG.INCL", "1", k): "N" for k in NO_ORGANS})
    values.update({("IG.ELIG.EXCL", "1", k): "N" for k in EXCL})
    return values


def enrol_subject(ws: Workspace, users: dict[Role, UserSession], key: str) -> None:
    view = save_eligibility(ws, users[Role.NURSE], key, eligible_answers())
    assert view.status == "eligible" and not view.signed
    assert view.age_years == 10  # born 2016-11-24, assessed 2026-11-24
    sign_eligibility(ws, users[Role.INVESTIGATOR], STAFF_PASSWORD, key)
    with pytest.raises(TransitionRefused) as refused:
        enrol(ws, users[Role.INVESTIGATOR], key)
    assert refused.value.values["reasons"] == ("stages.needs.consent_signed",)
    save_form(
        ws,
        users[Role.NURSE],
        key,
        "SE.ENROL",
        "",
        "F.ENROL",
        {("IG.ENROL", "1", "IT.DS.CONSENT_DTC"): "2026-11-20"},
    )
    assert enrol(ws, users[Role.INVESTIGATOR], key) == key


def select_unit(ws: Workspace, users: dict[Role, UserSession], key: str) -> None:
    nurse = users[Role.NURSE]
    save_form(
        ws,
        nurse,
        key,
        "SE.ENROL",
        "",
        "F.HLAR",
        {("IG.HLAR", "1", f"IT.HLA.R_{k}"): v for k, v in HLA.items()},
    )
    save_form(ws, nurse, key, "SE.SCREEN", "", "F.VS", {("IG.VS", "1", "IT.VS.WEIGHT"): "25",
              ("IG.VS", "1", "IT.VS.HEIGHT"): "130", ("IG.VS", "1", "IT.VS.DTC"):
              "2026-11-20T09:00:00"})  # fmt: skip
    unit = {("IG.CBU", "1", "IT.CB.DIN"): DIN,
            ("IG.CBU", "1", "IT.CB.DIN_CHECK"): isbt128.mod37_2(DIN),
            ("IG.CBU", "1", "IT.CB.TNC"): "150", ("IG.CBU", "1", "IT.CB.CD34"): "60"}  # fmt: skip
    unit.update({("IG.CBU.HLA", "1", f"IT.HLA.U_{k}"): v for k, v in HLA.items()})
    unit[("IG.CBU.HLA", "1", "IT.HLA.U_DRB1_2")] = "DRB1*15:01"
    save_candidate_unit(ws, nurse, key, None, unit)
    choice = unit_matches(ws, nurse, key)
    (a,) = choice.assessments
    assert (a.match6, a.match8, a.din_code) == ("5/6", "7/8", "isbt128.din.ok")
    assert a.tnc_e7_per_kg == pytest.approx(6.0)  # 150 x10^7 / 25 kg
    assert a.dose_code == "cordblood.dose.adequate"
    select_units(ws, users[Role.INVESTIGATOR], key, [DIN], STAFF_PASSWORD)


def test_screening_to_engraftment(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str, clock: FixedClock
) -> None:
    ws, key, nurse = ward_ws, new_subject, users[Role.NURSE]
    enrol_subject(ws, users, key)
    select_unit(ws, users, key)
    assert stage_view(ws, nurse, key).stage == "unit_selected"

    # Conditioning: Day -2 is today (Day 0 planned for 2026-11-26).
    save_conditioning_plan(ws, users[Role.PHYSICIAN], key, "flu_bu_atg_example", 25, 130,
                           [PlanDrug("FLU", "IV", "mg/m2", 40, -6, -3),
                            PlanDrug("BU", "IV", "mg/kg", 3.2, -5, -2)])  # fmt: skip
    (bu,) = day_doses(ws, nurse, key, -2)
    assert bu.calculated_mg == pytest.approx(80.0)  # 3.2 mg/kg x 25 kg
    row = record_dose(ws, nurse, key, -2, "BU", 88, "2026-11-24T09:00:00", None,
                      "nurse2", STAFF_PASSWORD)  # fmt: skip
    assert row.deviation_percent == pytest.approx(10.0)
    assert row.deviation_code == "conditioning.deviation.warn"
    assert (row.given_by, row.checked_by) == ("nurse", "nurse2")
    assert stage_view(ws, nurse, key).stage == "conditioning"

    # Day 0, two days later: bedside check, then the infusion.
    clock.advance(timedelta(days=2))
    result = verify_bedside(ws, nurse, key, DIN + isbt128.mod37_2(DIN), True, "physician",
                            STAFF_PASSWORD)  # fmt: skip
    assert result.verified and result.din == DIN and result.unit_role == "FIRST"
    view = record_infusion(ws, nurse, key, InfusionRecord("2026-11-26T10:00:00",
                           "2026-11-26T10:40:00", 25, 25, 10, [{"IT.INF.DIN": DIN}]))  # fmt: skip
    assert view.dmso_g_per_kg == pytest.approx(0.11)  # 25 mL x 10% x 1.1 g/mL / 25 kg
    assert view.dmso_code == "infusion.dmso.ok"
    steps = stage_view(ws, nurse, key)
    assert steps.stage == "infused" and steps.study_day == 0

    # Counts from Day +1 to Day +20: ANC >= 0.5 from Day +15 (after the nadir).
    clock.advance(timedelta(days=20))
    rows = [
        CountRow(d, None, anc="0.6" if d >= 15 else "0.1", platelets="15") for d in range(1, 21)
    ]
    save_daily_counts(ws, nurse, key, rows)
    summary = engraftment_summary(ws, nurse, key)
    assert (summary.neutrophil_day, summary.status) == (15, "engrafted")
    assert summary.platelet_day is None and summary.anc_threshold == 0.5
    assert [p.study_day for p in summary.series][:2] == [1, 2]
    assert stage_view(ws, nurse, key).stage == "engraftment"
    trail = audit_rows(ws, users[Role.MONITOR], key)
    actions = {r.action for r in trail}
    assert {"stage", "sign", "bedside_verified", "insert"} <= actions
    stage_moves = [(r.old_value, r.new_value) for r in reversed(trail) if r.action == "stage"]
    assert stage_moves == [("screening", "enrolled"), ("enrolled", "unit_selected"),
                           ("unit_selected", "conditioning"), ("conditioning", "infused"),
                           ("infused", "engraftment")]  # fmt: skip


def test_stepper_shows_why_the_next_stage_is_blocked(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    view = stage_view(ward_ws, users[Role.NURSE], new_subject)
    assert view.stage == "screening" and view.steps[0].status == "current"
    enrolled = next(s for s in view.steps if s.stage == "enrolled")
    assert enrolled.status == "blocked"
    assert set(enrolled.reasons) == {"stages.needs.eligible", "stages.needs.eligibility_signed",
                                     "stages.needs.consent_signed"}  # fmt: skip
    assert next(s for s in view.steps if s.stage == "follow_up").status == "future"


def test_screen_failure_writes_nothing_until_an_investigator_signs_with_the_reason(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    from app.services.errors import WrongPassword
    from app.services.forms import load_form
    from app.services.stage_common import SignatureRequired
    from app.services.stage_eligibility import record_screen_failure

    key, nurse, investigator = new_subject, users[Role.NURSE], users[Role.INVESTIGATOR]
    answers = {**eligible_answers(), ("IG.ELIG.EXCL", "1", "IT.IE.EX_VIRUS"): "Y"}
    assert save_eligibility(ward_ws, nurse, key, answers).status == "not_eligible"

    def stored() -> Any:
        return load_form(ward_ws, nurse, key, "SE.SCREEN", "", "F.ELIG")

    reason_key = ("IG.ELIG.RESULT", "1", "IT.IE.SCRFAIL_REASON")
    with pytest.raises(TransitionRefused):  # not signed yet
        record_screen_failure(ward_ws, nurse, key, "HBsAg positive")
    assert stored().values.get(reason_key) is None
    sign_eligibility(ward_ws, investigator, STAFF_PASSWORD, key)
    with pytest.raises(SignatureRequired):  # a nurse cannot re-sign the changed result
        record_screen_failure(ward_ws, nurse, key, "HBsAg positive")
    with pytest.raises(WrongPassword):
        record_screen_failure(ward_ws, investigator, key, "HBsAg positive", "wrong password")
    assert stored().values.get(reason_key) is None
    assert [s.valid for s in stored().signatures] == [True]

    stage = record_screen_failure(ward_ws, investigator, key, "HBsAg positive", STAFF_PASSWORD)

    assert stage == "screen_failure" == stage_view(ward_ws, nurse, key).stage
    assert stored().values[reason_key] == "HBsAg positive"
    assert [s.valid for s in stored().signatures] == [False, True]  # re-signed with the reason
