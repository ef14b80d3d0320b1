"""Idle lock (issue 2, point 6): after N minutes without input the screen hides data.

`IdleLock` is pure (times passed in, no Qt, no sleeps); the shell calls `touch` on user input and
asks `is_locked` on a timer. Unlocking re-authenticates through auth.reauthenticate (same user) or
a new login (another user, which ends the first session).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.services.settings import read_settings
from app.services.workspace import Workspace

DEFAULT_IDLE_MINUTES = 15


@dataclass
class IdleLock:
    timeout_minutes: int = DEFAULT_IDLE_MINUTES
    last_activity: datetime | None = None
    _locked: bool = field(default=False, repr=False)

    def touch(self, now: datetime) -> None:
        """User activity at `now`; ignored while locked (only unlock re-opens the screen)."""
        if not self.is_locked(now):
            self.last_activity = now

    def is_locked(self, now: datetime) -> bool:
        if self._locked:
            return True
        if self.last_activity is None:
            self.last_activity = now
            return False
        if now - self.last_activity >= timedelta(minutes=self.timeout_minutes):
            self._locked = True
        return self._locked

    def lock(self) -> None:
        """Lock at once (the user pressed Lock)."""
        self._locked = True

    def unlock(self, now: datetime) -> None:
        """Call after the password was re-entered (auth.reauthenticate succeeded)."""
        self._locked = False
        self.last_activity = now

    def remaining(self, now: datetime) -> timedelta:
        """Time left before locking (zero when locked)."""
        if self.is_locked(now) or self.last_activity is None:
            return timedelta(0)
        return self.last_activity + timedelta(minutes=self.timeout_minutes) - now


def idle_timeout_minutes(ws: Workspace) -> int:
    """The site's idle timeout setting (minutes)."""
    return read_settings(ws).idle_timeout_minutes
