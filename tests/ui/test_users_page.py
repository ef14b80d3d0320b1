"""User administration: create a nurse (modal dialog patched), deactivate, reset, role, unlock."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from tests.ui.conftest import ADMIN_PASSWORD, NURSE_PASSWORD, wait_for
from ui.pages.user_dialogs import CreateUserDialog, NewPasswordDialog
from ui.pages.users_page import UsersPage


def _page(qtbot, runner, context):
    page = UsersPage(context)
    qtbot.addWidget(page)
    page.show()
    page.reload()
    wait_for(qtbot, runner)
    return page


def _select(page, username):
    for row in range(page.model.rowCount()):
        if page.model.row_at(row).username == username:
            page.table.selectRow(row)
            return
    raise AssertionError(username)


def _create_nurse(qtbot, runner, page, monkeypatch):
    def fill_and_accept(dialog: CreateUserDialog) -> int:
        dialog.full_name.setText("Nina Nurse")
        dialog.username.setText("nina")
        dialog.role.setCurrentIndex(dialog.role.findData("nurse"))
        dialog.passwords.password.setText(NURSE_PASSWORD)
        dialog.passwords.confirm.setText(NURSE_PASSWORD)
        assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CreateUserDialog, "exec", fill_and_accept)
    page.create_button.click()
    wait_for(qtbot, runner)


def test_create_a_nurse(qtbot, runner, site, admin, make_context, monkeypatch):
    page = _page(qtbot, runner, make_context(site.workspace, admin))
    _create_nurse(qtbot, runner, page, monkeypatch)

    assert page.status.text() == "User nina was created."
    rows = {
        page.model.row_at(r).username: page.model.row_at(r) for r in range(page.model.rowCount())
    }
    assert str(rows["nina"].role) == "nurse"
    from app.services.auth import login

    assert login(site.workspace, "nina", NURSE_PASSWORD).full_name == "Nina Nurse"


def test_create_dialog_refuses_a_weak_password(qtbot):
    dialog = CreateUserDialog(min_length=15)
    qtbot.addWidget(dialog)
    dialog.full_name.setText("Nina Nurse")
    dialog.username.setText("nina")
    dialog.passwords.password.setText("nina2026")
    dialog.passwords.confirm.setText("nina2026")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert "at least 15" in dialog.passwords.feedback.text()


def test_deactivate_role_reset_and_unlock(qtbot, runner, site, admin, make_context, monkeypatch):
    from app.services.auth import login
    from app.services.errors import AccountInactive, AccountLocked, LoginFailed

    page = _page(qtbot, runner, make_context(site.workspace, admin))
    _create_nurse(qtbot, runner, page, monkeypatch)

    # five failures lock nina; the page shows it and Unlock clears it
    for _ in range(5):
        with pytest.raises((LoginFailed, AccountLocked)):
            login(site.workspace, "nina", "wrong wrong wrong wrong")
    page.reload()
    wait_for(qtbot, runner)
    _select(page, "nina")
    assert page.unlock_button.isEnabled()
    page.unlock_button.click()
    wait_for(qtbot, runner)
    assert page.status.text() == "User nina was unlocked."
    assert not page.unlock_button.isEnabled()

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Physician", True))
    page.role_button.click()
    wait_for(qtbot, runner)
    _select(page, "nina")
    assert page.model.data(page.table.currentIndex().siblingAtColumn(2)) == "Physician"

    new_password = "lantern river orchid tuesday"

    def set_password(dialog: NewPasswordDialog) -> int:
        dialog.passwords.password.setText(new_password)
        dialog.passwords.confirm.setText(new_password)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewPasswordDialog, "exec", set_password)
    page.reset_button.click()
    wait_for(qtbot, runner)
    assert login(site.workspace, "nina", new_password).username == "nina"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _select(page, "nina")
    page.deactivate_button.click()
    wait_for(qtbot, runner)
    assert page.status.text() == "User nina was deactivated."
    with pytest.raises(AccountInactive):
        login(site.workspace, "nina", new_password)


def test_last_administrator_cannot_be_deactivated(
    qtbot, runner, site, admin, make_context, monkeypatch
):
    page = _page(qtbot, runner, make_context(site.workspace, admin))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _select(page, "admin")
    page.deactivate_button.click()
    wait_for(qtbot, runner)
    assert page.status.text() == "The last active administrator cannot be removed or demoted."
    from app.services.auth import login

    assert login(site.workspace, "admin", ADMIN_PASSWORD)
