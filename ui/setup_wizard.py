"""SetupWizard: creates the site's encrypted database and shows its recovery code exactly once.

Steps: site (code, name) -> first administrator (name, username, passphrase twice) -> creating (runs
app.services.site_setup.setup_site on the worker; a commit page: no way back once created) ->
recovery code (shown once; the user types its last group back before the wizard can finish).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.clock import Clock
from ui.messages import error_text
from ui.password_widget import PasswordPairWidget, PolicyCheck, default_policy
from ui.printing.install import install_recovery_print
from ui.worker import ServiceRunner

SITE_CODE_PATTERN = r"[A-Za-z0-9]{2,8}"  # shown upper-cased as typed
USERNAME_PATTERN = r"[A-Za-z0-9._-]{2,64}"


def last_group(recovery_code: str) -> str:
    """The last group of a code written in groups separated by hyphens or spaces."""
    groups = [g for g in re.split(r"[-\s]+", recovery_code.strip()) if g]
    return groups[-1] if groups else ""


def normalise_group(text: str) -> str:
    """Upper case, with the letters people confuse with digits read as the digits (Crockford)."""
    return text.strip().upper().translate(str.maketrans("ILO", "110"))


class _Page(QWizardPage):
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:  # pragma: no cover - overridden
        pass


class SitePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.site_code = QLineEdit()
        self.site_code.setObjectName("siteCode")
        self.site_code.setValidator(
            QRegularExpressionValidator(QRegularExpression(SITE_CODE_PATTERN))
        )
        self.site_code.textEdited.connect(lambda text: self.site_code.setText(text.upper()))
        self.site_name = QLineEdit()
        self.site_name.setObjectName("siteName")
        self.code_label, self.name_label = QLabel(), QLabel()
        self.code_label.setBuddy(self.site_code)
        self.name_label.setBuddy(self.site_name)
        layout = QFormLayout(self)
        layout.addRow(self.code_label, self.site_code)
        layout.addRow(self.name_label, self.site_name)
        self.site_code.textChanged.connect(self.completeChanged)
        self.site_name.textChanged.connect(self.completeChanged)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Site"))
        self.setSubTitle(
            self.tr("This workstation will keep the trial data of one site in an encrypted file.")
        )
        self.code_label.setText(self.tr("Site &code"))
        self.name_label.setText(self.tr("Site &name"))
        self.site_code.setPlaceholderText(self.tr("for example FD"))

    def isComplete(self) -> bool:
        return self.site_code.hasAcceptableInput() and bool(self.site_name.text().strip())


class AdministratorPage(_Page):
    def __init__(self, policy: PolicyCheck | None) -> None:
        super().__init__()
        self.full_name = QLineEdit()
        self.full_name.setObjectName("adminFullName")
        self.username = QLineEdit()
        self.username.setObjectName("adminUsername")
        self.username.setValidator(
            QRegularExpressionValidator(QRegularExpression(USERNAME_PATTERN))
        )
        self.name_label, self.username_label = QLabel(), QLabel()
        self.name_label.setBuddy(self.full_name)
        self.username_label.setBuddy(self.username)
        form = QFormLayout(self)
        form.addRow(self.name_label, self.full_name)
        form.addRow(self.username_label, self.username)
        self.passwords = PasswordPairWidget(
            policy or default_policy(lambda: self.username.text()), parent=self, form=form
        )
        self.full_name.returnPressed.connect(self.username.setFocus)
        self.username.returnPressed.connect(self.passwords.password.setFocus)
        for signal in (self.full_name.textChanged, self.username.textChanged):
            signal.connect(self.completeChanged)
        self.username.textChanged.connect(self.passwords.revalidate)
        self.passwords.validity_changed.connect(self.completeChanged)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("First administrator"))
        self.setSubTitle(
            self.tr(
                "The administrator manages the staff accounts of this site. "
                "Choose a long passphrase that you do not use anywhere else."
            )
        )
        self.name_label.setText(self.tr("Full &name"))
        self.username_label.setText(self.tr("&Username"))

    def isComplete(self) -> bool:
        return (
            bool(self.full_name.text().strip())
            and self.username.hasAcceptableInput()
            and self.passwords.valid
        )


class CreatingPage(_Page):
    """Runs setup_site on the worker when entered; complete once the database exists."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.result: Any = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        self.setCommitPage(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Creating the database"))
        if self.result is None and self.status.objectName() != "error":
            self.status.setText(self.tr("Creating the encrypted database. Please wait…"))

    def initializePage(self) -> None:
        if self.result is None:
            self.status.setObjectName("")
            self.retranslate()
            self._wizard.create_site(self._created, self._failed)

    def _created(self, result: Any) -> None:
        self.result = result
        self.status.setText(self.tr("The database has been created."))
        self.completeChanged.emit()
        self._wizard.next()

    def _failed(self, exc: Exception) -> None:
        self.status.setObjectName("error")
        self.status.setText(
            error_text(exc) + "\n" + self.tr("Go back to correct the entries and try again.")
        )
        self.setCommitPage(False)
        self._wizard.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def isComplete(self) -> bool:
        return self.result is not None


class RecoveryCodePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.code = ""
        self.keyring_stored = True
        self.keyring_note = QLabel()
        self.keyring_note.setObjectName("banner")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.hide()
        self.instruction = QLabel()
        self.instruction.setWordWrap(True)
        self.code_label = QLabel()
        self.code_label.setObjectName("recoveryCode")
        self.confirm_prompt = QLabel()
        self.confirm = QLineEdit()
        self.confirm.setObjectName("recoveryConfirm")
        self.confirm_prompt.setBuddy(self.confirm)
        self.confirm.textChanged.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.instruction)
        layout.addWidget(self.code_label)
        layout.addWidget(self.confirm_prompt)
        layout.addWidget(self.confirm)
        layout.addWidget(self.keyring_note)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Recovery code"))
        self.keyring_note.setText(
            self.tr(
                "No secure keyring is available on this workstation, so the key was not stored "
                "here. SeqTx will ask for this recovery code each time it starts."
            )
        )
        self.instruction.setText(
            self.tr(
                "Write this recovery code on paper now and keep the paper in a safe place "
                "(for example the ward's locked cabinet). It is shown only this once. Without it, "
                "the data cannot be opened on another workstation or after a keyring is lost."
            )
        )
        self.confirm_prompt.setText(
            self.tr("To confirm you wrote it down, type the &last group of the code:")
        )

    def initializePage(self) -> None:
        self.code_label.setText(self.code)
        self.keyring_note.setVisible(not self.keyring_stored)
        self.confirm.setFocus()

    def isComplete(self) -> bool:
        typed = normalise_group(self.confirm.text())
        return bool(self.code) and typed == normalise_group(last_group(self.code))


class SetupWizard(QWizard):
    """Emits `site_created(result)` when the database exists and the code was confirmed."""

    site_created = Signal(object)

    def __init__(
        self,
        runner: ServiceRunner,
        db_path: Path,
        clock: Clock,
        policy: PolicyCheck | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db_path = db_path
        self._clock = clock
        self.setObjectName("setupWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.site_page = SitePage()
        self.admin_page = AdministratorPage(policy)
        self.creating_page = CreatingPage(self)
        self.recovery_page = RecoveryCodePage()
        for page in (self.site_page, self.admin_page, self.creating_page, self.recovery_page):
            self.addPage(page)
        self.setMinimumSize(640, 480)
        install_recovery_print(self)  # "Print recovery sheet…" on the recovery page
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("SeqTx: set up this site"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def create_site(self, on_success: Any, on_failure: Any) -> None:
        path = self._db_path
        clock = self._clock
        site_code = self.site_page.site_code.text().strip()
        site_name = self.site_page.site_name.text().strip()
        username = self.admin_page.username.text().strip()
        full_name = self.admin_page.full_name.text().strip()
        password = self.admin_page.passwords.text()

        def setup() -> Any:
            from app.services.site_setup import setup_site

            path.parent.mkdir(parents=True, exist_ok=True)
            return setup_site(path, site_code, site_name, username, full_name, password, clock)

        def created(result: Any) -> None:
            self.recovery_page.code = str(result.recovery_code)
            self.recovery_page.keyring_stored = bool(getattr(result, "keyring_stored", True))
            on_success(result)

        self._runner.submit(setup, created, on_failure, owner=self)

    def accept(self) -> None:
        result = self.creating_page.result
        # The password leaves the widgets as soon as it is no longer needed.
        self.admin_page.passwords.clear()
        super().accept()
        if result is not None:
            self.site_created.emit(result)
