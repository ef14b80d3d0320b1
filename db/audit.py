"""The audit trail: who, when, what, old, new and why, written by the persistence layer.

A session `before_flush` listener (installed by db.engine.Database on its sessionmaker) turns every
inserted, changed or deleted ItemData into one AuditRecord in the same transaction, plus rows for
form status/SDV changes, signatures and queries (ARCHITECTURE.md section 4; 21 CFR 11.10(e)).
Services put an AuditContext (user, clock, UTC offset, reason) on the session first; a flush that
touches clinical data without one is refused, and so is a change to saved data without a reason.

Rows are hash-chained: hash = sha256(canonical row content, including prev_hash), so
`verify_chain` finds the first row that was altered, removed or reordered outside the app. The
triggers that make the table append-only live in the migrations (APPEND_ONLY_TRIGGERS).
Pattern after sqlalchemy examples/versioned_history/history_meta.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import NO_VALUE, ORMExecuteState, Session, sessionmaker

from db.models import (
    AuditRecord,
    FormData,
    ItemData,
    Query,
    Signature,
    StudyEvent,
    Subject,
    SubjectIdentity,
)

GENESIS_HASH = "0" * 64
CONTEXT_KEY = "audit"

# Records whose changes must be attributable: a flush touching these needs an AuditContext.
CLINICAL_TYPES: tuple[type[Any], ...] = (
    Subject,
    SubjectIdentity,
    StudyEvent,
    FormData,
    ItemData,
    Signature,
    Query,
)

APPEND_ONLY_TRIGGERS: tuple[str, ...] = (
    "CREATE TRIGGER IF NOT EXISTS audit_records_no_update BEFORE UPDATE ON audit_records "
    "BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END",
    # With recursive_triggers=ON, INSERT OR REPLACE onto an existing id deletes first: this fires.
    "CREATE TRIGGER IF NOT EXISTS audit_records_no_delete BEFORE DELETE ON audit_records "
    "BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END",
)


class AuditError(Exception):
    """A write that the audit rules refuse; nothing was saved."""


class ReasonRequiredError(AuditError):
    """A change to data already saved needs a reason for change."""

    def __init__(self, path: str) -> None:
        super().__init__(f"a reason for change is required to change saved data ({path})")
        self.path = path


class AuditContextMissing(AuditError):
    """Clinical data was about to be written without a user, time and offset (a programming error)."""

    def __init__(self) -> None:
        super().__init__(
            "clinical data can only be written through a service unit of work (no audit context)"
        )


@dataclass(frozen=True)
class AuditContext:
    """Who acts (None = the system), the clock, the workstation's UTC offset, the reason for change.

    `now` is a callable (e.g. `clock.now`) or an already-read datetime; both are accepted.
    """

    user_id: int | None
    now: Callable[[], datetime] | datetime
    offset_minutes: int
    reason: str | None = None

    def timestamp(self) -> datetime:
        value = self.now if isinstance(self.now, datetime) else self.now()
        return _as_utc(value)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int
    first_broken_id: int | None
    detail: str


def set_audit_context(session: Session, ctx: AuditContext) -> None:
    session.info[CONTEXT_KEY] = ctx


def get_audit_context(session: Session) -> AuditContext | None:
    ctx = session.info.get(CONTEXT_KEY)
    return ctx if isinstance(ctx, AuditContext) else None


_INSTALLED = "_seqtx_audit_listener_installed"


def install_audit_listener(factory: sessionmaker[Session], *, refuse_bulk: bool = False) -> None:
    """Attach the before_flush listener to every session of `factory` (done by Database).

    `refuse_bulk` also rejects `session.execute(insert/update/delete(<clinical model>))`, which
    writes without a flush and so without audit rows.
    """
    # A flag on the factory itself, not event.contains(): SQLAlchemy's event registry is keyed by
    # id(), so a new sessionmaker reusing the id of a collected one could be taken as already
    # listened to, and its sessions would then write clinical data without audit rows.
    if getattr(factory, _INSTALLED, False):
        return
    setattr(factory, _INSTALLED, True)
    event.listen(factory, "before_flush", _before_flush)
    if refuse_bulk:
        event.listen(factory, "do_orm_execute", _refuse_bulk_writes)


def _refuse_bulk_writes(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, (*CLINICAL_TYPES, AuditRecord)):
        raise AuditError(
            f"bulk writes to {mapper.class_.__name__} bypass the audit trail; "
            "change objects in a session instead"
        )


# ---------------------------------------------------------------------------- canonical form


def _as_utc(value: datetime) -> datetime:
    # SQLite returns naive datetimes; everything we store is UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts_text(value: datetime) -> str:
    return _as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(
    *,
    row_id: int,
    user_id: int | None,
    ts_utc: datetime,
    utc_offset_minutes: int,
    action: str,
    path: str,
    old_value: str | None,
    new_value: str | None,
    reason: str | None,
    prev_hash: str,
) -> str:
    """sha256 of the row's canonical JSON (id included so a moved or removed row breaks the chain)."""
    content = [
        row_id,
        user_id,
        _ts_text(ts_utc),
        utc_offset_minutes,
        action,
        path,
        old_value,
        new_value,
        reason,
        prev_hash,
    ]
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------- writing rows


