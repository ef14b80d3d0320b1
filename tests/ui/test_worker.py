"""The one worker: jobs run off the GUI thread, in order, results come back on the GUI thread."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject

from tests.ui.conftest import wait_for


def test_results_return_on_gui_thread_in_order(qtbot, runner):
    gui = threading.get_ident()
    ran_on: list[int] = []
    results: list[tuple[int, int]] = []

    for n in range(5):
        runner.submit(
            lambda n=n: (ran_on.append(threading.get_ident()), n)[1],
            lambda value: results.append((value, threading.get_ident())),
        )
    wait_for(qtbot, runner)

    assert [value for value, _ in results] == [0, 1, 2, 3, 4]
    assert all(thread == gui for _, thread in results)
    assert set(ran_on) != {gui} and len(set(ran_on)) == 1  # one worker thread, not the GUI


def test_failure_reaches_its_handler_and_changes_only_on_success(qtbot, runner):
    failures: list[Exception] = []
    topics: list[str] = []
    runner.changed.connect(topics.append)

    def broken() -> None:
        raise ValueError("nope")

    runner.submit(broken, on_failure=failures.append, changes=("users",))
    runner.submit(lambda: 1, changes=("subjects",))
    wait_for(qtbot, runner)

    assert [type(e) for e in failures] == [ValueError]
    assert topics == ["subjects"]


def test_unhandled_failure_is_announced(qtbot, runner):
    with qtbot.waitSignal(runner.unhandled_failed) as blocker:
        runner.submit(lambda: 1 / 0)
    assert isinstance(blocker.args[0], ZeroDivisionError)


def test_callback_of_deleted_owner_is_skipped(qtbot, runner):
    owner = QObject()
    called: list[int] = []
    runner.submit(lambda: 1, called.append, owner=owner)
    shiboken6.delete(owner)  # gone before the GUI thread sees the result
    qtbot.waitUntil(lambda: runner.pending == 0)

    assert called == []
