"""SecondPersonDialog: a second logged-in user confirms a conditioning dose with their password.

The dialog only collects the second user's name and password and runs the given action on the
worker (stage_conditioning.record_dose, which calls check_second_person). A refusal (the same person
twice, an unknown user, a role that may not check doses, a wrong password) is shown in words and
the dialog stays open; the password is cleared after every attempt and never kept. A dose
outside its soft range is confirmed with a comment (ui.ward.soft_range) within the same attempt.

submit_with_reason is the screen's save round trip: a change of saved data asks the reason
(ui.ward.form_widget.ask_reason), a value outside its soft range a confirmation comment
(ui.ward.soft_range), and saves again with them; a refused form is said item by item.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
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
from ui.messages import error_text
from ui.worker import AUDIT, FORMS, SUBJECTS

ItemKey = tuple[str, str, str]
# (second user's name, password, soft-range comments) -> the service result; runs on the worker.
Action = Callable[[str, str, Mapping[ItemKey, str]], Any]
# (reason for change, soft-range comments) -> the service result; runs on the worker.
SavingCall = Callable[[str | None, Mapping[ItemKey, str]], Any]


def _t(text: str) -> str:
    return QCoreApplication.translate("SecondPersonDialog", text)


def refusal_text(exc: BaseException) -> str:
    """The reason a second person was refused, in words; other errors through error_text."""
    values = getattr(exc, "values", None)
    reason = values.get("reason") if isinstance(values, Mapping) else None
    texts = {
        "same_person": _t(
            "The second person must be someone else: you cannot check your own dose."
        ),
        "unknown_user": _t("The second person's user name is not known or the account is off."),
        "not_allowed": _t("The second person's role may not check conditioning doses."),
    }
    if reason in texts:
        return texts[str(reason)]
    if getattr(exc, "code", None) == "auth.wrong_password":
        return _t("The second person's password is not correct.")
    return error_text(exc)


class SecondPersonDialog(QDialog):
    confirmed = Signal(object)  # the action's result

    def __init__(
        self,
        context: ShellContext,
        summary: str,
        action: Action,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.action = context, action
        self.result_: Any = None
        self.setWindowTitle(_t("Checked by a second person"))
        self.setMinimumWidth(440)
        self.summary = QLabel(summary)
        self.summary.setObjectName("doseSummary")
        self.summary.setWordWrap(True)
        self.first = QLabel(_t("Given by: %1").replace("%1", context.session.username))
        self.user = QLineEdit()
        self.user.setObjectName("secondUser")
        self.password = QLineEdit()
        self.password.setObjectName("secondPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        form = QFormLayout()
        form.addRow(_t("Second person (user name)"), self.user)
        form.addRow(_t("Second person's password"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_t("Confirm and record"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_t("Cancel"))
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.first)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        # Enter moves on: the name, then the password, whose Enter confirms (the default button).
        self.user.installEventFilter(self)
        self.user.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.user
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.password.setFocus()  # not the default button: the password comes first
            return True
        return super().eventFilter(watched, event)

    def confirm(self) -> None:
        user, password = self.user.text().strip(), self.password.text()
        self.password.clear()  # never kept beyond this one attempt
        if not user or not password:
            self.error.setText(_t("Enter the second person's user name and password."))
            return
        self._run(user, password, {})

    def _run(self, user: str, password: str, comments: Mapping[ItemKey, str]) -> None:
        """One attempt; values outside their soft range are confirmed with a comment each and
        the same attempt is made again with them (the password goes no further than that)."""
        from ui.ward.soft_range import confirm_soft_values, item_labels, validation_problems

        action = self.action

        def refused(exc: Exception) -> None:
            problems = validation_problems(exc)
            if not problems:
                self._refused(exc)
                return
            self.buttons.setEnabled(True)
            study = self.context.workspace.require_study()
            labels = item_labels(study, self.context.language.language)
            answer = confirm_soft_values(self, problems, labels)
            if answer.comments is None:
                self.error.setText(answer.message)
                return
            self._run(user, password, {**comments, **answer.comments})

        self.buttons.setEnabled(False)
        self.context.runner.submit(
            lambda: action(user, password, comments),
            self._done,
            refused,
            owner=self,
            changes=(FORMS, SUBJECTS, AUDIT),
        )

    def _done(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.result_ = result
        self.confirmed.emit(result)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(refusal_text(exc))
        self.password.setFocus()


def submit_with_reason(
    context: ShellContext,
    owner: QWidget,
    call: SavingCall,
    done: Callable[[Any], None],
    failed: Callable[[str], None],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> None:
    """Run a saving service call on the worker; when it changes saved data the user is asked for
    the reason (21 CFR 11), when it has values outside their soft range a confirmation comment
    for each (ui.ward.soft_range), and the call is made again with them. Refusals, and a
    cancelled question (nothing saved), reach `failed` in words."""
    from app.services.errors import ReasonRequired
    from ui.ward import form_widget
    from ui.ward.soft_range import confirm_soft_values, item_labels, validation_problems

    study, language = context.workspace.require_study(), context.language.language
    comments = dict(confirmations or {})

    def on_failed(exc: Exception) -> None:
        if isinstance(exc, ReasonRequired) and reason is None:
            given = form_widget.ask_reason(owner)
            if given is None:
                failed(_t("Not saved: a reason for the change is needed."))
                return
            submit_with_reason(context, owner, call, done, failed, given, comments)
            return
        problems = validation_problems(exc)
        if problems:
            answer = confirm_soft_values(owner, problems, item_labels(study, language))
            if answer.comments is None:
                failed(answer.message)
                return
            confirmed = {**comments, **answer.comments}
            submit_with_reason(context, owner, call, done, failed, reason, confirmed)
            return
        failed(error_text(exc))

    context.runner.submit(
        lambda: call(reason, comments),
        done,
        on_failed,
        owner=owner,
        changes=(FORMS, SUBJECTS, AUDIT),
    )
