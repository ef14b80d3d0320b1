"""The generated form: editors from the study definition, undo, Enter moves on, hard range refused
with the allowed range, soft range confirmed by a comment, a reason asked when saved data changes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QGroupBox,
    QInputDialog,
    QLineEdit,
    QMessageBox,
)

from app.services.audit_trail import audit_rows
from app.services.forms import load_form
from app.services.permissions import Role
from tests.ui.conftest import wait_for
from ui.form_registry import FormRef
from ui.ward.form_widget import FormPage

VS = ("IG.VS", "1")


def _page(qtbot: Any, make_context: Any, ws: Any, user: Any, key: str, form: str) -> FormPage:
    context = make_context(ws, user)
    page = FormPage(context, FormRef(key, "SE.SCREEN", "", form))
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    wait_for(qtbot, context.runner)
    return page


def _type(qtbot: Any, page: FormPage, item: str, text: str) -> None:
    editor = page.form_widget.fields[(*VS, item)].editor
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.clear()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Enter commits and moves to the next field


def test_generated_vital_signs_form_saves_refuses_and_asks(
    qtbot: Any,
    make_context: Any,
    ward_ws: Any,
    users: Any,
    new_subject: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nurse = users[Role.NURSE]
    page = _page(qtbot, make_context, ward_ws, nurse, new_subject, "F.VS")
    fw = page.form_widget
    weight = fw.fields[(*VS, "IT.VS.WEIGHT")]
    assert fw.labels[(*VS, "IT.VS.DTC")].text().endswith("*")  # required marker
    assert not fw.fields[(*VS, "IT.VS.BMI")].editor.isEnabled()  # derived: never typed
    assert weight.editor.placeholderText() == "1 – 200"  # type: ignore[attr-defined]

    _type(qtbot, page, "IT.VS.WEIGHT", "25")
    assert QApplication.focusWidget() is fw.fields[(*VS, "IT.VS.TEMP")].editor  # Enter moved on
    fw.undo_stack.undo()
    assert weight.text() is None
    fw.undo_stack.redo()
    assert weight.text() == "25"

    # Hard range: refused with the allowed range, nothing stored.
    _type(qtbot, page, "IT.VS.HEIGHT", "300")
    page.save_button.click()
    wait_for(qtbot, page.context.runner)
    assert "30 – 220" in page.status.text()
    assert load_form(ward_ws, nurse, new_subject, "SE.SCREEN", "", "F.VS").values == {}

    # Soft range: a confirmation comment is asked, then saved.
    asked: list[str] = []

    def answer(_parent: Any, title: str, _label: str, *a: Any, **k: Any) -> tuple[str, bool]:
        asked.append(title)
        return ("checked twice", True)

    monkeypatch.setattr(QInputDialog, "getText", answer)
    _type(qtbot, page, "IT.VS.HEIGHT", "210")
    page.save_button.click()
    wait_for(qtbot, page.context.runner)
    assert asked == ["Value outside the expected range"]
    stored = load_form(ward_ws, nurse, new_subject, "SE.SCREEN", "", "F.VS").values
    assert stored[(*VS, "IT.VS.WEIGHT")] == "25" and stored[(*VS, "IT.VS.HEIGHT")] == "210"
    assert not fw.is_dirty()

    # A change of saved data asks a reason, which goes into the audit trail.
    asked.clear()
    _type(qtbot, page, "IT.VS.WEIGHT", "26")
    page.save_button.click()
    wait_for(qtbot, page.context.runner)
    assert asked == ["Reason for change"]
    rows = audit_rows(ward_ws, users[Role.MONITOR], new_subject)
    change = next(r for r in rows if r.action == "update" and r.path.endswith("IT.VS.WEIGHT"))
    assert (change.old_value, change.new_value, change.reason) == (
        "25 kg",
        "26 kg",
        "checked twice",
    )


def test_unsaved_changes_ask_before_closing(
    qtbot: Any,
    make_context: Any,
    ward_ws: Any,
    users: Any,
    new_subject: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = _page(qtbot, make_context, ward_ws, users[Role.NURSE], new_subject, "F.VS")
    assert page.confirm_discard()  # nothing typed: nothing asked
    _type(qtbot, page, "IT.VS.HR", "90")
    answers = [QMessageBox.StandardButton.Cancel] + [QMessageBox.StandardButton.Discard] * 3
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    assert not page.confirm_discard()
    assert page.confirm_discard()


def test_choices_dates_and_repeating_groups_come_from_the_definition(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str
) -> None:
    page = _page(qtbot, make_context, ward_ws, users[Role.NURSE], new_subject, "F.DM")
    fw = page.form_widget
    kinds = {type(f.editor).__name__ for f in fw.fields.values()}
    assert "QComboBox" in kinds
    assert any(isinstance(f.editor, QDateEdit) for f in fw.fields.values()) or "QLineEdit" in kinds
    study = ward_ws.study
    repeating = next(f for f in study.forms.values() if any(g.repeating for g in f.groups))
    page2 = FormPage(make_context(ward_ws, users[Role.NURSE]),
                     FormRef(new_subject, "SE.SCREEN", "", repeating.oid))  # fmt: skip
    qtbot.addWidget(page2)
    wait_for(qtbot, page2.context.runner)
    group = next(g for g in repeating.groups if g.repeating)
    table = page2.form_widget.tables[group.oid]
    assert table.columnCount() == len(group.items)


def test_queries_raised_answered_closed_and_sdv(
    qtbot: Any,
    make_context: Any,
    ward_ws: Any,
    users: Any,
    new_subject: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.services.forms import save_form
    from ui.ward.queries_page import QueriesPage, raise_query_on

    nurse, monitor = users[Role.NURSE], users[Role.MONITOR]
    save_form(ward_ws, nurse, new_subject, "SE.SCREEN", "", "F.VS",
              {(*VS, "IT.VS.WEIGHT"): "25"})  # fmt: skip
    page = _page(qtbot, make_context, ward_ws, monitor, new_subject, "F.VS")
    assert page.sdv_button.isVisibleTo(page)
    weight_label = page.form_widget.labels[(*VS, "IT.VS.WEIGHT")]
    assert weight_label.actions()  # right-click: Raise query…
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Weight on source?", True))
    raise_query_on(page, (*VS, "IT.VS.WEIGHT"))
    wait_for(qtbot, page.context.runner)
    assert weight_label.text().endswith("[? open]")

    site_page = QueriesPage(make_context(ward_ws, nurse))
    qtbot.addWidget(site_page)
    wait_for(qtbot, site_page.context.runner)
    assert site_page.model.rowCount() == 1
    where = site_page.model.data(site_page.model.index(0, 1))
    assert where == "Screening · Vital signs and body measurements · Weight"  # words, not OIDs
    site_page.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("25 kg in the chart", True))
    site_page.answer_selected()
    wait_for(qtbot, site_page.context.runner)
    assert site_page.model.row_at(0).status == "answered"

    monitor_list = QueriesPage(make_context(ward_ws, monitor))
    qtbot.addWidget(monitor_list)
    wait_for(qtbot, monitor_list.context.runner)
    monitor_list.table.selectRow(0)
    monitor_list.close_selected()
    wait_for(qtbot, monitor_list.context.runner)
    assert monitor_list.model.row_at(0).status == "closed"
    page.sdv_button.click()
    wait_for(qtbot, page.context.runner)
    assert load_form(ward_ws, nurse, new_subject, "SE.SCREEN", "", "F.VS").sdv
    assert not weight_label.text().endswith("]")


def test_switching_language_at_run_time_keeps_what_was_typed(
    qtbot: Any, make_context: Any, ward_ws: Any, users: Any, new_subject: str, language: Any
) -> None:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QComboBox

    from ui.i18n import CHINESE

    page = _page(qtbot, make_context, ward_ws, users[Role.NURSE], new_subject, "F.DM")
    fw = page.form_widget
    sex_key = ("IG.DM", "1", "IT.DM.SEX")
    sex = fw.fields[sex_key].editor
    assert isinstance(sex, QComboBox)
    sex.setCurrentIndex(fw.fields[sex_key].codes.index("F"))
    edits = fw.undo_stack.count()
    assert fw.is_dirty() and fw.labels[sex_key].text() == "Sex *"

    language.switch(CHINESE, remember=False)
    qtbot.waitUntil(lambda: fw.labels[sex_key].text() == "性别 *")
    assert sex.currentText() == "女"  # the choice in Chinese, still "F" underneath
    assert fw.values()[sex_key] == "F"
    assert page.heading.text().endswith("人口学资料")
    assert fw.findChild(QGroupBox, "IG.DM").title() == "人口学特征"
    assert fw.is_dirty() and fw.undo_stack.count() == edits  # the switch is not an edit
    assert page.save_button.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
