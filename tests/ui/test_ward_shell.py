"""The ward screens inside the real main window: the worklist is home, a row opens its task, the
subject page shows the stage stepper with the stage's screens, monitors reach the query list.

Demo ward (tests/ui/conftest.py `ward`): FD-004 conditioning day -3, FD-005 infused day +6.
"""

from __future__ import annotations

from typing import Any

from tests.ui.conftest import wait_for
from ui.main_window import MainWindow
from ui.pages.subject_page import REF_ROLE


def _window(qtbot: Any, runner: Any, context: Any) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    wait_for(qtbot, runner)
    return window


def _nav(window: MainWindow) -> list[str]:
    return [window.navigation.item(i).text() for i in range(window.navigation.count())]


def test_nurse_starts_on_the_worklist_and_a_row_opens_the_screen_of_its_task(
    qtbot: Any, runner: Any, ward: Any, make_context: Any
) -> None:
    from app.services.stage_common import Target
    from ui.ward.form_widget import FormPage
    from ui.ward.stepper import StagePage

    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("nurse")))
    assert _nav(window)[0] == "Today on the ward"
    assert window.stack.currentWidget() is window.worklist
    model = window.worklist.model
    keys = [model.row_at(r).subject_key for r in range(model.rowCount())]
    assert "FD-004" in keys

    window.worklist.open_row(keys.index("FD-004"))  # conditioning day -3: doses due
    wait_for(qtbot, runner)

    assert window.stack.currentWidget() is window.subject_page
    assert window.subject_page.subject_key == "FD-004"
    detail = window.subject_page.detail
    # The conditioning screen, where the day's doses are given and checked, at the front.
    assert isinstance(detail, StagePage)
    assert detail.current_body() is detail.bodies["conditioning"]

    window.open_task("FD-001", Target("SE.SCREEN", "", "F.VS"))  # no stage screen for it
    wait_for(qtbot, runner)
    form = window.subject_page.detail
    assert isinstance(form, FormPage)
    assert (form.ref.event_oid, form.ref.form_oid) == ("SE.SCREEN", "F.VS")


def test_subject_after_infusion_shows_the_stepper_and_the_engraftment_tab(
    qtbot: Any, runner: Any, ward: Any, make_context: Any
) -> None:
    from ui.ward.engraftment_page import EngraftmentPage
    from ui.ward.stepper import StagePage

    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("physician")))
    window.open_subject("FD-005")
    wait_for(qtbot, runner)

    stage_page = window.subject_page.detail
    assert isinstance(stage_page, StagePage)
    assert stage_page.tabs.tabText(0) == "Engraftment and post-transplant care"
    assert isinstance(stage_page.current_body(), EngraftmentPage)
    assert set(stage_page.bodies) == {"engraftment"}  # other tabs are built when first shown
    assert any("Infused" in box.text() or "✓" in box.text() for box in stage_page.stepper.boxes)


def test_generated_form_pages_open_from_the_subject_tree(
    qtbot: Any, runner: Any, ward: Any, make_context: Any
) -> None:
    from ui.form_registry import FormRef
    from ui.ward.form_widget import FormPage

    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("nurse")))
    window.open_subject("FD-001")
    wait_for(qtbot, runner)
    window.subject_page.open_form(FormRef("FD-001", "SE.SCREEN", "", "F.VS"))
    wait_for(qtbot, runner)
    assert isinstance(window.subject_page.detail, FormPage)


def test_monitor_has_the_query_list_and_no_clinical_entry(
    qtbot: Any, runner: Any, ward: Any, make_context: Any
) -> None:
    monitor = _window(qtbot, runner, make_context(ward.workspace, ward.login("monitor")))
    admin = _window(qtbot, runner, make_context(ward.workspace, ward.login("admin")))

    assert "Data queries" in _nav(monitor)
    assert "Today on the ward" in _nav(monitor)  # monitors review the ward's state
    assert "Today on the ward" not in _nav(admin)  # administrators enter no clinical data
    assert "Data queries" not in _nav(admin)


def test_a_saved_form_stays_on_screen_and_the_stage_screen_is_one_click_away(
    qtbot: Any, runner: Any, ward: Any, make_context: Any
) -> None:
    from ui.form_registry import FormRef
    from ui.pages.subject_page import STAGE_REF
    from ui.ward.form_widget import FormPage
    from ui.ward.stepper import StagePage

    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("nurse")))
    window.open_subject("FD-005")
    wait_for(qtbot, runner)
    page = window.subject_page
    page.open_form(FormRef("FD-005", "SE.POST", "6", "F.FBC"))
    form = page.detail
    assert isinstance(form, FormPage)
    wait_for(qtbot, runner)
    form.form_widget.set_value(("IG.FBC", "1", "IT.LB.ANC"), "0.3")
    form.save_button.click()
    wait_for(qtbot, runner)

    assert page.detail is form  # the subject page reloaded, the nurse's form stayed
    from app.services.forms import load_form

    stored = load_form(ward.workspace, ward.login("nurse"), "FD-005", "SE.POST", "6", "F.FBC")
    assert stored.values[("IG.FBC", "1", "IT.LB.ANC")] == "0.3"
    assert form.form_widget.values()[("IG.FBC", "1", "IT.LB.ANC")] == "0.3"
    stage_item = page.tree.topLevelItem(0)
    assert stage_item.data(0, REF_ROLE) == STAGE_REF
    page.tree.itemActivated.emit(stage_item, 0)
    assert isinstance(page.detail, StagePage)


def test_unsaved_edits_are_never_dropped_by_opening_something_else(
    qtbot: Any, runner: Any, ward: Any, make_context: Any, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.form_registry import FormRef
    from ui.ward.form_widget import FormPage

    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("nurse")))
    window.open_subject("FD-005")
    wait_for(qtbot, runner)
    page = window.subject_page
    page.open_form(FormRef("FD-005", "SE.POST", "6", "F.FBC"))
    wait_for(qtbot, runner)
    form = page.detail
    assert isinstance(form, FormPage)
    form.form_widget.set_value(("IG.FBC", "1", "IT.LB.ANC"), "0.4")  # typed, not saved
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Any:
        return lambda *a, **k: asked.append("asked") or button

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    page.open_form(FormRef("FD-005", "SE.SCREEN", "", "F.VS"))
    window.open_subject("FD-004")
    assert asked == ["asked", "asked"]
    assert page.detail is form and page.subject_key == "FD-005"  # the nurse chose to stay
    assert form.form_widget.values()[("IG.FBC", "1", "IT.LB.ANC")] == "0.4"

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    window.open_subject("FD-004")
    wait_for(qtbot, runner)
    assert page.subject_key == "FD-004" and page.detail is not form
