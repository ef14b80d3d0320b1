"""The desktop app: QApplication, language, look, and the flow set-up -> unlock -> login -> window.

`Shell` drives the flow with signals only: each step is a dialog or window that announces its
outcome, and the shell opens the next. Every session gets a fresh ShellContext and MainWindow.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.domain.clock import Clock, SystemClock
from app.paths import resource
from ui import preferences, style
from ui.i18n import LANGUAGES, LanguageManager, default_language
from ui.messages import error_text
from ui.worker import ServiceRunner

# For bench/bench_ui.py: print the time to the first window and quit once it is shown.
BENCH_ENV = "SEQTX_BENCH_FIRST_WINDOW"


class Shell(QObject):
    """Owns the runner, the workspace and the current top-level window."""

    def __init__(
        self,
        app: QApplication,
        db_path: Path,
        clock: Clock,
        language: LanguageManager,
        runner: ServiceRunner | None = None,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.db_path = db_path
        self.clock = clock
        self.language = language
        self.runner = runner or ServiceRunner(self)
        self.workspace: Any = None
        self.site_name = ""
        self.window: QWidget | None = None
        self.damaged = False  # the whole-file check found damage: no window shows data
        self.runner.unhandled_failed.connect(self._show_unexpected)

    # --- steps ----------------------------------------------------------------------------
    def start(self) -> None:
        path = self.db_path
        if not path.is_file():
            self._show_setup()
            return
        clock = self.clock

        def unlock() -> Any:
            from app.services.site_setup import unlock_from_keyring

            # Key and schema only: the whole-file check runs while the login window waits.
            return unlock_from_keyring(path, clock, verify=False)

        self.runner.submit(
            unlock, lambda ws: self._opened(ws, check_whole_file=True), self._keyring_failed
        )

    def _show_setup(self) -> None:
        from ui.setup_wizard import SetupWizard

        wizard = SetupWizard(self.runner, self.db_path, self.clock)
        wizard.site_created.connect(lambda result: self._opened(result.workspace))
        wizard.rejected.connect(self.app.quit)
        self._set_window(wizard)

    def _keyring_failed(self, exc: Exception) -> None:
        if getattr(exc, "code", "") in ("key.not_available", "key.keyring_unsuitable"):
            from ui.unlock_dialog import UnlockDialog

            dialog = UnlockDialog(self.runner, self.db_path, self.clock)
            dialog.unlocked.connect(self._opened)
            dialog.rejected.connect(self.app.quit)
            self._set_window(dialog)
            return
        if getattr(exc, "code", "") == "db.corrupt":
            self._offer_backup(exc)
            return
        QMessageBox.critical(None, self.tr("SeqTx"), error_text(exc))
        self.app.quit()

    def _offer_backup(self, exc: Exception) -> None:
        """A damaged database is never opened: offer the latest automatic backup instead."""
        from app.services.backup import latest_backup_of

        backup = latest_backup_of(self.db_path)
        if backup is None:
            QMessageBox.critical(
                None,
                self.tr("Damaged database"),
                error_text(exc)
                + "\n\n"
                + self.tr(
                    "No backup of this database was found. Do not use this workstation for "
                    "trial data; call the trial's data manager."
                ),
            )
            self.app.quit()
            return
        made = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            None,
            self.tr("Damaged database"),
            error_text(exc)
            + "\n\n"
            + self.tr(
                "Restore the latest backup, made {made}? The damaged file is kept aside, not "
                "deleted. Anything entered after that backup must be entered again."
            ).format(made=made),
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.app.quit()
            return
        path, clock = self.db_path, self.clock

        def restore() -> Any:
            from app.services.backup import restore_site

            return restore_site(backup, path, clock).workspace

        def failed(error: Exception) -> None:
            QMessageBox.critical(None, self.tr("Damaged database"), error_text(error))
            self.app.quit()

        self.runner.submit(restore, self._opened, failed)

    def _opened(self, workspace: Any, check_whole_file: bool = False) -> None:
        self.workspace = workspace
        self.damaged = False

        def fetch() -> tuple[str, str]:
            from app.services.settings import read_settings
            from app.services.site_setup import site_info

            info = site_info(workspace)
            return f"{info.site_code} · {info.site_name}", read_settings(workspace).language

        def shown(result: tuple[str, str]) -> None:
            self.site_name, site_language = result
            # The site's language applies until someone picks one on this workstation.
            if not preferences.load().contains("ui/language") and site_language in LANGUAGES:
                self.language.switch(site_language, remember=False)
            self.show_login()

        # The login window names the site, so staff see at once which database they open.
        self.runner.submit(fetch, shown, lambda _exc: self.show_login())
        if not check_whole_file:
            self._take_daily_backup(workspace)
            return

        def verify() -> None:
            from app.services.site_setup import verify_workspace

            verify_workspace(workspace)

        # Every page checked while the login window waits for the password: the worker runs one
        # job at a time in order, so a login waits for this check and no data is shown before it.
        self.runner.submit(
            verify,
            lambda _none: self._take_daily_backup(workspace),
            lambda exc: self._damaged_after_open(workspace, exc),
        )

    def _take_daily_backup(self, workspace: Any) -> None:
        def daily_backup() -> Any:
            from app.services.backup import ensure_daily_backup

            return ensure_daily_backup(workspace)

        # Taken while the login window waits for the password; offered if the file is ever damaged.
        self.runner.submit(daily_backup, lambda _path: None, self._show_unexpected)

    def _damaged_after_open(self, workspace: Any, exc: Exception) -> None:
        """The whole-file check found damage: nobody logs in; the database is closed (on the
        worker, after any job already queued) and the latest backup is offered."""
        if getattr(exc, "code", "") != "db.corrupt":
            self._show_unexpected(exc)
            return
        self.damaged = True
        self.workspace = None
        self.runner.submit(workspace.close, lambda _none: None, lambda _exc: None)
        self._offer_backup(exc)

    def show_login(self) -> None:
        from ui.login_dialog import LoginDialog

        dialog = LoginDialog(self.runner, self.workspace, self.language, self.site_name)
        dialog.logged_in.connect(self._logged_in)
        dialog.rejected.connect(self.app.quit)
        self._set_window(dialog)

    def _logged_in(self, session: Any) -> None:
        if self.damaged:  # a login that ran before the damage was reported opens nothing
            return
        from ui.context import ShellContext
        from ui.main_window import MainWindow

        context = ShellContext(
            self.runner, self.workspace, session, self.clock, self.language, self.db_path
        )
        window = MainWindow(context)
        window.logged_out.connect(self.show_login)
        window.switch_user_requested.connect(self.show_login)
        self._set_window(window)

    # --- helpers --------------------------------------------------------------------------
    def _set_window(self, window: QWidget) -> None:
        previous = self.window
        self.window = window
        window.show()
        window.raise_()
        window.activateWindow()
        if previous is not None and previous is not window:
            # Closing a dialog would emit rejected (= quit); a hidden one is simply dropped.
            previous.blockSignals(True)
            previous.hide()
            previous.deleteLater()
        if os.environ.get(BENCH_ENV):
            now = time.time()
            started = float(os.environ[BENCH_ENV])
            name = type(window).__name__
            # Whole cold start, and the part from entering run() (the app's own share, without
            # the interpreter and the command-line modules imported before it).
            print(f"first-window {name} {now - started:.4f} {now - _RUN_ENTERED:.4f}", flush=True)
            QTimer.singleShot(0, self.app.quit)

    def _show_unexpected(self, exc: Exception) -> None:
        QMessageBox.warning(self.window, self.tr("SeqTx"), error_text(exc))
        if getattr(exc, "code", "") == "auth.session_ended" and self.workspace is not None:
            # The user was deactivated or locked meanwhile: nothing more under that name.
            self.show_login()

    def shutdown(self) -> None:
        self.runner.shutdown()
        if self.workspace is not None:
            self.workspace.close()


_RUN_ENTERED = 0.0


def run(args: argparse.Namespace) -> int:
    global _RUN_ENTERED
    _RUN_ENTERED = time.time()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("SeqTx")
    app.setOrganizationName("SeqTx")
    app.setQuitOnLastWindowClosed(False)  # dialogs come and go between steps
    style.apply(app)
    app.setWindowIcon(QIcon(str(resource("icons", "seqtx.svg"))))
    language = LanguageManager(app)
    language.switch(default_language(), remember=False)
    db = getattr(args, "db", None)
    if db:
        db_path = Path(db)
    else:
        from app.services.workspace import default_database_path

        db_path = default_database_path()
    shell = Shell(app, db_path, SystemClock(), language)
    app.lastWindowClosed.connect(app.quit)
    QTimer.singleShot(0, shell.start)
    try:
        return int(app.exec())
    finally:
        shell.shutdown()
