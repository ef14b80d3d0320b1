"""Every stage service that writes typed values takes soft-range confirmations like the generic
form (forms.save_form): a soft-range value without a comment is refused with forms.soft_range and
writes nothing; with a comment it is stored and audited ("soft_range_confirmed" with the comment);
a hard-range value is refused even with a comment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pytest

from app.domain import isbt128
from app.services.audit_trail import audit_rows
from app.services.auth import UserSession
from app.services.errors import FormValidationFailed
from app.services.forms import HARD_RANGE, SOFT_RANGE, ItemKey, load_form
from app.services.permissions import Role
from app.services.stage_conditioning import (
    PlanDrug,
    record_busulfan_auc,
    record_dose,
    save_conditioning_plan,
    save_isolation_checklist,
)
from app.services.stage_cordblood import record_receipt, save_candidate_unit
from app.services.stage_engraftment import save_agvhd
from app.services.stage_infusion import (
    InfusionRecord,
    VitalSignRow,
    record_infusion,
    save_vital_signs,
    verify_bedside,
)
from app.services.stage_islet import record_islet_infusion, record_islet_product
from app.services.workspace import Workspace
from app.study.model import Range, StudyDefinition

from ..conftest import STAFF_PASSWORD
from .test_stage_walk import DIN, enrol_subject, select_unit

Users = dict[Role, UserSession]
# (workspace, users, subject, the value as typed, confirmations) -> the service's result
Save = Callable[[Workspace, Users, str, str, Mapping[ItemKey, str]], Any]


@dataclass(frozen=True)
class Case:
    key: ItemKey  # the item the value goes to
    where: tuple[str, str, str]  # event, repeat key, form of that item
    soft: str  # outside the soft range, inside the hard range
    hard: str  # outside the hard range
    save: Save
    prepare: str = ""  # "selected" (a unit selected) or "verified" (bedside check done too)


def _nurse(users: Users) -> UserSession:
    return users[Role.NURSE]


def _plan(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    drugs = [PlanDrug("FLU", "IV", "mg/m2", 40, -6, -3)]
    return save_conditioning_plan(ws, users[Role.PHYSICIAN], key, "flu_bu_atg_example", float(v),
                                  130, drugs, confirmations=c)  # fmt: skip


def _dose(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    return record_dose(ws, _nurse(users), key, -2, "BU", float(v), "2026-11-24T09:00:00", None,
                       "nurse2", STAFF_PASSWORD, confirmations=c)  # fmt: skip


def _isolation(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    return save_isolation_checklist(ws, _nurse(users), key, -2, {"IT.PE.PRESSURE": v},
                                    confirmations=c)  # fmt: skip


def _auc(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    return record_busulfan_auc(ws, _nurse(users), key, -2, 1, float(v), confirmations=c)


def _unit(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    values = {("IG.CBU", "1", "IT.CB.DIN"): DIN, ("IG.CBU", "1", "IT.CB.TNC"): v}
    return save_candidate_unit(ws, _nurse(users), key, "1", values, confirmations=c)


def _receipt(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    values = {"IT.CBR.DTC": "2026-11-23T10:00:00", "IT.CBR.SHIPPER_TEMP": v}
    return record_receipt(ws, _nurse(users), key, DIN, values, confirmations=c)


def _infusion(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    record = InfusionRecord("2026-11-24T10:00:00", None, float(v), 25, 10)
    return record_infusion(ws, _nurse(users), key, record, confirmations=c)


def _vitals(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    rows = [VitalSignRow("BASELINE", 0, "2026-11-24T09:55:00", spo2=99),
            VitalSignRow("DURING", 15, "2026-11-24T10:15:00", spo2=int(v))]  # fmt: skip
    return save_vital_signs(ws, _nurse(users), key, rows, confirmations=c)


def _product(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    return record_islet_product(ws, _nurse(users), key, 1, {"IT.IS.IEQ": v}, confirmations=c)


def _islet_infusion(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    values = {"IT.IS.INF_START": "2026-11-24T09:00:00", "IT.IS.PP_BEFORE": v}
    return record_islet_infusion(ws, _nurse(users), key, 1, values, confirmations=c)


def _agvhd(ws: Workspace, users: Users, key: str, v: str, c: Mapping[ItemKey, str]) -> Any:
    values = {
        ("IG.AGVHD", "1", "IT.GV.A_DTC"): "2026-11-24",
        ("IG.AGVHD", "1", "IT.GV.STOOL_VOL"): v,
    }
    return save_agvhd(ws, _nurse(users), key, "1", values, confirmations=c)


CASES = {
    "conditioning plan": Case(("IG.CONDPLAN", "1", "IT.CP.WEIGHT"), ("SE.CONDPLAN", "", "F.CONDPLAN"),
                              "2", "0.5", _plan),
    "conditioning dose": Case(("IG.CONDADM", "1", "IT.CM.DOSE_GIVEN"), ("SE.COND", "-2", "F.CONDADM"),
                              "900", "200000", _dose),
    "isolation checklist": Case(("IG.ISOL", "1", "IT.PE.PRESSURE"), ("SE.COND", "-2", "F.ISOL"),
                                "1", "200", _isolation),
    "busulfan AUC": Case(("IG.DLVL.BU", "1", "IT.PK.BU_AUC"), ("SE.COND", "-2", "F.DLVL"),
                         "200", "20000", _auc),
    "candidate unit": Case(("IG.CBU", "1", "IT.CB.TNC"), ("SE.CBU", "1", "F.CBU"),
                           "20", "5000", _unit),
    "unit receipt": Case(("IG.CBUREC", "1", "IT.CBR.SHIPPER_TEMP"), ("SE.CBUSEL", "", "F.CBUREC"),
                         "-140", "10", _receipt, "selected"),
    "infusion record": Case(("IG.INFUS", "1", "IT.INF.WEIGHT"), ("SE.DAY0", "", "F.INFUS"),
                            "2", "0.5", _infusion, "verified"),
    "vital signs": Case(("IG.INFUS.VS", "2", "IT.INF.VS_SPO2"), ("SE.DAY0", "", "F.INFUS"),
                        "88", "20", _vitals),
    "islet product": Case(("IG.ISLPROD", "1", "IT.IS.IEQ"), ("SE.ISLINF", "1", "F.ISLPROD"),
                          "10000", "4000000", _product),
    "islet infusion": Case(("IG.ISLINF", "1", "IT.IS.PP_BEFORE"), ("SE.ISLINF", "1", "F.ISLINF"),
                           "25", "70", _islet_infusion),
    "acute GVHD": Case(("IG.AGVHD", "1", "IT.GV.STOOL_VOL"), ("SE.AGVHD", "1", "F.AGVHD"),
                       "5000", "20000", _agvhd),
}  # fmt: skip


def _with_soft_range(study: StudyDefinition, form_oid: str, item_oid: str) -> StudyDefinition:
    """The study with a soft range on an item that has none (F.CONDADM has no soft item yet)."""
    item = replace(study.item(item_oid), soft_range=Range(10, 500))
    form = study.forms[form_oid]
    groups = tuple(
        replace(g, items=tuple(item if i.oid == item_oid else i for i in g.items))
        for g in form.groups
    )
    forms = {**study.forms, form_oid: replace(form, groups=groups)}
    return replace(study, forms=forms, _items={**study.items(), item_oid: item})


def _refused(case: Case, ws: Workspace, users: Users, key: str, value: str,
             confirmations: Mapping[ItemKey, str]) -> list[tuple[ItemKey, str]]:  # fmt: skip
    with pytest.raises(FormValidationFailed) as refused:
        case.save(ws, users, key, value, confirmations)
    return [(p.key, p.code) for p in refused.value.values["problems"]]


def _stored(ws: Workspace, users: Users, key: str, case: Case) -> str | None:
    event, repeat, form = case.where
    return load_form(ws, _nurse(users), key, event, repeat, form).values.get(case.key)


@pytest.mark.parametrize("name", list(CASES))
def test_soft_range_values_are_confirmed_with_a_comment_hard_ones_refused(
    ward_ws: Workspace, users: Users, new_subject: str, name: str
) -> None:
    ws, key, case = ward_ws, new_subject, CASES[name]
    if case.key[2] == "IT.CM.DOSE_GIVEN":
        ws.study = _with_soft_range(ws.require_study(), "F.CONDADM", "IT.CM.DOSE_GIVEN")
    if case.prepare:
        enrol_subject(ws, users, key)
        select_unit(ws, users, key)
    if case.prepare == "verified":
        verify_bedside(ws, _nurse(users), key, DIN + isbt128.mod37_2(DIN), True, "physician",
                       STAFF_PASSWORD)  # fmt: skip
    monitor = users[Role.MONITOR]
    before = len(audit_rows(ws, monitor, key))

    # Without a comment: refused, nothing written (no audit row, no value).
    assert _refused(case, ws, users, key, case.soft, {}) == [(case.key, SOFT_RANGE)]
    assert len(audit_rows(ws, monitor, key)) == before
    assert _stored(ws, users, key, case) is None

    # Outside the hard range: refused even with a comment.
    comment = {case.key: "checked twice, the value is right"}
    assert _refused(case, ws, users, key, case.hard, comment) == [(case.key, HARD_RANGE)]
    assert len(audit_rows(ws, monitor, key)) == before
    assert _stored(ws, users, key, case) is None

    # With a comment: stored, and the audit trail carries the comment.
    case.save(ws, users, key, case.soft, {case.key: "  re-measured: as typed  "})
    assert _stored(ws, users, key, case) == case.soft
    confirmed = [r for r in audit_rows(ws, monitor, key) if r.action == "soft_range_confirmed"]
    assert [(r.path.rsplit("/", 1)[-1], r.new_value, r.reason) for r in confirmed] == [
        (case.key[2], case.soft, "re-measured: as typed")
    ]
