"""GenericFormPage: the saved items of one form, read-only, until a dedicated page is registered."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ui.context import ShellContext
from ui.form_registry import FormRef
from ui.messages import error_text
from ui.table_model import Column, RowTableModel
from ui.worker import FORMS


class FormItemsModel(RowTableModel[Any]):
    """Rows: (item, value, unit) texts from form_rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[Column[Any]] = [
            Column("item", lambda: self.tr("Item"), lambda r: r[0]),
            Column("value", lambda: self.tr("Value"), lambda r: r[1]),
            Column("unit", lambda: self.tr("Unit"), lambda r: r[2]),
        ]

    def columns(self) -> Sequence[Column[Any]]:
        return self._columns


def form_rows(form: Any, study: Any, language: str) -> list[tuple[str, str, str]]:
    """(item label, value, unit) in the definition's order; choices shown by their label.

    Keys the definition does not know (or a missing definition) are listed by OID at the end.
    """
    values = dict(form.values)
    rows: list[tuple[str, str, str]] = []
    definition = study.forms.get(form.form_oid) if study is not None else None
    for group in definition.groups if definition is not None else ():
        repeats = sorted({k[1] for k in values if k[0] == group.oid}, key=_repeat_order)
        for repeat in repeats:
            prefix = f"{group.label.get(language)} [{repeat}] · " if group.repeating else ""
            for item in group.items:
                key = (group.oid, repeat, item.oid)
                if key not in values:
                    continue
                value = values.pop(key)
                text = "" if value is None else str(value)
                if item.codelist and value is not None:
                    label = study.codelists[item.codelist].label_of(str(value))
                    text = label.get(language) if label is not None else text
                rows.append((prefix + item.label.get(language), text, item.unit or ""))
    for (group_oid, repeat, item_oid), value in sorted(values.items()):
        rows.append((f"{group_oid}[{repeat}]/{item_oid}", "" if value is None else str(value), ""))
    return rows


def _repeat_order(repeat: str) -> tuple[int, str]:
    return (int(repeat), "") if repeat.lstrip("-").isdigit() else (0, repeat)


class GenericFormPage(QWidget):
    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ref = ref
        self.form: Any = None
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.model = FormItemsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # Long item labels wrap in a column of fixed share; the value column takes the rest.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        context.runner.changed.connect(self._on_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        ref = self.ref
        repeat = f" [{ref.repeat_key}]" if ref.repeat_key else ""
        name = ref.form_oid
        study = self.context.workspace.study
        if study is not None and ref.form_oid in study.forms:
            name = study.forms[ref.form_oid].label.get(self.context.language.language)
        self.heading.setText(f"{ref.subject_key} · {name}{repeat}")
        self.note.setText(
            self.tr(
                "The entry screen of this form comes in a later version; saved values are shown."
            )
        )
        self.model.retranslate()
        if self.form is not None:  # item labels and choices follow the language too
            self._loaded(self.form)

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

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, form: Any) -> None:
        self.form = form
        language = self.context.language.language
        self.model.set_rows(form_rows(form, self.context.workspace.study, language))
        self.table.setColumnWidth(0, max(240, int(self.table.viewport().width() * 0.6)))
        self.table.resizeRowsToContents()

    def _failed(self, exc: Exception) -> None:
        self.note.setText(error_text(exc))
