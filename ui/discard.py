"""The one question asked before unsaved edits are dropped (leaving a screen, closing it, another
subject): Discard or Cancel, with Cancel the default so Enter never loses typed data."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_discard(parent: QWidget, title: str, question: str) -> bool:
    """True when the user chose to discard the unsaved edits `question` describes."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard
