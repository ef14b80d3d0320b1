"""Data center: applies the transactions of one package to the clinical tables, in bulk.

Runs inside the import's single transaction. Rows get explicit ids allocated from the current
maxima (the import holds the write lock), so a million values go in as batched executemany
without a round trip per row; PostgreSQL sequences are moved past the new ids at the end.
ODM transaction types are enforced per value: Insert of an existing value, Update or Remove of a
missing one, and an Update/Remove whose prior value differs from the center's current value are
not applied but listed as conflicts with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from hashlib import sha256
from json.encoder import encode_basestring as _quote  # json's own (C) string quoting
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, text
from sqlalchemy.orm import Session

from app.sync.bulk import bulk_insert, bulk_insert_rows, sqlite_datetime
from app.sync.center_models import CenterConflict
from app.sync.errors import SyncRejected
from app.sync.odm_metadata import unit_from_oid
from app.sync.odm_reader import DocumentHead, ItemTx, SignatureTx
from app.sync.paths import render_value
from db.audit import GENESIS_HASH
from db.models import AuditRecord, FormData, ItemData, Signature, StudyEvent, Subject, User

BATCH = 20_000
_FLUSH_AT = BATCH // 2  # audit rows: each comes with an item row or update
ACTION_BY_TX = {"Insert": "insert", "Update": "update", "Remove": "delete", "Upsert": "upsert"}
FormKey = tuple[str, str, str, str]
ItemKey = tuple[str, str, str]
ITEM_COLUMNS = (
    "id",
    "form_data_id",
    "item_group_oid",
    "group_repeat_key",
    "item_oid",
    "value",
    "unit",
    "null_flavor",
    "derived_by",
)
AUDIT_COLUMNS = (
    "id",
    "user_id",
    "ts_utc",
    "utc_offset_minutes",
    "action",
    "path",
    "old_value",
    "new_value",
    "reason",
    "prev_hash",
    "hash",
)
_unit = lru_cache(maxsize=1024)(unit_from_oid)  # a package uses a handful of units


@dataclass
class ApplyStats:
    applied: int = 0
    conflicts: int = 0
    signatures: int = 0
    audit_records: int = 0


class _Ids:
    """Next free id per table (the import holds the write lock)."""

    def __init__(self, session: Session) -> None:
        self._next: dict[str, int] = {}
        for model in (Subject, StudyEvent, FormData, ItemData, AuditRecord, Signature, User):
            top = session.scalar(select(func.max(model.id))) or 0
            self._next[model.__tablename__] = top + 1
        self.used: set[str] = set()

    def take(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        self.used.add(table)
        return value

    def peek(self, table: str) -> int:
        return self._next[table]

    def advance(self, table: str, next_free: int) -> None:
        """Ids up to `next_free` were handed out by a caller's own counter (the per-value tables)."""
        if next_free > self._next[table]:
            self._next[table] = next_free
            self.used.add(table)


