"""LockWidget: covers the window while locked; the same user re-enters the password to go on.

Another user may log in instead: that ends the first session (the shell logs it out and shows the
login window), so no one works under someone else's name.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.context import ShellContext
from ui.messages import error_text


class LockWidget(QWidget):
    unlocked = Signal()
    switch_user_requested = Signal()

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("lockOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.who = QLabel()
        self.password = QLineEdit()
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMinimumWidth(280)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.switch_button = QPushButton()
        self.switch_button.setObjectName("switchUser")
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        box = QVBoxLayout()
        box.addWidget(self.heading)
        box.addWidget(self.who)
        box.addWidget(self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.switch_button)
        box.addLayout(buttons)
        box.addWidget(self.message)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.password.returnPressed.connect(self.submit)
        self.unlock_button.clicked.connect(self.submit)
        self.switch_button.clicked.connect(self.switch_user_requested)
        self.retranslate()

    def retranslate(self) -> None:
        session = self.context.session
        self.heading.setText(self.tr("SeqTx is locked"))
        self.who.setText(
            self.tr("Locked for %1 (%2). Enter your password to continue.")
            .replace("%1", session.full_name)
            .replace("%2", session.username)
        )
        self.password.setPlaceholderText(self.tr("Password"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.switch_button.setText(self.tr("Log in as &another user"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reset(self) -> None:
        self.password.clear()
        self.message.clear()
        self.unlock_button.setEnabled(True)
        self.password.setFocus()

    def submit(self) -> None:
        password = self.password.text()
        if not password:
            self.message.setText(self.tr("Enter your password."))
            return
        ws, session = self.context.workspace, self.context.session
        self.unlock_button.setEnabled(False)

        def check() -> Any:
            from app.services.auth import reauthenticate

            return reauthenticate(ws, session, password)

        self.context.runner.submit(check, self._succeeded, self._failed, owner=self)

    def _succeeded(self, _result: Any) -> None:
        self.password.clear()
        self.message.clear()
        self.unlock_button.setEnabled(True)
        self.unlocked.emit()

    def _failed(self, exc: Exception) -> None:
        self.unlock_button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.message.setText(error_text(exc))
        # A locked account or ended session cannot be unlocked here: only a new login helps.
        if getattr(exc, "code", "") in ("auth.locked", "auth.session_ended"):
            self.unlock_button.setEnabled(False)
