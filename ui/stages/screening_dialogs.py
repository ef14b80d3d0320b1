"""SignatureDialog (password re-entry with the meaning of the signature) and ScreenFailureDialog.

A signature (21 CFR Part 11 style, app.services.signatures) is the signer's password entered again
for this one act, with the meaning shown in words; the password is never kept after the attempt.
Both dialogs run their service call on the worker and stay open on a refusal, saying why.
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
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.stages.screening_texts import refusal_text
from ui.ward.sign_dialog import PasswordSignDialog, error_label, password_edit
from ui.worker import AUDIT, FORMS, SUBJECTS


def _t(text: str) -> str:
    return QCoreApplication.translate("StageSignatureDialog", text)


def meaning_text(meaning: str) -> str:
    """What the signer declares, by app.services.signatures meaning."""
    texts = {
        "eligibility_confirmed": _t(
            "I confirm, as investigator, that this subject's eligibility was assessed against "
            "every criterion and that the result shown is correct."
        ),
        "approved_as_investigator": _t(
            "I approve, as investigator, this end-of-study record as complete and correct."
        ),
    }
    return texts.get(meaning, meaning)


class SignatureDialog(PasswordSignDialog):
    """Asks the logged-in user's password to sign; `call(password)` runs on the worker."""

    def __init__(
        self,
        context: ShellContext,
        title: str,
        meaning: str,
        call: Callable[[str], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.call = context, call
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        statement = QLabel(meaning_text(meaning))
        statement.setObjectName("meaning")
        statement.setWordWrap(True)
        signer = QLabel(
            _t("Signing as %1 (%2)")
            .replace("%1", context.session.full_name)
            .replace("%2", context.session.username)
        )
        signer.setObjectName("signer")
        self.password = password_edit("password")
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_t("Your password"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("Sign"))
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(statement)
        layout.addWidget(signer)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def job(self, password: str) -> Callable[[], Any]:
        call = self.call
        return lambda: call(password)

    def refusal(self, exc: Exception) -> str:
        return refusal_text(exc)


class ScreenFailureDialog(QDialog):
    """The reason a screened child is not enrolled; stores it and moves to screen_failure."""

    recorded = Signal(str)  # the new stage

    def __init__(
        self,
        context: ShellContext,
        subject_key: str,
        reason: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.subject_key = context, subject_key
        self.setWindowTitle(_t("Record screen failure"))
        self.setMinimumWidth(460)
        intro = QLabel(
            _t("%1 will not be enrolled. Why? The reason is kept in the eligibility form.").replace(
                "%1", subject_key
            )
        )
        intro.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        # The reason already in the form (typed before the result was signed): recording it
        # unchanged keeps the investigator's signature valid; a new reason is signed again.
        self.reason.setPlainText(reason or "")
        self.password = password_edit("password")
        self.password_label = QLabel(
            _t("Your password (signs the eligibility result again, with the reason)")
        )
        signer = context.can("sign_eligibility")
        self.password.setVisible(signer)
        self.password_label.setVisible(signer)
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("Record"))
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(_t("Reason for screen failure")))
        layout.addWidget(self.reason)
        layout.addWidget(self.password_label)
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def record(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.error.setText(_t("Enter the reason for the screen failure."))
            return
        ws, session, key = self.context.workspace, self.context.session, self.subject_key
        password = self.password.text() or None

        def call() -> str:
            from app.services.stage_eligibility import record_screen_failure

            return record_screen_failure(ws, session, key, reason, password)

        self.buttons.setEnabled(False)
        self.context.runner.submit(
            call, self._done, self._refused, owner=self, changes=(FORMS, SUBJECTS, AUDIT)
        )

    def _done(self, stage: str) -> None:
        self.buttons.setEnabled(True)
        self.recorded.emit(stage)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()  # never kept past a refused attempt
        text = refusal_text(exc)
        if getattr(exc, "code", None) == "ward.signature_required":
            # Nothing was written: the reason would change the signed eligibility form.
            text = _t(
                "The reason changes the signed eligibility form: an investigator records the "
                "screen failure and signs again with their password."
            )
        self.error.setText(text)
