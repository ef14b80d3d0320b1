"""Internal: a unit of work with the audit context set, and the acting user re-checked.

Every write goes through `unit_of_work` so db/audit's before_flush listener knows who, when (UTC
and local offset) and why. `acting_user` re-reads the user so a deactivated, locked or demoted
account cannot keep acting on an old UserSession.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.errors import PermissionDenied, SessionEnded
from app.services.permissions import Permission, Role, can
from app.services.workspace import Workspace, offset_minutes
from db.audit import AuditContext, set_audit_context
from db.models import Setting, User


@contextmanager
def unit_of_work(
    ws: Workspace, user_id: int | None, reason: str | None = None
) -> Iterator[Session]:
    """A committing session whose audit rows carry `user_id`, the clock's time and `reason`."""
    with ws.db.session() as session:
        set_audit_context(
            session,
            AuditContext(
                user_id=user_id,
                now=ws.clock.now,
                offset_minutes=offset_minutes(ws.clock),
                reason=reason,
            ),
        )
        yield session


def acting_user(session: Session, user_id: int, permission: Permission | None = None) -> User:
    """The acting user's row; SessionEnded if gone, inactive or locked; PermissionDenied if the
    role (as stored now, not as at login) lacks `permission`."""
    user = session.get(User, user_id)
    if user is None or not user.active or user.locked:
        raise SessionEnded()
    if permission is not None and not can(user.role, permission):
        raise PermissionDenied(permission=permission.value, role=user.role)
    return user


def role_of(user: User) -> Role:
    return Role(user.role)


def user_by_name(session: Session, username: str) -> User | None:
    """Usernames are unique regardless of case (users.add_user), so login ignores case."""
    return session.scalars(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).one_or_none()


def setting_value(session: Session, key: str) -> str | None:
    """The raw JSON text of a setting, or None."""
    row = session.get(Setting, key)
    return None if row is None else row.value
