"""Opening a subject: the page (stage, tree, stepper) shows first from one service call, the front
stage tab says "Loading…" and fills in from the worker; unsaved edits there are still guarded.

Demo ward (tests/ui/conftest.py `ward`): FD-001 screening, FD-005 infused day +6.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import wait_for
from ui.pages.subject_page import SubjectPage
from ui.worker import FORMS


def _page(qtbot: Any, context: Any) -> SubjectPage:
    page = SubjectPage(context)
    qtbot.addWidget(page)
    page.show()
    return page


def _record_submits(runner: Any, monkeypatch: Any) -> list[str]:
    names: list[str] = []
    submit = runner.submit

    def recording(fn: Any, *args: Any, **kwargs: Any) -> int:
        names.append(getattr(fn, "__qualname__", "?").split(".<locals>")[0])
        return submit(fn, *args, **kwargs)

    monkeypatch.setattr(runner, "submit", recording)
    return names


def test_the_page_shows_first_and_the_front_tab_fills_in_from_the_worker(
    qtbot: Any, runner: Any, ward: Any, make_context: Any, monkeypatch: Any
) -> None:
    from ui.ward.engraftment_page import EngraftmentPage
    from ui.ward.stepper import StagePage

    page = _page(qtbot, make_context(ward.workspace, ward.login("nurse")))
    submitted = _record_submits(runner, monkeypatch)
    at_shown: dict[str, Any] = {}

    def shown(key: str) -> None:  # runs inside the callback that fills the page
        stage = page.detail
        assert isinstance(stage, StagePage)
        at_shown.update(
            key=key,
            tree_rows=page.tree.topLevelItemCount(),
            steps=[box.objectName() for box in stage.stepper.boxes],
            bodies=dict(stage.bodies),
            loading=stage.loading.text() if stage.loading is not None else None,
        )

    page.subject_shown.connect(shown)
    page.show_subject("FD-005")
    wait_for(qtbot, runner)

    assert at_shown["key"] == "FD-005" and at_shown["tree_rows"] > 1
    assert "step:engraftment" in at_shown["steps"]  # the stepper came with the overview
    assert at_shown["bodies"] == {} and at_shown["loading"] == "Loading…"
    stage = page.detail
    assert isinstance(stage, StagePage) and stage.loading is None
    body = stage.bodies["engraftment"]
    assert isinstance(body, EngraftmentPage) and stage.current_body() is body
    assert body.summary.text().startswith("Day +6") and body.model.rowCount() == 6
    # One read for the overview and the stepper; the stage page read nothing of its own.
    # (_after_paint: the round trips that let the page paint before the front tab is built.)
    assert "_after_paint" in submitted
    reads = [name for name in submitted if name != "_after_paint"]
    assert reads == ["SubjectPage.reload", "EngraftmentPage.reload"]
    assert stage.view is page.stage_view

    runner.changed.emit(FORMS)  # e.g. a form saved elsewhere: the subject page feeds the stepper
    wait_for(qtbot, runner)
    assert submitted.count("SubjectPage.reload") == 2 and "StagePage.reload" not in submitted
    assert page.detail is stage and stage.bodies["engraftment"] is body  # nothing rebuilt
    assert stage.view is page.stage_view


def test_the_engraftment_screen_says_loading_until_its_data_arrives(
    qtbot: Any, runner: Any, ward: Any, make_context: Any
) -> None:
    from ui.form_registry import FormRef
    from ui.ward.engraftment_page import EngraftmentPage

    context = make_context(ward.workspace, ward.login("nurse"))
    screen = EngraftmentPage(context, FormRef("FD-005", "", "", "", "infused"))
    qtbot.addWidget(screen)
    assert screen.summary.text() == "Loading…" and screen.model.rowCount() == 0
    wait_for(qtbot, runner)
    assert screen.summary.text().startswith("Day +6") and screen.model.rowCount() == 6


def test_unsaved_edits_in_the_front_tab_still_ask_before_another_subject_opens(
    qtbot: Any, runner: Any, ward: Any, make_context: Any, monkeypatch: Any
) -> None:
    from ui.stages.screening import ScreeningPage
    from ui.ward.stepper import StagePage

    page = _page(qtbot, make_context(ward.workspace, ward.login("investigator")))
    page.show_subject("FD-001")
    wait_for(qtbot, runner)
    stage = page.detail
    assert isinstance(stage, StagePage)
    screening = stage.current_body()
    assert isinstance(screening, ScreeningPage)
    key = ("IG.ELIG.INCL", "1", "IT.IE.INCL1")
    screening.form_page.form_widget.set_value(key, "N")  # typed, not saved
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Any:
        return lambda *a, **k: asked.append("asked") or button

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    page.show_subject("FD-005")
    assert asked == ["asked"]
    assert page.subject_key == "FD-001" and page.detail is stage  # the user chose to stay
    assert screening.form_page.form_widget.values()[key] == "N"

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    page.show_subject("FD-005")
    wait_for(qtbot, runner)
    assert page.subject_key == "FD-005" and page.detail is not stage
