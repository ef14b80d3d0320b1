"""MainWindow: navigation between pages, lock (Ctrl+L) and idle lock, log out, About, clock banner.

It owns its pages and routes their signals (a subject opened in the list shows the subject page);
pages never call each other. The window is built for one session: logging out or another user
logging in closes it and the shell (ui.application) builds a new one for the next session.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.about_dialog import AboutDialog
from ui.context import ShellContext
from ui.form_registry import FormRef
from ui.lock_widget import LockWidget
from ui.messages import error_text, text_for
from ui.pages.audit_page import AuditPage
from ui.pages.base import Page
from ui.pages.settings_page import SettingsPage
from ui.pages.subject_list_page import SubjectListPage
from ui.pages.subject_page import SubjectPage
from ui.pages.users_page import UsersPage
from ui.printing.install import install_printing
from ui.sync_page import SyncPage
from ui.ward.queries_page import QueriesPage
from ui.ward.worklist_page import WorklistPage
from ui.worker import SETTINGS

IDLE_CHECK_MS = 10_000
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class MainWindow(QMainWindow):
    logged_out = Signal()  # the session ended by Log out: show the login window
    switch_user_requested = Signal()  # another user logs in from the lock screen

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.services.idle import DEFAULT_IDLE_MINUTES, IdleLock

        self.context = context
        self.setObjectName("mainWindow")
        self.idle = IdleLock(DEFAULT_IDLE_MINUTES)
        self.idle.touch(context.clock.now())
        self._ending = False

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self._clock_warning: Any = None
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.worklist = WorklistPage(context)
        self.subject_list = SubjectListPage(context)
        self.subject_page = SubjectPage(context)
        self.audit_page = AuditPage(context)
        self.settings_page = SettingsPage(context)
        sync_allowed = context.can("export_sync") or context.can("import_sync")
        self.sync_page: SyncPage | None = SyncPage(context) if sync_allowed else None
        self.users_page: UsersPage | None = (
            UsersPage(context) if context.can("manage_users") else None
        )
        queries_allowed = any(
            context.can(p) for p in ("raise_query", "answer_query", "close_query")
        )
        self.queries_page: QueriesPage | None = QueriesPage(context) if queries_allowed else None
        # The ward's home screen comes first (an administrator enters no clinical data).
        self.pages: list[Page] = [self.subject_list, self.subject_page]
        if context.can("enter_clinical_data") or context.can("raise_query"):
            self.pages.insert(0, self.worklist)
        if self.queries_page is not None:
            self.pages.append(self.queries_page)
        if context.can("view_audit"):
            self.pages.append(self.audit_page)
        if self.users_page is not None:
            self.pages.append(self.users_page)
        if self.sync_page is not None:
            self.pages.append(self.sync_page)
        self.pages.append(self.settings_page)
        for page in self.pages:
            self.stack.addWidget(page)
            self.navigation.addItem("")
        self.navigation.currentRowChanged.connect(self._show_page)
        self.subject_list.subject_opened.connect(self.open_subject)
        self.worklist.task_opened.connect(self.open_task)

        content = QWidget()
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.user_label)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.navigation)
        body.addWidget(self.stack, 1)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addLayout(top)
        column.addLayout(body, 1)

        self.lock_widget = LockWidget(context)
        self.lock_widget.unlocked.connect(self.unlock)
        self.lock_widget.switch_user_requested.connect(self._switch_user)
        self.central = QStackedWidget()
        self.central.addWidget(content)
        self.central.addWidget(self.lock_widget)
        self.setCentralWidget(self.central)

        self._build_actions()
        self.retranslate()
        self.navigation.setCurrentRow(0)
        self.resize(1100, 720)

        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        self.idle_timer = QTimer(self, interval=IDLE_CHECK_MS)
        self.idle_timer.timeout.connect(self.check_idle)
        self.idle_timer.start()
        context.runner.changed.connect(self._on_changed)
        self._load_site_state()
        self.subject_list.reload()
        install_printing(self)  # scan-back, print menu and buttons (ui.printing)

    # --- building -------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.logout_action = QAction(self)
        self.logout_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.logout_action.triggered.connect(self.log_out)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.logout_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.about_action)
        # Alt+1..n jump to the pages in navigation order.
        self.page_actions = []
        for index in range(len(self.pages)):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.navigation.setCurrentRow(i))
            self.addAction(action)
            self.page_actions.append(action)

    def retranslate(self) -> None:
        session = self.context.session
        self.setWindowTitle(self.tr("SeqTx · NCT03835312"))
        self.user_label.setText(
            self.tr("Logged in as %1 (%2)")
            .replace("%1", session.full_name)
            .replace("%2", _role(session.role))
        )
        names = {
            id(self.worklist): self.tr("Today on the ward"),
            id(self.queries_page): self.tr("Data queries"),
            id(self.subject_list): self.tr("Subjects"),
            id(self.subject_page): self.tr("Subject"),
            id(self.audit_page): self.tr("Audit trail"),
            id(self.users_page): self.tr("Users"),
            id(self.sync_page): self.tr("Data center"),
            id(self.settings_page): self.tr("Settings"),
        }
        for row, page in enumerate(self.pages):
            self.navigation.item(row).setText(names[id(page)])
        self.file_menu.setTitle(self.tr("&File"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.lock_action.setText(self.tr("&Lock"))
        self.logout_action.setText(self.tr("Log &out"))
        self.quit_action.setText(self.tr("&Quit"))
        self.about_action.setText(self.tr("&About SeqTx"))
        self._show_clock_warning()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- navigation -----------------------------------------------------------------------
    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            page = self.pages[row]
            self.stack.setCurrentWidget(page)
            if page is not self.subject_page:
                page.reload()

    def show_page(self, page: Page) -> None:
        self.navigation.setCurrentRow(self.pages.index(page))

    def open_subject(self, subject_key: str) -> None:
        self.subject_page.show_subject(subject_key)
        self.show_page(self.subject_page)

    def open_task(self, subject_key: str, target: Any) -> None:
        """A worklist row: the subject page with the form where the task is done, if it names one."""
        form_oid = getattr(target, "form_oid", None)
        ref = (
            FormRef(subject_key, target.event_oid, target.repeat_key, form_oid)
            if form_oid
            else None
        )
        self.subject_page.show_subject(subject_key, ref)
        self.show_page(self.subject_page)

    # --- site state: idle timeout, clock warning ------------------------------------------
    def _load_site_state(self) -> None:
        ws = self.context.workspace

        def fetch() -> tuple[int, Any]:
            from app.services.audit_trail import clock_warning
            from app.services.idle import idle_timeout_minutes

            return idle_timeout_minutes(ws), clock_warning(ws)

        self.context.runner.submit(
            fetch, self._site_state_loaded, self._site_state_failed, owner=self
        )

    def _site_state_loaded(self, state: tuple[int, Any]) -> None:
        minutes, warning = state
        self.idle.timeout_minutes = int(minutes)
        self._clock_warning = warning
        self._show_clock_warning()

    def _site_state_failed(self, exc: Exception) -> None:
        self.banner.setText(error_text(exc))
        self.banner.show()

    def _show_clock_warning(self) -> None:
        warning = self._clock_warning
        if warning is None:
            return
        last = warning.last_audit_utc.astimezone().strftime("%Y-%m-%d %H:%M")
        self.banner.setText(text_for(warning.code, {"last": last}))
        self.banner.show()

    def _on_changed(self, topic: str) -> None:
        if topic == SETTINGS:
            self._load_site_state()

    # --- lock -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.is_locked:
            self.idle.touch(self.context.clock.now())
        return False

    @property
    def is_locked(self) -> bool:
        return self.central.currentWidget() is self.lock_widget

    def check_idle(self) -> None:
        if not self.is_locked and self.idle.is_locked(self.context.clock.now()):
            self.lock()

    def lock(self) -> None:
        """Hide every page behind the lock screen; menus and page shortcuts stop working."""
        self.idle.lock()
        self._cancel_dialogs()
        self.central.setCurrentWidget(self.lock_widget)
        self.menuBar().setEnabled(False)
        for action in self.page_actions:
            action.setEnabled(False)
        self.lock_action.setEnabled(False)
        self.lock_widget.reset()

    @staticmethod
    def _cancel_dialogs() -> None:
        """An open dialog would stay on screen over the lock with its data: cancel it.

        What was saved stays saved and a form's unsaved edits stay in the form behind the lock;
        only the dialog's own input (a reason being typed, a preview) is dropped.
        """
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    def unlock(self) -> None:
        self.idle.unlock(self.context.clock.now())
        self.central.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        for action in self.page_actions:
            action.setEnabled(True)
        self.lock_action.setEnabled(True)
        current = self.stack.currentWidget()
        if current is not None:
            current.setFocus()

    # --- ending the session ---------------------------------------------------------------
    def _end_session(self, then: SignalInstance) -> None:
        if self._ending:
            return
        self._ending = True
        self.idle_timer.stop()
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        ws, session = self.context.workspace, self.context.session

        def call() -> None:
            from app.services.auth import logout

            logout(ws, session)

        # The next login window opens only once the logout is recorded.
        self.context.runner.submit(call, lambda _r: then.emit(), lambda _e: then.emit(), owner=self)
        self.central.setCurrentWidget(self.lock_widget)  # no data on screen meanwhile

    def log_out(self) -> None:
        self._end_session(self.logged_out)

    def _switch_user(self) -> None:
        self._end_session(self.switch_user_requested)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._ending:
            self._ending = True
            self.idle_timer.stop()
            QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
            ws, session = self.context.workspace, self.context.session

            def call() -> None:
                from app.services.auth import logout

                logout(ws, session)

            self.context.runner.submit(call, on_failure=lambda _e: None)
        super().closeEvent(event)

    def show_about(self) -> None:
        AboutDialog(self.context, self).exec()


def _role(role: Any) -> str:
    from ui.labels import role_name

    return role_name(role)
