"""Use cases: export the next sync package, import the data center's key, give the site's key.

Each runs in one audited unit of work; the package file is renamed into place only when complete
and is removed again if the transaction that records it fails.
"""

from __future__ import annotations

from pathlib import Path

from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.errors import ServiceError
from app.services.permissions import Permission
from app.services.workspace import Workspace
from app.sync.errors import SyncRejected
from app.sync.keys import (
    ensure_site_signing_key,
    fingerprint,
    load_center_public_key,
    raw_public,
    site_public_key_document,
    store_center_public_key,
)
from app.sync.site_export import ExportResult, export_package, site_code_of
from db.audit import record_event


class SyncRefused(ServiceError):
    """A package, acknowledgement or key file was refused; `values["rejection"]` is its code."""

    code = "sync.refused"
    message = "{reason}"


def refused(exc: SyncRejected) -> SyncRefused:
    return SyncRefused(reason=str(exc), rejection=exc.code)


def export_for_data_center(ws: Workspace, user: UserSession, out_dir: Path) -> ExportResult:
    """Write the next package into `out_dir` (EXPORT_SYNC); SyncRefused if no center key yet."""
    study = ws.require_study()
    result: ExportResult | None = None
    try:
        with unit_of_work(ws, user.user_id) as session:
            acting_user(session, user.user_id, Permission.EXPORT_SYNC)
            result = export_package(session, study, out_dir, ws.clock.now())
            record_event(session, "sync_export", f"sync/{result.sequence}", new=result.file_oid)
    except SyncRejected as exc:
        raise refused(exc) from exc
    except BaseException:
        if result is not None:  # the file is complete but its record was not committed
            result.path.unlink(missing_ok=True)
        raise
    return result


def import_center_key(ws: Workspace, user: UserSession, path: Path) -> str:
    """Store the data center's public key file (IMPORT_SYNC); returns its fingerprint to show."""
    try:
        key = load_center_public_key(path)
    except SyncRejected as exc:
        raise refused(exc) from exc
    with unit_of_work(ws, user.user_id) as session:
        acting_user(session, user.user_id, Permission.IMPORT_SYNC)
        store_center_public_key(session, key)
        record_event(session, "config_change", "sync/center_key", new=key.fingerprint)
    return key.fingerprint


def site_key_document(ws: Workspace, user: UserSession) -> tuple[bytes, str]:
    """The site's public signing key file for the data center, and its fingerprint."""
    with unit_of_work(ws, user.user_id) as session:
        acting_user(session, user.user_id, Permission.EXPORT_SYNC)
        public = ensure_site_signing_key(session).public_key()
        document = site_public_key_document(site_code_of(session), public)
    return document, fingerprint(raw_public(public))
