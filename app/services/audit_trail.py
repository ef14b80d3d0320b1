"""Reading and checking the audit trail; the workstation clock checked against its last row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.services.auth import UserSession
from app.services.workspace import Workspace


@dataclass(frozen=True)
class AuditRow:
    audit_id: int
    ts_utc: datetime
    utc_offset_minutes: int
    username: str | None  # None: the system
    action: str
    path: str
    old_value: str | None
    new_value: str | None
    reason: str | None


@dataclass(frozen=True)
class ChainStatus:
    """Result of walking the hash chain (mirrors db.audit.ChainReport)."""

    ok: bool
    rows: int
    first_broken_id: int | None
    detail: str


@dataclass(frozen=True)
class ClockWarning:
    """The workstation clock is earlier than the last audit row (recorded as "clock_behind")."""

    code: str  # "clock.behind"
    now_utc: datetime
    last_audit_utc: datetime


def audit_rows(
    ws: Workspace, user: UserSession, path_prefix: str | None = None, limit: int = 1000
) -> list[AuditRow]:
    """Newest first, optionally under a record path (e.g. "FD-001/SE.SCREEN"). Needs VIEW_AUDIT."""
    raise NotImplementedError


def verify_audit(ws: Workspace) -> ChainStatus:
    """Walk the hash chain; the first broken link if any."""
    raise NotImplementedError


def clock_warning(ws: Workspace) -> ClockWarning | None:
    """A warning (and an audit row) when the workstation clock is behind the last audit row."""
    raise NotImplementedError