@dataclass(frozen=True)
class _Entry:
    action: str
    path: str
    old: str | None = None
    new: str | None = None
    reason: str | None = None


def _chain_head(session: Session) -> tuple[int, str, datetime | None]:
    """(last id, last hash, last timestamp); BEGIN IMMEDIATE makes us the only writer."""
    with session.no_autoflush:
        row = session.execute(
            select(AuditRecord.id, AuditRecord.hash, AuditRecord.ts_utc)
            .order_by(AuditRecord.id.desc())
            .limit(1)
        ).first()
    if row is None:
        return 0, GENESIS_HASH, None
    return int(row[0]), str(row[1]), _as_utc(row[2])


def _append(session: Session, ctx: AuditContext | None, entries: Iterable[_Entry]) -> None:
    entries = list(entries)
    if not entries:
        return
    last_id, last_hash, last_ts = _chain_head(session)
    now = ctx.timestamp() if ctx is not None else datetime.now(UTC)
    user_id = ctx.user_id if ctx is not None else None
    offset = ctx.offset_minutes if ctx is not None else 0
    if last_ts is not None and now < last_ts:
        # Never silently: the workstation clock is earlier than the last row (ARCHITECTURE.md 5).
        entries.insert(
            0, _Entry("clock_backwards", "system/clock", _ts_text(last_ts), _ts_text(now))
        )
    for entry in entries:
        last_id += 1
        digest = row_hash(
            row_id=last_id,
            user_id=user_id,
            ts_utc=now,
            utc_offset_minutes=offset,
            action=entry.action,
            path=entry.path,
            old_value=entry.old,
            new_value=entry.new,
            reason=entry.reason,
            prev_hash=last_hash,
        )
        session.add(
            AuditRecord(
                id=last_id,
                user_id=user_id,
                ts_utc=now,
                utc_offset_minutes=offset,
                action=entry.action,
                path=entry.path,
                old_value=entry.old,
                new_value=entry.new,
                reason=entry.reason,
                prev_hash=last_hash,
                hash=digest,
            )
        )
        last_hash = digest


def record_event(
    session: Session,
    action: str,
    path: str,
    *,
    old: str | None = None,
    new: str | None = None,
    reason: str | None = None,
) -> None:
    """Append one audit row (login, login_failed, lockout, sign, export, import, setting, ...).

    Uses the session's AuditContext (its user may be None for the system; without a context the
    system writes with the workstation clock). Pending changes are flushed first so the chain
    stays in order. Never put PHI in `path`, `old` or `new`.
    """
    session.flush()
    ctx = get_audit_context(session)
    _append(session, ctx, [_Entry(action, path, old, new, reason if reason else None)])
    session.flush()


def last_audit_time(session: Session) -> datetime | None:
    """The latest timestamp in the trail (UTC), to warn when the workstation clock is behind it."""
    with session.no_autoflush:
        value = session.execute(select(func.max(AuditRecord.ts_utc))).scalar_one_or_none()
    return None if value is None else _as_utc(value)


