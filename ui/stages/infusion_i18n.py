"""Retranslator: re-sets the texts of the infusion screen's widgets when the language changes.

Each text is registered with the function that translates it (a lambda around `_t("...")`, so the
catalogue scanner still sees the literal), and `apply()` runs them all again. Widgets deleted in
the meantime (the rows of a unit no longer thawed) are dropped instead of touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject

W = TypeVar("W", bound=QObject)


class Retranslator:
    def __init__(self) -> None:
        self._entries: list[tuple[QObject, Callable[[QObject, str], None], Callable[[], str]]] = []

    def add(self, widget: W, setter: Callable[[W, str], None], text: Callable[[], str]) -> W:
        """Set the text now and again on every apply(); returns the widget for chaining."""
        setter(widget, text())
        self._entries.append((widget, setter, text))  # type: ignore[arg-type]
        return widget

    def apply(self) -> None:
        self._entries = [e for e in self._entries if shiboken6.isValid(e[0])]
        for widget, setter, text in self._entries:
            setter(widget, text())
