"""Page: the common base of main-window pages (title, retranslate on language change, reload)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.context import ShellContext


class Page(QWidget):
    """A page owns a title label, reloads when one of its `topics` changes, retranslates itself."""

    topics: tuple[str, ...] = ()

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 12, 16, 12)
        self.layout_.addWidget(self.title)
        context.runner.changed.connect(self._on_changed)

    def _on_changed(self, topic: str) -> None:
        if topic in self.topics:
            self.reload()

    def reload(self) -> None:
        """Fetch fresh data through the worker (pages that show data override this)."""

    def retranslate(self) -> None:
        """Re-set every visible text (pages override this and call it from __init__)."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
