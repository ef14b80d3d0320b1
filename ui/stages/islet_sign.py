"""IsletSignDialog: an investigator's electronic signature (password re-entry with its meaning).

What is signed and what the signature means are stated in words above the password field
(21 CFR 11.50: printed name, date and meaning). The signing service call runs on the worker; a
refusal (wrong password, locked account, role) keeps the dialog open with the translated reason,
and the password is cleared after each attempt, never kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.ward.sign_dialog import PasswordSignDialog, error_label, password_edit

# password -> the service call to run on the worker
SignAction = Callable[[str], Callable[[], Any]]


def _t(text: str) -> str:
    return QCoreApplication.translate("IsletSignDialog", text)


class IsletSignDialog(PasswordSignDialog):
    def __init__(
        self,
        context: ShellContext,
        statement: str,
        meaning: str,
        action: SignAction,
        refusal: Callable[[Exception], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.action, self._refusal = context, action, refusal
        self.setWindowTitle(_t("Electronic signature"))
        self.statement = QLabel(statement)
        self.statement.setObjectName("statement")
        self.statement.setWordWrap(True)
        self.statement.setStyleSheet("font-weight: bold;")
        self.meaning = QLabel(meaning)
        self.meaning.setObjectName("meaning")
        self.meaning.setWordWrap(True)
        session = context.session
        signer = QLabel(f"{session.full_name} ({session.username})")
        signer.setObjectName("signer")
        self.password = password_edit("signPassword")
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_t("Meaning of the signature"), self.meaning)
        form.addRow(_t("Signed by"), signer)
        form.addRow(_t("Your password"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("Sign"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_t("Cancel"))
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.statement)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.password.setFocus()

    def job(self, password: str) -> Callable[[], Any]:
        return self.action(password)

    def refusal(self, exc: Exception) -> str:
        return self._refusal(exc)
