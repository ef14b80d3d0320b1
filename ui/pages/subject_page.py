"""SubjectPage: one subject's stage and its events and forms; opens form pages from the registry."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.form_registry import FormRef, form_page_factory, stage_bodies, stage_page_factory
from ui.labels import form_status_name, stage_name
from ui.messages import error_text
from ui.pages.base import Page
from ui.worker import FORMS, SUBJECTS

REF_ROLE = Qt.ItemDataRole.UserRole
STAGE_REF = "stage"  # the tree's first item: the stage screen


def _events(overview: Any) -> list[Any]:
    return list(overview.events)


def form_status(form: Any) -> str:
    """The form's status, and its signature state where there is one."""
    text = form_status_name(str(form.status))
    if form.signature_invalidated:
        text += " · " + QCoreApplication.translate("SubjectPage", "signature invalidated")
    elif form.signed:
        text += " · " + QCoreApplication.translate("SubjectPage", "signed")
    if form.sdv:
        text += " · " + QCoreApplication.translate("SubjectPage", "SDV")
    return text


_MARKS = {"not_started": "○", "incomplete": "◐", "complete": "✓", "signed": "✓", "verified": "✓"}


def form_status_mark(form: Any) -> str:
    """The status in the tree's narrow column: ○ not started, ◐ incomplete, ✓ complete, then ✍
    signed or ⚠ signature invalidated, and SDV; form_status() says it in words (the tooltip)."""
    mark = _MARKS.get(str(form.status), "?")
    if form.signature_invalidated:
        mark += " ⚠"
    elif form.signed:
        mark += " ✍"
    if form.sdv:
        mark += " SDV"
    return mark


