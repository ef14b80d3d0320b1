"""UsersPage: user administration (create, deactivate, reset password, set role, unlock)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from ui.context import ShellContext
from ui.labels import ROLES, role_name, yes_no
from ui.messages import error_text
from ui.pages.base import Page
from ui.pages.user_dialogs import CreateUserDialog, NewPasswordDialog
from ui.table_model import Column, RowTableModel
from ui.worker import AUDIT, USERS


class UsersTableModel(RowTableModel[Any]):
    """Rows are app.services.users.UserRow."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[Column[Any]] = [
            Column("username", lambda: self.tr("Username"), lambda r: r.username),
            Column("full_name", lambda: self.tr("Full name"), lambda r: r.full_name),
            Column("role", lambda: self.tr("Role"), lambda r: role_name(r.role)),
            Column("active", lambda: self.tr("Active"), lambda r: yes_no(r.active)),
            Column("locked", lambda: self.tr("Locked"), lambda r: yes_no(r.locked)),
            Column("failed", lambda: self.tr("Failed logins"), lambda r: r.failed_logins, True),
        ]

    def columns(self) -> Sequence[Column[Any]]:
        return self._columns


class UsersPage(Page):
    topics = (USERS,)

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = UsersTableModel(self)
        self.min_password_length: int | None = None
        self.table = QTableView()
        self.table.setObjectName("usersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.create_button = QPushButton()
        self.create_button.setObjectName("createUser")
        self.deactivate_button = QPushButton()
        self.reset_button = QPushButton()
        self.role_button = QPushButton()
        self.unlock_button = QPushButton()
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (
            self.create_button,
            self.deactivate_button,
            self.reset_button,
            self.role_button,
            self.unlock_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.status)
        self.create_button.clicked.connect(self.create_user)
        self.deactivate_button.clicked.connect(self.deactivate_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.set_role)
        self.unlock_button.clicked.connect(self.unlock_user)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Users"))
        self.create_button.setText(self.tr("&New user…"))
        self.deactivate_button.setText(self.tr("&Deactivate"))
        self.reset_button.setText(self.tr("&Reset password…"))
        self.role_button.setText(self.tr("Set r&ole…"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.model.retranslate()

    def selected(self) -> Any | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.deactivate_button, self.reset_button, self.role_button):
            button.setEnabled(row is not None and row.active)
        self.unlock_button.setEnabled(row is not None and row.locked)

    def reload(self) -> None:
        ws, session = self.context.workspace, self.context.session

        def fetch() -> tuple[list[Any], int]:
            from app.services.settings import read_settings
            from app.services.users import list_users

            return list_users(ws, session), read_settings(ws).min_password_length

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, result: tuple[Sequence[Any], int]) -> None:
        rows, self.min_password_length = result
        selected = self.selected()
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if selected is not None:
            for index, row in enumerate(rows):
                if row.user_id == selected.user_id:
                    self.table.selectRow(index)
        self._update_buttons()

    def _failed(self, exc: Exception) -> None:
        self.status.setText(error_text(exc))

    def _min_length(self) -> int | None:
        """The site's minimum password length (known after the first load)."""
        return self.min_password_length

    def _write(self, call: Callable[[], Any], done_text: str) -> None:
        """Run a user change on the worker; every screen showing users or audit reloads."""

        def done(_result: Any) -> None:
            self.status.setText(done_text)

        self.context.runner.submit(call, done, self._failed, owner=self, changes=(USERS, AUDIT))

    def create_user(self) -> None:
        dialog = CreateUserDialog(self._min_length(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        username, full_name, role, password = dialog.values()
        ws, session = self.context.workspace, self.context.session

        def call() -> Any:
            from app.services.permissions import Role
            from app.services.users import create_user

            return create_user(ws, session, username, full_name, Role(role), password)

        self._write(call, self.tr("User %1 was created.").replace("%1", username))

    def deactivate_user(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Deactivate user"),
            self.tr("Deactivate %1? They will no longer be able to log in.").replace(
                "%1", row.username
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ws, session, user_id = self.context.workspace, self.context.session, row.user_id

        def call() -> Any:
            from app.services.users import deactivate_user

            return deactivate_user(ws, session, user_id)

        self._write(call, self.tr("User %1 was deactivated.").replace("%1", row.username))

    def reset_password(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = NewPasswordDialog(row.username, self._min_length(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        password = dialog.passwords.text()
        ws, session, user_id = self.context.workspace, self.context.session, row.user_id

        def call() -> Any:
            from app.services.users import reset_password

            return reset_password(ws, session, user_id, password)

        self._write(call, self.tr("The password of %1 was reset.").replace("%1", row.username))

    def set_role(self) -> None:
        row = self.selected()
        if row is None:
            return
        names = [role_name(code) for code in ROLES]
        current = ROLES.index(str(row.role)) if str(row.role) in ROLES else 0
        name, ok = QInputDialog.getItem(
            self,
            self.tr("Set role"),
            self.tr("Role of %1:").replace("%1", row.username),
            names,
            current,
            False,
        )
        if not ok or name not in names:
            return
        role = ROLES[names.index(name)]
        ws, session, user_id = self.context.workspace, self.context.session, row.user_id

        def call() -> Any:
            from app.services.permissions import Role
            from app.services.users import set_role

            return set_role(ws, session, user_id, Role(role))

        self._write(
            call,
            self.tr("%1 is now %2.").replace("%1", row.username).replace("%2", role_name(role)),
        )

    def unlock_user(self) -> None:
        row = self.selected()
        if row is None:
            return
        ws, session, user_id = self.context.workspace, self.context.session, row.user_id

        def call() -> Any:
            from app.services.users import unlock_user

            return unlock_user(ws, session, user_id)

        self._write(call, self.tr("User %1 was unlocked.").replace("%1", row.username))
