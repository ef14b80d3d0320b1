"""Site side: import the data center's acknowledgement and report the sync status.

An acknowledgement is accepted only with the data center's signature (key imported with
`seqtx sync center-key`), for this site, and naming packages this site wrote with the same hashes.
Applied packages are marked received; queries raised at the data center join the query list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.ack import verify_ack
from app.sync.errors import SyncRejected
from app.sync.keys import stored_center_public_key
from app.sync.odm_reader import parse_timestamp
from app.sync.paths import parse_item_path
from app.sync.site_export import site_code_of
from db.models import FormData, Query, Setting, StudyEvent, Subject, SyncBatch

LAST_ACK_SETTING = "sync.last_ack"
WARN_DAYS_SETTING = "sync_ack_warning_days"
DEFAULT_WARN_DAYS = 30


@dataclass(frozen=True)
class AckResult:
    acknowledged: list[int]  # sequences newly marked received
    sequence_reached: int
    queries_added: int
    queries_unmatched: int  # on a form this site does not have (reported, not added)
    open_conflicts: int


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def import_ack(session: Session, data: bytes, now: datetime) -> AckResult:
    """Verify and apply an acknowledgement inside the caller's unit of work (audit context set)."""
    center = stored_center_public_key(session)
    ack = verify_ack(data, center.ed25519)
    if ack.site != site_code_of(session):
        raise SyncRejected("ack.invalid", "the acknowledgement is for another site")
    batches = {b.file_oid: b for b in session.scalars(select(SyncBatch))}
    for p in ack.packages:
        batch = batches.get(p.file_oid)
        if (
            batch is None
            or batch.sequence != p.sequence
            or (batch.sha256 and batch.sha256 != p.sha256)
        ):
            raise SyncRejected("chain.mismatch", f"sequence {p.sequence}")
    newly = []
    for p in ack.packages:
        batch = batches[p.file_oid]
        if p.status == "applied" and batch.acknowledged_at is None:
            batch.acknowledged_at = now
            newly.append(batch.sequence)
    added = unmatched = 0
    known = set(session.scalars(select(Query.query_oid)))
    for q in ack.queries:
        if q.query_oid in known:
            continue
        path = parse_item_path(q.path)
        form_id = None
        if path is not None:
            form_id = session.scalar(
                select(FormData.id)
                .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
                .join(Subject, StudyEvent.subject_id == Subject.id)
                .where(
                    Subject.subject_key == path.subject,
                    StudyEvent.event_oid == path.event_oid,
                    StudyEvent.repeat_key == path.event_repeat,
                    FormData.form_oid == path.form_oid,
                )
            )
        if path is None or form_id is None:
            unmatched += 1
            continue
        session.add(
            Query(
                query_oid=q.query_oid,
                form_data_id=form_id,
                item_group_oid=path.group_oid,
                group_repeat_key=path.group_repeat,
                item_oid=path.item_oid,
                text=q.text,
                status="open",
                raised_by=None,  # the data center
                raised_at=parse_timestamp(q.raised_at),
            )
        )
        added += 1
    value = json.dumps(
        {"at": now.astimezone(UTC).isoformat(), "sequence_reached": ack.sequence_reached}
    )
    row = session.get(Setting, LAST_ACK_SETTING)
    if row is None:
        session.add(Setting(key=LAST_ACK_SETTING, value=value))
    else:
        row.value = value
    session.flush()
    return AckResult(sorted(newly), ack.sequence_reached, added, unmatched, ack.open_conflicts)


@dataclass(frozen=True)
class SyncStatus:
    last_export_at: datetime | None
    last_export_sequence: int
    last_ack_at: datetime | None
    sequence_reached: int
    unacknowledged: list[int]
    warn_after_days: int
    days_without_ack: int | None  # since the last ack, or since the first unacknowledged export
    warning: bool
    center_key_fingerprint: str | None = None  # None until the data center's key is imported


def sync_status(session: Session, now: datetime) -> SyncStatus:
    batches = session.scalars(select(SyncBatch).order_by(SyncBatch.sequence)).all()
    row = session.get(Setting, LAST_ACK_SETTING)
    last_ack = None if row is None else json.loads(row.value)
    last_ack_at = None if last_ack is None else datetime.fromisoformat(last_ack["at"])
    warn_row = session.get(Setting, WARN_DAYS_SETTING)
    warn_days = DEFAULT_WARN_DAYS if warn_row is None else int(json.loads(warn_row.value))
    pending = [b for b in batches if b.acknowledged_at is None]
    days = None
    if pending:
        since = last_ack_at or _as_utc(pending[0].created_at)
        days = (_as_utc(now) - _as_utc(since)).days
    return SyncStatus(
        last_export_at=None if not batches else _as_utc(batches[-1].created_at),
        last_export_sequence=0 if not batches else batches[-1].sequence,
        last_ack_at=last_ack_at,
        sequence_reached=0 if last_ack is None else int(last_ack["sequence_reached"]),
        unacknowledged=[b.sequence for b in pending],
        warn_after_days=warn_days,
        days_without_ack=days,
        warning=days is not None and days >= warn_days,
        center_key_fingerprint=_center_fingerprint(session),
    )


def _center_fingerprint(session: Session) -> str | None:
    try:
        return stored_center_public_key(session).fingerprint
    except SyncRejected:
        return None
