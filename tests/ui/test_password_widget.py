"""Live password feedback: the site policy's verdict in words, before anything is submitted."""

from __future__ import annotations

from ui.password_widget import PasswordPairWidget, default_policy


def test_feedback_follows_typing(qtbot):
    widget = PasswordPairWidget(default_policy(lambda: "nina"), min_length=15)
    qtbot.addWidget(widget)

    widget.password.setText("short")
    assert "at least 15 characters" in widget.feedback.text()
    assert not widget.valid

    widget.password.setText("password")
    assert "common passwords" in widget.feedback.text()

    widget.password.setText("nina likes long walks by the river")
    assert "must not contain the username" in widget.feedback.text()

    widget.password.setText("quiet ward lantern morning tea")
    assert "not the same" in widget.feedback.text()
    assert not widget.valid

    with qtbot.waitSignal(widget.validity_changed) as blocker:
        widget.confirm.setText("quiet ward lantern morning tea")
    assert blocker.args == [True]
    assert widget.feedback.text() == "This password can be used."
