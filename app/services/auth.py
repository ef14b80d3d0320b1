"""Log in, re-authenticate (idle unlock, signatures), log out; failed attempts lock the account.

An unknown user and a wrong password give the same LoginFailed (no user enumeration). After
`lockout_threshold` (setting, default 5) consecutive failures the account locks until an
administrator unlocks it. Everything is audited: login, login_failed, account_locked, logout.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.permissions import Role
from app.services.workspace import Workspace


@dataclass(frozen=True)
class UserSession:
    """The acting user: passed to every service call that acts on behalf of someone."""

    user_id: int
    username: str
    full_name: str
    role: Role


def login(ws: Workspace, username: str, password: str) -> UserSession:
    """Check the password; raises LoginFailed, AccountLocked or AccountInactive."""
    raise NotImplementedError


def reauthenticate(ws: Workspace, session: UserSession, password: str) -> None:
    """The same user re-enters the password (idle unlock, e-signature).

    Raises WrongPassword (failures count towards the lockout), AccountLocked, SessionEnded.
    """
    raise NotImplementedError


def logout(ws: Workspace, session: UserSession) -> None:
    """End the session (audited "logout")."""
    raise NotImplementedError
