"""PasswordPairWidget: a new password typed twice, with the policy's verdict shown as it is typed.

The policy itself (NIST SP 800-63B-4: length, common-password list, no composition rules) lives in
app.services.passwords; this widget only asks it and says the answer in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from ui.messages import problem_texts

PolicyCheck = Callable[[str], Any]  # password -> list of problem codes (empty when acceptable)


def default_min_length() -> int:
    from app.services.passwords import DEFAULT_MIN_LENGTH

    return DEFAULT_MIN_LENGTH


def default_policy(
    username: Callable[[], str] | None = None, min_length: int | None = None
) -> PolicyCheck:
    """The policy of app.services.passwords for the username being set and the site's minimum."""

    def check(password: str) -> Any:
        from app.services.passwords import check_password_policy

        name = username() if username is not None else ""
        return check_password_policy(
            password, username=name, min_length=min_length or default_min_length()
        )

    return check


class PasswordPairWidget(QWidget):
    validity_changed = Signal(bool)

    def __init__(
        self,
        policy: PolicyCheck,
        min_length: int | None = None,
        parent: QWidget | None = None,
        form: QFormLayout | None = None,
    ) -> None:
        """With `form`, the rows join that layout (labels align with the fields above)."""
        super().__init__(parent)
        self._policy = policy
        self._min_length = min_length or default_min_length()
        self._valid = False
        self.password = QLineEdit()
        self.password.setObjectName("newPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassword")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.feedback = QLabel()
        self.feedback.setObjectName("hint")
        self.feedback.setWordWrap(True)
        self.password_label = QLabel()
        self.confirm_label = QLabel()
        self.password_label.setBuddy(self.password)
        self.confirm_label.setBuddy(self.confirm)
        layout = form if form is not None else QFormLayout(self)
        if form is None:
            layout.setContentsMargins(0, 0, 0, 0)
        else:
            self.hide()  # an empty holder of the signals; the fields live in `form`
        layout.addRow(self.password_label, self.password)
        layout.addRow(self.confirm_label, self.confirm)
        layout.addRow("", self.feedback)
        self.password.textChanged.connect(self.revalidate)
        self.confirm.textChanged.connect(self.revalidate)
        self.password.returnPressed.connect(self.confirm.setFocus)
        self.retranslate()

    def retranslate(self) -> None:
        self.password_label.setText(self.tr("New &password"))
        self.confirm_label.setText(self.tr("&Confirm password"))
        self.revalidate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def valid(self) -> bool:
        return self._valid

    def text(self) -> str:
        return self.password.text()

    def clear(self) -> None:
        self.password.clear()
        self.confirm.clear()

    def revalidate(self) -> None:
        password = self.password.text()
        messages: list[str] = []
        if password:
            messages = problem_texts(self._policy(password), min_length=self._min_length)
            if not messages and self.confirm.text() != password:
                messages = [self.tr("The two passwords are not the same yet.")]
        if not password:
            self.feedback.setObjectName("hint")
            self.feedback.setText(
                self.tr("Use a long passphrase, for example four unrelated words.")
            )
        elif messages:
            self.feedback.setObjectName("error")
            self.feedback.setText("\n".join(messages))
        else:
            self.feedback.setObjectName("ok")
            self.feedback.setText(self.tr("This password can be used."))
        # Re-polish so the stylesheet colour of the new object name applies.
        self.feedback.style().unpolish(self.feedback)
        self.feedback.style().polish(self.feedback)
        valid = bool(password) and not messages
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
