"""Use case: the sync status the site sees (last export, last ack, unacknowledged, warning)."""

from __future__ import annotations

from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.workspace import Workspace
from app.sync.site_ack import SyncStatus, sync_status


def get_sync_status(ws: Workspace, user: UserSession) -> SyncStatus:
    with ws.db.session() as session:
        acting_user(session, user.user_id)
        return sync_status(session, ws.clock.now())
