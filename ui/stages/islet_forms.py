"""The islet product and infusion editors: generated FormWidgets saved through stage_islet.

The editors are ui.ward's FormWidget (labels, units, code lists, ranges, undo) so nothing of the
study definition is repeated here. IsletFormSaver keeps FormSaver's round trips (a hard range is
refused with the allowed range, a soft one asks for a comment, a change of saved data asks for a
reason) but, after the items are saved, hands over to the stage service: record_islet_product
(infusion number, IEQ/kg and release checks) or record_islet_infusion (the stage moves and the
follow-up anchor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.study.model import Form, StudyDefinition
from ui.context import ShellContext
from ui.form_registry import FormRef
from ui.ward.form_widget import FormSaver, FormWidget
from ui.worker import AUDIT, FORMS, SUBJECTS

# (workspace, session, form saved, its values) -> the stage service's result, run on the worker
AfterSave = Callable[[Any, Any, FormRef, dict[tuple[str, str, str], str | None]], Any]


def entry_form(study: StudyDefinition, form_oid: str, groups: tuple[str, ...] = ()) -> Form:
    """The form as the islet screen edits it: only `groups` when given (computed groups are shown
    by the screen from the service, not as disabled editors)."""
    form = study.forms[form_oid]
    if not groups:
        return form
    return replace(form, groups=tuple(g for g in form.groups if g.oid in groups))


class IsletFormSaver(FormSaver):
    """Saves the widget's edits with save_form (reason, soft-range comments), then calls `after`."""

    def __init__(
        self,
        context: ShellContext,
        ref: FormRef,
        widget: FormWidget,
        parent_widget: Any,
        after: AfterSave,
    ) -> None:
        super().__init__(context, ref, widget, parent_widget)
        self.after = after

    def set_ref(self, ref: FormRef) -> None:
        """Another infusion of the same form (the repeat key changes)."""
        self.ref = ref
        self.reason = None
        self.confirmations.clear()

    def _iso(self, key: tuple[str, str, str], value: str | None) -> str | None:
        """A date and time typed "YYYY-MM-DD HH:MM" stored as ISO 8601 "YYYY-MM-DDTHH:MM": the
        services read dates back with a "T" (stage_common.as_date), e.g. the follow-up anchor."""
        if value and self.widget.item_of(key).data_type == "datetime":
            return value.strip().replace(" ", "T", 1)
        return value

    def save(self, complete: bool | None = None) -> None:
        ws, session, ref = self.context.workspace, self.context.session, self.ref
        values = {k: self._iso(k, v) for k, v in self.widget.changed_values().items()}
        everything = {k: self._iso(k, v) for k, v in self.widget.values().items()}
        reason, confirmations, after = self.reason, dict(self.confirmations), self.after
        self._complete = complete

        def call() -> Any:
            from app.services.forms import save_form

            if values:
                save_form(
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
            return after(ws, session, ref, everything)

        self.context.runner.submit(
            call, self._done, self._failed, owner=self, changes=(FORMS, SUBJECTS, AUDIT)
        )


def relabel(widget: FormWidget, language: str) -> None:
    """The generated editors in another language (labels, group titles, choices, grid headers);
    the values and the undo history stay as they are."""
    from PySide6.QtWidgets import QComboBox, QGroupBox

    from ui.ward.form_widget import choices, item_label

    widget.language = language
    for group in widget.form.groups:
        box = widget.findChild(QGroupBox, group.oid)
        if box is not None:
            box.setTitle(group.label.get(language))
        table = widget.tables.get(group.oid)
        if table is not None:
            table.setHorizontalHeaderLabels(
                [item_label(i, language) + (f" ({i.unit})" if i.unit else "") for i in group.items]
            )
    for key, label in widget.labels.items():
        label.setText(item_label(widget.item_of(key), language))
    for field in widget.fields.values():
        editor = field.editor
        if isinstance(editor, QComboBox):
            for index, (_code, text) in enumerate(choices(widget.study, field.item, language)):
                editor.setItemText(index, text)
