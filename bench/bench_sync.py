"""Sync speed: a 500-subject site (~1M item values), its full first export (time, peak memory),
an incremental export after 100 edits, the data center's import rate on SQLite and PostgreSQL,
and how fast a tampered package is refused. Every figure has a same-run baseline: the same rows
written or loaded without XML, compression, encryption, signing or validation.

Peak memory is the maximum RSS of a child process that does only the export (interpreter and
libraries included): the kernel's VmHWM of the child's own address space. getrusage's ru_maxrss is
not used on Linux: exec keeps the parent's high-water mark in it, so a child of this bench (which
has just built the demo site) reported the parent's peak, not its own. Run alone:
`.venv/bin/python -m bench bench_sync`.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.report import Report

N_SUBJECTS = int(os.environ.get("SEQTX_BENCH_SYNC_SUBJECTS", "500"))  # fewer for a quick try


def _child(mode: str, db_path: Path, key_hex: str, out: Path) -> dict[str, float]:
    """Run the export (or the plain baseline) in a fresh process; returns its time and peak RSS."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_sync", mode, str(db_path), str(out)],
        input=key_hex,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _worker(mode: str, db_path: str, out: str) -> None:
    from sqlalchemy import select

    from app.sync.site_export import export_package
    from db.engine import Database, create_sqlcipher_engine
    from db.models import AuditRecord
    from tests.sync.sitegen import mini_study

    key = bytes.fromhex(sys.stdin.read().strip())
    db = Database(create_sqlcipher_engine(Path(db_path), key), Path(db_path))
    start = time.perf_counter()
    if mode == "export":
        with db.session() as s:
            export_package(s, mini_study(), Path(out), datetime.now(UTC))
    else:  # baseline: the same audit rows streamed to a plain file
        with db.session() as s, open(out, "w", encoding="utf-8") as handle:
            stmt = select(
                AuditRecord.id, AuditRecord.path, AuditRecord.action, AuditRecord.new_value
            ).order_by(AuditRecord.id)
            for row in s.execute(stmt).yield_per(20_000):
                handle.write("\t".join(map(str, row)) + "\n")
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mb": _own_peak_mb()}))


def _own_peak_mb() -> float:
    """Peak RSS of this process's own address space (VmHWM, reset by exec), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # includes the parent's


def _plain_rows(site_db: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Item and audit rows as the center would store them, prepared before timing the baseline."""
    from sqlalchemy import select

    from db.models import AuditRecord, ItemData

    with site_db.session() as s:
        items = [dict(r._mapping) for r in s.execute(select(ItemData.__table__))]
        audits = [dict(r._mapping) for r in s.execute(select(AuditRecord.__table__))]
    return items, audits


def _baseline_load(
    url: str, site_db: Any, rows: tuple[list[dict[str, Any]], list[dict[str, Any]]]
) -> float:
    """Seconds to load subjects/events/forms, then the same values and audit rows, with plain
    executemany: no decryption, signature, parsing, validation or conflict checks."""
    from sqlalchemy import select

    from app.sync.center_models import open_center_database
    from db.models import AuditRecord, FormData, ItemData, StudyEvent, Subject

    with site_db.session() as s:
        heads = [
            (model, [dict(r._mapping) for r in s.execute(select(model.__table__))])
            for model in (Subject, StudyEvent, FormData)
        ]
    center = open_center_database(url)
    start = time.perf_counter()
    with center.engine.begin() as conn:
        for model, batch in heads:
            conn.execute(model.__table__.insert(), batch)
        items, audits = rows
        for i in range(0, len(items), 20_000):
            conn.execute(ItemData.__table__.insert(), items[i : i + 20_000])
            conn.execute(AuditRecord.__table__.insert(), audits[i : i + 20_000])
    seconds = time.perf_counter() - start
    center.close()
    return seconds


def _center_with_site(url: str, site: Any, now: datetime) -> Any:
    from app.sync.center_models import open_center_database
    from app.sync.center_ops import register_site
    from app.sync.keys import SitePublicKey, ensure_site_signing_key, raw_public

    center = open_center_database(url)
    with site.session() as s:
        public = raw_public(ensure_site_signing_key(s).public_key())
    with center.session() as c:
        register_site(c, SitePublicKey("FD", public), now)
    return center


