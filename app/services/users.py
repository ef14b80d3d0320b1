"""User administration (administrators only): list, create, deactivate, reset password, set role,
unlock. Each change is audited as a configuration change under the path "users/<username>".
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services import passwords
from app.services._uow import acting_user, unit_of_work, user_by_name
from app.services.auth import UserSession, user_path
from app.services.errors import (
    InvalidInput,
    LastAdministrator,
    PasswordRejected,
    UsernameTaken,
    UserNotFound,
)
from app.services.permissions import Permission, Role
from app.services.workspace import Workspace
from db.audit import record_event
from db.models import Setting, User

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]{2,64}$")


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


def _row(user: User) -> UserRow:
    return UserRow(
        user.id,
        user.username,
        user.full_name,
        Role(user.role),
        user.active,
        user.locked,
        user.failed_logins,
        user.created_at,
    )


def _min_length(session: Session) -> int:
    row = session.get(Setting, "min_password_length")
    return passwords.DEFAULT_MIN_LENGTH if row is None else int(row.value)


def check_new_password(session: Session, password: str, username: str) -> str:
    """The Argon2id hash of an acceptable password, else PasswordRejected (policy codes)."""
    problems = passwords.check_password_policy(password, username, _min_length(session))
    if problems:
        raise PasswordRejected(problems=", ".join(problems), codes=tuple(problems))
    return passwords.hash_password(password)


def add_user(
    session: Session, username: str, full_name: str, role: Role, password: str, now: datetime
) -> User:
    """Validate and insert a user (audited "user_created"); for site setup and create_user."""
    username = username.strip()
    full_name = full_name.strip()
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(field="username", problem="2 to 64 letters, digits, '.', '-', '_'")
    if not full_name or len(full_name) > 200:
        raise InvalidInput(field="full_name", problem="1 to 200 characters")
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(field="role", problem="not a role") from None
    existing = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if existing is not None:
        raise UsernameTaken()
    password_hash = check_new_password(session, password, username)
    user = User(
        username=username,
        full_name=full_name,
        role=role.value,
        password_hash=password_hash,
        active=True,
        failed_logins=0,
        locked=False,
        created_at=now,
        user_oid="USR." + secrets.token_hex(6).upper(),
    )
    session.add(user)
    session.flush()
    record_event(session, "user_created", user_path(username), new=role.value)
    return user


def _target(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound()
    return user


def _active_admins(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMINISTRATOR.value, User.active.is_(True))
        )
        or 0
    )


def _guard_last_admin(session: Session, user: User) -> None:
    if user.role == Role.ADMINISTRATOR.value and user.active and _active_admins(session) <= 1:
        raise LastAdministrator()


def list_users(ws: Workspace, actor: UserSession) -> list[UserRow]:
    """All users, by username (MANAGE_USERS)."""
    with ws.db.session() as session:
        acting_user(session, actor.user_id, Permission.MANAGE_USERS)
        return [_row(u) for u in session.scalars(select(User).order_by(User.username))]


def create_user(
    ws: Workspace, actor: UserSession, username: str, full_name: str, role: Role, password: str
) -> UserRow:
    """A new active user. Raises InvalidInput, UsernameTaken, PasswordRejected."""
    with unit_of_work(ws, actor.user_id) as session:
        acting_user(session, actor.user_id, Permission.MANAGE_USERS)
        return _row(add_user(session, username, full_name, role, password, ws.clock.now()))


def deactivate_user(ws: Workspace, actor: UserSession, user_id: int) -> UserRow:
    """The user can no longer log in (kept for the audit trail). Raises LastAdministrator."""
    with unit_of_work(ws, actor.user_id) as session:
        acting_user(session, actor.user_id, Permission.MANAGE_USERS)
        user = _target(session, user_id)
        if user.active:
            _guard_last_admin(session, user)
            user.active = False
            record_event(
                session, "user_deactivated", user_path(user.username), old="active", new="inactive"
            )
        return _row(user)


def activate_user(ws: Workspace, actor: UserSession, user_id: int) -> UserRow:
    """Re-activate a deactivated account."""
    with unit_of_work(ws, actor.user_id) as session:
        acting_user(session, actor.user_id, Permission.MANAGE_USERS)
        user = _target(session, user_id)
        if not user.active:
            user.active = True
            record_event(
                session, "user_activated", user_path(user.username), old="inactive", new="active"
            )
        return _row(user)


def reset_password(ws: Workspace, actor: UserSession, user_id: int, new_password: str) -> UserRow:
    """Set a new password (policy checked) and clear the failure count. Raises PasswordRejected."""
    with unit_of_work(ws, actor.user_id) as session:
        acting_user(session, actor.user_id, Permission.MANAGE_USERS)
        user = _target(session, user_id)
        user.password_hash = check_new_password(session, new_password, user.username)
        user.failed_logins = 0
        # The hash itself never goes into the audit trail.
        record_event(session, "password_reset", user_path(user.username))
        return _row(user)


def set_role(ws: Workspace, actor: UserSession, user_id: int, role: Role) -> UserRow:
    """Change the role. Raises LastAdministrator when it would leave no active administrator."""
    try:
        new_role = Role(role)
    except ValueError:
        raise InvalidInput(field="role", problem="not a role") from None
    with unit_of_work(ws, actor.user_id) as session:
        acting_user(session, actor.user_id, Permission.MANAGE_USERS)
        user = _target(session, user_id)
        if user.role != new_role.value:
            if new_role is not Role.ADMINISTRATOR:
                _guard_last_admin(session, user)
            old = user.role
            user.role = new_role.value
            record_event(
                session, "role_changed", user_path(user.username), old=old, new=new_role.value
            )
        return _row(user)


def unlock_user(ws: Workspace, actor: UserSession, user_id: int) -> UserRow:
    """Unlock an account locked by failed logins (failure count back to 0)."""
    with unit_of_work(ws, actor.user_id) as session:
        acting_user(session, actor.user_id, Permission.MANAGE_USERS)
        user = _target(session, user_id)
        if user.locked or user.failed_logins:
            user.locked = False
            user.failed_logins = 0
            record_event(
                session, "account_unlocked", user_path(user.username), old="locked", new="unlocked"
            )
        return _row(user)


def user_by_username(ws: Workspace, actor: UserSession, username: str) -> UserRow:
    """One user by username (MANAGE_USERS); for the command line."""
    with ws.db.session() as session:
        acting_user(session, actor.user_id, Permission.MANAGE_USERS)
        user = user_by_name(session, username)
        if user is None:
            raise UserNotFound()
        return _row(user)
