"""BedsideVerificationDialog: the two-person check at the bedside before a cord blood infusion.

The DIN on the bag is scanned or typed and checked as it is typed (ISBT 128 mod 37-2 check
character, app.domain.isbt128); the subject's identity must be confirmed; a second user enters
their name and password. The service (stage_infusion.verify_bedside) decides and audits: a wrong
DIN, a bad check character or the same person twice are refused and the dialog stays open.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import isbt128
from ui.context import ShellContext
from ui.messages import error_text
from ui.worker import AUDIT, FORMS, SUBJECTS


def _t(text: str) -> str:
    return QCoreApplication.translate("BedsideVerificationDialog", text)


def refusal_text(reason: str) -> str:
    texts = {
        "bad_din": _t("This is not a valid DIN. Scan the bag label again."),
        "bad_check_character": _t(
            "The check character does not match the DIN: the number was mistyped or misread."
        ),
        "din_mismatch": _t("STOP: this bag is not the unit selected for this patient."),
        "identity_not_confirmed": _t("Confirm the patient's identity first."),
        "same_person": _t("The second person must be a different user."),
        "unknown_user": _t("The second person's user name is not known."),
        "not_allowed": _t("The second person may not verify infusions."),
        "wrong_password": _t("The second person's password is wrong."),
    }
    return texts.get(reason, reason)


def din_feedback(text: str, params: Any) -> tuple[bool, str]:
    """(ok, message) for the DIN as typed so far."""
    if not text.strip():
        return False, _t("Scan or type the DIN on the bag.")
    parsed = isbt128.parse_din(text, params)
    if parsed.ok and parsed.din is not None:
        return True, "✓ " + _t("Valid DIN %1").replace("%1", parsed.din.din)
    if "check" in parsed.code:
        return False, "✗ " + _t("Check character does not match")
    return False, "✗ " + _t("Not a valid DIN yet")


class BedsideVerificationDialog(QDialog):
    verified = Signal(object)  # VerificationResult

    def __init__(
        self, context: ShellContext, subject_key: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context, self.subject_key = context, subject_key
        self.result_: Any = None
        study = context.workspace.require_study()
        self.params = study.rules.params(isbt128.Isbt128Params, "cordblood")
        self.setWindowTitle(_t("Bedside verification"))
        self.din = QLineEdit()
        self.din.setObjectName("din")
        self.din_state = QLabel()
        self.din_state.setObjectName("dinState")
        self.identity = QCheckBox(
            _t("Patient identity confirmed (name, hospital number, wristband) for %1").replace(
                "%1", subject_key
            )
        )
        self.identity.setObjectName("identity")
        self.second_user = QLineEdit()
        self.second_user.setObjectName("secondUser")
        self.second_password = QLineEdit()
        self.second_password.setObjectName("secondPassword")
        self.second_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        form = QFormLayout()
        form.addRow(_t("DIN on the bag"), self.din)
        form.addRow("", self.din_state)
        form.addRow("", self.identity)
        form.addRow(_t("Second person (user name)"), self.second_user)
        form.addRow(_t("Second person's password"), self.second_password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("Verify"))
        self.buttons.accepted.connect(self.verify)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        first = context.session.username
        layout.addWidget(QLabel(_t("First person: %1").replace("%1", first)))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.din.textChanged.connect(self._din_changed)
        self.din.returnPressed.connect(self.identity.setFocus)
        self.second_user.returnPressed.connect(self.second_password.setFocus)
        self._din_changed("")

    def _din_changed(self, text: str) -> None:
        ok, message = din_feedback(text, self.params)
        self.din_state.setText(message)
        self.din_state.setStyleSheet("color: #1b7f3b;" if ok else "color: #b00020;")

    def verify(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.subject_key
        din, identity = self.din.text(), self.identity.isChecked()
        user, password = self.second_user.text().strip(), self.second_password.text()
        self.second_password.clear()  # never kept longer than the one attempt

        def call() -> Any:
            from app.services.stage_infusion import verify_bedside

            return verify_bedside(ws, session, key, din, identity, user, password)

        self.buttons.setEnabled(False)
        self.context.runner.submit(
            call, self._done, self._refused, owner=self, changes=(FORMS, SUBJECTS, AUDIT)
        )

    def _done(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.result_ = result
        self.verified.emit(result)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        reason = getattr(exc, "values", {}).get("reason") if hasattr(exc, "values") else None
        self.error.setText(refusal_text(str(reason)) if reason else error_text(exc))
