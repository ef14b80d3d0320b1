"""The printing entry points in the shell: File menu, subject page buttons, setup wizard."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QWizard

from app.services import crf_print
from tests.ui.conftest import ADMIN_PASSWORD, wait_for
from tests.ui.printing.conftest import Ward, pdf_pages
from ui.main_window import MainWindow
from ui.printing.install import install_printing, install_recovery_print
from ui.scan_back import ScanBack
from ui.setup_wizard import SetupWizard


def _window(qtbot, runner, context) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    wait_for(qtbot, runner)
    return window


def _wait_ready(qtbot, runner, dialog) -> None:
    wait_for(qtbot, runner)
    wait_for(qtbot, runner)
    qtbot.addWidget(dialog)


def test_file_menu_prints_todays_blank_forms(qtbot, runner, ward: Ward, make_context) -> None:
    nurse = ward.login("nurse")
    window = _window(qtbot, runner, make_context(ward.workspace, nurse))
    actions = install_printing(window)
    assert install_printing(window) is actions and window.findChild(ScanBack) is not None

    assert actions.tasks_action in window.file_menu.actions()
    assert actions.tasks_action.text() == "Print &blank forms for today's tasks…"
    button = actions.tasks_button  # the same action on the worklist, the nurse's home screen
    assert window.worklist.isAncestorOf(button) and button.isVisibleTo(window.worklist)
    button.click()
    dialog = actions.preview
    assert dialog is not None
    _wait_ready(qtbot, runner, dialog)

    expected = crf_print.todays_blank_forms_pdf(ward.workspace, nurse).pages
    assert dialog.model.rowCount() == expected > 0
    assert any("FD-005" in page for page in pdf_pages(dialog.document.data))


def test_subject_page_prints_the_casebook_and_the_selected_visit(
    qtbot, runner, ward: Ward, make_context, tmp_path: Path
) -> None:
    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("investigator")))
    actions = install_printing(window)
    assert not actions.casebook_button.isEnabled()  # no subject open yet

    window.open_subject("FD-005")
    wait_for(qtbot, runner)
    assert actions.casebook_button.isEnabled()

    actions.casebook_button.click()
    dialog = actions.preview
    assert dialog is not None
    _wait_ready(qtbot, runner, dialog)
    pages = len(PdfReader(io.BytesIO(dialog.document.data)).pages)
    assert dialog.model.rowCount() == pages > 10
    assert dialog.document.file_name == "FD-005-casebook.pdf"
    dialog.grab().save(str(tmp_path / "casebook_preview.png"))

    tree = window.subject_page.tree
    day0 = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).childCount()  # an event, not the "Treatment stages" row
        and (
            "Day 0" in tree.topLevelItem(i).text(0)
            or "Cord blood infusion" in tree.topLevelItem(i).text(0)
        )
    )
    tree.setCurrentItem(day0)
    assert actions.visit_button.isEnabled()
    actions.visit_button.click()
    visit = actions.preview
    assert visit is not None and visit is not dialog
    _wait_ready(qtbot, runner, visit)
    assert visit.document.file_name.startswith("FD-005-SE.DAY0")
    assert all("FD-005" in page for page in pdf_pages(visit.document.data))


def test_roles_that_print_no_crfs_see_no_print_buttons(
    qtbot, runner, ward: Ward, make_context
) -> None:
    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("admin")))
    actions = install_printing(window)

    assert not actions.tasks_action.isEnabled()
    assert actions.casebook_button.isHidden() and actions.visit_button.isHidden()


def test_recovery_sheet_is_printed_from_the_wizard_and_not_saved(
    qtbot, runner, language, db_path, clock, tmp_path: Path
) -> None:
    wizard = SetupWizard(runner, db_path, clock)
    qtbot.addWidget(wizard)
    printing = install_recovery_print(wizard)
    assert install_recovery_print(wizard) is printing
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.keyClicks(wizard.site_page.site_code, "fd")
    qtbot.keyClicks(wizard.site_page.site_name, "Fudan Children's")
    next_button.click()
    admin = wizard.admin_page
    qtbot.keyClicks(admin.full_name, "Ada Admin")
    qtbot.keyClicks(admin.username, "admin")
    admin.passwords.password.setText(ADMIN_PASSWORD)
    admin.passwords.confirm.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(wizard.currentIdChanged, timeout=20_000):
        next_button.click()
    wait_for(qtbot, runner)
    assert wizard.currentPage() is wizard.recovery_page
    assert printing.button.isVisible() and printing.button.text() == "&Print recovery sheet…"

    printing.button.click()
    dialog = printing.preview
    assert dialog is not None
    _wait_ready(qtbot, runner, dialog)

    code = wizard.creating_page.result.recovery_code
    [page] = pdf_pages(dialog.document.data)
    assert code.replace(" ", "") in page
    assert wizard.creating_page.result.db_id in page and "Fudan" in page
    assert dialog.print_button.isEnabled() and dialog.save_button.isHidden()
    wizard.grab().save(str(tmp_path / "wizard_recovery.png"))
    dialog.grab().save(str(tmp_path / "recovery_preview.png"))
    wizard.creating_page.result.workspace.close()
