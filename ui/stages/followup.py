"""FollowUpPage: the 12 follow-up visits (months 3 to 36), the selected visit's forms with the
derived values beside the entry, and the trends across visits (issue 4, subject page item 7).

Thin over app.services.stage_followup: visit_plan (target, window, status), visit_derived (BMI,
z-scores, HbA1c in both units, beta-score, BETA-2, Igls class) and trends. A visit's forms are the
ward's generated FormPage, so ranges, soft confirmations, reasons for change and unsaved-changes
questions are the same as everywhere else; a save recomputes the derived items (forms.save_form)
and this page reloads the plan, the derived values and the trends when FORMS changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.form_registry import FormRef, StageBody, register_stage_body
from ui.messages import error_text
from ui.stages.followup_models import (
    DerivedModel,
    VisitTableModel,
    derived_rows,
    status_text,
    visit_name,
)
from ui.stages.followup_trends import TrendsWidget
from ui.ward.form_widget import FormPage
from ui.worker import FORMS, SUBJECTS

FOLLOW_UP_STAGES = frozenset(
    {"treatment_complete", "follow_up", "completed", "withdrawn", "died", "lost_to_follow_up"}
)
ACTIONABLE = ("overdue", "open", "due")
PREVIEW_DELAY_MS = 300  # typing pause before the derived values are recomputed from the entries


def _t(text: str) -> str:
    return QCoreApplication.translate("FollowUpPage", text)


def first_visit_to_show(rows: list[Any]) -> int:
    """The visit the ward acts on: overdue, else open, else due; else the last one done."""
    for status in ACTIONABLE:
        for n, row in enumerate(rows):
            if row.status == status:
                return n
    done = [n for n, row in enumerate(rows) if row.status == "done"]
    return done[-1] if done else 0


class FollowUpPage(QWidget):
    """The follow-up stage screen (StageBody "followup")."""

    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        self.study = context.workspace.require_study()
        self.language = context.language.language
        self.event_oid: str | None = None
        self.form_oid: str | None = None
        self.form_page: FormPage | None = None
        self.params: Any = None
        self._selecting = False
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("followUpSummary")
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.message.hide()  # shown only when there is something to say

        self.visits = VisitTableModel(self)
        self.visit_view = QTableView()
        self.visit_view.setObjectName("visitTable")
        self.visit_view.setModel(self.visits)
        self.visit_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.visit_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.visit_view.verticalHeader().setVisible(False)
        self.visit_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.visit_view.setWordWrap(False)
        header = self.visit_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.visit_view.selectionModel().currentRowChanged.connect(self._visit_changed)

        self.forms_label = QLabel()
        self.form_list = QListWidget()
        self.form_list.setObjectName("visitForms")
        self.form_list.currentRowChanged.connect(self._form_changed)
        # Keyboard path: arrows pick a visit, Enter goes to its forms, Enter again into the form.
        self.visit_view.activated.connect(lambda _i: self.form_list.setFocus())
        self.form_list.itemActivated.connect(lambda _i: self.focus_form())
        # As tall as its forms: the visit table gets the rest.
        self.form_list.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.form_list.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.visit_view, 1)
        left_layout.addWidget(self.forms_label)
        left_layout.addWidget(self.form_list)

        self.form_host = QWidget()
        self.form_layout = QVBoxLayout(self.form_host)
        self.form_layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel()
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.form_layout.addWidget(self.placeholder)

        self.derived = DerivedModel(self)
        self.derived_view = QTableView()
        self.derived_view.setObjectName("derivedTable")
        self.derived_view.setModel(self.derived)
        self.derived_view.verticalHeader().setVisible(False)
        self.derived_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        # The measure whole; the value (and its meaning under it) wraps in what is left.
        derived_header = self.derived_view.horizontalHeader()
        derived_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        derived_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.derived_box = QGroupBox()
        self.derived_box.setObjectName("derivedBox")
        self.derived_note = QLabel()
        self.derived_note.setObjectName("hint")
        self.derived_note.setWordWrap(True)
        box_layout = QVBoxLayout(self.derived_box)
        box_layout.addWidget(self.derived_view, 1)
        box_layout.addWidget(self.derived_note)

        visits_tab = QSplitter(Qt.Orientation.Horizontal)
        visits_tab.addWidget(left)
        visits_tab.addWidget(self.form_host)
        visits_tab.addWidget(self.derived_box)
        visits_tab.setStretchFactor(1, 1)
        visits_tab.setSizes([570, 500, 250])
        self.trends = TrendsWidget()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("followUpTabs")
        self.tabs.addTab(visits_tab, "")
        self.tabs.addTab(self.trends, "")

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        # Derived values follow the typing: recomputed (nothing saved) when typing pauses.
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.reload_derived)
        self.previewing = False
        self._retranslate()
        context.runner.changed.connect(self._on_changed)
        self.reload()

    # --- text ------------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.heading.setText(f"{self.ref.subject_key} · " + _t("Follow-up"))
        self.forms_label.setText(_t("Forms of the visit"))
        self.placeholder.setText(_t("Choose a visit and one of its forms."))
        self.derived_box.setTitle(_t("Derived values"))
        self._show_derived_note()
        self.tabs.setTabText(0, _t("Visits"))
        self.tabs.setTabText(1, _t("Trends across visits"))

    def _show_derived_note(self) -> None:
        if self.previewing:
            text = _t("Computed from the values being entered: not saved yet. —: not enough data.")
        else:
            text = _t("Computed from the saved values. —: not enough data yet.")
        self.derived_note.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.visits.retranslate()
            self.derived.retranslate()
            self.trends.retranslate()
            self._show_summary()
        super().changeEvent(event)

    # --- loading ---------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topic in (FORMS, SUBJECTS):
            self.reload()

    def reload(self) -> None:
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key

        def fetch() -> dict[str, Any]:
            from app.domain.islet_outcome import IsletOutcomeParams
            from app.services import stage_followup as sf
            from app.services.stage_common import rule_params

            return {
                "plan": sf.visit_plan(ws, session, key),  # status on the ward's date
                "trends": sf.trends(ws, session, key),
                "params": rule_params(ws, IsletOutcomeParams, "islet"),
            }

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, result: dict[str, Any]) -> None:
        self._say("")
        self.params = result["params"]
        self.trends.set_trends(result["trends"], self.params)
        rows = result["plan"]
        self.visits.set_rows(rows)
        self._show_summary()
        row = self.visits.row_of_event(self.event_oid) if self.event_oid else -1
        if row < 0:
            row = first_visit_to_show(rows)
        # Re-select without re-opening the form: the open form keeps its edits and reloads itself.
        self._select_row(row)
        if self.event_oid is None:
            self.open_visit(rows[row].event_oid)
        else:
            self.reload_derived()

    def _failed(self, exc: Exception) -> None:
        from app.services.stage_common import NotReady

        if isinstance(exc, NotReady):
            self._say(_t("The end of treatment is not recorded yet, so there is no visit plan."))
        else:
            self._say(error_text(exc))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _show_summary(self) -> None:
        rows = [self.visits.row_at(n) for n in range(self.visits.rowCount())]
        if not rows:
            self.summary.setText("")
            return
        done = sum(1 for r in rows if r.status == "done")
        missed = sum(1 for r in rows if r.status == "missed")
        text = (
            _t("%1 of %2 visits done, %3 missed.")
            .replace("%1", str(done))
            .replace("%2", str(len(rows)))
            .replace("%3", str(missed))
        )
        pending = [r for r in rows if r.status in ACTIONABLE] or [
            r for r in rows if r.status == "not_yet_due"
        ]
        if pending:
            r = pending[0]
            text += " " + (
                _t("Next: %1, target %2, %3.")
                .replace("%1", visit_name(r.month))
                .replace("%2", r.target.isoformat())
                .replace("%3", status_text(r.status))
            )
        self.summary.setText(text)

    # --- choosing a visit and a form ---------------------------------------------------------
    def _visit_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        event_oid = self.visits.row_at(current.row()).event_oid
        if event_oid == self.event_oid:
            return
        if not self.confirm_discard():
            self._select_row(previous.row())
            return
        self.open_visit(event_oid)

    def _select_row(self, row: int) -> None:
        """Select a visit row without acting on it (the view still repaints and scrolls)."""
        self._selecting = True
        try:
            self.visit_view.selectionModel().setCurrentIndex(
                self.visits.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._selecting = False

    def open_visit(self, event_oid: str) -> None:
        """Show the visit's forms (its first form opened) and its derived values."""
        self.event_oid = event_oid
        event = next(e for e in self.study.events if e.oid == event_oid)
        self.form_list.blockSignals(True)
        self.form_list.clear()
        for form_oid in event.forms:
            item = QListWidgetItem(self.study.forms[form_oid].label.get(self.language))
            item.setData(Qt.ItemDataRole.UserRole, form_oid)
            self.form_list.addItem(item)
        self.form_list.setCurrentRow(0)
        self.form_list.blockSignals(False)
        self._open_form(event.forms[0])
        self.reload_derived()

    def _form_changed(self, row: int) -> None:
        if row < 0:
            return
        form_oid = self.form_list.item(row).data(Qt.ItemDataRole.UserRole)
        if form_oid == self.form_oid:
            return
        if not self.confirm_discard():
            self.form_list.blockSignals(True)
            previous = [
                n
                for n in range(self.form_list.count())
                if self.form_list.item(n).data(Qt.ItemDataRole.UserRole) == self.form_oid
            ]
            self.form_list.setCurrentRow(previous[0] if previous else 0)
            self.form_list.blockSignals(False)
            return
        self._open_form(form_oid)

    def open_form(self, form_oid: str) -> None:
        """Select a form of the open visit (as a click in the list would)."""
        for n in range(self.form_list.count()):
            if self.form_list.item(n).data(Qt.ItemDataRole.UserRole) == form_oid:
                self.form_list.setCurrentRow(n)

    def _open_form(self, form_oid: str) -> None:
        assert self.event_oid is not None
        self._drop_form_page()
        self.placeholder.hide()
        self.form_oid = form_oid
        ref = FormRef(self.ref.subject_key, self.event_oid, "", form_oid, self.ref.stage)
        page = FormPage(self.context, ref)
        page.setObjectName("visitFormPage")
        page.saver.saved.connect(lambda _r: self.reload_derived())
        page.form_widget.undo_stack.indexChanged.connect(lambda _i: self.preview_timer.start())
        self.form_layout.addWidget(page)
        self.form_page = page

    def focus_form(self) -> None:
        """Focus the first field the user can type in of the open form."""
        if self.form_page is None:
            return
        for field in self.form_page.form_widget.fields.values():
            if field.editor.isEnabled():
                field.editor.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def _drop_form_page(self) -> None:
        if self.form_page is not None:
            # Python-made undo commands must go before their C++ stack (PySide ownership).
            self.form_page.form_widget.undo_stack.clear()
            self.form_page.setParent(None)
            self.form_page.deleteLater()
            self.form_page = None

    # --- derived values --------------------------------------------------------------------
    def reload_derived(self) -> None:
        """The visit's derived values: from the saved record, or, while the open form has unsaved
        entries, as a save of those entries would make them (nothing is written)."""
        self.preview_timer.stop()
        if self.event_oid is None:
            return
        ws, session, key = self.context.workspace, self.context.session, self.ref.subject_key
        event_oid, page = self.event_oid, self.form_page
        entered = page.form_widget.values() if page is not None and self.has_unsaved() else None
        form_oid = page.ref.form_oid if page is not None else ""

        def fetch() -> tuple[str, bool, Any]:
            from app.services.followup_preview import preview_visit_derived
            from app.services.stage_followup import visit_derived

            if entered is None:
                return event_oid, False, visit_derived(ws, session, key, event_oid)
            derived = preview_visit_derived(ws, session, key, event_oid, form_oid, entered)
            return event_oid, True, derived

        self.context.runner.submit(fetch, self._derived_loaded, self._failed, owner=self)

    def _derived_loaded(self, result: tuple[str, bool, Any]) -> None:
        event_oid, previewing, values = result
        if event_oid == self.event_oid:  # a later visit choice wins over a late answer
            self.derived.set_rows(derived_rows(values))
            self.previewing = previewing
            self._show_derived_note()

    # --- unsaved changes -------------------------------------------------------------------
    def has_unsaved(self) -> bool:
        return self.form_page is not None and self.form_page.form_widget.is_dirty()

    def confirm_discard(self) -> bool:
        """True when nothing is unsaved or the user chose to discard it (FormPage asks)."""
        return self.form_page is None or self.form_page.confirm_discard()

    def closeEvent(self, event: Any) -> None:
        if self.confirm_discard():
            self._drop_form_page()
            event.accept()
        else:
            event.ignore()


def _follow_up_page(context: ShellContext, ref: FormRef, parent: QWidget | None) -> QWidget:
    return FollowUpPage(context, ref, parent)


register_stage_body(
    StageBody(
        key="followup",
        stages=FOLLOW_UP_STAGES,
        title=lambda: _t("Follow-up visits"),
        factory=_follow_up_page,
        order=10,
    )
)
