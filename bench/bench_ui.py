"""Cold start of the desktop app to its login window: a fresh process each run, median of several.

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


def _inner(workdir: Path, runs: int) -> None:
    """Inside the keyring session: create a site, then start the app `runs` times."""
    from app.domain.clock import SystemClock
    from app.services.site_setup import setup_site

    db = workdir / "site" / "seqtx.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    result = setup_site(
        db, "FD", "Bench", "admin", "Bench Admin", "bench passphrase for one", SystemClock()
    )
    result.workspace.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SEQTX_DATA_DIR": str(workdir / "data")}
    for _ in range(runs + 1):  # the first run warms the OS file cache and is dropped
        env["SEQTX_BENCH_FIRST_WINDOW"] = repr(time.time())
        out = subprocess.run(
            [sys.executable, "-m", "ui.launcher", "--db", str(db)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        lines = [line for line in out.stdout.splitlines() if line.startswith("first-window ")]
        print(lines[-1] if lines else f"first-window none {out.returncode}", flush=True)


def _keyring_session(workdir: Path, runs: int) -> list[str]:
    inner = f"{sys.executable} -m bench.bench_ui --inner {workdir} {runs}"
    if shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"):
        script = (
            "printf 'bench' | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
            + inner
        )
        command = ["dbus-run-session", "--", "sh", "-c", script]
    else:
        command = ["sh", "-c", inner]
    out = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    return [line for line in out.stdout.splitlines() if line.startswith("first-window ")]


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="seqtx-bench-ui-") as tmp:
        lines = _keyring_session(Path(tmp), RUNS)[1:]
    samples = [float(line.split()[2]) for line in lines if line.split()[1] != "none"]
    own = [float(line.split()[3]) for line in lines if len(line.split()) > 3]
    windows = {line.split()[1] for line in lines}
    if not samples:
        report.add("ui: cold start to first window", float("nan"), "s", TARGET_S, note="no run")
        return
    which = (
        "login window"
        if windows == {"LoginDialog"}
        else "first window (" + ",".join(sorted(windows)) + ")"
    )
    report.add(
        f"ui: cold start to {which}, median of {len(samples)}",
        statistics.median(samples),
        "s",
        TARGET_S,
        spread=max(samples) - min(samples),
    )
    if own:
        report.add(
            "ui: of which from ui.application.run to that window (Qt, key, window)",
            statistics.median(own),
            "s",
            spread=max(own) - min(own),
            note="the rest is the interpreter and the modules app.cli imports",
        )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--inner":
        _inner(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        report = Report()
        run(report)
