"""Screenshots of the ward screens (worklist, engraftment page) from a demo ward, for the README.

Builds a demo site with the ward scenarios in a temporary directory, renders the real widgets on a
virtual X screen (re-runs itself under xvfb-run when there is no DISPLAY, or set
QT_QPA_PLATFORM=offscreen) and saves docs/screenshots/ward-worklist.png, ward-engraftment.png and
their _zh_CN versions.
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
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from app.domain.clock import SystemClock
    from app.paths import resource
    from app.services.auth import login
    from app.services.demo import create_demo_site
    from app.services.demo_ward import ward_demo_step
    from ui import style
    from ui.context import ShellContext
    from ui.form_registry import FormRef
    from ui.i18n import CHINESE, ENGLISH, LanguageManager
    from ui.ward.engraftment_page import EngraftmentPage
    from ui.ward.worklist_page import WorklistPage
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
    session = login(workspace, "nurse", PASSWORD)
    context = ShellContext(runner, workspace, session, clock, language, path)
    ward = QTranslator(app)  # until ui/i18n.py installs the ward catalogue itself
    ward.load("seqtx_ward_zh_CN", str(resource("translations")))

    def shoot(widget: Any, name: str, size: tuple[int, int]) -> None:
        widget.resize(*size)
        widget.show()
        _wait(app, runner)
        widget.grab().save(str(out / f"{name}.png"))

    def pick(rows: list[Any]) -> str:
        engrafting = [r for r in rows if r.stage == "engraftment" and r.study_day is not None]
        engrafting.sort(key=lambda r: -(r.study_day or 0))
        return str((engrafting or rows)[0].subject_key)

    try:
        for lang in (ENGLISH, CHINESE):
            language.switch(lang, remember=False)
            if lang == CHINESE:
                app.installTranslator(ward)
            suffix = "" if lang == ENGLISH else "_zh_CN"
            worklist = WorklistPage(context)
            shoot(worklist, f"ward-worklist{suffix}", (1500, 720))
            key = pick(worklist.model._rows)
            page = EngraftmentPage(context, FormRef(key, "", "", "", "engraftment"))
            shoot(page, f"ward-engraftment{suffix}", (1280, 860))
            worklist.close()
            page.close()
    finally:
        runner.shutdown()
        workspace.close()
    print("saved ward screenshots to", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
