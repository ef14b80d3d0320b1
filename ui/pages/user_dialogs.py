"""Dialogs of user administration: a new user (name, username, role, first password), a new password."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
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

from ui.labels import ROLES, role_name
from ui.password_widget import PasswordPairWidget, default_policy
from ui.setup_wizard import USERNAME_PATTERN


class CreateUserDialog(QDialog):
    def __init__(self, min_length: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("createUserDialog")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("fullName")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setValidator(
            QRegularExpressionValidator(QRegularExpression(USERNAME_PATTERN))
        )
        self.role = QComboBox()
        self.role.setObjectName("role")
        for code in ROLES:
            self.role.addItem(role_name(code), code)
        self.role.setCurrentIndex(ROLES.index("nurse"))
        self.name_label, self.username_label, self.role_label = QLabel(), QLabel(), QLabel()
        self.name_label.setBuddy(self.full_name)
        self.username_label.setBuddy(self.username)
        self.role_label.setBuddy(self.role)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.name_label, self.full_name)
        form.addRow(self.username_label, self.username)
        form.addRow(self.role_label, self.role)
        self.passwords = PasswordPairWidget(
            default_policy(lambda: self.username.text(), min_length), min_length, self, form
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.full_name.returnPressed.connect(self.username.setFocus)
        self.username.returnPressed.connect(self.role.setFocus)
        for signal in (self.full_name.textChanged, self.username.textChanged):
            signal.connect(self._update_ok)
        self.username.textChanged.connect(self.passwords.revalidate)
        self.passwords.validity_changed.connect(self._update_ok)
        self.retranslate()
        self._update_ok()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New user"))
        self.name_label.setText(self.tr("Full &name"))
        self.username_label.setText(self.tr("&Username"))
        self.role_label.setText(self.tr("&Role"))
        for index, code in enumerate(ROLES):
            self.role.setItemText(index, role_name(code))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_ok(self) -> None:
        ok = (
            bool(self.full_name.text().strip())
            and self.username.hasAcceptableInput()
            and self.passwords.valid
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> tuple[str, str, str, str]:
        """(username, full name, role code, password)."""
        return (
            self.username.text().strip(),
            self.full_name.text().strip(),
            str(self.role.currentData()),
            self.passwords.text(),
        )


class NewPasswordDialog(QDialog):
    def __init__(
        self, username: str, min_length: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newPasswordDialog")
        self._username = username
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.passwords = PasswordPairWidget(
            default_policy(lambda: username, min_length), min_length
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.passwords)
        layout.addWidget(self.buttons)
        self.passwords.validity_changed.connect(
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Reset password"))
        self.heading.setText(
            self.tr("New password for %1. Give it to the user in person.").replace(
                "%1", self._username
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
