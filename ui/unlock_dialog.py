"""UnlockDialog: opens the database with its recovery code when this workstation's keyring has no key.

Shown for another OS account, a restored backup or a new workstation. Offers to remember the key in
this workstation's keyring so the code is not needed next time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.clock import Clock
from ui.messages import error_text
from ui.worker import ServiceRunner


class UnlockDialog(QDialog):
    """Emits `unlocked(workspace)` once the recovery code opened the database."""

    unlocked = Signal(object)

    def __init__(
        self, runner: ServiceRunner, db_path: Path, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db_path = db_path
        self._clock = clock
        self.setObjectName("unlockDialog")
        self.setMinimumWidth(520)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.path_label = QLabel(str(db_path))
        self.path_label.setObjectName("hint")
        self.code_label = QLabel()
        self.code = QLineEdit()
        self.code.setObjectName("recoveryCode")
        self.code_label.setBuddy(self.code)
        self.remember = QCheckBox()
        self.remember.setObjectName("rememberKey")
        self.remember.setChecked(True)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (
            self.title,
            self.explanation,
            self.path_label,
            self.code_label,
            self.code,
            self.remember,
            self.message,
            self.buttons,
        ):
            layout.addWidget(widget)
        self.open_button.setDefault(True)  # only once it sits inside the dialog
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("SeqTx: open with recovery code"))
        self.title.setText(self.tr("Open the database with its recovery code"))
        self.explanation.setText(
            self.tr(
                "This workstation's keyring has no key for the database below (for example after "
                "a restore, on a new workstation or under another account). Enter the recovery "
                "code that was written on paper when the site was set up."
            )
        )
        self.code_label.setText(self.tr("&Recovery code"))
        self.remember.setText(self.tr("&Remember the key in this workstation's keyring"))
        self.open_button.setText(self.tr("Open"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def submit(self) -> None:
        code = self.code.text().strip()
        if not code:
            self.message.setText(self.tr("Enter the recovery code."))
            return
        path, clock, remember = self._db_path, self._clock, self.remember.isChecked()
        self.buttons.setEnabled(False)
        self.message.setText(self.tr("Opening…"))

        def unlock() -> tuple[Any, Exception | None]:
            from app.services import site_setup

            workspace = site_setup.unlock_with_recovery_code(path, code, clock)
            if not remember:
                return workspace, None
            try:
                site_setup.remember_key_in_keyring(workspace)
            except Exception as exc:  # the database is open; only remembering failed
                return workspace, exc
            return workspace, None

        self._runner.submit(unlock, self._succeeded, self._failed, owner=self)

    def _succeeded(self, outcome: tuple[Any, Exception | None]) -> None:
        workspace, keyring_error = outcome
        self.buttons.setEnabled(True)
        if keyring_error is not None:
            # The database is open; say why the code will be needed again next time.
            QMessageBox.information(
                self,
                self.tr("Key not remembered"),
                error_text(keyring_error)
                + "\n\n"
                + self.tr("The database is open. SeqTx will ask for the recovery code next time."),
            )
        self.unlocked.emit(workspace)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(error_text(exc))
        self.code.selectAll()
        self.code.setFocus()
