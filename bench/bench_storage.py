"""Storage figures (issue 2): open with the raw key, save a 20-item form with its audit rows, load
one subject's whole record, each on SQLCipher and on an unencrypted SQLite file built the same way
in the same run, for a database of 500 subjects and about one million item values; peak memory.

The two fixture databases are generated once and cached in the temp directory (keyed by the
migration head and FIXTURE_VERSION). Generation bypasses the audit listener on purpose: it writes
rows with executemany in large transactions (minutes through the ORM otherwise), and writes the
matching audit rows with a correctly computed hash chain itself, so the files look like a site that
entered the data through the app. The key of the cached fixture is a fixed, public test value:
the data is synthetic.
"""

from __future__ import annotations

import hashlib
import json
import random
import resource
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import selectinload

from bench.report import Report, percentile
from db.audit import AuditContext, row_hash, set_audit_context
from db.engine import Database, create_sqlcipher_engine, key_pragma
from db.migrate import head_revision, upgrade_head
from db.models import FormData, ItemData, StudyEvent, Subject
from db.site_db import open_site_database

FIXTURE_VERSION = "1"
SUBJECTS = 500
EVENTS_PER_SUBJECT = 40
FORMS_PER_EVENT = 5
ITEMS_PER_FORM = 10  # 500 x 40 x 5 x 10 = 1,000,000 item values
SAVES = 60
KEY = hashlib.sha256(b"seqtx bench fixture key (synthetic data only)").digest()
BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)


# ---------------------------------------------------------------------------- fixture


