"""StageStepperWidget and StagePage: the treatment stages with their status and blocking reasons.

The stepper shows app.services.stage_facts.stage_view: each main-path stage as a box with a mark,
its status in words and, when a move is not allowed yet, the translated reasons (never colour
alone). StagePage is what the subject page shows for the subject's stage: the stepper and the stage's
screens as tabs (bedside verification is on the Day 0 infusion screen).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.form_registry import FormRef, stage_bodies
from ui.labels import stage_name
from ui.messages import error_text
from ui.ward.codes import code_text, step_status_text
from ui.worker import FORMS, SUBJECTS

MARKS = {
    "done": "✓",
    "current": "●",
    "available": "→",
    "blocked": "✗",
    "future": "○",
    "skipped": "–",
}
COLOURS = {"done": "#e3f1e6", "current": "#d6e4f5", "blocked": "#f8e1e1", "available": "#fff3cd"}


def _t(text: str) -> str:
    return QCoreApplication.translate("StagePage", text)


def step_text(step: Any) -> str:
    """The stage name, its status in words and the reasons it is not allowed yet."""
    text = f"{MARKS.get(step.status, '')} {stage_name(step.stage)}\n{step_status_text(step.status)}"
    if step.reasons:
        text += "\n" + "\n".join("· " + code_text(r) for r in step.reasons)
    return text


class StageStepperWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(4)
        self.boxes: list[QLabel] = []

    def set_view(self, view: Any) -> None:
        for box in self.boxes:
            box.deleteLater()
        self.boxes = []
        for step in view.steps:
            box = QLabel(step_text(step))
            box.setObjectName(f"step:{step.stage}")
            box.setWordWrap(True)
            box.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            box.setFrameShape(QFrame.Shape.StyledPanel)
            colour = COLOURS.get(step.status, "#f4f4f4")
            weight = "bold" if step.status == "current" else "normal"
            box.setStyleSheet(f"background: {colour}; padding: 4px; font-weight: {weight};")
            # A stage with reasons gets the room to say them without a tall, narrow column.
            if step.reasons:
                box.setMinimumWidth(box.fontMetrics().averageCharWidth() * 20)
            self.row.addWidget(box, 1)
            self.boxes.append(box)


def _after_paint() -> None:
    """The worker job of StagePage's deferred front tab (a round trip, no service call)."""


class StagePage(QWidget):
    """Registered for every stage (ui.ward.register).

    Opened by the subject page, it is given the stepper's `view` read with the subject's overview
    (app.services.subject_view) and fed the fresh one on every reload of that page (show_view);
    on its own it reads and reloads the view itself. The tab in front is built after the page
    has been shown (it says "Loading…" meanwhile), so the stepper and the subject's tree of forms
    appear before the front screen's widgets are built and its data is read.
    """

    takes_view = True  # the subject page passes the view it read (ui.pages.subject_page)

    def __init__(
        self,
        context: ShellContext,
        ref: FormRef,
        parent: QWidget | None = None,
        view: Any = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        self.view: Any = None
        self.stepper = StageStepperWidget()
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stepper)
        layout.addWidget(self.message)
        # The stage's screens (ui.form_registry StageBody), one tab each, main task first. A tab's
        # screen is built when first shown, so opening a subject loads only the screen in front.
        # The tabs are in the page before any screen is built in them: a screen built elsewhere
        # and moved in is polished again by the app style sheet, widget by widget.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("stageTabs")
        self.bodies: dict[str, QWidget] = {}  # the screens built so far, by StageBody key
        self._body_defs = stage_bodies(ref.stage)
        self._holders: list[QWidget] = []
        if self._body_defs:
            layout.addWidget(self.tabs, 1)
        else:
            layout.addStretch(1)
        for body in self._body_defs:
            holder = QWidget()
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            self._holders.append(holder)
            self.tabs.addTab(holder, body.title())
        self.loading: QLabel | None = None
        self._painted = self._retried = False
        self.body: QWidget | None = None
        if self._body_defs:
            self.loading = QLabel(_t("Loading…"))
            self.loading.setObjectName("hint")
            self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            front = self._holders[0].layout()
            assert front is not None
            front.addWidget(self.loading)
            self._front_turn(first=True)
        self.tabs.currentChanged.connect(self._build_tab)
        if view is None:
            context.runner.changed.connect(self._on_changed)
            self.reload()
        else:
            self._loaded(view)

    def _front_turn(self, first: bool = False) -> None:
        """The front tab is built on the GUI thread's turn after the page was painted: a round
        trip through the worker (the runner counts it as pending, so waiting for the runner
        includes the tab). An answer that came back before the page was even shown was queued
        ahead of its paint: one more round trip then."""
        if first or (self.isVisible() and not self._painted and not self._retried):
            self._retried = not first
            self.context.runner.submit(_after_paint, lambda _: self._front_turn(), owner=self)
            return
        self._build_tab(self.tabs.currentIndex())

    def paintEvent(self, event: QPaintEvent) -> None:
        self._painted = True
        super().paintEvent(event)

    def _build_tab(self, index: int) -> QWidget | None:
        if not 0 <= index < len(self._body_defs):
            return None
        body = self._body_defs[index]
        widget = self.bodies.get(body.key)
        if widget is None:
            if index == 0 and self.loading is not None:
                self.loading.hide()
                self.loading.deleteLater()
                self.loading = None
            holder = self._holders[index]
            widget = body.factory(self.context, self.ref, holder)
            self.bodies[body.key] = widget
            holder_layout = holder.layout()
            assert holder_layout is not None
            holder_layout.addWidget(widget)
            if index == 0:
                self.body = widget  # the stage's main screen
        return widget

    def show_view(self, view: Any) -> None:
        """The stepper's view read by the subject page (which reloads it on every change)."""
        self._loaded(view)

    def select_body(self, key: str) -> bool:
        """Bring the stage screen `key` to the front; False if this stage has no such screen."""
        keys = [b.key for b in self._body_defs]
        if key not in keys:
            return False
        self.tabs.setCurrentIndex(keys.index(key))
        self._build_tab(keys.index(key))
        return True

    def confirm_discard(self) -> bool:
        """True when no stage screen holds unsaved edits, or the user chose to discard them."""
        for body in self.bodies.values():
            own = getattr(body, "confirm_discard", None)
            if callable(own):
                if not own():
                    return False
                continue
            for child in body.findChildren(QWidget):  # e.g. a generated form inside the screen
                inner = getattr(child, "confirm_discard", None)
                if callable(inner) and not inner():
                    return False
        return True

    def current_body(self) -> QWidget | None:
        """The screen of the tab in front."""
        return self._build_tab(self.tabs.currentIndex())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            for index, body in enumerate(self._body_defs):
                self.tabs.setTabText(index, body.title())
            if self.loading is not None:
                self.loading.setText(_t("Loading…"))
            if self.view is not None:
                self._loaded(self.view)
        super().changeEvent(event)

    def _on_changed(self, topic: str) -> None:
        if topic in (SUBJECTS, FORMS):
            self.reload()

    def reload(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key

        def fetch() -> Any:
            from app.services.stage_facts import stage_view

            return stage_view(ws, session, key)

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, view: Any) -> None:
        self.view = view
        self.stepper.set_view(view)
        day = "" if view.study_day is None else _t("Day %1").replace("%1", f"{view.study_day:+d}")
        self.message.setText(f"{stage_name(view.stage)} {day}".strip())

    def _failed(self, exc: Exception) -> None:
        self.message.setText(error_text(exc))
