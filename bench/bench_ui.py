"""Cold start of the desktop app to its login window: a fresh process each run, median of several,
on a new site and on the 500-subject demo database of bench_ward (issue 4: "on a demo database of
500 subjects"). The whole-file integrity check of a large database runs while the login window
waits, so it is timed apart (storage: open_site_database with full integrity checks).

Each run starts `python -m ui.launcher --db FILE` as a new process with SEQTX_BENCH_FIRST_WINDOW set;
the app prints the seconds from that timestamp to its first window and quits. The key must come from
a keyring for the first window to be the login window, so the runs happen inside a private D-Bus
session with gnome-keyring (as CI's keyring tests); without one the app shows the recovery-code
dialog and the figure says so.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import Report

RUNS = 7
TARGET_S = 2.0
ROOT = Path(__file__).resolve().parent.parent


def _inner(workdir: Path, runs: int, demo: Path | None = None) -> None:
    """Inside the keyring session: make the site (a new one, or a copy of the demo database with
    its key in this keyring), then start the app `runs` times."""
    db = workdir / "site" / "seqtx.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    if demo is None:
        from app.domain.clock import SystemClock
        from app.services.site_setup import setup_site

        result = setup_site(
            db, "FD", "Bench", "admin", "Bench Admin", "bench passphrase for one", SystemClock()
        )
        result.workspace.close()
    else:
        _copy_demo(demo, db)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SEQTX_DATA_DIR": str(workdir / "data")}
    for _ in range(runs + 1):  # the first run warms the OS file cache and is dropped
        env["SEQTX_BENCH_FIRST_WINDOW"] = repr(time.time())
        out = subprocess.run(
            [sys.executable, "-m", "ui.launcher", "--db", str(db)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        lines = [line for line in out.stdout.splitlines() if line.startswith("first-window ")]
        print(lines[-1] if lines else f"first-window none {out.returncode}", flush=True)


def _copy_demo(demo: Path, db: Path) -> None:
    """The demo database (its raw key beside it, as bench_ward keeps it) as a site of this
    workstation: key file under a fresh recovery code, key in the session's keyring."""
    from db import keys
    from db.engine import Database, create_sqlcipher_engine
    from db.site_db import database_id

    shutil.copyfile(demo, db)
    key = demo.with_suffix(".key").read_bytes()
    copy = Database(create_sqlcipher_engine(db, key), db)
    try:
        db_id = database_id(copy)
    finally:
        copy.close()
    keys.write_key_file(keys.key_file_path(db), key, keys.new_recovery_code(), db_id)
    keys.store_key(db_id, key)


def _keyring_session(workdir: Path, runs: int, demo: Path | None = None) -> list[str]:
    inner = f"{sys.executable} -m bench.bench_ui --inner {workdir} {runs}"
    if demo is not None:
        inner += f" {demo}"
    if shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"):
        script = (
            "printf 'bench' | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
            + inner
        )
        command = ["dbus-run-session", "--", "sh", "-c", script]
    else:
        command = ["sh", "-c", inner]
    out = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False
    )
    return [line for line in out.stdout.splitlines() if line.startswith("first-window ")]


def run(report: Report) -> None:
    from bench.bench_ward import SUBJECTS, demo_database

    with tempfile.TemporaryDirectory(prefix="seqtx-bench-ui-") as tmp:
        lines = _keyring_session(Path(tmp), RUNS)[1:]
    _report(report, lines, "new site", own_share=True)
    demo, _built = demo_database()
    with tempfile.TemporaryDirectory(prefix="seqtx-bench-ui-demo-") as tmp:
        lines = _keyring_session(Path(tmp), RUNS, demo)[1:]
    _report(report, lines, f"{SUBJECTS}-subject demo database", own_share=False)


def _report(report: Report, lines: list[str], site: str, own_share: bool) -> None:
    samples = [float(line.split()[2]) for line in lines if line.split()[1] != "none"]
    own = [float(line.split()[3]) for line in lines if len(line.split()) > 3]
    windows = {line.split()[1] for line in lines}
    if not samples:
        report.add(f"ui: cold start to first window, {site}", float("nan"), "s", TARGET_S,
                   note="no run")  # fmt: skip
        return
    which = (
        "login window"
        if windows == {"LoginDialog"}
        else "first window (" + ",".join(sorted(windows)) + ")"
    )
    report.add(
        f"ui: cold start to {which}, {site}, median of {len(samples)}",
        statistics.median(samples),
        "s",
        TARGET_S,
        spread=max(samples) - min(samples),
    )
    if own and own_share:
        report.add(
            "ui: of which from ui.application.run to that window (Qt, key, window)",
            statistics.median(own),
            "s",
            spread=max(own) - min(own),
            note="the rest is the interpreter and the modules app.cli imports",
        )


if __name__ == "__main__":
    if len(sys.argv) in (4, 5) and sys.argv[1] == "--inner":
        _inner(
            Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]) if len(sys.argv) == 5 else None
        )
    else:
        report = Report()
        run(report)
