"""Site settings (site code and name, idle timeout, password length, lockout, language), audited.

Stored as JSON values in the `settings` table; every change writes a "config_change" audit row
under "settings/<key>". `read_settings` needs no login (the login screen shows the site name);
changing needs Permission.CHANGE_SETTINGS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy.orm import Session

from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.errors import InvalidInput
from app.services.passwords import FLOOR_MIN_LENGTH, MAX_LENGTH
from app.services.permissions import Permission
from app.services.workspace import Workspace
from db.audit import record_event
from db.models import Setting

LANGUAGES = ("en", "zh_CN")
SITE_CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,8}$")


@dataclass(frozen=True)
class SiteSettings:
    site_code: str = ""
    site_name: str = ""
    idle_timeout_minutes: int = 15
    min_password_length: int = 15
    lockout_threshold: int = 5
    language: str = "en"


def _site_code(value: Any) -> str:
    text = str(value).strip().upper()
    if not SITE_CODE_PATTERN.match(text):
        raise InvalidInput(field="site_code", problem="2 to 8 capital letters or digits")
    return text


def _site_name(value: Any) -> str:
    text = str(value).strip()
    if not text or len(text) > 200:
        raise InvalidInput(field="site_name", problem="1 to 200 characters")
    return text


def _int_between(name: str, low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InvalidInput(field=name, problem=f"a whole number from {low} to {high}")
        try:
            number = int(value)
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            raise InvalidInput(field=name, problem=f"a whole number from {low} to {high}")
        return number

    return check


def _language(value: Any) -> str:
    if value not in LANGUAGES:
        raise InvalidInput(field="language", problem="one of " + ", ".join(LANGUAGES))
    return str(value)


_VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "site_code": _site_code,
    "site_name": _site_name,
    "idle_timeout_minutes": _int_between("idle_timeout_minutes", 1, 240),
    "min_password_length": _int_between("min_password_length", FLOOR_MIN_LENGTH, MAX_LENGTH),
    "lockout_threshold": _int_between("lockout_threshold", 3, 20),
    "language": _language,
}


def validate_setting(key: str, value: Any) -> Any:
    """The normalised value, or InvalidInput."""
    if key not in _VALIDATORS:
        raise InvalidInput(field=key, problem="not a setting")
    return _VALIDATORS[key](value)


def load_settings(session: Session) -> SiteSettings:
    """Settings as stored, inside an open session (for other services)."""
    current = SiteSettings()
    stored: dict[str, Any] = {}
    for f in fields(SiteSettings):
        row = session.get(Setting, f.name)
        if row is not None:
            stored[f.name] = json.loads(row.value)
    return replace(current, **stored)


def store_settings(session: Session, changes: dict[str, Any]) -> None:
    """Validate and write `changes`, one audit row per changed key (no permission check here)."""
    normalised = {key: validate_setting(key, value) for key, value in changes.items()}
    for key, value in normalised.items():
        row = session.get(Setting, key)
        old = None if row is None else row.value
        new = json.dumps(value, ensure_ascii=False)
        if old == new:
            continue
        if row is None:
            session.add(Setting(key=key, value=new))
        else:
            row.value = new
        record_event(session, "config_change", f"settings/{key}", old=old, new=new)


def read_settings(ws: Workspace) -> SiteSettings:
    """The current settings (defaults for keys never set). No permission needed."""
    with ws.db.session() as session:
        return load_settings(session)


def get_settings(ws: Workspace, user: UserSession) -> SiteSettings:
    """The settings, for a logged-in user."""
    with ws.db.session() as session:
        acting_user(session, user.user_id)
        return load_settings(session)


def update_settings(ws: Workspace, user: UserSession, **changes: Any) -> SiteSettings:
    """Validate and store the given fields of SiteSettings (CHANGE_SETTINGS), one audit row each.

    Raises InvalidInput(field=..., problem=...) for a bad value; nothing is stored then.
    """
    with unit_of_work(ws, user.user_id) as session:
        acting_user(session, user.user_id, Permission.CHANGE_SETTINGS)
        store_settings(session, changes)
        session.flush()
        return load_settings(session)
