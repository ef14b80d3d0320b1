"""Login: success, a clear message on failure, the account locked after five failures."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import ADMIN_PASSWORD, wait_for
from ui.login_dialog import LoginDialog


def _dialog(qtbot, runner, language, site):
    dialog = LoginDialog(runner, site.workspace, language)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _try(qtbot, runner, dialog, username, password):
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    wait_for(qtbot, runner)


def test_login_succeeds_with_keyboard_only(qtbot, runner, language, site):
    dialog = _dialog(qtbot, runner, language, site)
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)  # Enter moves on, does not submit
    assert dialog.focusWidget() is dialog.password
    assert runner.pending == 0

    with qtbot.waitSignal(dialog.logged_in, timeout=20_000) as blocker:
        qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert blocker.args[0].username == "admin"
    assert dialog.password.text() == ""


def test_wrong_password_gives_a_clear_message(qtbot, runner, language, site):
    dialog = _dialog(qtbot, runner, language, site)
    _try(qtbot, runner, dialog, "admin", "not the password at all")

    assert dialog.message.text() == "The username or password is not correct. Please try again."
    assert dialog.isVisible()
    assert dialog.password.text() == ""
    _try(qtbot, runner, dialog, "nobody", "whatever it is")
    assert dialog.message.text() == "The username or password is not correct. Please try again."


def test_empty_fields_are_asked_for_without_a_service_call(qtbot, runner, language, site):
    dialog = _dialog(qtbot, runner, language, site)
    dialog.submit()
    assert dialog.message.text() == "Enter your username and password."
    assert runner.pending == 0


def test_five_failures_lock_the_account(qtbot, runner, language, site):
    dialog = _dialog(qtbot, runner, language, site)
    for _ in range(5):
        _try(qtbot, runner, dialog, "admin", "a wrong guess of a password")

    _try(qtbot, runner, dialog, "admin", ADMIN_PASSWORD)

    assert "locked" in dialog.message.text()
    assert "administrator" in dialog.message.text()
    assert dialog.isVisible()
