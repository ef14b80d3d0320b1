"""The main window of one session: pages by role, lock and idle lock, log out, language switch."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import ADMIN_PASSWORD, NURSE_PASSWORD, wait_for
from ui.i18n import CHINESE, ENGLISH
from ui.main_window import MainWindow


def _window(qtbot, runner, context):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    wait_for(qtbot, runner)
    return window


def _nurse(site, admin):
    from app.services.auth import login
    from app.services.permissions import Role
    from app.services.users import create_user

    create_user(site.workspace, admin, "nina", "Nina Nurse", Role.NURSE, NURSE_PASSWORD)
    return login(site.workspace, "nina", NURSE_PASSWORD)


def nav_texts(window):
    return [window.navigation.item(i).text() for i in range(window.navigation.count())]


def test_administrator_sees_user_administration_nurse_does_not(
    qtbot, runner, site, admin, make_context
):
    admin_window = _window(qtbot, runner, make_context(site.workspace, admin))
    nurse_window = _window(qtbot, runner, make_context(site.workspace, _nurse(site, admin)))

    assert "Users" in nav_texts(admin_window)
    assert "Users" not in nav_texts(nurse_window)
    assert "Nina Nurse" in nurse_window.user_label.text()


def test_ctrl_l_hides_data_until_the_same_user_reenters_the_password(
    qtbot, runner, site, admin, make_context
):
    window = _window(qtbot, runner, make_context(site.workspace, admin))
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert window.is_locked
    assert not window.stack.isVisible()  # no page, no data on screen
    lock = window.lock_widget
    lock.password.setText("not my password")
    lock.submit()
    wait_for(qtbot, runner)
    assert window.is_locked
    assert lock.message.text() == "The password is not correct."

    lock.password.setText(ADMIN_PASSWORD)
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    wait_for(qtbot, runner)
    assert not window.is_locked
    assert window.stack.isVisible()


def test_idle_timeout_locks(qtbot, runner, site, admin, make_context, clock):
    window = _window(qtbot, runner, make_context(site.workspace, admin))
    assert window.idle.timeout_minutes == 15  # from the site settings

    clock.advance(timedelta(minutes=14))
    window.check_idle()
    assert not window.is_locked
    clock.advance(timedelta(minutes=1))
    window.check_idle()
    assert window.is_locked


def test_another_user_may_log_in_from_the_lock_screen(qtbot, runner, site, admin, make_context):
    window = _window(qtbot, runner, make_context(site.workspace, admin))
    window.lock()
    with qtbot.waitSignal(window.switch_user_requested, timeout=20_000):
        window.lock_widget.switch_button.click()
    rows = _audit_actions(site, admin)
    assert rows[0] == "logout"


def test_log_out_records_the_logout(qtbot, runner, site, admin, make_context):
    window = _window(qtbot, runner, make_context(site.workspace, admin))
    with qtbot.waitSignal(window.logged_out, timeout=20_000):
        window.logout_action.trigger()
    assert _audit_actions(site, admin)[0] == "logout"


def test_language_switch_changes_visible_texts_and_back(
    qtbot, runner, site, admin, make_context, language
):
    window = _window(qtbot, runner, make_context(site.workspace, admin))
    settings = window.settings_page
    window.show_page(settings)

    settings.language.setCurrentIndex(1)
    assert language.language == CHINESE
    assert nav_texts(window)[0] == "受试者"
    assert window.file_menu.title() == "文件(&F)"
    assert window.subject_list.model.headerData(0, Qt.Orientation.Horizontal) == "受试者编号"
    assert settings.title.text() == "设置"

    settings.language.setCurrentIndex(0)
    assert language.language == ENGLISH
    assert nav_texts(window)[0] == "Subjects"
    assert settings.title.text() == "Settings"


def test_idle_timeout_setting_is_saved_and_applied(qtbot, runner, site, admin, make_context):
    window = _window(qtbot, runner, make_context(site.workspace, admin))
    settings = window.settings_page
    window.show_page(settings)
    wait_for(qtbot, runner)
    settings.idle.setValue(5)
    settings.save_button.click()
    wait_for(qtbot, runner)

    assert settings.status.text() == "Saved."
    assert window.idle.timeout_minutes == 5


def _audit_actions(site, admin):
    from app.services.audit_trail import audit_rows

    return [row.action for row in audit_rows(site.workspace, admin, "")]  # newest first


def test_clock_earlier_than_the_last_audit_row_shows_a_banner(
    qtbot, runner, site, admin, make_context, clock
):
    clock.advance(timedelta(days=-1))  # someone set the workstation clock back
    window = _window(qtbot, runner, make_context(site.workspace, admin))

    assert window.banner.isVisibleTo(window)
    assert "clock is earlier than the last recorded action" in window.banner.text()


def test_no_banner_when_the_clock_is_sane(qtbot, runner, site, admin, make_context):
    window = _window(qtbot, runner, make_context(site.workspace, admin))
    assert not window.banner.isVisibleTo(window)


def test_about_shows_version_database_and_sqlcipher(
    qtbot, runner, site, admin, make_context, db_path
):
    from app import __version__
    from ui.about_dialog import AboutDialog

    dialog = AboutDialog(make_context(site.workspace, admin))
    qtbot.addWidget(dialog)
    wait_for(qtbot, runner)

    assert dialog.version.text() == __version__
    assert dialog.path.text() == str(db_path)
    assert dialog.sqlcipher.text()[0].isdigit()  # e.g. "4.6.1 community"
    assert dialog.site.text() == "FD · Fudan test site"


def test_lock_cancels_an_open_dialog_so_nothing_stays_on_screen(
    qtbot, runner, site, admin, make_context
):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QInputDialog

    window = _window(qtbot, runner, make_context(site.workspace, admin))
    dialog = QInputDialog(window)
    dialog.setLabelText("Reason for change")
    QTimer.singleShot(0, window.lock)  # the idle lock fires while the dialog waits for input
    guard = QTimer(dialog)  # never hang the suite; dies with the dialog
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: dialog.done(7))
    guard.start(5_000)
    result = dialog.exec()

    assert result == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert window.is_locked
