"""Subject list (search, PHI by role, Enter opens) and subject page (events, forms, registry)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import wait_for
from ui import form_registry
from ui.pages.generic_form_page import GenericFormPage
from ui.pages.subject_list_page import SubjectListPage
from ui.pages.subject_page import REF_ROLE, SubjectPage
from ui.ward.form_widget import FormPage

DEMO_PASSWORD = "demo passphrase for the ward"


@pytest.fixture
def demo(tmp_path: Path, clock: Any) -> Any:
    from app.services.demo import create_demo_site

    result = create_demo_site(tmp_path / "demo" / "seqtx.db", 3, DEMO_PASSWORD, clock)
    yield result
    result.workspace.close()


def _session(demo: Any, username: str) -> Any:
    from app.services.auth import login

    return login(demo.workspace, username, DEMO_PASSWORD)


def _list_page(qtbot, runner, context) -> SubjectListPage:
    page = SubjectListPage(context)
    qtbot.addWidget(page)
    page.show()
    page.reload()
    wait_for(qtbot, runner)
    return page


def test_names_shown_only_to_roles_that_may_see_phi(qtbot, runner, demo, make_context):
    admin_page = _list_page(qtbot, runner, make_context(demo.workspace, _session(demo, "admin")))
    investigator = make_context(demo.workspace, _session(demo, "investigator"))
    investigator_page = _list_page(qtbot, runner, investigator)

    assert admin_page.model.column_keys() == ["subject_key", "stage"]
    assert investigator_page.model.column_keys() == ["subject_key", "stage", "name"]
    assert admin_page.model.rowCount() == 3
    assert admin_page.count_label.text() == "3 subject(s)"


def test_search_and_enter_opens_the_subject(qtbot, runner, demo, make_context):
    page = _list_page(qtbot, runner, make_context(demo.workspace, _session(demo, "nurse")))
    page.search.setText("FD-002")
    page.reload()  # what the typing pause triggers
    wait_for(qtbot, runner)
    assert [page.model.row_at(r).subject_key for r in range(page.model.rowCount())] == ["FD-002"]

    with qtbot.waitSignal(page.subject_opened) as opened:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened.args == ["FD-002"]


def test_subject_page_lists_events_and_opens_a_form(qtbot, runner, demo, make_context, language):
    page = SubjectPage(make_context(demo.workspace, _session(demo, "nurse")))
    qtbot.addWidget(page)
    page.show()
    page.show_subject("FD-001")
    wait_for(qtbot, runner)

    assert page.title.text() == "Subject FD-001"
    assert page.stage_label.text() == "Stage: Screening"
    assert page.tree.topLevelItem(0).text(0) == "Treatment stages: Screening"
    screening = page.tree.topLevelItem(1)
    assert screening.text(0) == "Screening"
    eligibility = screening.child(0)
    assert eligibility.text(0) == "Eligibility"
    assert eligibility.text(1) == "◐"  # the narrow status column; the tooltip says it in words
    assert eligibility.toolTip(1).startswith("Incomplete")

    page.tree.itemActivated.emit(eligibility, 0)
    wait_for(qtbot, runner)
    detail = page.detail
    assert isinstance(detail, FormPage)  # the entry page generated from the study definition
    assert detail.heading.text() == "FD-001 · Eligibility"
    saved = [v for v in detail.form_widget.values().values() if v]
    assert len(saved) >= 3  # the demo's saved answers are on screen


def test_registered_form_page_replaces_the_generic_view(
    qtbot, runner, demo, make_context, monkeypatch
):
    opened: list[Any] = []

    def factory(context, ref, parent):
        opened.append(ref)
        return QLabel("demographics page")

    monkeypatch.setattr(form_registry, "_FORM_PAGES", {})
    form_registry.register_form_page("F.DM", factory)
    page = SubjectPage(make_context(demo.workspace, _session(demo, "nurse")))
    qtbot.addWidget(page)
    page.show_subject("FD-001")
    wait_for(qtbot, runner)
    demographics = page.tree.topLevelItem(1).child(1)
    page.open_form(demographics.data(0, REF_ROLE))

    assert opened[0].form_oid == "F.DM"
    assert opened[0].subject_key == "FD-001"
    assert page.detail.text() == "demographics page"


def test_stage_modules_are_discovered_from_the_stages_package(monkeypatch):
    monkeypatch.setattr(form_registry, "_loaded", False)
    imported: list[str] = []
    monkeypatch.setattr(form_registry.importlib, "import_module", imported.append)
    monkeypatch.setattr(form_registry, "PAGE_MODULES", ["ui.extra_pages"])

    assert form_registry.form_page_factory("F.UNKNOWN") is GenericFormPage
    # PAGE_MODULES first, then every stage screen, which registers last and so takes precedence.
    assert imported[0] == "ui.extra_pages"
    stage_modules = imported[1:]
    assert stage_modules and all(name.startswith("ui.stages.") for name in stage_modules)
