"""Use case: import the data center's acknowledgement (IMPORT_SYNC), audited, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.permissions import Permission
from app.services.sync_export import refused
from app.services.workspace import Workspace
from app.sync.errors import SyncRejected
from app.sync.site_ack import AckResult, import_ack
from db.audit import record_event

MAX_ACK_FILE = 16 * 1024 * 1024


def import_acknowledgement(ws: Workspace, user: UserSession, path: Path) -> AckResult:
    """Verify the center's signature, mark packages received, add the center's queries."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_ACK_FILE + 1)
    try:
        with unit_of_work(ws, user.user_id) as session:
            acting_user(session, user.user_id, Permission.IMPORT_SYNC)
            result = import_ack(session, data, ws.clock.now())
            record_event(
                session,
                "sync_ack",
                f"sync/{result.sequence_reached}",
                new=",".join(str(s) for s in result.acknowledged) or None,
            )
    except SyncRejected as exc:
        raise refused(exc) from exc
    return result
