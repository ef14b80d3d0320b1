"""Screenshots of the ward screens (worklist, engraftment page) from a demo ward, for the README.

Builds a demo site with the ward scenarios in a temporary directory, renders the real widgets on a
virtual X screen (re-runs itself under xvfb-run when there is no DISPLAY, or set
QT_QPA_PLATFORM=offscreen) in the real main window and saves docs/screenshots/ward-worklist.png
(the nurse's home screen), ward-engraftment.png and ward-stage-<stage>.png (the physician's subject
page of one subject per stage), queries.png and sync.png (the data manager's query list and
data-center page), each also in Simplified Chinese (_zh_CN).
Usage: .venv/bin/python scripts/ward_screenshots.py [--out DIR] [--subjects N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.screenshots import PASSWORD, _under_xvfb, _wait  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--subjects", type=int, default=24)
    args = parser.parse_args()
    code = _under_xvfb()
    if code is not None:
        return code
    tmp = Path(tempfile.mkdtemp(prefix="seqtx-ward-shots-"))
    os.environ["SEQTX_DATA_DIR"] = str(tmp / "data")
    from PySide6.QtWidgets import QApplication

    from app.domain.clock import SystemClock
    from app.services.auth import login
    from app.services.demo import create_demo_site
    from app.services.demo_ward import ward_demo_step
    from ui import style
    from ui.context import ShellContext
    from ui.i18n import CHINESE, ENGLISH, LanguageManager
    from ui.main_window import MainWindow
    from ui.worker import ServiceRunner

    app = QApplication([sys.argv[0]])
    style.apply(app)
    language = LanguageManager(app)
    runner = ServiceRunner()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    clock = SystemClock()
    path = tmp / "site" / "seqtx.db"
    result = create_demo_site(path, args.subjects, PASSWORD, clock, steps=[ward_demo_step])
    workspace = result.workspace

    def window_of(username: str) -> Any:
        session = login(workspace, username, PASSWORD)
        window = MainWindow(ShellContext(runner, workspace, session, clock, language, path))
        window.resize(1500, 900)
        window.show()
        _wait(app, runner)
        return window

    def shoot(window: Any, name: str) -> None:
        _wait(app, runner)
        window.grab().save(str(out / f"{name}.png"))

    try:
        for lang in (ENGLISH, CHINESE):
            language.switch(lang, remember=False)
            suffix = "" if lang == ENGLISH else "_zh_CN"
            nurse = window_of("nurse")
            shoot(nurse, f"ward-worklist{suffix}")
            rows = nurse.worklist.model._rows
            nurse.close()
            physician = window_of("physician")
            # One subject of each stage the demo ward has, the most advanced one of that stage.
            by_stage: dict[str, str] = {}
            for row in sorted(rows, key=lambda r: r.study_day or 0):
                by_stage[str(row.stage)] = str(row.subject_key)
            for stage, key in sorted(by_stage.items()):
                physician.open_subject(key)
                name = "ward-engraftment" if stage == "engraftment" else f"ward-stage-{stage}"
                shoot(physician, f"{name}{suffix}")
            physician.close()
            manager = window_of("datamanager")
            for page, name in ((manager.queries_page, "queries"), (manager.sync_page, "sync")):
                if page is not None:
                    manager.show_page(page)
                    shoot(manager, f"{name}{suffix}")
            manager.close()
    finally:
        runner.shutdown()
        workspace.close()
    print("saved ward screenshots to", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
