"""Screenshots of the main screens from a demo database, for the README and for review.

Runs the real widgets on a virtual X screen (re-runs itself under xvfb-run when there is no
DISPLAY), builds a demo site in a temporary directory, and saves PNGs to docs/screenshots/.
Usage: .venv/bin/python scripts/screenshots.py [--out DIR] [--subjects N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "demo passphrase for the ward"  # noqa: S105  (synthetic demo site only)


def _under_xvfb() -> int | None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return None
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        sys.exit("No DISPLAY and no xvfb-run: apt-get install xvfb xauth")
    command = [xvfb, "-a", "-s", "-screen 0 1280x900x24", sys.executable, *sys.argv]
    return subprocess.call(command)


def _wait(app: Any, runner: Any) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(60_000)
    while runner.pending and not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    for _ in range(5):  # let layouts and paints settle
        app.processEvents()


def _demo_site(path: Path, subjects: int) -> Any:
    from app.domain.clock import SystemClock
    from app.services import demo, site_setup

    try:
        return demo.create_demo_site(path, subjects, PASSWORD, SystemClock())
    except NotImplementedError:
        return site_setup.setup_site(
            path, "FD", "Demo site (synthetic data)", "admin", "Demo Admin", PASSWORD, SystemClock()
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--subjects", type=int, default=40)
    args = parser.parse_args()
    code = _under_xvfb()
    if code is not None:
        return code

    tmp = Path(tempfile.mkdtemp(prefix="seqtx-shots-"))
    os.environ["SEQTX_DATA_DIR"] = str(tmp / "data")
    from PySide6.QtWidgets import QApplication

    from app.domain.clock import SystemClock
    from app.services.auth import login
    from ui import style
    from ui.i18n import CHINESE, ENGLISH, LanguageManager
    from ui.worker import ServiceRunner

    app = QApplication([sys.argv[0]])
    style.apply(app)
    language = LanguageManager(app)
    language.switch(ENGLISH, remember=False)
    runner = ServiceRunner()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    shots: list[str] = []

    def shoot(widget: Any, name: str) -> None:
        widget.show()
        widget.raise_()
        _wait(app, runner)
        widget.grab().save(str(out / f"{name}.png"))
        shots.append(name)

    try:
        clock = SystemClock()
        _wizard_shots(app, runner, clock, tmp, shoot)
        result = _demo_site(tmp / "site" / "seqtx.db", args.subjects)
        workspace = result.workspace
        from ui.unlock_dialog import UnlockDialog

        unlock = UnlockDialog(runner, tmp / "site" / "seqtx.db", clock)
        shoot(unlock, "unlock_dialog")
        unlock.close()

        from ui.login_dialog import LoginDialog

        login_dialog = LoginDialog(runner, workspace, language, "Demo site (synthetic data)")
        login_dialog.username.setText("admin")
        shoot(login_dialog, "login")
        language.switch(CHINESE, remember=False)
        shoot(login_dialog, "login_zh_CN")
        language.switch(ENGLISH, remember=False)
        login_dialog.close()

        from ui.context import ShellContext
        from ui.main_window import MainWindow

        session = login(workspace, "admin", PASSWORD)
        context = ShellContext(
            runner, workspace, session, clock, language, tmp / "site" / "seqtx.db"
        )
        window = MainWindow(context)
        window.resize(1200, 760)
        shoot(window, "subject_list")
        if window.subject_list.model.rowCount():
            pick = min(5, window.subject_list.model.rowCount() - 1)
            window.open_subject(window.subject_list.model.row_at(pick).subject_key)
            _wait(app, runner)
            _open_first_saved_form(window.subject_page)
            shoot(window, "subject_page")
        window.show_page(window.audit_page)
        shoot(window, "audit_trail")
        window.audit_page.verify()
        shoot(window, "audit_trail_verified")
        if window.users_page is not None:
            window.show_page(window.users_page)
            shoot(window, "users")
        window.show_page(window.settings_page)
        shoot(window, "settings")
        language.switch(CHINESE, remember=False)
        window.show_page(window.subject_list)
        shoot(window, "subject_list_zh_CN")
        window.show_page(window.audit_page)
        shoot(window, "audit_trail_zh_CN")
        language.switch(ENGLISH, remember=False)
        window.lock()
        shoot(window, "locked")
        window.unlock()
        from ui.about_dialog import AboutDialog

        about = AboutDialog(context)
        shoot(about, "about")
        about.close()
        window.close()
        _wait(app, runner)
        workspace.close()
    finally:
        runner.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(str(out / f"{name}.png") for name in shots))
    return 0


def _open_first_saved_form(page: Any) -> None:
    """Open the first form that has data, so the form view shows values."""
    from PySide6.QtCore import Qt

    tree = page.tree
    for top in range(tree.topLevelItemCount()):
        event = tree.topLevelItem(top)
        for child in range(event.childCount()):
            item = event.child(child)
            ref = item.data(0, Qt.ItemDataRole.UserRole)
            if ref is not None and not item.text(1).startswith("Not started"):
                tree.setCurrentItem(item)
                page.open_form(ref)
                return


def _wizard_shots(app: Any, runner: Any, clock: Any, tmp: Path, shoot: Callable[..., None]) -> None:
    from ui.setup_wizard import SetupWizard

    wizard = SetupWizard(runner, tmp / "wizard" / "seqtx.db", clock)
    wizard.site_page.site_code.setText("FD")
    wizard.site_page.site_name.setText("Children's Hospital of Fudan University")
    shoot(wizard, "setup_site")
    wizard.next()
    wizard.admin_page.full_name.setText("Ada Admin")
    wizard.admin_page.username.setText("admin")
    wizard.admin_page.passwords.password.setText("password1")
    shoot(wizard, "setup_administrator")
    wizard.admin_page.passwords.password.setText(PASSWORD)
    wizard.admin_page.passwords.confirm.setText(PASSWORD)
    wizard.next()
    _wait(app, runner)
    shoot(wizard, "setup_recovery_code")
    result = wizard.creating_page.result
    wizard.close()
    if result is not None:
        result.workspace.close()


if __name__ == "__main__":
    raise SystemExit(main())
