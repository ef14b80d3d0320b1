"""FormWidget: a data-entry form generated from the study definition, and FormPage around it.

Labels follow the current language, units sit beside the field, code lists are combo boxes,
dates use QDateEdit, repeating groups are editable tables; required items carry a marker and help
text is the tooltip. Unsaved edits live on a QUndoStack (Ctrl+Z); saving goes through
app.services.forms.save_form on the worker: a hard range violation is refused with the allowed
range, a soft one asks for a confirmation comment, and a change of saved data asks for a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.study.model import Form, Item, ItemGroup, StudyDefinition
from ui.context import ShellContext
from ui.discard import ask_discard
from ui.form_registry import FormRef
from ui.messages import error_text
from ui.worker import AUDIT, FORMS, SUBJECTS

ItemKey = tuple[str, str, str]
EMPTY_DATE = QDate(1900, 1, 1)
LABEL_MIN_WIDTH, LABEL_MAX_WIDTH = 180, 320  # px: wrapped labels stay readable beside their field


def item_label(item: Item, language: str) -> str:
    """The item's label in `language`, a star when required."""
    text = item.label.get(language)
    return f"{text} *" if item.required else text


def choices(study: StudyDefinition, item: Item, language: str) -> list[tuple[str, str]]:
    """(code, label) of the item's choices, with the empty choice first."""
    if item.data_type == "boolean":
        return [
            ("", ""),
            ("1", _tr("Yes")),
            ("0", _tr("No")),
        ]
    codelist = study.codelists.get(item.codelist or "")
    items = codelist.items if codelist is not None else ()
    return [("", "")] + [(c.code, c.label.get(language)) for c in items]


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("FormWidget", text)


class _SetValueCommand(QUndoCommand):
    """One field edit; undo puts the old value back without pushing another command."""

    def __init__(self, widget: FormWidget, key: ItemKey, old: str | None, new: str | None) -> None:
        super().__init__(key[2])
        self.widget, self.key, self.old, self.new = widget, key, old, new
        self._first = True

    def redo(self) -> None:
        if self._first:  # the editor already shows the new value
            self._first = False
            return
        self.widget.set_value(self.key, self.new)

    def undo(self) -> None:
        self.widget.set_value(self.key, self.old)


class _Field:
    """One editor of a non-repeating item: reads and writes the stored text form of its value."""

    def __init__(self, item: Item, editor: QWidget, codes: list[str]) -> None:
        self.item, self.editor, self.codes = item, editor, codes

    def text(self) -> str | None:
        e = self.editor
        if isinstance(e, QComboBox):
            code = self.codes[e.currentIndex()] if e.currentIndex() >= 0 else ""
            return code or None
        if isinstance(e, QDateEdit):
            d = e.date()
            return None if d == EMPTY_DATE else d.toString("yyyy-MM-dd")
        assert isinstance(e, QLineEdit)
        return e.text().strip() or None

    def set_text(self, value: str | None) -> None:
        e = self.editor
        e.blockSignals(True)
        if isinstance(e, QComboBox):
            e.setCurrentIndex(self.codes.index(value) if value in self.codes else 0)
        elif isinstance(e, QDateEdit):
            d = QDate.fromString(value or "", "yyyy-MM-dd")
            e.setDate(d if d.isValid() else EMPTY_DATE)
        else:
            assert isinstance(e, QLineEdit)
            e.setText(value or "")
        e.blockSignals(False)


