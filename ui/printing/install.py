"""Where printing plugs into the shell: one call each from the main window and the setup wizard.

`install_printing(window)` adds scan-back to the subject search, "Print blank forms for today's
tasks…" to the File menu, and "Print casebook…" / "Print visit…" to the subject page;
`install_recovery_print(wizard)` adds "Print recovery sheet…" to the recovery-code page. The shell
files change by one line each, and this module keeps the printing entry points in one place.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ui.form_registry import FormRef
from ui.printing.preview_dialog import PrintPreviewDialog, open_preview
from ui.scan_back import install_scan_back


class _Retranslator(QObject):
    """Calls `retranslate` when the watched widget receives a LanguageChange."""

    def __init__(self, host: QWidget, retranslate: Any) -> None:
        super().__init__(host)
        self._retranslate = retranslate
        host.installEventFilter(self)
        retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        return False


class PrintActions(QObject):
    """The main window's printing entry points (kept as `window.findChild(PrintActions)`)."""

    OBJECT_NAME = "printActions"

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName(self.OBJECT_NAME)
        self.window = window
        context = window.context
        self.context = context
        allowed = context.can("print_crf")
        self.tasks_action = QAction(window)
        self.tasks_action.setObjectName("printTodaysForms")
        self.tasks_action.triggered.connect(self.print_todays_forms)
        self.tasks_action.setEnabled(allowed)
        menu = window.file_menu
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, self.tasks_action)
        menu.insertSeparator(first)
        # The same action as a button on the ward's home screen, where the nurse plans the day.
        self.tasks_button = QPushButton()
        self.tasks_button.setObjectName("printTodaysFormsButton")
        self.tasks_button.clicked.connect(self.print_todays_forms)
        self.tasks_button.setVisible(allowed)
        worklist = getattr(window, "worklist", None)
        if worklist is not None:
            tasks_row = QHBoxLayout()
            tasks_row.addStretch(1)
            tasks_row.addWidget(self.tasks_button)
            worklist.layout_.insertLayout(1, tasks_row)

        page = window.subject_page
        self.subject_page = page
        self.casebook_button = QPushButton()
        self.casebook_button.setObjectName("printCasebook")
        self.casebook_button.clicked.connect(self.print_casebook)
        self.visit_button = QPushButton()
        self.visit_button.setObjectName("printVisit")
        self.visit_button.clicked.connect(self.print_visit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.visit_button)
        row.addWidget(self.casebook_button)
        page.layout_.insertLayout(1, row)
        self._allowed = allowed
        page.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        page.tree.model().rowsInserted.connect(lambda *_: self._update_buttons())
        page.tree.model().modelReset.connect(self._update_buttons)
        self._update_buttons()
        self.preview: PrintPreviewDialog | None = None
        _Retranslator(window, self.retranslate)

    def retranslate(self) -> None:
        self.tasks_action.setText(self.tr("Print &blank forms for today's tasks…"))
        self.tasks_button.setText(self.tr("Print blank forms for today's tasks…"))
        self.casebook_button.setText(self.tr("Print &casebook…"))
        self.visit_button.setText(self.tr("Print &visit…"))
        self.casebook_button.setToolTip(
            self.tr("All entered forms of this subject, with contents, for the paper binder")
        )
        self.visit_button.setToolTip(
            self.tr("The selected visit with its stored values, queries and signatures")
        )

    def _update_buttons(self) -> None:
        if not shiboken6.isValid(self.subject_page.tree) or not shiboken6.isValid(
            self.visit_button
        ):
            return  # the window is being torn down (the tree's model signals its last changes)
        has_subject = self.subject_page.subject_key is not None
        self.casebook_button.setEnabled(self._allowed and has_subject)
        self.visit_button.setEnabled(self._allowed and self._selected_visit() is not None)
        self.casebook_button.setVisible(self._allowed)
        self.visit_button.setVisible(self._allowed)

    def _selected_visit(self) -> FormRef | None:
        from ui.pages.subject_page import REF_ROLE

        item = self.subject_page.tree.currentItem()
        if item is None:
            return None
        if item.childCount():  # an event row: its first form names the visit
            item = item.child(0)
        ref = item.data(0, REF_ROLE)
        return ref if isinstance(ref, FormRef) else None

    def _open(self, produce: Any) -> PrintPreviewDialog:
        self.preview = open_preview(self.context.runner, produce, self.window)
        return self.preview

    def print_todays_forms(self) -> PrintPreviewDialog:
        ws, session, clock = self.context.workspace, self.context.session, self.context.clock

        def produce() -> Any:
            from app.domain.schedule import ward_today
            from app.services.crf_print import todays_blank_forms_pdf

            return todays_blank_forms_pdf(ws, session, ward_today(clock))

        return self._open(produce)

    def print_casebook(self) -> PrintPreviewDialog | None:
        key = self.subject_page.subject_key
        if key is None:
            return None
        ws, session = self.context.workspace, self.context.session

        def produce() -> Any:
            from app.services.crf_print import casebook_pdf

            return casebook_pdf(ws, session, key)

        return self._open(produce)

    def print_visit(self) -> PrintPreviewDialog | None:
        ref = self._selected_visit()
        if ref is None:
            return None
        ws, session = self.context.workspace, self.context.session

        def produce() -> Any:
            from app.services.crf_print import filled_visit_pdf

            return filled_visit_pdf(ws, session, ref.subject_key, ref.event_oid, ref.repeat_key)

        return self._open(produce)


def install_printing(window: Any) -> PrintActions:
    """Scan-back and the print entry points on the main window, once."""
    install_scan_back(window)
    existing = window.findChild(PrintActions, PrintActions.OBJECT_NAME)
    if isinstance(existing, PrintActions):
        return existing
    return PrintActions(window)


class RecoveryPrint(QObject):
    """ "Print recovery sheet…" on the setup wizard's recovery-code page.

    The sheet can be printed, not saved: its own handling instructions forbid keeping the code
    in a file, so the preview offers no Save PDF.
    """

    OBJECT_NAME = "recoveryPrint"

    def __init__(self, wizard: Any) -> None:
        super().__init__(wizard)
        self.setObjectName(self.OBJECT_NAME)
        self.wizard = wizard
        page = wizard.recovery_page
        self.button = QPushButton()
        self.button.setObjectName("printRecoverySheet")
        self.button.clicked.connect(self.print_sheet)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        layout = page.layout()
        layout.insertLayout(2, row)  # under the code, above the confirmation
        self.preview: PrintPreviewDialog | None = None
        _Retranslator(page, self.retranslate)

    def retranslate(self) -> None:
        self.button.setText(self.tr("&Print recovery sheet…"))

    def print_sheet(self) -> PrintPreviewDialog | None:
        wizard = self.wizard
        result = wizard.creating_page.result
        code = wizard.recovery_page.code
        if result is None or not code:
            return None
        code_text = wizard.site_page.site_code.text().strip()
        name = wizard.site_page.site_name.text().strip()
        site = f"{name} ({code_text})" if name and code_text else name or code_text
        db_id = str(result.db_id)
        when = wizard._clock.now().astimezone()

        def produce() -> Any:
            from app.services.crf_print import recovery_sheet_pdf

            return recovery_sheet_pdf(code, db_id, site, when)

        self.preview = open_preview(wizard._runner, produce, wizard)
        self.preview.save_button.hide()
        return self.preview


def install_recovery_print(wizard: Any) -> RecoveryPrint:
    existing = wizard.findChild(RecoveryPrint, RecoveryPrint.OBJECT_NAME)
    if isinstance(existing, RecoveryPrint):
        return existing
    return RecoveryPrint(wizard)
