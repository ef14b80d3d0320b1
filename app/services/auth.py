"""Log in, re-authenticate (idle unlock, signatures), log out; failed attempts lock the account.

An unknown user and a wrong password give the same LoginFailed (no user enumeration). After
`lockout_threshold` (setting, default 5) consecutive failures the account locks until an
administrator unlocks it. Everything is audited: login, login_failed, account_locked, logout.
Failures are committed before the error is raised, so a lockout survives a crash or restart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from sqlalchemy.orm import Session

from app.services import passwords
from app.services._uow import unit_of_work, user_by_name
from app.services.errors import (
    AccountInactive,
    AccountLocked,
    LoginFailed,
    ServiceError,
    SessionEnded,
    WrongPassword,
)
from app.services.permissions import Role
from app.services.workspace import Workspace
from db.audit import get_audit_context, record_event, set_audit_context
from db.models import Setting, User

UNKNOWN_USER_PATH = "users/(unknown)"


@dataclass(frozen=True)
class UserSession:
    """The acting user: passed to every service call that acts on behalf of someone."""

    user_id: int
    username: str
    full_name: str
    role: Role


def user_path(username: str) -> str:
    return f"users/{username}"


def _lockout_threshold(session: Session) -> int:
    row = session.get(Setting, "lockout_threshold")
    return 5 if row is None else int(row.value)


def _register_failure(session: Session, user: User, action: str) -> ServiceError | None:
    """Count a failed password; lock at the threshold. Returns AccountLocked when it locked."""
    user.failed_logins += 1
    record_event(session, action, user_path(user.username), new=str(user.failed_logins))
    if user.failed_logins >= _lockout_threshold(session):
        user.locked = True
        record_event(session, "account_locked", user_path(user.username), new="locked")
        return AccountLocked()
    return None


def _check_password(
    session: Session, user: User, password: str, action: str
) -> ServiceError | None:
    """None when the password is right (failure count reset), else the error to raise."""
    if user.locked:
        passwords.verify_password(user.password_hash, password)  # same time as any attempt
        record_event(session, action, user_path(user.username), new="locked")
        return AccountLocked()
    if not passwords.verify_password(user.password_hash, password):
        return _register_failure(session, user, action) or LoginFailed()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.failed_logins = 0
    return None


def login(ws: Workspace, username: str, password: str) -> UserSession:
    """Check the password; raises LoginFailed, AccountLocked or AccountInactive."""
    error: ServiceError | None = None
    result: UserSession | None = None
    with unit_of_work(ws, None) as session:
        user = user_by_name(session, username.strip())
        if user is None:
            # Spend the same time as a real check so timing does not reveal unknown usernames.
            passwords.verify_password(_dummy_hash(), password)
            record_event(session, "login_failed", UNKNOWN_USER_PATH)
            error = LoginFailed()
        elif not user.active:
            passwords.verify_password(user.password_hash, password)  # same time as any attempt
            record_event(session, "login_failed", user_path(user.username), new="inactive")
            error = AccountInactive()
        else:
            error = _check_password(session, user, password, "login_failed")
            if error is None:
                # The login row names who logged in (the unit of work began with nobody known).
                ctx = get_audit_context(session)
                assert ctx is not None  # set by unit_of_work
                set_audit_context(session, replace(ctx, user_id=user.id))
                record_event(session, "login", user_path(user.username))
                result = UserSession(user.id, user.username, user.full_name, Role(user.role))
            elif not isinstance(error, AccountLocked):
                error = LoginFailed()
    if error is not None or result is None:
        raise error or LoginFailed()
    return result


def reauthenticate(ws: Workspace, session: UserSession, password: str) -> None:
    """The same user re-enters the password (idle unlock, e-signature).

    Raises WrongPassword (failures count towards the lockout), AccountLocked, SessionEnded.
    """
    error: ServiceError | None = None
    with unit_of_work(ws, session.user_id) as db_session:
        user = db_session.get(User, session.user_id)
        if user is None or not user.active:
            error = SessionEnded()
        else:
            error = _check_password(db_session, user, password, "reauth_failed")
            if error is None:
                record_event(db_session, "reauthenticated", user_path(user.username))
            elif not isinstance(error, AccountLocked):
                error = WrongPassword()
    if error is not None:
        raise error


def logout(ws: Workspace, session: UserSession) -> None:
    """End the session (audited "logout")."""
    with unit_of_work(ws, session.user_id) as db_session:
        record_event(db_session, "logout", user_path(session.username))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return passwords.hash_password("seqtx-timing-equaliser-not-a-password")


def switch_user(ws: Workspace, current: UserSession, username: str, password: str) -> UserSession:
    """Another user logs in at the idle-lock screen: the first session ends (audited) only when
    the new login succeeds."""
    session = login(ws, username, password)
    if session.user_id != current.user_id:
        with unit_of_work(ws, current.user_id) as db_session:
            record_event(db_session, "session_ended", user_path(current.username), new=username)
    return session


def change_own_password(
    ws: Workspace, session: UserSession, current_password: str, new_password: str
) -> None:
    """The user changes their own password: the current one first (counts towards the lockout),
    then the policy. Raises WrongPassword, AccountLocked, PasswordRejected."""
    reauthenticate(ws, session, current_password)
    from app.services.users import check_new_password  # users imports this module

    with unit_of_work(ws, session.user_id) as db_session:
        user = db_session.get(User, session.user_id)
        if user is None or not user.active:
            raise SessionEnded()
        user.password_hash = check_new_password(db_session, new_password, user.username)
        record_event(db_session, "password_changed", user_path(user.username))
