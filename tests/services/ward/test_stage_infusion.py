"""Bedside verification: a wrong DIN, a bad check character, an identity not confirmed and a second
person who is the first person are each refused, audited, and leave no verification behind."""

from __future__ import annotations

import pytest

from app.domain import isbt128
from app.domain.clock import FixedClock
from app.services.audit_trail import audit_rows
from app.services.auth import UserSession
from app.services.permissions import Role
from app.services.stage_common import NotReady, VerificationRefused
from app.services.stage_infusion import (
    InfusionRecord,
    VitalSignRow,
    infusion_view,
    record_infusion,
    save_vital_signs,
    verify_bedside,
)
from app.services.workspace import Workspace

from ..conftest import STAFF_PASSWORD
from .test_stage_walk import DIN, enrol_subject, select_unit

OTHER_DIN = "W432126654321"


@pytest.fixture
def selected(ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str) -> str:
    enrol_subject(ward_ws, users, new_subject)
    select_unit(ward_ws, users, new_subject)
    return new_subject


def _refusals(ws: Workspace, users: dict[Role, UserSession], key: str) -> list[str | None]:
    rows = audit_rows(ws, users[Role.MONITOR], key)
    return [r.reason for r in reversed(rows) if r.action == "bedside_refused"]


def _attempt(ws: Workspace, users: dict[Role, UserSession], key: str, **kw: object) -> str:
    args: dict[str, object] = {"scanned_din": DIN + isbt128.mod37_2(DIN),
                               "identity_confirmed": True, "second_username": "physician",
                               "second_password": STAFF_PASSWORD}  # fmt: skip
    args.update(kw)
    with pytest.raises(VerificationRefused) as refused:
        verify_bedside(ws, users[Role.NURSE], key, **args)  # type: ignore[arg-type]
    return str(refused.value.values["reason"])


def test_wrong_din_bad_check_character_and_same_person_are_refused_and_audited(
    ward_ws: Workspace, users: dict[Role, UserSession], selected: str
) -> None:
    ws, key = ward_ws, selected
    wrong = OTHER_DIN + isbt128.mod37_2(OTHER_DIN)  # a valid DIN, but not the selected unit
    bad_check = DIN + ("A" if isbt128.mod37_2(DIN) != "A" else "B")
    assert _attempt(ws, users, key, scanned_din=wrong) == "din_mismatch"
    assert _attempt(ws, users, key, scanned_din=bad_check) == "bad_check_character"
    assert _attempt(ws, users, key, scanned_din=DIN) == "bad_check_character"  # no check char
    assert _attempt(ws, users, key, identity_confirmed=False) == "identity_not_confirmed"
    assert _attempt(ws, users, key, second_username="nurse") == "same_person"
    assert _attempt(ws, users, key, second_username="monitor") == "not_allowed"
    assert _refusals(ws, users, key) == [
        "din_mismatch", "bad_check_character", "bad_check_character", "identity_not_confirmed",
        "same_person", "not_allowed",
    ]  # fmt: skip
    view = infusion_view(ws, users[Role.NURSE], key)
    assert not view.verified
    with pytest.raises(NotReady):
        record_infusion(ws, users[Role.NURSE], key,
                        InfusionRecord("2026-11-24T10:00:00", None, 25, 25, 10))  # fmt: skip


def test_wrong_second_password_is_refused_audited_and_counted(
    ward_ws: Workspace, users: dict[Role, UserSession], selected: str
) -> None:
    reason = _attempt(ward_ws, users, selected, second_password="not the password")
    assert reason == "wrong_password"
    assert _refusals(ward_ws, users, selected) == ["wrong_password"]
    # The failure counts towards the second person's lockout like any wrong password.
    trail = audit_rows(ward_ws, users[Role.MONITOR], "users/physician")
    assert [r.action for r in trail][:1] == ["reauth_failed"]
    assert not infusion_view(ward_ws, users[Role.NURSE], selected).verified


def test_verified_infusion_sets_day0_and_the_vital_sign_grid(
    ward_ws: Workspace, users: dict[Role, UserSession], selected: str, clock: FixedClock
) -> None:
    ws, key, nurse = ward_ws, selected, users[Role.NURSE]
    scanned = "=" + DIN + isbt128.check_flags(isbt128.mod37_2(DIN), _params(ws))
    result = verify_bedside(ws, nurse, key, scanned, True, "nurse2", STAFF_PASSWORD)
    assert result.second_user == "nurse2"
    view = record_infusion(ws, nurse, key, InfusionRecord("2026-11-24T10:00:00", None, 20, 40,
                                                          10))  # fmt: skip
    assert view.verified and view.dmso_g_per_kg == pytest.approx(0.22)
    grid = [VitalSignRow("BASELINE", 0, temp=36.8, hr=96), VitalSignRow("DURING", 15, hr=101)]
    view = save_vital_signs(ws, nurse, key, grid)
    assert [(v.minute, v.hr) for v in view.vital_signs] == [(0, 96), (15, 101)]


def _params(ws: Workspace) -> isbt128.Isbt128Params:
    return ws.require_study().rules.params(isbt128.Isbt128Params, "cordblood")