class FormWidget(QWidget):
    """The editors of one form; `values()` are what the user typed, `changed_values()` the edits."""

    dirty_changed = Signal(bool)

    def __init__(
        self, study: StudyDefinition, form: Form, language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.study, self.form, self.language = study, form, language
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(lambda clean: self.dirty_changed.emit(not clean))
        self.fields: dict[ItemKey, _Field] = {}
        self.tables: dict[str, QTableWidget] = {}
        self.labels: dict[ItemKey, QLabel] = {}
        self._loaded: dict[ItemKey, str | None] = {}
        self._current: dict[ItemKey, str | None] = {}
        self._order: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in form.groups:
            layout.addWidget(self._group_box(group))
        layout.addStretch(1)
        for first, second in zip(self._order, self._order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.undo_stack.redo)

    # --- building ------------------------------------------------------------------------
    def _group_box(self, group: ItemGroup) -> QGroupBox:
        box = QGroupBox(group.label.get(self.language))
        box.setObjectName(group.oid)
        if group.repeating:
            table = self._table(group)
            inner = QVBoxLayout(box)
            inner.addWidget(table)
            add = QPushButton(_tr("Add row"))
            add.setObjectName(f"add:{group.oid}")
            add.clicked.connect(lambda: self._add_row(group.oid))
            inner.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
            self._order += [table, add]
            return box
        # A grid, not a QFormLayout: it gives a wrapped label the height its width needs (a form
        # layout clipped long labels such as "Stimulated C-peptide (MMTT 90 min)").
        form_layout = QGridLayout(box)
        form_layout.setColumnStretch(1, 1)
        form_layout.setColumnMinimumWidth(0, LABEL_MIN_WIDTH)
        for index, item in enumerate(group.items):
            key = (group.oid, "1", item.oid)
            editor, codes = self._editor(item)
            editor.setObjectName(item.oid)
            field = _Field(item, editor, codes)
            self.fields[key] = field
            label = QLabel(item_label(item, self.language))
            label.setBuddy(editor)
            label.setWordWrap(True)
            if item.help is not None:
                label.setToolTip(item.help.get(self.language))
                editor.setToolTip(item.help.get(self.language))
            self.labels[key] = label
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.addWidget(editor, 1)
            if item.unit:
                row_layout.addWidget(QLabel(item.unit))
            label.setMinimumWidth(LABEL_MIN_WIDTH)
            label.setMaximumWidth(LABEL_MAX_WIDTH)
            form_layout.addWidget(label, index, 0, Qt.AlignmentFlag.AlignVCenter)
            form_layout.addWidget(row, index, 1)
            self._connect(key, editor)
            if item.derived:
                editor.setEnabled(False)  # written by the system from a rule
            else:
                self._order.append(editor)
        return box

    def _editor(self, item: Item) -> tuple[QWidget, list[str]]:
        if item.data_type in ("choice", "boolean"):
            combo = QComboBox()
            pairs = choices(self.study, item, self.language)
            for _, text in pairs:
                combo.addItem(text)
            return combo, [code for code, _ in pairs]
        if item.data_type == "date":
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(EMPTY_DATE)
            edit.setSpecialValueText(" ")  # the minimum date shows as empty: no date entered
            edit.setDate(EMPTY_DATE)
            return edit, []
        line = QLineEdit()
        if item.data_type == "datetime":
            line.setPlaceholderText("YYYY-MM-DD HH:MM")
        elif item.data_type == "time":
            line.setPlaceholderText("HH:MM")
        elif item.hard_range is not None and item.data_type in ("integer", "float"):
            low, high = item.hard_range.low, item.hard_range.high
            line.setPlaceholderText(f"{_num(low)} – {_num(high)}")
        return line, []

    def _connect(self, key: ItemKey, editor: QWidget) -> None:
        editor.installEventFilter(self)
        if isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(lambda _i: self._edited(key))
        elif isinstance(editor, QDateEdit):
            editor.dateChanged.connect(lambda _d: self._edited(key))
        elif isinstance(editor, QLineEdit):
            editor.editingFinished.connect(lambda: self._edited(key))

    def _table(self, group: ItemGroup) -> QTableWidget:
        items = [i for i in group.items]
        table = QTableWidget(0, len(items))
        table.setObjectName(group.oid)
        table.setHorizontalHeaderLabels(
            [item_label(i, self.language) + (f"\n{i.unit}" if i.unit else "") for i in items]
        )
        # Every column as wide as its heading or its values: no clipped "C-peptide (nmol/L)".
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column, item in enumerate(items):
            header = table.horizontalHeaderItem(column)
            if header is not None and item.help is not None:
                header.setToolTip(item.help.get(self.language))
        table.itemChanged.connect(lambda cell: self._cell_edited(group, cell))
        table.installEventFilter(self)
        self.tables[group.oid] = table
        return table

    def set_language(self, language: str) -> None:
        """Labels, help, choices and table headings in `language` (a run-time language switch);
        what was typed stays, unsaved edits included, and nothing is recorded as an edit."""
        if language == self.language:
            return
        old = self.language
        self.language = language
        for group in self.form.groups:
            box = self.findChild(QGroupBox, group.oid)
            if box is not None:
                box.setTitle(group.label.get(language))
        for key, field in self.fields.items():
            item = field.item
            self.labels[key].setText(item_label(item, language))
            if item.help is not None:
                self.labels[key].setToolTip(item.help.get(language))
                field.editor.setToolTip(item.help.get(language))
            if isinstance(field.editor, QComboBox):
                labels = dict(choices(self.study, item, language))
                for index, code in enumerate(field.codes):
                    field.editor.setItemText(index, labels.get(code, code))
        for oid, table in self.tables.items():
            self._translate_table(self._group(oid), table, old)

    def _translate_table(self, group: ItemGroup, table: QTableWidget, old: str) -> None:
        table.blockSignals(True)
        for column, item in enumerate(group.items):
            header = table.horizontalHeaderItem(column)
            if header is not None:
                header.setText(
                    item_label(item, self.language) + (f"\n{item.unit}" if item.unit else "")
                )
                if item.help is not None:
                    header.setToolTip(item.help.get(self.language))
            if not item.codelist:
                continue
            before = dict((label, code) for code, label in choices(self.study, item, old))
            for row in range(table.rowCount()):
                cell = table.item(row, column)
                if cell is not None and cell.text() in before:
                    cell.setText(self._display(item, before[cell.text()]))
        table.blockSignals(False)

    def _add_row(self, group_oid: str) -> None:
        table = self.tables[group_oid]
        table.blockSignals(True)
        table.insertRow(table.rowCount())
        table.setVerticalHeaderItem(table.rowCount() - 1, QTableWidgetItem(str(table.rowCount())))
        table.blockSignals(False)
        table.setCurrentCell(table.rowCount() - 1, 0)

    def _group(self, oid: str) -> ItemGroup:
        return next(g for g in self.form.groups if g.oid == oid)

    # --- values --------------------------------------------------------------------------
    def load(self, values: Mapping[ItemKey, str | None]) -> None:
        """Show stored values; the undo history starts clean."""
        self._loaded = dict(values)
        self._current = dict(values)
        for key, field in self.fields.items():
            field.set_text(values.get(key))
        for oid, table in self.tables.items():
            group = self._group(oid)
            repeats = sorted({k[1] for k in values if k[0] == oid}, key=_repeat_order)
            table.blockSignals(True)
            table.setRowCount(len(repeats))
            for row, repeat in enumerate(repeats):
                table.setVerticalHeaderItem(row, QTableWidgetItem(repeat))
                for column, item in enumerate(group.items):
                    text = self._display(item, values.get((oid, repeat, item.oid)))
                    table.setItem(row, column, QTableWidgetItem(text))
            table.blockSignals(False)
        self.undo_stack.clear()

    def _display(self, item: Item, value: str | None) -> str:
        if value is None:
            return ""
        if item.codelist:
            label = self.study.codelists[item.codelist].label_of(value)
            return label.get(self.language) if label is not None else value
        return value

    def _code(self, item: Item, text: str) -> str | None:
        """A typed cell back to its stored form: a choice may be typed as its code or label."""
        text = text.strip()
        if not text:
            return None
        if item.codelist:
            for code, label in choices(self.study, item, self.language):
                if text in (code, label) and code:
                    return code
        return text

    def set_value(self, key: ItemKey, value: str | None) -> None:
        """Put a value in its editor (undo/redo, tests); records it as the current value."""
        self._current[key] = value
        if key in self.fields:
            self.fields[key].set_text(value)
            return
        table = self.tables[key[0]]
        group = self._group(key[0])
        row = self._row_of(table, key[1])
        column = [i.oid for i in group.items].index(key[2])
        table.blockSignals(True)
        table.setItem(row, column, QTableWidgetItem(self._display(group.items[column], value)))
        table.blockSignals(False)

    def _row_of(self, table: QTableWidget, repeat: str) -> int:
        for row in range(table.rowCount()):
            header = table.verticalHeaderItem(row)
            if header is not None and header.text() == repeat:
                return row
        self._add_row(table.objectName())
        table.setVerticalHeaderItem(table.rowCount() - 1, QTableWidgetItem(repeat))
        return table.rowCount() - 1

    def _edited(self, key: ItemKey) -> None:
        new = self.fields[key].text()
        old = self._current.get(key)
        if new != old:
            self._current[key] = new
            self.undo_stack.push(_SetValueCommand(self, key, old, new))

    def _cell_edited(self, group: ItemGroup, cell: QTableWidgetItem) -> None:
        table = self.tables[group.oid]
        header = table.verticalHeaderItem(cell.row())
        repeat = header.text() if header is not None else str(cell.row() + 1)
        item = group.items[cell.column()]
        key = (group.oid, repeat, item.oid)
        new = self._code(item, cell.text())
        old = self._current.get(key)
        if new != old:
            self._current[key] = new
            self.undo_stack.push(_SetValueCommand(self, key, old, new))

    def values(self) -> dict[ItemKey, str | None]:
        return dict(self._current)

    def changed_values(self) -> dict[ItemKey, str | None]:
        """Edited items (derived ones never: the system writes them)."""
        out: dict[ItemKey, str | None] = {}
        for key, value in self._current.items():
            if value != self._loaded.get(key) and not self._is_derived(key):
                out[key] = value
        return out

    def _is_derived(self, key: ItemKey) -> bool:
        group = self._group(key[0])
        return any(i.oid == key[2] and i.derived for i in group.items)

    def is_dirty(self) -> bool:
        return bool(self.changed_values())

    def mark_problem(self, key: ItemKey, text: str) -> None:
        label = self.labels.get(key)
        if label is not None:
            label.setToolTip(text)
            label.setStyleSheet("color: #b00020; font-weight: bold;")

    def clear_problems(self) -> None:
        for label in self.labels.values():
            label.setStyleSheet("")

    def label_of(self, key: ItemKey) -> str:
        """The item's label in the form's language (no required marker)."""
        return self.item_of(key).label.get(self.language)

    def item_of(self, key: ItemKey) -> Item:
        group = self._group(key[0])
        return next(i for i in group.items if i.oid == key[2])

    # --- keyboard: Enter moves on ----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if isinstance(watched, QTableWidget):
                _table_next(watched)
                return True
            if isinstance(watched, QLineEdit):
                watched.editingFinished.emit()
            self.focusNextChild()
            return True
        return super().eventFilter(watched, event)


def _table_next(table: QTableWidget) -> None:
    """Enter in a grid: next cell to the right, then the first cell of the next row."""
    row, column = table.currentRow(), table.currentColumn()
    if column + 1 < table.columnCount():
        table.setCurrentCell(row, column + 1)
    elif row + 1 < table.rowCount():
        table.setCurrentCell(row + 1, 0)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _repeat_order(repeat: str) -> tuple[int, str]:
    return (int(repeat), "") if repeat.lstrip("-").isdigit() else (0, repeat)


def ask_reason(parent: QWidget) -> str | None:
    """The reason for changing saved data (21 CFR 11): None when the user cancels."""
    text, ok = QInputDialog.getText(
        parent,
        _tr("Reason for change"),
        _tr("This form was saved before. Why are you changing it?"),
    )
    return text.strip() if ok and text.strip() else None


def ask_soft_confirmation(parent: QWidget, label: str, low: Any, high: Any) -> str | None:
    text, ok = QInputDialog.getText(
        parent,
        _tr("Value outside the expected range"),
        _tr("%1 is outside the expected range %2 – %3. Confirm with a comment:")
        .replace("%1", label)
        .replace("%2", _num(low))
        .replace("%3", _num(high)),
    )
    return text.strip() if ok and text.strip() else None


class FormSaver(QObject):
    """Saves a FormWidget's edits through the worker, handling the range/soft/reason round trips."""

    saved = Signal(object)  # SaveResult
    failed = Signal(str)

    def __init__(
        self,
        context: ShellContext,
        ref: FormRef,
        widget: FormWidget,
        parent_widget: QWidget,
        save: Callable[..., Any] | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self.context, self.ref, self.widget, self.parent_widget = (
            context,
            ref,
            widget,
            parent_widget,
        )
        self.reason: str | None = None
        self.confirmations: dict[ItemKey, str] = {}

    def save(self, complete: bool | None = None) -> None:
        ws, session, ref = self.context.workspace, self.context.session, self.ref
        values = self.widget.changed_values()
        reason, confirmations = self.reason, dict(self.confirmations)
        self._complete = complete

        def call() -> Any:
            from app.services.forms import save_form

            return save_form(
                ws,
                session,
                ref.subject_key,
                ref.event_oid,
                ref.repeat_key,
                ref.form_oid,
                values,
                reason=reason,
                confirmations=confirmations,
                complete=complete,
            )

        self.context.runner.submit(
            call, self._done, self._failed, owner=self, changes=(FORMS, SUBJECTS, AUDIT)
        )

    def _done(self, result: Any) -> None:
        self.reason = None
        self.confirmations.clear()
        self.widget.clear_problems()
        self.widget.load(self.widget.values())
        self.saved.emit(result)

    def _failed(self, exc: Exception) -> None:
        from app.services.errors import ReasonRequired
        from ui.ward.soft_range import confirm_soft_values, validation_problems

        if isinstance(exc, ReasonRequired):
            reason = ask_reason(self.parent_widget)
            if reason is None:
                self.failed.emit(_tr("Not saved: a reason for the change is needed."))
                return
            self.reason = reason
            self.save(self._complete)
            return
        problems = validation_problems(exc)
        if problems is not None:
            answer = confirm_soft_values(
                self.parent_widget, problems, self.widget.label_of, self.widget.mark_problem
            )
            if answer.comments is None:
                self.failed.emit(answer.message)
                return
            self.confirmations.update(answer.comments)
            self.save(self._complete)
            return
        self.failed.emit(error_text(exc))


def _problem_text(code: str, values: Mapping[str, Any]) -> str:
    low, high = _num(values.get("low")), _num(values.get("high"))
    texts = {
        "forms.hard_range": _tr("refused: allowed range is %1 – %2"),
        "forms.soft_range": _tr("outside the expected range %1 – %2"),
        "forms.not_a_number": _tr("not a number"),
        "forms.not_an_integer": _tr("not a whole number"),
        "forms.bad_date": _tr("not a date (YYYY-MM-DD)"),
        "forms.bad_datetime": _tr("not a date and time (YYYY-MM-DD HH:MM)"),
        "forms.bad_time": _tr("not a time (HH:MM)"),
        "forms.not_in_codelist": _tr("not one of the choices"),
        "forms.too_long": _tr("too long"),
        "forms.required": _tr("required"),
    }
    return texts.get(code, code).replace("%1", low).replace("%2", high)


class FormPage(QWidget):
    """A generated entry page for one form of one subject: load, edit, save, never lose edits."""

    def __init__(self, context: ShellContext, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.ref = context, ref
        study = context.workspace.require_study()
        self.study = study
        form = study.forms[ref.form_oid]
        language = context.language.language
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.form_widget = FormWidget(study, form, language)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save")
        self.complete_button = QPushButton()
        self.complete_button.setObjectName("complete")
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(self.form_widget.undo_stack.undo)
        self.form_widget.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.saver = FormSaver(context, ref, self.form_widget, self)
        self.saver.saved.connect(self._saved)
        self.saver.failed.connect(self.status.setText)
        self.save_button.clicked.connect(lambda: self.saver.save())
        self.complete_button.clicked.connect(lambda: self.saver.save(complete=True))
        self.sdv_button = QPushButton()
        self.sdv_button.setObjectName("sdv")
        self.sdv_button.setVisible(context.can("source_verify"))
        self.sdv_button.clicked.connect(self.mark_sdv)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.sdv_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.complete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.snapshot: Any = None
        self.queries: list[Any] = []
        self._retranslate()
        from ui.ward.queries_page import install_item_menus

        install_item_menus(self)
        context.runner.changed.connect(self._on_changed)
        self.reload()

    def _retranslate(self) -> None:
        language = self.context.language.language
        self.form_widget.set_language(language)
        ref = self.ref
        repeat = f" [{ref.repeat_key}]" if ref.repeat_key else ""
        form = self.study.forms[ref.form_oid]
        self.heading.setText(f"{ref.subject_key} · {form.label.get(language)}{repeat}")
        self.save_button.setText(_tr("Save"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)  # setText resets it
        self.complete_button.setText(_tr("Save as complete"))
        self.undo_button.setText(_tr("Undo"))
        self.sdv_button.setText(_tr("Mark source-data verified"))
        self._show_queries()
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()  # the language switched at run time: labels, choices, buttons
        super().changeEvent(event)

    def _on_changed(self, topic: str) -> None:
        if topic in (FORMS, "queries") and not self.form_widget.is_dirty():
            self.reload()

    def reload(self) -> None:
        ws, session, ref = self.context.workspace, self.context.session, self.ref

        def fetch() -> Any:
            from app.services.forms import load_form
            from app.services.queries import QueryFilter, list_queries

            snapshot = load_form(
                ws, session, ref.subject_key, ref.event_oid, ref.repeat_key, ref.form_oid
            )
            queries = list_queries(ws, session, QueryFilter(ref.subject_key, None, ref.form_oid))
            mine = [
                q for q in queries if (q.event_oid, q.repeat_key) == (ref.event_oid, ref.repeat_key)
            ]
            return snapshot, mine

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, result: Any) -> None:
        snapshot, self.queries = result
        self._show_queries()
        self.snapshot = snapshot
        self.form_widget.load(snapshot.values)
        self._show_status()

    def _show_status(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        status = {
            "not_started": _tr("Not started"),
            "incomplete": _tr("Incomplete"),
            "complete": _tr("Complete"),
        }.get(snapshot.status, snapshot.status)
        if snapshot.sdv:
            status += " · " + _tr("source data verified")
        self.status.setText(status)

    def _failed(self, exc: Exception) -> None:
        self.status.setText(error_text(exc))

    def _show_queries(self) -> None:
        """Items with a query not closed carry "[? query status]" after their label."""
        from ui.ward.queries_page import status_text

        language = self.form_widget.language
        for key, label in self.form_widget.labels.items():
            item = self.form_widget.item_of(key)
            text = item.label.get(language) + (" *" if item.required else "")
            states = [q.status for q in self.queries if q.item == key and q.status != "closed"]
            if states:
                text += " [? " + ", ".join(status_text(s) for s in states) + "]"
            label.setText(text)

    def mark_sdv(self) -> None:
        ws, session, ref = self.context.workspace, self.context.session, self.ref

        def call() -> Any:
            from app.services.queries import mark_sdv

            return mark_sdv(
                ws, session, ref.subject_key, ref.event_oid, ref.repeat_key, ref.form_oid
            )

        self.context.runner.submit(
            call, lambda _r: self.reload(), self._failed, owner=self, changes=(FORMS, AUDIT)
        )

    def _saved(self, result: Any) -> None:
        self.status.setText(
            _tr("Saved: %1 item(s) changed.").replace("%1", str(result.changed_items))
        )

    def confirm_discard(self) -> bool:
        """True when there is nothing unsaved or the user chose to discard it."""
        if not self.form_widget.is_dirty():
            return True
        return ask_discard(
            self,
            _tr("Unsaved changes"),
            _tr("This form has changes that are not saved. Discard them?"),
        )

    def closeEvent(self, event: Any) -> None:
        if self.confirm_discard():
            # Python-made undo commands must go before their C++ stack (PySide ownership).
            self.form_widget.undo_stack.clear()
            event.accept()
        else:
            event.ignore()
