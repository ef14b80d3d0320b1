"""No plaintext on disk: unique markers written as PHI, item values, reasons and events are found in
none of the bytes of the database, its -wal and -shm, backups, logs or the temp directory."""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from db.audit import AuditContext, record_event, set_audit_context
from db.backup import backup_database, backups_dir
from db.engine import Database
from db.models import Subject, SubjectIdentity
from tests.db.forms import save_form


def encodings(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be")]


def files_under(*roots: Path) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found += [p for p in root.rglob("*") if p.is_file()]
    return found


def leaks(paths: list[Path], markers: list[str]) -> list[tuple[str, str]]:
    out = []
    for path in paths:
        data = path.read_bytes()
        for marker in markers:
            if any(e in data for e in encodings(marker)):
                out.append((str(path), marker))
    return out


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SQLite and Python put temporary files here during the test."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(name, str(directory))
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def test_markers_are_nowhere_on_disk(
    site_db: Database,
    db_path: Path,
    ctx: AuditContext,
    temp_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    log_file = tmp_path / "seqtx.log"
    handler = logging.FileHandler(log_file)
    logging.getLogger().addHandler(handler)
    tag = uuid.uuid4().hex[:12]
    name, hospital, value, reason, event = (
        f"NAME{tag}",
        f"HOSP{tag}",
        f"VALUE{tag}",
        f"REASON{tag}",
        f"EVENT{tag}",
    )
    markers = [name, hospital, value, reason, event, "患者" + tag]
    try:
        form_values = {
            ("IG.VS", str(r), "IT.NOTE"): f"{value} 患者{tag} {r}" for r in range(1, 400)
        }
        save_form(site_db, ctx, "FD-001", "SE.SCREEN", "", "F.VS", form_values)
        with site_db.session() as session:
            set_audit_context(session, ctx)
            subject = session.scalars(select(Subject)).one()
            session.add(
                SubjectIdentity(
                    subject_id=subject.id,
                    full_name=name,
                    hospital_number=hospital,
                    birth_date=date(2015, 3, 1),
                    sex="F",
                    guardian=name,
                )
            )
            record_event(session, "export", f"exports/{event}")
        changed = {k: f"{v} corrected" for k, v in form_values.items()}
        save_form(
            site_db,
            dataclasses.replace(ctx, reason=reason),
            "FD-001",
            "SE.SCREEN",
            "",
            "F.VS",
            changed,
        )
        backup_database(site_db, backups_dir(db_path) / "b.db")

        # While the database is open, the WAL holds the latest pages: scan it too.
        wal = Path(f"{db_path}-wal")
        assert wal.exists() and wal.stat().st_size > 0
        open_files = files_under(db_path.parent, temp_dir, log_file)
        assert leaks(open_files, markers) == []
        site_db.close()
        closed_files = files_under(db_path.parent, temp_dir, log_file, tmp_path)
        assert leaks(closed_files, markers) == []
        assert not db_path.read_bytes().startswith(b"SQLite format 3")
        # The scan itself can find a marker: it is in plain text in this test's own source.
        probe = tmp_path / "probe.txt"
        probe.write_text(value, encoding="utf-8")
        assert leaks([probe], markers) == [(str(probe), value)]
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
