"""Site set-up end to end: entries, database created by the service, recovery code typed back."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from tests.ui.conftest import ADMIN_PASSWORD, wait_for
from ui.setup_wizard import SetupWizard, last_group


def test_last_group_of_a_grouped_code():
    assert last_group("ABCD-EFGH-1234") == "1234"
    assert last_group(" abcd efgh  9XYZ ") == "9XYZ"
    assert last_group("") == ""


def test_wizard_creates_the_site_and_demands_the_last_group(
    qtbot, runner, language, db_path, clock
):
    wizard = SetupWizard(runner, db_path, clock)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)

    site = wizard.site_page
    assert not site.isComplete()
    qtbot.keyClicks(site.site_code, "fd")
    assert site.site_code.text() == "FD"  # upper-cased as typed
    qtbot.keyClicks(site.site_name, "Children's Hospital of Fudan University")
    assert site.isComplete()
    next_button.click()

    admin = wizard.admin_page
    assert wizard.currentPage() is admin
    qtbot.keyClicks(admin.full_name, "Ada Admin")
    qtbot.keyClicks(admin.username, "admin")
    qtbot.keyClicks(admin.passwords.password, "password")
    assert "common passwords" in admin.passwords.feedback.text()
    assert not admin.isComplete()
    admin.passwords.password.setText(ADMIN_PASSWORD)
    admin.passwords.confirm.setText(ADMIN_PASSWORD)
    assert admin.isComplete()

    with qtbot.waitSignal(wizard.currentIdChanged, timeout=20_000):
        next_button.click()  # -> creating page, which starts setup_site on the worker
    wait_for(qtbot, runner)

    recovery = wizard.recovery_page
    assert wizard.currentPage() is recovery
    assert db_path.is_file()
    code = wizard.creating_page.result.recovery_code
    assert recovery.code_label.text() == code
    assert "paper" in recovery.instruction.text()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()

    recovery.confirm.setText("WRONG")
    assert not finish.isEnabled()
    recovery.confirm.setText(last_group(code).lower())
    assert finish.isEnabled()

    with qtbot.waitSignal(wizard.site_created) as created:
        finish.click()
    workspace = created.args[0].workspace
    try:
        from app.services.auth import login

        assert login(workspace, "admin", ADMIN_PASSWORD).username == "admin"
    finally:
        workspace.close()


def test_wizard_reports_a_failed_creation_and_lets_the_user_go_back(
    qtbot, runner, language, db_path, clock
):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"not a database")  # setup_site refuses: a database already exists
    wizard = SetupWizard(runner, db_path, clock)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.site_page.site_code.setText("FD")
    wizard.site_page.site_name.setText("Fudan")
    wizard.next()
    wizard.admin_page.full_name.setText("Ada Admin")
    wizard.admin_page.username.setText("admin")
    wizard.admin_page.passwords.password.setText(ADMIN_PASSWORD)
    wizard.admin_page.passwords.confirm.setText(ADMIN_PASSWORD)
    wizard.next()
    wait_for(qtbot, runner)

    assert wizard.currentPage() is wizard.creating_page
    assert "already exists" in wizard.creating_page.status.text()
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert db_path.read_bytes() == b"not a database"
