"""Site settings (site code and name, idle timeout, password length, lockout, language), audited.

Stored as JSON values in the `settings` table; every change writes a "config_change" audit row.
`read_settings` needs no login (the login screen shows the site name); changing needs
Permission.CHANGE_SETTINGS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services.auth import UserSession
from app.services.workspace import Workspace

LANGUAGES = ("en", "zh_CN")


@dataclass(frozen=True)
class SiteSettings:
    site_code: str = ""
    site_name: str = ""
    idle_timeout_minutes: int = 15
    min_password_length: int = 15
    lockout_threshold: int = 5
    language: str = "en"


def read_settings(ws: Workspace) -> SiteSettings:
    """The current settings (defaults for keys never set). No permission needed."""
    raise NotImplementedError


def get_settings(ws: Workspace, user: UserSession) -> SiteSettings:
    """The settings, for a logged-in user."""
    raise NotImplementedError


def update_settings(ws: Workspace, user: UserSession, **changes: Any) -> SiteSettings:
    """Validate and store the given fields of SiteSettings (CHANGE_SETTINGS), one audit row each.

    Raises InvalidInput(field=..., problem=...) for a bad value; nothing is stored then.
    """
    raise NotImplementedError
