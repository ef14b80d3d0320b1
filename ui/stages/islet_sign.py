"""IsletSignDialog: an investigator's electronic signature (password re-entry with its meaning).

What is signed and what the signature means are stated in words above the password field
(21 CFR 11.50: printed name, date and meaning). The signing service call runs on the worker; a
refusal (wrong password, locked account, role) keeps the dialog open with the translated reason,
and the password is cleared after each attempt, never kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.worker import AUDIT, FORMS, SUBJECTS

# password -> the service call to run on the worker
SignAction = Callable[[str], Callable[[], Any]]


def _t(text: str) -> str:
    return QCoreApplication.translate("IsletSignDialog", text)


class IsletSignDialog(QDialog):
    signed = Signal(object)  # the service's result

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
        self.context, self.action, self.refusal = context, action, refusal
        self.result_: Any = None
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
        self.password = QLineEdit()
        self.password.setObjectName("signPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
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

    def sign(self) -> None:
        password = self.password.text()
        self.password.clear()  # never kept longer than the one attempt
        if not password:
            self.error.setText(_t("Enter your password to sign."))
            return
        self.error.clear()
        self.buttons.setEnabled(False)
        self.context.runner.submit(
            self.action(password),
            self._done,
            self._refused,
            owner=self,
            changes=(FORMS, SUBJECTS, AUDIT),
        )

    def _done(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.result_ = result
        self.signed.emit(result)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(self.refusal(exc))
        self.password.setFocus()
