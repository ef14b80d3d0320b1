"""Switching the language at run time changes what is on screen, Qt's own buttons included."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from ui.i18n import CHINESE, ENGLISH
from ui.login_dialog import LoginDialog


def test_login_dialog_switches_to_chinese_and_back(qtbot, runner, language):
    dialog = LoginDialog(runner, workspace=None, language=language)
    qtbot.addWidget(dialog)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert dialog.title.text() == "Log in to SeqTx"
    assert cancel.text() == "Cancel"

    language.switch(CHINESE, remember=False)

    assert dialog.title.text() == "登录 SeqTx"
    assert dialog.username_label.text() == "用户名(&U)"
    assert dialog.windowTitle() == "SeqTx：登录"
    assert cancel.text() == "取消"  # from Qt's own qtbase_zh_CN

    language.switch(ENGLISH, remember=False)

    assert dialog.title.text() == "Log in to SeqTx"
    assert cancel.text() == "Cancel"


def test_language_picked_on_login_dialog_is_remembered(qtbot, runner, language):
    from ui.i18n import default_language

    dialog = LoginDialog(runner, workspace=None, language=language)
    qtbot.addWidget(dialog)
    dialog.language_box.setCurrentIndex(1)

    assert language.language == CHINESE
    assert dialog.title.text() == "登录 SeqTx"
    assert default_language() == CHINESE  # the next start opens in Chinese


def test_wizard_password_rows_follow_the_language(qtbot, runner, language, db_path, clock):
    from ui.setup_wizard import SetupWizard

    wizard = SetupWizard(runner, db_path, clock)
    qtbot.addWidget(wizard)
    wizard.admin_page.passwords.password.setText("short")
    language.switch(CHINESE, remember=False)

    assert wizard.admin_page.passwords.password_label.text() == "新密码(&P)"
    assert wizard.admin_page.passwords.feedback.text() == "密码至少需要 15 个字符。"
    assert wizard.windowTitle() == "SeqTx：设置本中心"