class Applier:
    """The `Handler` that writes: caches the center's state per form as it goes."""

    def __init__(self, session: Session, site_code: str, file_oid: str, now: datetime) -> None:
        self.s = session
        self.site = site_code
        self.file_oid = file_oid
        self.now = now
        self.stats = ApplyStats()
        self.ids = _Ids(session)
        self.head: DocumentHead | None = None
        self.users: dict[str, int] = {}
        self.subjects: dict[str, int] = {}
        self.events: dict[tuple[int, str, str], int] = {}
        self.forms: dict[FormKey, int] = {}
        self.loaded_forms: set[int] = set()
        self.items: dict[int, dict[ItemKey, list[Any]]] = {}  # [id, value, unit, null_flavor]
        # Rows as lists/tuples in ITEM_COLUMNS / AUDIT_COLUMNS order: no dict per value.
        self.new_items: dict[int, list[Any]] = {}
        self.updates: dict[int, dict[str, Any]] = {}
        self.deletes: list[int] = []
        self.audit_rows: list[tuple[Any, ...]] = []
        # SQLite stores DateTime as text: audit rows carry it ready (cached per timestamp).
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.next_item = self.ids.peek("item_data")
        self.next_audit = self.ids.peek("audit_records")
        # The form of the previous value: the reader hands one form_key object per group.
        self._last_form_key: FormKey | None = None
        self._last_items: tuple[int, dict[ItemKey, list[Any]]] = (0, {})
        self.conflicts: list[dict[str, Any]] = []
        # New containers and signatures wait for the next flush, parents first.
        self.pending: dict[str, list[dict[str, Any]]] = {
            t: [] for t in ("subjects", "study_events", "form_data", "signatures")
        }
        self.prev_hash = (
            self.s.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1))
            or GENESIS_HASH
        )

    # --- handler --------------------------------------------------------------------------

    def admin(self, head: DocumentHead) -> None:
        self.head = head
        known = {oid: uid for oid, uid in self.s.execute(select(User.user_oid, User.id))}
        for oid, user_type in head.users.items():
            if oid in known:
                self.users[oid] = known[oid]
                continue
            uid = self.ids.take("users")
            self.s.execute(
                insert(User).values(
                    id=uid,
                    username=f"{self.site}:{oid}",
                    full_name=oid,  # pseudonymous: the center never learns names
                    role="investigator" if user_type == "Investigator" else "site_user",
                    password_hash="!",  # noqa: S106 - no login at the center
                    active=False,
                    failed_logins=0,
                    locked=False,
                    created_at=self.now,
                    user_oid=oid,
                )
            )
            self.users[oid] = uid

    def item(self, tx: ItemTx) -> None:
        transaction = tx.transaction
        if transaction == "Context":
            return
        form_key = tx.form_key
        if form_key is self._last_form_key:
            form_id, items = self._last_items
        else:
            form_id = self._form(form_key, tx.ts)
            items = self._items_of(form_id)
            self._last_form_key, self._last_items = form_key, (form_id, items)
        key = (tx.group_oid, tx.group_repeat, tx.item_oid)
        current = items.get(key)
        value = None if tx.is_null else tx.value
        unit = _unit(tx.unit_oid)
        flavor = tx.null_flavor
        if current is None:
            if transaction == "Update" or transaction == "Remove":
                why = f"{transaction} of a value the data center does not have"
                self._conflict(tx, "update_missing", None, why)
                return
            iid = self.next_item
            self.next_item = iid + 1
            self.new_items[iid] = [iid, form_id, key[0], key[1], key[2], value, unit, flavor, None]
            items[key] = [iid, value, unit, flavor]
            if value is None:
                shown_new = f"[{flavor}]" if flavor else None
            else:
                shown_new = f"{value} {unit}" if unit else value  # = render_value, inlined
            self._audit(tx, "insert", None, shown_new)
        else:
            shown = render_value(current[1], current[2], current[3])
            if transaction == "Insert":
                self._conflict(
                    tx, "insert_existing", shown, "Insert of a value that already exists"
                )
                return
            if transaction != "Upsert" and tx.has_prior and tx.prior != shown:  # Update, Remove
                why = "the change is based on a value the data center no longer has"
                self._conflict(tx, "stale_base", shown, why)
                return
            if transaction == "Remove":
                self._delete(items, key, current)
                self._audit(tx, "delete", shown, None)
            else:
                iid = current[0]
                current[1:] = [value, unit, flavor]
                pending = self.new_items.get(iid)
                if pending is not None:
                    pending[5:8] = [value, unit, flavor]
                else:
                    self.updates[iid] = {
                        "iid": iid,
                        "value": value,
                        "unit": unit,
                        "null_flavor": flavor,
                    }
                self._audit(tx, "update", shown, render_value(value, unit, flavor))
        self.stats.applied += 1
        # Every applied value adds one audit row and at most one item row or update.
        if len(self.audit_rows) >= _FLUSH_AT:
            self.flush()

    def signature(self, tx: SignatureTx) -> None:
        form_id = self._form(tx.form_key, tx.ts)
        meaning = (self.head.signature_defs if self.head else {}).get(tx.signature_oid)
        if meaning is None or tx.user_oid not in self.users:
            raise SyncRejected(
                "odm.content", "a Signature refers to an undeclared user or SignatureDef"
            )
        self.pending["signatures"].append(
            {
                "id": self.ids.take("signatures"),
                "form_data_id": form_id,
                "user_id": self.users[tx.user_oid],
                "printed_name": tx.user_oid,
                "meaning": meaning,
                "signed_at": tx.ts,
                "content_hash": "",
                "valid": True,
                "invalidated_at": None,
            }
        )
        self.stats.signatures += 1

    # --- state ----------------------------------------------------------------------------

    def _subject(self, key: str, ts: datetime) -> int:
        sid = self.subjects.get(key)
        if sid is not None:
            return sid
        row = self.s.execute(
            select(Subject.id, Subject.site_code).where(Subject.subject_key == key)
        ).first()
        if row is None:
            sid = self.ids.take("subjects")
            self.pending["subjects"].append(
                {
                    "id": sid,
                    "subject_key": key,
                    "site_code": self.site,
                    "stage": "screening",
                    "created_at": ts,
                }
            )
        else:
            if row.site_code != self.site:
                raise SyncRejected("odm.content", "a subject key belongs to another site")
            sid = row.id
            stmt = (
                select(
                    StudyEvent.id,
                    StudyEvent.event_oid,
                    StudyEvent.repeat_key,
                    FormData.id,
                    FormData.form_oid,
                )
                .outerjoin(FormData, FormData.study_event_id == StudyEvent.id)
                .where(StudyEvent.subject_id == sid)
            )
            for eid, ev_oid, rep, fid, form_oid in self.s.execute(stmt):
                self.events[(sid, ev_oid, rep)] = eid
                if fid is not None:
                    self.forms[(key, ev_oid, rep, form_oid)] = fid
        self.subjects[key] = sid
        return sid

    def _form(self, form_key: FormKey, ts: datetime) -> int:
        fid = self.forms.get(form_key)
        if fid is not None:
            return fid
        subject, ev_oid, rep, form_oid = form_key
        sid = self._subject(subject, ts)
        fid = self.forms.get(form_key)
        if fid is not None:
            return fid
        eid = self.events.get((sid, ev_oid, rep))
        if eid is None:
            eid = self.ids.take("study_events")
            self.pending["study_events"].append(
                {
                    "id": eid,
                    "subject_id": sid,
                    "event_oid": ev_oid,
                    "repeat_key": rep,
                    "event_date": None,
                }
            )
            self.events[(sid, ev_oid, rep)] = eid
        fid = self.ids.take("form_data")
        mdv = self.head.mdv_oid if self.head else ""
        self.pending["form_data"].append(
            {
                "id": fid,
                "study_event_id": eid,
                "form_oid": form_oid,
                "mdv_oid": mdv,
                "status": "incomplete",
                "sdv": False,
                "updated_at": ts,
            }
        )
        self.forms[form_key] = fid
        self.loaded_forms.add(fid)  # new: nothing to load
        self.items[fid] = {}
        return fid

    def _items_of(self, form_id: int) -> dict[ItemKey, list[Any]]:
        if form_id not in self.loaded_forms:
            rows = self.s.execute(
                select(
                    ItemData.id,
                    ItemData.item_group_oid,
                    ItemData.group_repeat_key,
                    ItemData.item_oid,
                    ItemData.value,
                    ItemData.unit,
                    ItemData.null_flavor,
                ).where(ItemData.form_data_id == form_id)
            )
            self.items[form_id] = {(g, r, i): [iid, v, u, n] for iid, g, r, i, v, u, n in rows}
            self.loaded_forms.add(form_id)
        return self.items[form_id]

    def _delete(self, items: dict[ItemKey, list[Any]], key: ItemKey, current: list[Any]) -> None:
        iid = current[0]
        del items[key]
        if self.new_items.pop(iid, None) is None:
            self.updates.pop(iid, None)
            self.deletes.append(iid)

    def _audit(self, tx: ItemTx, action: str, old: str | None, new: str | None) -> None:
        """The site's change in the center's own trail, hash-chained as db.audit does it."""
        aid = self.next_audit
        self.next_audit = aid + 1
        user_id = self.users.get(tx.user_oid)
        ts = tx.ts
        digest = _hash(
            aid, user_id, ts, tx.offset_minutes, action, tx.audit_path, old, new, tx.reason,
            self.prev_hash,
        )  # fmt: skip
        self.audit_rows.append(
            (
                aid,
                user_id,
                sqlite_datetime(ts) if self.sqlite else ts,
                tx.offset_minutes,
                action,
                tx.audit_path,
                old,
                new,
                tx.reason,
                self.prev_hash,
                digest,
            )
        )
        self.prev_hash = digest
        self.stats.audit_records += 1

    def _conflict(self, tx: ItemTx, kind: str, center_value: str | None, reason: str) -> None:
        self.conflicts.append(
            {
                "site_code": self.site,
                "file_oid": self.file_oid,
                "path": tx.audit_path,
                "kind": kind,
                "transaction_type": tx.transaction,
                "site_old_value": tx.prior,
                "site_new_value": None if tx.is_null else tx.value,
                "center_value": center_value,
                "audit_source": tx.source,
                "reason": reason,
                "created_at": self.now,
                "resolved": False,
            }
        )
        self.stats.conflicts += 1

    # --- writing --------------------------------------------------------------------------

    def flush(self) -> None:
        """Parents first; deletes before inserts (a value removed and entered again re-uses its
        key); the big tables through bulk_insert."""
        conn = self.s.connection()
        for model in (Subject, StudyEvent, FormData):
            rows = self.pending[core_table(model).name]
            bulk_insert(conn, core_table(model), rows)
            rows.clear()
        items = core_table(ItemData)
        if self.deletes:
            conn.execute(items.delete().where(items.c.id.in_(self.deletes)))
            self.deletes.clear()
        bulk_insert_rows(conn, items, ITEM_COLUMNS, list(self.new_items.values()))
        self.new_items.clear()
        if self.updates:
            conn.execute(
                items.update()
                .where(items.c.id == bindparam("iid"))
                .values(
                    value=bindparam("value"),
                    unit=bindparam("unit"),
                    null_flavor=bindparam("null_flavor"),
                ),
                list(self.updates.values()),
            )
            self.updates.clear()
        bulk_insert(conn, core_table(Signature), self.pending["signatures"])
        self.pending["signatures"].clear()
        bulk_insert_rows(
            conn, core_table(AuditRecord), AUDIT_COLUMNS, self.audit_rows, stamps_ready=True
        )
        self.audit_rows.clear()
        if self.conflicts:
            conn.execute(core_table(CenterConflict).insert(), self.conflicts)
            self.conflicts.clear()

    def finish(self) -> ApplyStats:
        self.flush()
        self.ids.advance("item_data", self.next_item)
        self.ids.advance("audit_records", self.next_audit)
        if self.s.get_bind().dialect.name == "postgresql":
            for table in sorted(self.ids.used):
                self.s.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )
        return self.stats