def _import(url: str, site: Any, package: bytes, keys: Any, now: datetime) -> float:
    from app.sync.center_import import import_package

    center = _center_with_site(url, site, now)
    start = time.perf_counter()
    outcome = import_package(center, package, keys, now)
    seconds = time.perf_counter() - start
    assert outcome.status == "applied", outcome
    center.close()
    return seconds


def run(report: Report) -> None:
    from app.sync.center_import import import_package
    from app.sync.errors import SyncRejected
    from app.sync.keys import (
        generate_center_keys,
        load_center_private_keys,
        store_center_public_key,
    )
    from app.sync.site_export import export_package
    from tests.sync.pgcluster import PgUnavailable, running_cluster
    from tests.sync.sitegen import bulk_site, edit_values, mini_study

    with tempfile.TemporaryDirectory(prefix="seqtx-bench-sync-") as tmp:
        root = Path(tmp)
        public = generate_center_keys(root / "keys", None)
        keys = load_center_private_keys(root / "keys", None)
        start = time.perf_counter()
        site, n_values = bulk_site(root / "site.db", N_SUBJECTS)
        print(f"  (demo site: {n_values} item values in {time.perf_counter() - start:.1f} s)")
        with site.session() as s:
            store_center_public_key(s, public)
        key_hex = (site.key or b"").hex()
        site.close()

        base = _child("baseline", root / "site.db", key_hex, root / "plain.tsv")
        full = _child("export", root / "site.db", key_hex, root / "usb")
        report.add(
            "sync: full first export, 1M values",
            full["seconds"],
            "s",
            30,
            "lower",
            baseline=base["seconds"],
            note=f"{n_values} values",
        )
        report.add(
            "sync: full first export peak memory (process RSS)",
            full["peak_mb"],
            "MB",
            200,
            "lower",
            baseline=base["peak_mb"],
        )
        (package_path,) = (root / "usb").glob("*.stx")
        package = package_path.read_bytes()

        from db.engine import Database, create_sqlcipher_engine

        site = Database(
            create_sqlcipher_engine(root / "site.db", bytes.fromhex(key_hex)), root / "site.db"
        )
        now = datetime.now(UTC)
        edit_values(site, 100, now)
        start = time.perf_counter()
        with site.session() as s:
            inc = export_package(s, mini_study(), root / "usb", now + timedelta(minutes=1))
        inc_seconds = time.perf_counter() - start
        start = time.perf_counter()
        with site.session() as s:
            from sqlalchemy import select

            from db.models import AuditRecord

            rows = s.execute(
                select(AuditRecord).where(AuditRecord.id > inc.last_audit_id - 101)
            ).all()
            (root / "plain-inc.tsv").write_text("\n".join(str(r) for r in rows))
        inc_base = time.perf_counter() - start
        report.add(
            "sync: incremental export after 100 edits",
            inc_seconds,
            "s",
            1,
            "lower",
            baseline=inc_base,
            note=f"{inc.counts['item_changes']} changes",
        )

        tampered = bytearray(package)
        tampered[len(tampered) // 2] ^= 1
        reject_center = _center_with_site(f"sqlite:///{root / 'reject.db'}", site, now)
        start = time.perf_counter()
        try:
            import_package(reject_center, bytes(tampered), keys, now)
        except SyncRejected as exc:
            assert exc.code == "signature.invalid", exc
        reject_center.close()
        report.add(
            "sync: tampered 1M-value package refused in",
            time.perf_counter() - start,
            "s",
            1,
            "lower",
        )

        plain = _plain_rows(site)
        targets = [("SQLite", lambda name: f"sqlite:///{root / (name + '.db')}")]
        cluster_cm = None
        try:
            cluster_cm = running_cluster(durable=True)
            cluster = cluster_cm.__enter__()
            targets.append(("PostgreSQL", lambda name: cluster.new_database(schema=True)))
        except PgUnavailable as exc:
            print(f"  (PostgreSQL figures skipped: {exc})")
            cluster_cm = None
        try:
            for label, url_for in targets:
                seconds = _import(url_for("import"), site, package, keys, now)
                base_seconds = _baseline_load(url_for("plain"), site, plain)
                report.add(
                    f"sync: center import rate on {label}",
                    n_values / seconds,
                    "values/s",
                    50_000,
                    "higher",
                    baseline=n_values / base_seconds,
                    note="baseline: same rows by plain executemany",
                )
        finally:
            if cluster_cm is not None:
                cluster_cm.__exit__(None, None, None)
        site.close()


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2], sys.argv[3])