# ---------------------------------------------------------------------------- paths


def _event_path(event: StudyEvent | None, session: Session, event_id: int | None) -> str:
    if event is None and event_id is not None:
        event = session.get(StudyEvent, event_id)
    if event is None:
        return "?/?"
    subject = event.subject
    if subject is None and event.subject_id is not None:
        subject = session.get(Subject, event.subject_id)
    subject_key = subject.subject_key if subject is not None else "?"
    repeat = f"[{event.repeat_key}]" if event.repeat_key else ""
    return f"{subject_key}/{event.event_oid}{repeat}"


def form_path(session: Session, form: FormData | None, form_id: int | None = None) -> str:
    """`FD-001/SE.COND[-3]/F.CONDADM` for a form (pending or saved)."""
    if form is None and form_id is not None:
        form = session.get(FormData, form_id)
    if form is None:
        return "?/?/?"
    return f"{_event_path(form.event, session, form.study_event_id)}/{form.form_oid}"


def item_path(session: Session, item: ItemData) -> str:
    """`FD-001/SE.COND[-3]/F.CONDADM/IG.CONDADM[2]/IT.CM.DOSE_GIVEN`."""
    base = form_path(session, item.form, item.form_data_id)
    return f"{base}/{item.item_group_oid}[{item.group_repeat_key or '1'}]/{item.item_oid}"


def _render(value: str | None, unit: str | None, null_flavor: str | None) -> str | None:
    """The item as the trail shows it: value and unit, or the null flavour in brackets."""
    if value is None:
        return f"[{null_flavor}]" if null_flavor else None
    return f"{value} {unit}" if unit else value


# ---------------------------------------------------------------------------- the listener


def _changed(obj: Any, *names: str) -> dict[str, tuple[Any, Any]]:
    state = inspect(obj)
    out: dict[str, tuple[Any, Any]] = {}
    for name in names:
        hist = state.attrs[name].history
        if hist.has_changes():
            new = hist.added[0] if hist.added else None
            old = hist.deleted[0] if hist.deleted else None
            if old is NO_VALUE:
                old = None
            if old != new:
                out[name] = (old, new)
    return out


def _item_entries(session: Session, ctx: AuditContext) -> list[_Entry]:
    entries: list[_Entry] = []
    for obj in list(session.new):
        if isinstance(obj, ItemData):
            new = _render(obj.value, obj.unit, obj.null_flavor)
            entries.append(_Entry("insert", item_path(session, obj), None, new, ctx.reason))
    for obj in list(session.dirty):
        if not isinstance(obj, ItemData) or not session.is_modified(obj):
            continue
        changes = _changed(obj, "value", "unit", "null_flavor")
        if not changes:
            continue
        old = {name: values[0] for name, values in changes.items()}
        before = _render(
            old.get("value", obj.value),
            old.get("unit", obj.unit),
            old.get("null_flavor", obj.null_flavor),
        )
        after = _render(obj.value, obj.unit, obj.null_flavor)
        path = item_path(session, obj)
        reason = ctx.reason
        if before is not None and not reason:
            if obj.derived_by:
                reason = f"recomputed by {obj.derived_by}"
            else:
                raise ReasonRequiredError(path)
        entries.append(_Entry("update", path, before, after, reason))
    for obj in list(session.deleted):
        if isinstance(obj, ItemData):
            path = item_path(session, obj)
            before = _render(obj.value, obj.unit, obj.null_flavor)
            if before is not None and not ctx.reason:
                raise ReasonRequiredError(path)
            entries.append(_Entry("delete", path, before, None, ctx.reason))
    return entries