def core_table(model: Any) -> Table:
    """The Core table of a mapped class, typed (Model.__table__ is typed as FromClause)."""
    table: Table = model.__table__
    return table


@lru_cache(maxsize=8192)
def _ts_json(moment: datetime) -> str:
    return _quote(moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


_ACTIONS = {action: _quote(action) for action in ("insert", "update", "delete", "upsert")}


def _hash(
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
    """db.audit.row_hash, byte for byte: the canonical JSON list written directly (json.dumps
    builds a new encoder per call, a third of the import's hashing time) with json's own string
    quoting, and the timestamp text cached (a package repeats its timestamps). Checked against
    db.audit.row_hash by tests/sync/test_center_hash.py and db.audit.verify_chain."""
    text = (
        f"[{row_id:d},{'null' if user_id is None else f'{user_id:d}'},{_ts_json(ts_utc)},"
        f"{utc_offset_minutes:d},{_ACTIONS.get(action) or _quote(action)},{_quote(path)},"
        f"{'null' if old_value is None else _quote(old_value)},"
        f"{'null' if new_value is None else _quote(new_value)},"
        f"{'null' if reason is None else _quote(reason)},{_quote(prev_hash)}]"
    )
    return sha256(text.encode()).hexdigest()


def _row_hash(
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
    """`_hash` with db.audit.row_hash's keyword signature."""
    return _hash(
        row_id,
        user_id,
        ts_utc,
        utc_offset_minutes,
        action,
        path,
        old_value,
        new_value,
        reason,
        prev_hash,
    )
