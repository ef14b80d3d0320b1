"""LoginDialog: username and password; the check runs on the worker, the answer says what to do next."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import LANGUAGE_NAMES, LANGUAGES, LanguageManager
from ui.messages import error_text
from ui.worker import AUDIT, ServiceRunner


class LoginDialog(QDialog):
    """Emits `logged_in(session)` on success; stays open with a clear message on failure."""

    logged_in = Signal(object)

    def __init__(
        self,
        runner: ServiceRunner,
        workspace: Any,
        language: LanguageManager,
        site_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._workspace = workspace
        self._language = language
        self._site_name = site_name
        self.setObjectName("loginDialog")
        self.setMinimumWidth(420)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.site_label = QLabel()
        self.site_label.setObjectName("hint")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language_box = QComboBox()
        for code in LANGUAGES:
            self.language_box.addItem(LANGUAGE_NAMES[code], code)
        self.language_box.setCurrentIndex(LANGUAGES.index(language.language))
        self.language_box.currentIndexChanged.connect(self._on_language_picked)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        # A button of our own: Qt would re-translate a standard Ok back to "OK".
        self.login_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        self.username_label = QLabel()
        self.password_label = QLabel()
        self.language_label = QLabel()
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.language_label.setBuddy(self.language_box)
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        form.addRow(self.language_label, self.language_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.site_label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        # Default only now: a button becomes a dialog's default once it sits inside the dialog.
        self.login_button.setDefault(True)
        # Enter in the username moves on to the password; Enter there logs in.
        self.username.returnPressed.connect(self.password.setFocus)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.language_box)
        self.username.setFocus()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("SeqTx: log in"))
        self.title.setText(self.tr("Log in to SeqTx"))
        self.site_label.setText(self._site_name)
        self.site_label.setVisible(bool(self._site_name))
        self.username_label.setText(self.tr("&Username"))
        self.password_label.setText(self.tr("&Password"))
        self.language_label.setText(self.tr("&Language"))
        self.login_button.setText(self.tr("Log in"))
        self._sync_language_box()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: Any) -> None:
        # Enter in the username field must not submit the dialog (QDialog's default button would).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.username.hasFocus():
            self.password.setFocus()
            return
        super().keyPressEvent(event)

    def _sync_language_box(self) -> None:
        # The language may have been switched elsewhere (settings page, another window).
        self.language_box.blockSignals(True)
        self.language_box.setCurrentIndex(LANGUAGES.index(self._language.language))
        self.language_box.blockSignals(False)

    def _on_language_picked(self, index: int) -> None:
        self._language.switch(str(self.language_box.itemData(index)))

    def submit(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self.message.setText(self.tr("Enter your username and password."))
            (self.username if not username else self.password).setFocus()
            return
        self.message.setText(self.tr("Checking…"))
        self.buttons.setEnabled(False)
        workspace = self._workspace

        def login() -> Any:
            from app.services import auth

            return auth.login(workspace, username, password)

        # Failed logins are audited too, so the audit page refreshes either way.
        self._runner.submit(login, self._succeeded, self._failed, owner=self, changes=(AUDIT,))

    def _succeeded(self, session: Any) -> None:
        self.buttons.setEnabled(True)
        self.message.clear()
        self.password.clear()
        self.logged_in.emit(session)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(error_text(exc))
        self.password.clear()
        self.password.setFocus()
