"""Reading and checking the audit trail; the workstation clock checked against its last row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.permissions import Permission
from app.services.workspace import Workspace
from db.audit import last_audit_time, record_event, verify_chain
from db.models import AuditRecord, User


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
    ws: Workspace,
    user: UserSession,
    path_prefix: str | None = None,
    limit: int = 1000,
    before_id: int | None = None,
) -> list[AuditRow]:
    """Newest first, optionally under a record path (e.g. "FD-001/SE.SCREEN"). Needs VIEW_AUDIT.

    A prefix matches the path itself and everything below it ("FD-001" does not match "FD-0010").
    `before_id` pages back: rows older than that audit id.
    """
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_AUDIT)
        query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(max(1, limit))
        if before_id is not None:
            query = query.where(AuditRecord.id < before_id)
        if path_prefix:
            prefix = path_prefix.rstrip("/")
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(
                (AuditRecord.path == prefix)
                | AuditRecord.path.like(escaped + "/%", escape="\\")
                | AuditRecord.path.like(escaped + "[%", escape="\\")
            )
        records = list(session.scalars(query))
        names = {u.id: u.username for u in session.scalars(select(User))}
        return [
            AuditRow(
                audit_id=r.id,
                ts_utc=r.ts_utc,
                utc_offset_minutes=r.utc_offset_minutes,
                username=names.get(r.user_id) if r.user_id is not None else None,
                action=r.action,
                path=r.path,
                old_value=r.old_value,
                new_value=r.new_value,
                reason=r.reason,
            )
            for r in records
        ]


def verify_audit(ws: Workspace) -> ChainStatus:
    """Walk the hash chain; the first broken link if any. Needs no login (a check, no data)."""
    with ws.db.session() as session:
        report = verify_chain(session)
    return ChainStatus(report.ok, report.rows, report.first_broken_id, report.detail)


def clock_warning(ws: Workspace) -> ClockWarning | None:
    """A warning (and an audit row) when the workstation clock is behind the last audit row.

    ARCHITECTURE.md section 4: timestamps never go backwards silently. db/audit adds its own
    "clock_backwards" row before the "clock_warning_shown" row written here.
    """
    now = ws.clock.now()
    with ws.db.session() as session:
        last = last_audit_time(session)
    if last is None or now >= last:
        return None
    with unit_of_work(ws, None) as session:
        record_event(
            session,
            "clock_warning_shown",
            "system/clock",
            old=last.isoformat(),
            new=now.isoformat(),
        )
    return ClockWarning("clock.behind", now, last)
