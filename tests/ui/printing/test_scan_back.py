"""Scan-back (issue 5): a CRF page's QR text typed or scanned into the search opens that form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.crf.locator import CrfLocator
from tests.ui.conftest import wait_for
from tests.ui.printing.conftest import Ward
from ui.main_window import MainWindow
from ui.scan_back import NavigationRequest, ScanBackError, install_scan_back, request_for


def _code(subject: str, event: str, repeat: str, form: str, page: int = 2) -> str:
    return CrfLocator(
        "NCT03835312", "FD", subject, event, repeat, form, "MDV.SEQTX.1", page
    ).payload()


def test_request_for_reads_codes_and_leaves_searches_alone() -> None:
    assert request_for("FD-004") is None
    assert request_for("  seqtx|NCT03835312|FD|FD-004|SE.COND[-3]|F.ISOL|MDV.SEQTX.1|1\n") == (
        NavigationRequest("FD-004", "SE.COND", "-3", "F.ISOL", 1)
    )
    casebook = _code("FD-004", "CASEBOOK", "", "TOC", 1)
    assert request_for(casebook) == NavigationRequest("FD-004")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SEQTX|NCT03835312|FD|FD-004|SE.COND[-3]|F.ISOL", "could not be read"),
        ("SEQTX|NCT0000001|FD|FD-004|SE.COND|F.ISOL|MDV.1|1", "another study"),
        ("SEQTX|NCT03835312|FD||SE.COND|F.ISOL|MDV.1|1", "blank form"),
    ],
)
def test_codes_that_cannot_open_a_form_say_why(text: str, reason: str) -> None:
    with pytest.raises(ScanBackError, match=reason):
        request_for(text)


def _window(qtbot, runner, context) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # keys go to the focused field, as on a ward workstation
    qtbot.waitUntil(window.isActiveWindow)
    wait_for(qtbot, runner)
    install_scan_back(window)
    return window


def _scan(qtbot, window: MainWindow, text: str) -> None:
    search = window.subject_list.search
    search.setFocus()
    qtbot.keyClicks(search, text)  # a scanner types the payload, then Enter
    qtbot.keyClick(search, Qt.Key.Key_Return)


def test_scanning_a_filled_crf_opens_that_subject_visit_and_form(
    qtbot, runner, ward: Ward, make_context
) -> None:
    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("nurse")))
    assert install_scan_back(window) is install_scan_back(window)  # installed once

    with qtbot.waitSignal(install_scan_back(window).navigated) as opened:
        _scan(qtbot, window, _code("FD-004", "SE.COND", "-4", "F.ISOL"))
    wait_for(qtbot, runner)

    assert opened.args == [NavigationRequest("FD-004", "SE.COND", "-4", "F.ISOL", 2)]
    page = window.subject_page
    assert window.stack.currentWidget() is page
    assert page.subject_key == "FD-004"
    ref = page.detail.ref  # the form page shown on the right
    assert (ref.subject_key, ref.event_oid, ref.repeat_key, ref.form_oid) == (
        "FD-004",
        "SE.COND",
        "-4",
        "F.ISOL",
    )
    current = page.tree.currentItem()  # the form is selected in the subject's tree
    assert current is not None and current.parent().text(0).endswith("[-4]")
    assert window.subject_list.search.text() == ""  # ready for the next scan


def test_scanning_todays_form_not_yet_entered_opens_it_empty(
    qtbot, runner, ward: Ward, make_context
) -> None:
    # Day -3 is today for FD-004: its isolation checklist was printed blank and filled on paper.
    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("nurse")))

    with qtbot.waitSignal(install_scan_back(window).navigated):
        _scan(qtbot, window, _code("FD-004", "SE.COND", "-3", "F.ISOL", 1))
    wait_for(qtbot, runner)

    ref = window.subject_page.detail.ref
    assert (ref.subject_key, ref.event_oid, ref.repeat_key, ref.form_oid, ref.stage) == (
        "FD-004",
        "SE.COND",
        "-3",
        "F.ISOL",
        "conditioning",
    )


def test_scanning_a_blank_form_explains_and_stays(qtbot, runner, ward: Ward, make_context) -> None:
    window = _window(qtbot, runner, make_context(ward.workspace, ward.login("nurse")))
    start = window.stack.currentWidget()  # the worklist, the nurse's home screen

    _scan(qtbot, window, _code("", "SE.COND", "", "F.ISOL"))
    wait_for(qtbot, runner)

    assert window.stack.currentWidget() is start
    assert "blank form" in window.statusBar().currentMessage()