class SubjectPage(Page):
    topics = (SUBJECTS, FORMS)
    # The subject's data is on screen (stage, tree, the stage screen's stepper); the screen in
    # front may still be loading its own.
    subject_shown = Signal(str)

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.subject_key: str | None = None
        self.overview: Any = None
        self.stage_view: Any = None  # the stepper's, read with the overview
        self._pending_form: FormRef | None = None  # opened once the overview has loaded
        self._stage_page: QWidget | None = None
        self._stage_shown: str | None = None  # the stage the stage screen was built for
        self.stage_label = QLabel()
        self.stage_label.setObjectName("hint")
        self.tree = QTreeWidget()
        self.tree.setObjectName("subjectForms")
        self.tree.setColumnCount(2)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.setMinimumWidth(220)
        self.legend = QLabel()
        self.legend.setObjectName("hint")
        self.legend.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # The screen on the right lives in a stack and is built in it: QSplitter.replaceWidget
        # reparented the old screen and the new one, and the app style sheet then re-polished
        # every widget of both (tens of ms for a stage screen).
        self.stack = QStackedWidget()
        self.detail: QWidget = self._placeholder()
        self.stack.addWidget(self.detail)
        tree_box = QWidget()
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.addWidget(self.tree, 1)
        tree_layout.addWidget(self.legend)
        self.splitter = QSplitter()
        self.splitter.addWidget(tree_box)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 1200])  # the stage screens need the width
        self.layout_.addWidget(self.stage_label)
        self.layout_.addWidget(self.splitter, 1)
        QShortcut(QKeySequence("F5"), self, self.reload)
        self.retranslate()

    def retranslate(self) -> None:
        if self.subject_key is None:
            self.title.setText(self.tr("Subject"))
            self.stage_label.setText(self.tr("Open a subject from the subject list."))
        else:
            self.title.setText(self.tr("Subject %1").replace("%1", self.subject_key))
            if self.overview is not None:
                self.stage_label.setText(
                    self.tr("Stage: %1").replace("%1", stage_name(str(self.overview.stage)))
                )
        self.tree.setHeaderLabels([self.tr("Event / form"), ""])
        self.legend.setText(
            self.tr("○ not started · ◐ incomplete · ✓ complete · ✍ signed · ⚠ signature invalid")
        )
        if self.overview is not None:
            self._fill_tree()

    def show_subject(self, subject_key: str, form: FormRef | None = None) -> None:
        """Shows the subject; with `form`, that form instead of the stage screen."""
        if subject_key != self.subject_key and not self._may_leave():
            return  # unsaved edits of the subject on screen: the user chose to stay
        self._pending_form = form
        if subject_key != self.subject_key:
            self.overview, self.stage_view = None, None
            self.tree.clear()
            self._stage_page, self._stage_shown = None, None
            self._set_detail(self._placeholder())
        self.subject_key = subject_key
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        if self.subject_key is None:
            return
        ws, session, key = self.context.workspace, self.context.session, self.subject_key

        def fetch() -> Any:
            from app.services.subject_view import subject_page_data

            return subject_page_data(ws, session, key)  # the overview and the stepper, one read

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, data: Any) -> None:
        self.overview, self.stage_view = data.overview, data.stage
        pending, self._pending_form = self._pending_form, None
        stage = str(data.overview.stage)
        if self._stage_shown == stage and self.detail is self._stage_page:
            show_view = getattr(self._stage_page, "show_view", None)
            if callable(show_view):
                show_view(data.stage)  # it does not read the view again itself
        if pending is not None:
            self._open_task(replace(pending, stage=stage))
        # What is shown refreshes itself; it is replaced only when nothing of this subject is shown
        # yet, or when the stage screen shows a stage the subject has left. A form being worked
        # on is never replaced under the user.
        elif self._stage_shown is None or (
            self.detail is self._stage_page and self._stage_shown != stage
        ):
            self.open_stage()
        # The tree after the screen on the right: that screen queued its service calls, and the
        # tree is filled while the worker runs them.
        self.retranslate()
        self.subject_shown.emit(data.overview.subject_key)

    def _open_task(self, ref: FormRef) -> None:
        """A task's form: on the stage screen that handles it (e.g. today's doses on the
        conditioning screen), else the form itself."""
        body = next((b for b in stage_bodies(ref.stage) if ref.form_oid in b.forms), None)
        if body is not None:
            self.open_stage()
            select = getattr(self._stage_page, "select_body", None)
            if callable(select) and select(body.key):
                return
        self.open_form(ref)

    def open_stage(self) -> None:
        """The stage screen of the subject's current stage (the stepper and the stage's tabs)."""
        if self.overview is None or self.subject_key is None:
            return
        stage = str(self.overview.stage)
        stage_factory = stage_page_factory(stage)
        if stage_factory is None or not self._may_leave():
            return
        ref = FormRef(self.subject_key, "", "", "", stage)
        view = self.stage_view
        if getattr(stage_factory, "takes_view", False) and view is not None:
            self._stage_page = stage_factory(self.context, ref, self.stack, view=view)  # type: ignore[call-arg]
        else:
            self._stage_page = stage_factory(self.context, ref, self.stack)
        self._stage_shown = stage
        self._set_detail(self._stage_page)

    def _failed(self, exc: Exception) -> None:
        self.stage_label.setText(error_text(exc))

    def _fill_tree(self) -> None:
        """Every event and form of the overview (hundreds of rows for a long record): the items
        are made first and added in one call each, the status texts made once per kind."""
        self.tree.clear()
        assert self.subject_key is not None
        language = self.context.language.language
        stage = str(self.overview.stage)
        stage_item = QTreeWidgetItem(
            [self.tr("Treatment stages: %1").replace("%1", stage_name(stage)), ""]
        )
        stage_item.setData(0, REF_ROLE, STAGE_REF)
        stage_item.setToolTip(0, self.tr("The stepper and the screens of the current stage"))
        items = [stage_item]
        statuses: dict[tuple[Any, ...], tuple[str, str]] = {}
        for event in _events(self.overview):
            repeat = str(event.repeat_key or "")
            name = event.label.get(language) if event.label else event.event_oid
            event_name = f"{name} [{repeat}]" if repeat else name
            event_item = QTreeWidgetItem([event_name, ""])
            event_item.setToolTip(0, event_name)
            children = []
            for form in getattr(event, "forms", ()) or ():
                ref = FormRef(self.subject_key, str(event.event_oid), repeat, str(form.form_oid),
                              stage)  # fmt: skip
                kind = (form.status, form.signature_invalidated, form.signed, form.sdv)
                status = statuses.get(kind)
                if status is None:
                    status = statuses[kind] = (form_status_mark(form), form_status(form))
                label = form.label.get(language) if form.label else form.form_oid
                item = QTreeWidgetItem([label, status[0]])
                item.setToolTip(0, f"{label}: {status[1]}")
                item.setToolTip(1, status[1])
                item.setData(0, REF_ROLE, ref)
                children.append(item)
            event_item.addChildren(children)
            items.append(event_item)
        self.tree.addTopLevelItems(items)
        self.tree.expandAll()

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        ref = item.data(0, REF_ROLE)
        if ref == STAGE_REF:
            self.open_stage()
        elif isinstance(ref, FormRef):
            self.open_form(ref)

    def open_form(self, ref: FormRef) -> None:
        if self._may_leave():
            self._set_detail(form_page_factory(ref.form_oid)(self.context, ref, self.stack))

    def _may_leave(self) -> bool:
        """The screen on the right may be replaced: nothing unsaved, or the user discards it."""
        confirm = getattr(self.detail, "confirm_discard", None)
        return not callable(confirm) or bool(confirm())

    def _placeholder(self) -> QWidget:
        label = QLabel(self.tr("Choose a form on the left (Enter or double-click) to open it."))
        label.setObjectName("hint")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _set_detail(self, widget: QWidget) -> None:
        old = self.detail
        if self.stack.indexOf(widget) < 0:
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        self.detail = widget
        if old is not widget:
            self.stack.removeWidget(old)
            old.deleteLater()
