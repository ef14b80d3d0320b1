"""The start-up flow: set-up wizard without a database, recovery code without a key, then login,
main window, log out back to the login window. Real services, real SQLCipher files."""

from __future__ import annotations

from typing import Any

import keyring
import pytest
import shiboken6
from keyring.backend import KeyringBackend

from tests.ui.conftest import ADMIN_PASSWORD, wait_for
from ui.application import Shell
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.setup_wizard import SetupWizard
from ui.unlock_dialog import UnlockDialog


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Any:
    from db.keys import allow_backend_for_tests

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    allow_backend_for_tests(MemoryKeyring)
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def shell(qapp, runner, language, db_path, clock) -> Any:
    shell = Shell(qapp, db_path, clock, language, runner)
    yield shell
    if shell.window is not None:
        shell.window.blockSignals(True)  # closing must not quit the test's QApplication
        shell.window.close()
    runner.shutdown()  # let the logout of a closed window finish before the file closes
    if shell.workspace is not None:
        shell.workspace.close()


def _login(qtbot, runner, dialog: LoginDialog) -> None:
    dialog.username.setText("admin")
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.login_button.click()
    wait_for(qtbot, runner)


def test_without_a_database_the_setup_wizard_opens(qtbot, shell, db_path):
    shell.start()
    assert isinstance(shell.window, SetupWizard)
    assert not db_path.exists()


def test_recovery_code_opens_when_the_keyring_has_no_key(
    qtbot, runner, memory_keyring, shell, site
):
    memory_keyring.secrets.clear()  # as on another workstation
    site.workspace.close()
    shell.start()
    wait_for(qtbot, runner)
    dialog = shell.window
    assert isinstance(dialog, UnlockDialog)

    dialog.code.setText("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF")
    dialog.open_button.click()
    wait_for(qtbot, runner)
    assert shell.window is dialog
    assert dialog.message.text().startswith("The recovery code does not open this database")

    dialog.code.setText(site.recovery_code.lower())
    assert dialog.remember.isChecked()
    dialog.open_button.click()
    wait_for(qtbot, runner)
    assert isinstance(shell.window, LoginDialog)
    assert memory_keyring.secrets  # remembered for the next start


def test_key_in_keyring_goes_to_login_then_window_then_logout(
    qtbot, runner, memory_keyring, shell, site
):
    assert site.keyring_stored
    site.workspace.close()
    shell.start()
    wait_for(qtbot, runner)
    assert isinstance(shell.window, LoginDialog)
    assert shell.window.site_label.text() == "FD · Fudan test site"

    _login(qtbot, runner, shell.window)
    window = shell.window
    assert isinstance(window, MainWindow)
    assert window.context.session.username == "admin"

    window.logout_action.trigger()
    wait_for(qtbot, runner)
    assert isinstance(shell.window, LoginDialog)
    assert not shiboken6.isValid(window) or not window.isVisible()


def test_site_language_applies_until_the_workstation_picks_one(
    qtbot, runner, memory_keyring, shell, site, admin
):
    from app.services.settings import update_settings

    update_settings(site.workspace, admin, language="zh_CN")
    site.workspace.close()
    shell.start()
    wait_for(qtbot, runner)

    assert isinstance(shell.window, LoginDialog)
    assert shell.window.title.text() == "登录 SeqTx"