def _plain_engine(path: Path) -> Engine:
    """The unencrypted baseline, with the same connection settings as the SQLCipher engine."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        for pragma in (
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
            "recursive_triggers = ON",
            "busy_timeout = 5000",
            "temp_store = MEMORY",
        ):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _fill(conn: Any) -> None:
    """Subjects, events, forms, items and one audit row per item, in one transaction."""
    rng = random.Random(42)
    ts = BASE_TIME.strftime("%Y-%m-%d %H:%M:%S.%f")
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO subjects (id, subject_key, site_code, stage, created_at) VALUES (?,?,?,?,?)",
        [(s, f"FD-{s:03d}", "FD", "follow_up", ts) for s in range(1, SUBJECTS + 1)],
    )
    event_id = form_id = item_id = audit_id = 0
    prev = "0" * 64
    for s in range(1, SUBJECTS + 1):
        events, forms, items, audits = [], [], [], []
        for e in range(EVENTS_PER_SUBJECT):
            event_id += 1
            day = e - 10
            events.append((event_id, s, "SE.POST", str(day)))
            for f in range(FORMS_PER_EVENT):
                form_id += 1
                forms.append((form_id, event_id, f"F.BENCH{f}", "MDV.SEQTX.1", "complete", 0, ts))
                for i in range(ITEMS_PER_FORM):
                    item_id += 1
                    value = f"{rng.uniform(0, 500):.1f}"
                    item_oid = f"IT.BENCH{f}_{i}"
                    items.append((item_id, form_id, f"IG.BENCH{f}", "1", item_oid, value))
                    audit_id += 1
                    path = f"FD-{s:03d}/SE.POST[{day}]/F.BENCH{f}/IG.BENCH{f}[1]/{item_oid}"
                    digest = row_hash(
                        row_id=audit_id,
                        user_id=1,
                        ts_utc=BASE_TIME,
                        utc_offset_minutes=480,
                        action="insert",
                        path=path,
                        old_value=None,
                        new_value=value,
                        reason=None,
                        prev_hash=prev,
                    )
                    audits.append((audit_id, 1, ts, 480, "insert", path, value, prev, digest))
                    prev = digest
        conn.executemany(
            "INSERT INTO study_events (id, subject_id, event_oid, repeat_key) VALUES (?,?,?,?)",
            events,
        )
        conn.executemany(
            "INSERT INTO form_data (id, study_event_id, form_oid, mdv_oid, status, sdv, updated_at)"
            " VALUES (?,?,?,?,?,?,?)",
            forms,
        )
        conn.executemany(
            "INSERT INTO item_data (id, form_data_id, item_group_oid, group_repeat_key, item_oid,"
            " value) VALUES (?,?,?,?,?,?)",
            items,
        )
        conn.executemany(
            "INSERT INTO audit_records (id, user_id, ts_utc, utc_offset_minutes, action, path,"
            " new_value, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)",
            audits,
        )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _build(directory: Path) -> tuple[Path, Path]:
    enc, plain = directory / "site.db", directory / "plain.db"
    if (directory / "done").exists():
        return enc, plain
    directory.mkdir(parents=True, exist_ok=True)
    for path in (enc, plain):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    engine = create_sqlcipher_engine(enc, KEY)
    upgrade_head(engine)
    raw = engine.raw_connection()
    try:
        _fill(raw.driver_connection)
    finally:
        raw.close()
        engine.dispose()
    plain_engine = _plain_engine(plain)
    upgrade_head(plain_engine)
    raw = plain_engine.raw_connection()
    try:
        _fill(raw.driver_connection)
    finally:
        raw.close()
        plain_engine.dispose()
    (directory / "done").write_text(f"{time.perf_counter() - started:.1f} s\n", encoding="utf-8")
    return enc, plain


# ---------------------------------------------------------------------------- operations


def _open_encrypted(path: Path) -> Callable[[], None]:
    def op() -> None:
        db = Database(create_sqlcipher_engine(path, KEY), path)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM settings").fetchone()
        db.close()

    return op


def _open_plain(path: Path) -> Callable[[], None]:
    def op() -> None:
        db = Database(_plain_engine(path), path)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM settings").fetchone()
        db.close()

    return op


def _raw_open_encrypted(path: Path) -> None:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(key_pragma(KEY))
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def _raw_open_plain(path: Path) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


class _Saver:
    """Saves a new 20-item form (20 audit rows) through the ORM and the audit listener."""

    def __init__(self, db: Database, label: str) -> None:
        self.db = db
        self.rng = random.Random(7)
        self.n = 0
        # The cached fixture keeps the forms of earlier runs: a fresh repeat key per run.
        self.label = f"{label}{uuid.uuid4().hex[:8]}-"

    def __call__(self) -> None:
        self.n += 1
        subject_id = self.rng.randint(1, SUBJECTS)
        now = BASE_TIME + timedelta(days=30, seconds=self.n)
        with self.db.session() as session:
            set_audit_context(session, AuditContext(user_id=1, now=now, offset_minutes=480))
            subject = session.get(Subject, subject_id)
            assert subject is not None
            event = StudyEvent(event_oid="SE.BENCH", repeat_key=f"{self.label}{self.n}")
            subject.events.append(event)
            form = FormData(form_oid="F.BENCH", mdv_oid="MDV.SEQTX.1", updated_at=now)
            event.forms.append(form)
            for i in range(20):
                form.items.append(
                    ItemData(
                        item_group_oid="IG.BENCH",
                        group_repeat_key="1",
                        item_oid=f"IT.B{i}",
                        value=f"{self.rng.uniform(0, 100):.2f}",
                    )
                )


def _loader(db: Database) -> Callable[[], int]:
    rng = random.Random(11)

    def op() -> int:
        key = f"FD-{rng.randint(1, SUBJECTS):03d}"
        with db.session() as session:
            subject = session.scalars(
                select(Subject)
                .where(Subject.subject_key == key)
                .options(
                    selectinload(Subject.events)
                    .selectinload(StudyEvent.forms)
                    .selectinload(FormData.items)
                )
            ).one()
            return sum(len(f.items) for e in subject.events for f in e.forms)

    return op


def _interleaved(
    enc: Callable[[], Any], plain: Callable[[], Any], runs: int, warmup: int = 2
) -> tuple[list[float], list[float]]:
    """Samples of both operations taken alternately, so load on the machine hits both alike."""
    for _ in range(warmup):
        enc()
        plain()
    out: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, samples in ((enc, out[0]), (plain, out[1])):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
    return out


def _paired(
    report: Report,
    name: str,
    enc: list[float],
    plain: list[float],
    target: float,
    p: float = 50,
    note: str = "",
) -> None:
    value, base = percentile(enc, p), percentile(plain, p)
    report.add(
        name, value, "ms", target, "lower", baseline=base, spread=max(enc) - min(enc), note=note
    )


def run(report: Report) -> None:
    directory = Path(tempfile.gettempdir()) / f"seqtx-bench-{head_revision()}-v{FIXTURE_VERSION}"
    enc_path, plain_path = _build(directory)
    size_mb = enc_path.stat().st_size / 1e6

    # Open with the raw key: engine, key check, first keyed connection and a query.
    enc_open, plain_open = _interleaved(
        _open_encrypted(enc_path), _open_plain(plain_path), 60, warmup=5
    )
    _paired(report, "storage: open with raw key (engine + first query)", enc_open, plain_open, 5.0)
    enc_raw, plain_raw = _interleaved(
        lambda: _raw_open_encrypted(enc_path), lambda: _raw_open_plain(plain_path), 40
    )
    _paired(report, "storage: open with raw key (driver only)", enc_raw, plain_raw, 5.0)

    started = time.perf_counter()
    checked = open_site_database(enc_path, KEY)  # page HMACs + integrity_check of the whole file
    full_open_ms = (time.perf_counter() - started) * 1000
    checked.close()
    report.add(
        "storage: open_site_database with full integrity checks",
        full_open_ms,
        "ms",
        None,
        note=f"{size_mb:.0f} MB file",
    )

    enc_db = Database(create_sqlcipher_engine(enc_path, KEY), enc_path)
    plain_db = Database(_plain_engine(plain_path), plain_path)
    try:
        enc_save, plain_save = _interleaved(_Saver(enc_db, "e"), _Saver(plain_db, "p"), SAVES)
        _paired(report, "storage: save 20-item form + audit rows p50", enc_save, plain_save, 50.0)
        _paired(
            report,
            "storage: save 20-item form + audit rows p95",
            enc_save,
            plain_save,
            50.0,
            p=95,
        )
        enc_load, plain_load = _interleaved(_loader(enc_db), _loader(plain_db), 25)
        items = _loader(enc_db)()
        _paired(
            report,
            "storage: load one subject's whole record",
            enc_load,
            plain_load,
            100.0,
            note=f"{items} item values",
        )
        ratios = {
            "open": statistics.median(enc_open) / statistics.median(plain_open),
            "save": percentile(enc_save, 95) / percentile(plain_save, 95),
            "load": statistics.median(enc_load) / statistics.median(plain_load),
        }
        report.add(
            "storage: worst SQLCipher/SQLite ratio",
            max(ratios.values()),
            "x",
            1.3,
            note=json.dumps({k: round(v, 2) for k, v in ratios.items()}),
        )
    finally:
        enc_db.close()
        plain_db.close()
    # ru_maxrss is in KiB on Linux (bytes on macOS; the bench runs on Linux CI).
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report.add("storage: peak memory (max RSS)", peak_mb, "MB", None, note="whole bench process")
