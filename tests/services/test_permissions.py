"""The one permission table: what each role may and may not do (issue 2, point 2)."""

from __future__ import annotations

import pytest

from app.services.auth import UserSession
from app.services.errors import PermissionDenied
from app.services.permissions import PERMISSIONS, Permission, Role, can, require

P = Permission


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (
            Role.NURSE,
            [P.ENTER_CLINICAL_DATA, P.VIEW_PHI, P.VERIFY_INFUSION],
            [P.SIGN_ELIGIBILITY, P.MANAGE_USERS, P.SELECT_UNIT, P.CLOSE_QUERY],
        ),
        (
            Role.MONITOR,
            [P.VIEW_SUBJECTS, P.RAISE_QUERY, P.SOURCE_VERIFY, P.VIEW_AUDIT],
            [P.ENTER_CLINICAL_DATA, P.SIGN_FORMS, P.CREATE_SUBJECT, P.ANSWER_QUERY, P.MANAGE_USERS],
        ),
        (
            Role.ADMINISTRATOR,
            [P.MANAGE_USERS, P.CHANGE_SETTINGS, P.BACKUP, P.VIEW_AUDIT],
            [P.ENTER_CLINICAL_DATA, P.VIEW_PHI, P.SIGN_FORMS, P.CREATE_SUBJECT],
        ),
        (
            Role.INVESTIGATOR,
            [P.SIGN_ELIGIBILITY, P.SIGN_FORMS, P.SELECT_UNIT, P.ENTER_CLINICAL_DATA],
            [P.MANAGE_USERS, P.SOURCE_VERIFY, P.RAISE_QUERY],
        ),
        (
            Role.PHYSICIAN,
            [P.ENTER_CLINICAL_DATA, P.SIGN_FORMS, P.VIEW_PHI, P.SELECT_UNIT],
            [P.SIGN_ELIGIBILITY, P.MANAGE_USERS],
        ),
        (
            Role.DATA_MANAGER,
            [P.RAISE_QUERY, P.CLOSE_QUERY, P.EXPORT_SYNC],
            [P.VIEW_PHI, P.SIGN_FORMS, P.MANAGE_USERS, P.SOURCE_VERIFY],
        ),
    ],
)
def test_each_role_has_what_the_issue_says(
    role: Role, allowed: list[Permission], refused: list[Permission]
) -> None:
    for permission in allowed:
        assert can(role, permission), f"{role} should be allowed {permission}"
    for permission in refused:
        assert not can(role, permission), f"{role} should not be allowed {permission}"


def test_every_role_is_in_the_one_table() -> None:
    assert set(PERMISSIONS) == set(Role)


def test_only_administrators_manage_users_and_none_of_them_enter_data() -> None:
    assert [r for r in Role if can(r, P.MANAGE_USERS)] == [Role.ADMINISTRATOR]
    assert not (PERMISSIONS[Role.ADMINISTRATOR] & {P.ENTER_CLINICAL_DATA, P.CREATE_SUBJECT})


def test_unknown_role_or_permission_holds_nothing() -> None:
    assert not can("janitor", P.VIEW_SUBJECTS)
    assert not can(Role.INVESTIGATOR, "fly")


def test_require_raises_a_typed_error_with_a_code() -> None:
    nurse = UserSession(1, "nurse", "A Nurse", Role.NURSE)
    require(nurse, P.ENTER_CLINICAL_DATA)
    with pytest.raises(PermissionDenied) as exc:
        require(nurse, P.SIGN_ELIGIBILITY)
    assert exc.value.code == "perm.denied"
    assert exc.value.values["permission"] == "sign_eligibility"
