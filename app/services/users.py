"""User administration (administrators only): list, create, deactivate, reset password, set role,
unlock. Each change is audited as a configuration change under the path "users/<username>".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.services.auth import UserSession
from app.services.permissions import Role
from app.services.workspace import Workspace


@dataclass(frozen=True)
class UserRow:
    user_id: int
    username: str
    full_name: str
    role: Role
    active: bool
    locked: bool
    failed_logins: int
    created_at: datetime


def list_users(ws: Workspace, actor: UserSession) -> list[UserRow]:
    """All users, by username (MANAGE_USERS)."""
    raise NotImplementedError


def create_user(
    ws: Workspace, actor: UserSession, username: str, full_name: str, role: Role, password: str
) -> UserRow:
    """A new active user. Raises InvalidInput, UsernameTaken, PasswordRejected."""
    raise NotImplementedError


def deactivate_user(ws: Workspace, actor: UserSession, user_id: int) -> UserRow:
    """The user can no longer log in (kept for the audit trail). Raises LastAdministrator."""
    raise NotImplementedError


def activate_user(ws: Workspace, actor: UserSession, user_id: int) -> UserRow:
    raise NotImplementedError


def reset_password(ws: Workspace, actor: UserSession, user_id: int, new_password: str) -> UserRow:
    """Set a new password (policy checked) and clear the failure count. Raises PasswordRejected."""
    raise NotImplementedError


def set_role(ws: Workspace, actor: UserSession, user_id: int, role: Role) -> UserRow:
    """Change the role. Raises LastAdministrator when it would leave no active administrator."""
    raise NotImplementedError


def unlock_user(ws: Workspace, actor: UserSession, user_id: int) -> UserRow:
    """Unlock an account locked by failed logins (failure count back to 0)."""
    raise NotImplementedError