def _other_entries(session: Session, ctx: AuditContext) -> list[_Entry]:
    entries: list[_Entry] = []
    for obj in list(session.new):
        if isinstance(obj, Subject):
            entries.append(
                _Entry(
                    "subject_created", obj.subject_key, None, obj.stage or "screening", ctx.reason
                )
            )
        elif isinstance(obj, Signature):
            path = form_path(session, None, obj.form_data_id)
            entries.append(_Entry("sign", path, None, f"{obj.meaning} {obj.content_hash}"))
        elif isinstance(obj, Query):
            path = f"{form_path(session, None, obj.form_data_id)}/{obj.item_group_oid}"
            path += f"[{obj.group_repeat_key or '1'}]/{obj.item_oid}"
            entries.append(_Entry("query_raised", path, None, obj.query_oid))
    for obj in list(session.dirty):
        if isinstance(obj, FormData):
            path = form_path(session, obj)
            for name, (old, new) in _changed(obj, "status", "sdv").items():
                entries.append(_Entry(f"form_{name}", path, _text(old), _text(new), ctx.reason))
        elif isinstance(obj, Subject):
            for _name, (old, new) in _changed(obj, "stage").items():
                entries.append(_Entry("stage", obj.subject_key, _text(old), _text(new), ctx.reason))
        elif isinstance(obj, Signature):
            changes = _changed(obj, "valid")
            if changes and not obj.valid:
                path = form_path(session, None, obj.form_data_id)
                entries.append(_Entry("signature_invalidated", path, obj.meaning, None, ctx.reason))
        elif isinstance(obj, Query):
            for _name, (old, new) in _changed(obj, "status").items():
                entries.append(_Entry("query_status", obj.query_oid, _text(old), _text(new)))
        elif isinstance(obj, SubjectIdentity):
            # PHI never enters the trail (it is exported and synced): which fields, not values.
            fields = sorted(
                _changed(obj, "full_name", "hospital_number", "birth_date", "guardian", "sex")
            )
            if fields:
                subject = session.get(Subject, obj.subject_id)
                key = subject.subject_key if subject is not None else "?"
                entries.append(
                    _Entry(
                        "identity_changed", f"{key}/identity", None, ",".join(fields), ctx.reason
                    )
                )
    return entries


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _touches_clinical(session: Session) -> bool:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, CLINICAL_TYPES) and (
            obj in session.new or obj in session.deleted or session.is_modified(obj)
        ):
            return True
    return False


def _before_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    if any(isinstance(obj, AuditRecord) for obj in (*session.dirty, *session.deleted)):
        raise AuditError("audit records are append-only")
    ctx = get_audit_context(session)
    if ctx is None:
        if _touches_clinical(session):
            raise AuditContextMissing()
        return
    entries = _other_entries(session, ctx) + _item_entries(session, ctx)
    _append(session, ctx, entries)


# ---------------------------------------------------------------------------- verification


def verify_chain(session: Session) -> ChainReport:
    """Walk the trail in id order; the first row whose link or content hash does not match."""
    prev = GENESIS_HASH
    rows = 0
    stmt = select(
        AuditRecord.id,
        AuditRecord.user_id,
        AuditRecord.ts_utc,
        AuditRecord.utc_offset_minutes,
        AuditRecord.action,
        AuditRecord.path,
        AuditRecord.old_value,
        AuditRecord.new_value,
        AuditRecord.reason,
        AuditRecord.prev_hash,
        AuditRecord.hash,
    ).order_by(AuditRecord.id)
    for expected_id, row in enumerate(session.execute(stmt).yield_per(2000), start=1):
        rows = expected_id
        row_id = int(row.id)
        if row_id != expected_id:
            return ChainReport(False, rows, row_id, f"row {expected_id} is missing before {row_id}")
        if row.prev_hash != prev:
            return ChainReport(
                False, rows, row_id, f"row {row_id} does not link to row {row_id - 1}"
            )
        digest = row_hash(
            row_id=row_id,
            user_id=row.user_id,
            ts_utc=row.ts_utc,
            utc_offset_minutes=row.utc_offset_minutes,
            action=row.action,
            path=row.path,
            old_value=row.old_value,
            new_value=row.new_value,
            reason=row.reason,
            prev_hash=row.prev_hash,
        )
        if digest != row.hash:
            return ChainReport(
                False, rows, row_id, f"row {row_id} was changed after it was written"
            )
        prev = row.hash
    return ChainReport(True, rows, None, f"ok: {rows} rows")
