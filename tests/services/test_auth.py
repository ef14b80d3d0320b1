"""Login, lockout after five failures, re-authentication; all audited (issue 2, points 2 and 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.clock import FixedClock
from app.services.audit_trail import audit_rows
from app.services.auth import (
    UserSession,
    change_own_password,
    login,
    logout,
    reauthenticate,
    switch_user,
)
from app.services.errors import (
    AccountInactive,
    AccountLocked,
    LoginFailed,
    PasswordRejected,
    SessionEnded,
    WrongPassword,
)
from app.services.permissions import Role
from app.services.users import deactivate_user, list_users, unlock_user
from app.services.workspace import Workspace

from .conftest import ADMIN_PASSWORD, STAFF_PASSWORD


def _actions(ws: Workspace, admin: UserSession, path: str) -> list[str]:
    return [r.action for r in reversed(audit_rows(ws, admin, path_prefix=path))]


def test_login_returns_the_session_and_is_audited(ws: Workspace) -> None:
    session = login(ws, "admin", ADMIN_PASSWORD)
    assert session.username == "admin"
    assert session.role is Role.ADMINISTRATOR
    assert "login" in _actions(ws, session, "users/admin")
    logins = [r for r in audit_rows(ws, session, "users/admin") if r.action == "login"]
    assert logins and logins[0].username == "admin"  # the row names who logged in


def test_unknown_user_and_wrong_password_get_the_same_error(ws: Workspace) -> None:
    with pytest.raises(LoginFailed) as unknown:
        login(ws, "nobody", ADMIN_PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        login(ws, "admin", "not the admin passphrase")
    assert unknown.value.code == wrong.value.code == "auth.failed"
    assert str(unknown.value) == str(wrong.value)


def test_five_failures_lock_the_account_until_an_administrator_unlocks_it(
    ws: Workspace, staff: dict[Role, UserSession], clock: FixedClock
) -> None:
    admin = staff[Role.ADMINISTRATOR]
    for _ in range(4):
        clock.advance(timedelta(seconds=5))
        with pytest.raises(LoginFailed):
            login(ws, "nurse", "wrong guess of a passphrase")
    with pytest.raises(AccountLocked):
        login(ws, "nurse", "wrong guess of a passphrase")
    # Locked: even the right password is refused.
    with pytest.raises(AccountLocked):
        login(ws, "nurse", STAFF_PASSWORD)
    nurse_row = next(u for u in list_users(ws, admin) if u.username == "nurse")
    assert nurse_row.locked
    actions = _actions(ws, admin, "users/nurse")
    assert actions.count("login_failed") == 6
    assert "account_locked" in actions
    unlock_user(ws, admin, nurse_row.user_id)
    assert login(ws, "nurse", STAFF_PASSWORD).role is Role.NURSE
    assert "account_unlocked" in _actions(ws, admin, "users/nurse")


def test_a_success_resets_the_failure_count(ws: Workspace, staff: dict[Role, UserSession]) -> None:
    for _ in range(4):
        with pytest.raises(LoginFailed):
            login(ws, "nurse", "wrong guess of a passphrase")
    login(ws, "nurse", STAFF_PASSWORD)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            login(ws, "nurse", "wrong guess of a passphrase")
    assert login(ws, "nurse", STAFF_PASSWORD).username == "nurse"


def test_reauthentication_failures_count_towards_the_lockout(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    nurse = staff[Role.NURSE]
    reauthenticate(ws, nurse, STAFF_PASSWORD)
    for _ in range(4):
        with pytest.raises(WrongPassword):
            reauthenticate(ws, nurse, "wrong guess of a passphrase")
    with pytest.raises(AccountLocked):
        reauthenticate(ws, nurse, "wrong guess of a passphrase")
    with pytest.raises(AccountLocked):
        login(ws, "nurse", STAFF_PASSWORD)


def test_a_deactivated_user_cannot_log_in_or_act(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    admin, nurse = staff[Role.ADMINISTRATOR], staff[Role.NURSE]
    deactivate_user(ws, admin, nurse.user_id)
    with pytest.raises(AccountInactive):
        login(ws, "nurse", STAFF_PASSWORD)
    with pytest.raises(SessionEnded):
        reauthenticate(ws, nurse, STAFF_PASSWORD)


def test_logout_is_audited(ws: Workspace, admin: UserSession) -> None:
    logout(ws, admin)
    assert _actions(ws, admin, "users/admin")[-1] == "logout"


def test_another_user_at_the_lock_screen_ends_the_first_session(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    nurse = staff[Role.NURSE]
    with pytest.raises(LoginFailed):
        switch_user(ws, nurse, "physician", "wrong guess of a passphrase")
    physician = switch_user(ws, nurse, "physician", STAFF_PASSWORD)
    assert physician.role is Role.PHYSICIAN
    assert _actions(ws, staff[Role.ADMINISTRATOR], "users/nurse")[-1] == "session_ended"


def test_users_change_their_own_password(ws: Workspace, staff: dict[Role, UserSession]) -> None:
    nurse = staff[Role.NURSE]
    with pytest.raises(WrongPassword):
        change_own_password(ws, nurse, "not my passphrase at all", "a fresh ward passphrase")
    with pytest.raises(PasswordRejected):
        change_own_password(ws, nurse, STAFF_PASSWORD, "qwerty")
    change_own_password(ws, nurse, STAFF_PASSWORD, "a fresh ward passphrase")
    assert login(ws, "nurse", "a fresh ward passphrase").username == "nurse"
