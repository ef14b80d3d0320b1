"""GenericFormPage: the saved items of one form, read-only, until a dedicated page is registered."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from ui.context import ShellContext
from ui.form_registry import FormRef
from ui.messages import error_text
from ui.table_model import Column, RowTableModel
from ui.worker import FORMS


class FormItemsModel(RowTableModel[Any]):
    """Rows: (item path, value) pairs flattened from forms.load_form."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[Column[Any]] = [
            Column("item", lambda: self.tr("Item"), lambda r: r[0]),
            Column("value", lambda: self.tr("Value"), lambda r: r[1]),
        ]

    def columns(self) -> Sequence[Column[Any]]:
        return self._columns


def flatten_form(form: Any) -> list[tuple[str, str]]:
    """(group[repeat]/item, value) rows from a FormSnapshot's values keyed by ItemKey."""
    rows = []
    for key, value in sorted(form.values.items()):
        group, repeat, item = key
        rows.append((f"{group}[{repeat}]/{item}", "" if value is None else str(value)))
    return rows


class GenericFormPage(QWidget):
    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ref = ref
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.model = FormItemsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        context.runner.changed.connect(self._on_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        ref = self.ref
        repeat = f"[{ref.repeat_key}]" if ref.repeat_key else ""
        self.heading.setText(f"{ref.subject_key} · {ref.event_oid}{repeat} · {ref.form_oid}")
        self.note.setText(
            self.tr(
                "The entry screen of this form comes in a later version; saved values are shown."
            )
        )
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_changed(self, topic: str) -> None:
        if topic == FORMS:
            self.reload()

    def reload(self) -> None:
        ws, session, ref = self.context.workspace, self.context.session, self.ref

        def fetch() -> Any:
            from app.services.forms import load_form

            return load_form(
                ws, session, ref.subject_key, ref.event_oid, ref.repeat_key, ref.form_oid
            )

        self.context.runner.submit(
            fetch, lambda form: self.model.set_rows(flatten_form(form)), self._failed, owner=self
        )

    def _failed(self, exc: Exception) -> None:
        self.note.setText(error_text(exc))
