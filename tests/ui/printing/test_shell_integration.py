"""The shell shows the printing and data-center entry points without any extra call."""

from __future__ import annotations

from tests.ui.conftest import wait_for
from tests.ui.printing.conftest import Ward
from ui.main_window import MainWindow
from ui.printing.install import PrintActions, RecoveryPrint
from ui.scan_back import ScanBack
from ui.setup_wizard import SetupWizard
from ui.sync_page import SyncPage


def _window(qtbot, runner, context) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    wait_for(qtbot, runner)
    return window


def _navigation(window: MainWindow) -> list[str]:
    return [window.navigation.item(i).text() for i in range(window.navigation.count())]


def test_main_window_has_scan_back_printing_and_the_data_center(
    qtbot, runner, ward: Ward, make_context
) -> None:
    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("investigator")))

    assert window.findChild(ScanBack) is not None
    actions = window.findChild(PrintActions)
    assert actions is not None and actions.tasks_action in window.file_menu.actions()
    assert "Data center" in _navigation(window)
    window.show_page(window.sync_page)
    wait_for(qtbot, runner)
    assert isinstance(window.stack.currentWidget(), SyncPage)
    assert window.sync_page.last_export.text() == "no package exported yet"


def test_nurses_have_no_data_center_page(qtbot, runner, ward: Ward, make_context) -> None:
    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("nurse")))
    assert "Data center" not in _navigation(window)


def test_setup_wizard_offers_the_recovery_sheet(qtbot, runner, language, db_path, clock) -> None:
    wizard = SetupWizard(runner, db_path, clock)
    qtbot.addWidget(wizard)
    assert wizard.findChild(RecoveryPrint) is not None
