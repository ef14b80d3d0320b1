"""User administration: administrators only, audited, never the last administrator."""

from __future__ import annotations

import pytest

from app.services.audit_trail import audit_rows
from app.services.auth import UserSession, login
from app.services.errors import (
    InvalidInput,
    LastAdministrator,
    LoginFailed,
    PasswordRejected,
    PermissionDenied,
    SessionEnded,
    UsernameTaken,
)
from app.services.permissions import Role
from app.services.users import (
    activate_user,
    create_user,
    deactivate_user,
    list_users,
    reset_password,
    set_role,
)
from app.services.workspace import Workspace

from .conftest import STAFF_PASSWORD

NEW_PASSWORD = "a brand new ward passphrase"


def test_create_and_list(ws: Workspace, admin: UserSession) -> None:
    row = create_user(ws, admin, "li.na", "Li Na", Role.NURSE, STAFF_PASSWORD)
    assert (row.role, row.active, row.locked) == (Role.NURSE, True, False)
    assert [u.username for u in list_users(ws, admin)] == ["admin", "li.na"]
    assert login(ws, "li.na", STAFF_PASSWORD).role is Role.NURSE
    created = [
        r for r in audit_rows(ws, admin, path_prefix="users/li.na") if r.action == "user_created"
    ]
    assert created and created[0].username == "admin"
    # The password hash never enters the trail.
    assert "argon2" not in repr(audit_rows(ws, admin))


def test_bad_input_is_refused_and_changes_nothing(ws: Workspace, admin: UserSession) -> None:
    with pytest.raises(PasswordRejected) as exc:
        create_user(ws, admin, "li.na", "Li Na", Role.NURSE, "short")
    assert "password.too_short" in exc.value.values["codes"]
    with pytest.raises(InvalidInput):
        create_user(ws, admin, "li na!", "Li Na", Role.NURSE, STAFF_PASSWORD)
    create_user(ws, admin, "li.na", "Li Na", Role.NURSE, STAFF_PASSWORD)
    with pytest.raises(UsernameTaken):
        create_user(ws, admin, "LI.NA", "Other", Role.NURSE, STAFF_PASSWORD)
    assert len(list_users(ws, admin)) == 2


def test_only_administrators_manage_users(ws: Workspace, staff: dict[Role, UserSession]) -> None:
    for role in (Role.INVESTIGATOR, Role.NURSE, Role.MONITOR, Role.DATA_MANAGER):
        with pytest.raises(PermissionDenied):
            list_users(ws, staff[role])
        with pytest.raises(PermissionDenied):
            create_user(ws, staff[role], "x.y", "X Y", Role.ADMINISTRATOR, STAFF_PASSWORD)


def test_reset_password_and_set_role_take_effect(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    admin, nurse = staff[Role.ADMINISTRATOR], staff[Role.NURSE]
    reset_password(ws, admin, nurse.user_id, NEW_PASSWORD)
    with pytest.raises(LoginFailed):
        login(ws, "nurse", STAFF_PASSWORD)
    login(ws, "nurse", NEW_PASSWORD)
    set_role(ws, admin, nurse.user_id, Role.PHYSICIAN)
    assert login(ws, "nurse", NEW_PASSWORD).role is Role.PHYSICIAN
    actions = [r.action for r in audit_rows(ws, admin, path_prefix="users/nurse")]
    assert {"password_reset", "role_changed"} <= set(actions)


def test_a_demoted_or_deactivated_user_cannot_keep_acting_on_an_old_session(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    admin = staff[Role.ADMINISTRATOR]
    second_admin = create_user(
        ws, admin, "admin2", "Second Admin", Role.ADMINISTRATOR, STAFF_PASSWORD
    )
    session = login(ws, "admin2", STAFF_PASSWORD)
    set_role(ws, admin, second_admin.user_id, Role.MONITOR)
    with pytest.raises(PermissionDenied):
        list_users(ws, session)
    deactivate_user(ws, admin, second_admin.user_id)
    with pytest.raises(SessionEnded):
        list_users(ws, session)
    activate_user(ws, admin, second_admin.user_id)
    assert login(ws, "admin2", STAFF_PASSWORD).role is Role.MONITOR


def test_the_last_active_administrator_stays(ws: Workspace, admin: UserSession) -> None:
    with pytest.raises(LastAdministrator):
        deactivate_user(ws, admin, admin.user_id)
    with pytest.raises(LastAdministrator):
        set_role(ws, admin, admin.user_id, Role.INVESTIGATOR)
    assert list_users(ws, admin)[0].active
