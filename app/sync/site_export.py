"""Site side: write the next sync package from the audit trail, inside one database transaction.

Everything audited after the last package (AuditRecord.id > SyncBatch.last_audit_id) goes into
the next one; signatures newer than the last one sent go with it; the study metadata goes in the
first package and whenever the MDV OID changes. The SyncBatch row is inserted in the same
transaction as the file is renamed into place, so an interrupted export neither leaves a file
under the final name nor advances the sequence.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import __version__
from app.study.model import StudyDefinition
from app.sync.container import PackageWriter, package_filename
from app.sync.gc_pause import cyclic_gc_paused
from app.sync.keys import ensure_site_signing_key, stored_center_public_key
from app.sync.odm_writer import (
    SYSTEM_USER_OID,
    Change,
    Counts,
    DocumentInfo,
    SignatureOut,
    write_document,
)
from app.sync.paths import decode_rendered, parse_item_path
from app.sync.payload import Manifest, build_payload_tail
from db.models import (
    AuditRecord,
    FormData,
    Setting,
    Signature,
    StudyEvent,
    Subject,
    SyncBatch,
    User,
)

STATE_SETTING = "sync.state"  # {"last_signature_id": int, "mdv_sent": str}
ITEM_ACTIONS = ("insert", "update", "delete")
YIELD_ROWS = 20_000


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sequence: int
    file_oid: str
    prior_file_oid: str | None
    sha256: str
    counts: dict[str, int]
    includes_metadata: bool
    last_audit_id: int


class _CompressingSink:
    """ODM bytes -> hash -> zlib -> package writer (encrypt, hash, file)."""

    def __init__(self, writer: PackageWriter) -> None:
        self._writer = writer
        self._zlib = zlib.compressobj(6)
        self.odm_hash = hashlib.sha256()
        self.compressed_hash = hashlib.sha256()
        self.odm_bytes = 0

    def write(self, data: bytes) -> int:
        self.odm_hash.update(data)
        self.odm_bytes += len(data)
        self._push(self._zlib.compress(data))
        return len(data)

    def _push(self, data: bytes) -> None:
        if data:
            self.compressed_hash.update(data)
            self._writer.write(data)

    def finish(self) -> None:
        self._push(self._zlib.flush())


def read_state(session: Session) -> dict[str, object]:
    row = session.get(Setting, STATE_SETTING)
    value = {} if row is None else json.loads(row.value)
    return value if isinstance(value, dict) else {}


def _write_state(session: Session, state: dict[str, object]) -> None:
    row = session.get(Setting, STATE_SETTING)
    text = json.dumps(state, sort_keys=True)
    if row is None:
        session.add(Setting(key=STATE_SETTING, value=text))
    else:
        row.value = text


def site_code_of(session: Session) -> str:
    row = session.get(Setting, "site_code")
    code = None if row is None else json.loads(row.value)
    if not isinstance(code, str) or not code:
        raise ValueError("the site code is not set (site setup)")
    return code


def _measured_items(study: StudyDefinition) -> frozenset[str]:
    """Items whose audit text is `value unit` (numeric or with a unit in the definition)."""
    return frozenset(
        item.oid
        for form in study.forms.values()
        for item in form.items()
        if item.data_type in ("integer", "float") or item.unit
    )


def _phi_items(study: StudyDefinition) -> frozenset[str]:
    return frozenset(i.oid for f in study.forms.values() for i in f.items() if i.phi)


def _changes(
    session: Session, study: StudyDefinition, after: int, upto: int, user_oids: dict[int, str]
) -> Iterator[Change]:
    measured, phi = _measured_items(study), _phi_items(study)
    stmt = (
        select(
            AuditRecord.id,
            AuditRecord.path,
            AuditRecord.action,
            AuditRecord.new_value,
            AuditRecord.old_value,
            AuditRecord.user_id,
            AuditRecord.ts_utc,
            AuditRecord.utc_offset_minutes,
            AuditRecord.reason,
        )
        .where(AuditRecord.id > after, AuditRecord.id <= upto)
        .where(AuditRecord.action.in_(ITEM_ACTIONS))
        .order_by(AuditRecord.id)
    )
    for aid, raw_path, action, new, old, uid, ts, offset, reason in session.execute(stmt).yield_per(
        YIELD_ROWS
    ):
        path = parse_item_path(raw_path)
        if path is None or path.item_oid in phi:
            continue  # not an item value, or an item the definition marks as PHI: never sent
        value, unit, null_flavor = decode_rendered(new, path.item_oid in measured)
        user_oid = SYSTEM_USER_OID if uid is None else user_oids.get(uid, SYSTEM_USER_OID)
        yield Change(aid, path, action, value, old, user_oid, ts, reason, unit, null_flavor, offset)


def _signatures(
    session: Session, after: int, user_oids: dict[int, str]
) -> tuple[list[SignatureOut], int]:
    stmt = (
        select(
            Signature.id,
            Subject.subject_key,
            StudyEvent.event_oid,
            StudyEvent.repeat_key,
            FormData.form_oid,
            Signature.user_id,
            Signature.meaning,
            Signature.signed_at,
        )
        .join(FormData, Signature.form_data_id == FormData.id)
        .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
        .join(Subject, StudyEvent.subject_id == Subject.id)
        .where(Signature.id > after)
        .order_by(Signature.id)
    )
    out, last = [], after
    for sid, subj, ev, rep, form, uid, meaning, signed_at in session.execute(stmt):
        out.append(
            SignatureOut(
                (subj, ev, rep or "", form), user_oids.get(uid, SYSTEM_USER_OID), meaning, signed_at
            )
        )
        last = sid
    return out, last


def export_package(
    session: Session,
    study: StudyDefinition,
    out_dir: Path,
    now: datetime,
) -> ExportResult:
    """Write the next package into `out_dir` inside the caller's transaction (commit after)."""
    site = site_code_of(session)
    center = stored_center_public_key(session)
    signing_key = ensure_site_signing_key(session)
    last = session.scalars(select(SyncBatch).order_by(SyncBatch.sequence.desc()).limit(1)).first()
    sequence = 1 if last is None else last.sequence + 1
    prior = None if last is None else last.file_oid
    after = 0 if last is None else last.last_audit_id
    upto = session.scalar(select(func.max(AuditRecord.id))) or 0
    upto = max(upto, after)
    state = read_state(session)
    sig_after = state.get("last_signature_id", 0)
    include_metadata = last is None or state.get("mdv_sent") != study.mdv_oid
    file_oid = f"SEQTX.{site}.{sequence:06d}.{secrets.token_hex(4)}"
    users = session.execute(select(User.id, User.user_oid, User.role)).all()
    user_oids = {uid: oid for uid, oid, _ in users}
    signatures, sig_last = _signatures(
        session, sig_after if isinstance(sig_after, int) else 0, user_oids
    )
    info = DocumentInfo(
        file_oid=file_oid,
        prior_file_oid=prior,
        created=now,
        as_of=now,
        study_oid=study.study_oid,
        mdv_oid=study.mdv_oid,
        site_code=site,
        source_version=__version__,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / package_filename(site, sequence)
    with PackageWriter(final, site, sequence, file_oid, signing_key, center) as writer:
        sink = _CompressingSink(writer)
        with cyclic_gc_paused():
            counts: Counts = write_document(
                sink,
                info,
                study if include_metadata else None,
                [(oid, role) for _, oid, role in users],
                sorted({s.meaning for s in signatures}),
                _changes(session, study, after, upto, user_oids),
                signatures,
            )
        sink.finish()
        manifest = Manifest(
            site=site,
            sequence=sequence,
            file_oid=file_oid,
            prior_file_oid=prior,
            created_at=now.astimezone(UTC).isoformat(),
            as_of=now.astimezone(UTC).isoformat(),
            study_oid=study.study_oid,
            mdv_oid=study.mdv_oid,
            includes_metadata=include_metadata,
            last_audit_id=upto,
            odm_bytes=sink.odm_bytes,
            odm_sha256=sink.odm_hash.hexdigest(),
            compressed_sha256=sink.compressed_hash.hexdigest(),
            counts=counts.as_dict(),
        )
        writer.write(build_payload_tail(manifest))
        session.add(
            SyncBatch(
                sequence=sequence,
                file_oid=file_oid,
                prior_file_oid=prior,
                created_at=now,
                last_audit_id=upto,
                sha256="",
            )
        )
        _write_state(session, {"last_signature_id": sig_last, "mdv_sent": study.mdv_oid})
        session.flush()  # a unique-sequence race fails here, before the file appears
        sha = writer.commit()
    batch = session.scalars(select(SyncBatch).where(SyncBatch.sequence == sequence)).one()
    batch.sha256 = sha
    try:
        session.flush()
    except Exception:
        final.unlink(missing_ok=True)
        raise
    return ExportResult(
        final, sequence, file_oid, prior, sha, counts.as_dict(), include_metadata, upto
    )
