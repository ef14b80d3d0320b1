"""What every electronic-signature dialog shares: the logged-in user's password is read once,
cleared at once, checked by the signing service on the worker; a refusal (wrong password, locked
account, role) keeps the dialog open with the reason in words; success emits `signed`.
Subclasses lay out what is signed and its meaning (21 CFR 11.50) and say which call signs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit

from ui.context import ShellContext
from ui.messages import error_text
from ui.worker import AUDIT, FORMS, SUBJECTS

ERROR_STYLE = "color: #b00020; font-weight: bold;"


def error_label() -> QLabel:
    """The dialog's red, wrapped refusal line."""
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


def password_edit(object_name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(object_name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordSignDialog(QDialog):
    """Subclasses set `context`, `password`, `error` and `buttons` and implement `job`."""

    signed = Signal(object)  # the service's result

    context: ShellContext
    password: QLineEdit
    error: QLabel
    buttons: QDialogButtonBox
    result_: Any = None

    def job(self, password: str) -> Callable[[], Any]:
        """The signing service call, to run on the worker."""
        raise NotImplementedError

    def refusal(self, exc: Exception) -> str:
        return error_text(exc)

    def sign(self) -> None:
        password = self.password.text()
        self.password.clear()  # never kept longer than the one attempt
        if not password:
            self.error.setText(
                QCoreApplication.translate("PasswordSignDialog", "Enter your password to sign.")
            )
            return
        self.error.clear()
        self.buttons.setEnabled(False)
        self.context.runner.submit(
            self.job(password),
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
