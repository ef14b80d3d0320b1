"""Ward screens (issue 4) on the 500-subject demo ward, as the user sees them: widgets and all.

bench_ward times the service calls behind the screens; this module times the real screens under
QT_QPA_PLATFORM=offscreen with a real ServiceRunner and ShellContext, from the call until the
runner is idle and the widget has painted (QWidget.grab()):

- SubjectPage.show_subject on the subject with the largest record and on an engrafting subject,
  target < 150 ms, as two figures: "page shown" (the stage, the tree of events and forms and the
  stepper are on screen, the front stage tab says "Loading…": until SubjectPage.subject_shown,
  then painted; its baseline is the calls submitted until then) and "front stage tab filled"
  (the front tab built and showing its data: until the runner is idle, then painted; its
  baseline is every call of the open);
- an EngraftmentPage built for the engrafting subject until its data and chart are shown,
  target < 200 ms;
- a WorklistPage reload with every active subject until its model is filled, target < 100 ms.

Each is the median of several runs with the spread (max - min). The baseline of each, measured in
the same run and interleaved with it, is the bare service calls the screen made: the callables it
submitted to the runner are recorded and run again as one job on the same worker, so the ratio is
the cost of the widgets. Waiting never sleeps: the GUI thread blocks in processEvents until the
worker posts its result.
"""

from __future__ import annotations

import functools
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import keyring
from keyring.backends import fail
from PySide6.QtCore import qInstallMessageHandler

from bench.bench_ward import PASSWORD, _largest_subject, demo_database
from bench.report import Report

RUNS = 7
WIDTH, HEIGHT = 1366, 768  # a ward PC's screen


def run(report: Report) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    from ui import style

    style.apply(app)  # the app's font, Fusion and style sheet: polish and size hints cost more
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    handler = qInstallMessageHandler(_quiet)
    try:
        _with_workspace(report, app)
    finally:
        qInstallMessageHandler(handler)
        keyring.set_keyring(previous)


def _quiet(kind: Any, context: Any, message: str) -> None:
    """Qt's messages, less the offscreen platform's note on every window shown."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _with_workspace(report: Report, app: Any) -> None:
    from app.domain.clock import FixedClock
    from app.services.auth import login
    from app.services.workspace import Workspace
    from app.study.loader import default_study
    from db.engine import Database, create_sqlcipher_engine
    from ui.context import ShellContext
    from ui.i18n import ENGLISH, LanguageManager

    path, _ = demo_database()
    key = path.with_suffix(".key").read_bytes()
    clock = FixedClock(datetime(2026, 11, 24, 1, tzinfo=UTC))
    ws = Workspace(Database(create_sqlcipher_engine(path, key), path), default_study(),
                   clock, path)  # fmt: skip
    runner = _recording_runner()
    language = LanguageManager(app)
    language.switch(ENGLISH, remember=False)
    try:
        nurse = login(ws, "nurse", PASSWORD)
        context = ShellContext(runner, ws, nurse, clock, language, path)
        _measure(report, app, context, ws)
    finally:
        runner.shutdown()
        ws.close()


def _recording_runner() -> Any:
    """A real ServiceRunner that also keeps the callables submitted while `recording` is a list."""
    from ui.worker import ServiceRunner

    class RecordingRunner(ServiceRunner):
        recording: list[tuple[Callable[[], Any], tuple[str, ...]]] | None = None

        def submit(self, fn: Callable[[], Any], *args: Any, **kwargs: Any) -> int:
            if self.recording is not None:
                self.recording.append((fn, tuple(kwargs.get("changes", ()))))
            return super().submit(fn, *args, **kwargs)

    return RecordingRunner()


def _settle(app: Any, runner: Any, widget: Any | None = None) -> None:
    """Until every submitted job's callback has run and nothing new was queued; then paint."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop

    deadline = time.perf_counter() + 120
    while True:
        while runner.pending:
            # Blocks until the worker posts a result: no spinning against the worker for the GIL.
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            if time.perf_counter() > deadline:
                raise TimeoutError("the runner did not become idle")
        app.processEvents()  # what the callbacks posted (layouts, a job queued by a timer)
        if not runner.pending:
            break
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if widget is not None:
        widget.grab()


@dataclass
class _Timing:
    samples: list[float]  # the screen, ms
    base: list[float]  # its service calls bare on the worker, ms
    calls: dict[str, list[float]]  # each call bare, by the class that submitted it, ms
    writes: int  # calls that announced a change

    def calls_text(self) -> str:
        parts = [f"{name} {statistics.median(ms):.0f}" for name, ms in self.calls.items()]
        n = len(self.calls)
        return f"{n} service call{'s' if n != 1 else ''} ({', '.join(parts)} ms)" + (
            f", {self.writes} of them write" if self.writes else ""
        )


class _Case:
    """One screen: `prepare` (untimed), `act` (timed with settle+paint), interleaved with the
    recorded service calls run bare on the worker."""

    def __init__(self, app: Any, runner: Any, host: Any) -> None:
        self.app, self.runner, self.host = app, runner, host

    def measure(
        self,
        prepare: Callable[[], None],
        act: Callable[[], None],
        runs: int = RUNS,
        milestone: Any = None,
    ) -> _Timing:
        """With `milestone` (a signal), each run is timed until it is first emitted and the host
        painted then, and the baseline is the service calls submitted until then."""
        reached: list[float] = []
        submitted: list[int] = []

        def mark(*_: Any) -> None:
            if not reached:
                self.host.grab()
                reached.append(time.perf_counter())
                submitted.append(len(self.runner.recording or ()))

        if milestone is not None:
            milestone.connect(mark)
        try:
            return self._measure(prepare, act, runs, milestone, reached, submitted)
        finally:
            if milestone is not None:
                milestone.disconnect(mark)

    def _measure(
        self,
        prepare: Callable[[], None],
        act: Callable[[], None],
        runs: int,
        milestone: Any,
        reached: list[float],
        submitted: list[int],
    ) -> _Timing:
        prepare()
        _settle(self.app, self.runner)
        self.runner.recording = []
        reached.clear()
        act()  # warm-up, and the record of what the screen asks of the services
        _settle(self.app, self.runner, self.host)
        calls, self.runner.recording = self.runner.recording, None
        if milestone is not None:
            calls = calls[: submitted[-1]]
        # "SubjectPage.reload.<locals>.fetch" -> "SubjectPage"; a second call of one class gets #2
        names: list[str] = []
        for fn, _ in calls:
            name = getattr(fn, "__qualname__", "call").split(".")[0]
            names.append(name if name not in names else f"{name}#{names.count(name) + 1}")
        timing = _Timing([], [], {name: [] for name in names}, sum(1 for _, c in calls if c))
        for _ in range(runs):
            prepare()
            _settle(self.app, self.runner)
            reached.clear()
            started = time.perf_counter()
            act()
            _settle(self.app, self.runner, self.host)
            ended = reached[0] if milestone is not None else time.perf_counter()
            timing.samples.append((ended - started) * 1000)
            total, each = self._bare([fn for fn, _ in calls])
            timing.base.append(total)
            for name, ms in zip(names, each, strict=True):
                timing.calls[name].append(ms)
        return timing

    def _bare(self, fns: list[Callable[[], Any]]) -> tuple[float, list[float]]:
        each: list[float] = []

        def job() -> None:
            for fn in fns:
                started = time.perf_counter()
                fn()
                each.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        self.runner.submit(job)
        _settle(self.app, self.runner)
        return (time.perf_counter() - started) * 1000, each


def _measure(report: Report, app: Any, context: Any, ws: Any) -> None:
    from PySide6.QtWidgets import QVBoxLayout, QWidget
    from sqlalchemy import select

    from db.models import Subject
    from ui.form_registry import FormRef, stage_bodies
    from ui.pages.subject_page import SubjectPage
    from ui.ward.engraftment_page import EngraftmentPage
    from ui.ward.worklist_page import WorklistPage

    runner = context.runner
    with ws.db.session() as session:
        stages = dict(session.execute(select(Subject.subject_key, Subject.stage)).tuples().all())
    biggest = _largest_subject(ws)
    # The engrafting subject of bench_ward (its figure is this page's service time).
    engrafting = next(k for k in sorted(stages) if _scenario(k) == "agvhd_grade2")
    small = next(k for k in sorted(stages) if stages[k] == "screening")

    host = QWidget()
    host.resize(WIDTH, HEIGHT)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    host.show()
    case = _Case(app, runner, host)

    # (a) The subject page: the main window keeps one and shows the subject asked for; each run
    # comes from another (small) subject, as on the ward.
    page = SubjectPage(context)
    layout.addWidget(page)
    started = time.perf_counter()
    page.show_subject(small)
    _settle(app, runner, host)
    first = (time.perf_counter() - started) * 1000
    report.add("ward ui: first subject page of a session", first, "ms",
               note="imports and registers the stage screens once (ui.form_registry)")  # fmt: skip
    # Two figures each: the page shown (stage, tree of events and forms, stepper; the front tab
    # says "Loading…") and the front stage tab filled with its data, in separate runs so that
    # neither carries the other's measuring.
    for label, key in (("largest record", biggest), ("engrafting", engrafting)):
        front = stage_bodies(stages[key])
        what = f"{key}, stage {stages[key]}, front tab {front[0].key if front else 'none'}"
        for part, milestone, until in (
            ("page shown", page.subject_shown, "until SubjectPage.subject_shown, then painted"),
            ("front stage tab filled", None, "until the runner is idle and painted"),
        ):
            timing = case.measure(
                lambda: page.show_subject(small),
                functools.partial(page.show_subject, key),
                milestone=milestone,
            )
            _add(report, f"ward ui: open subject page ({label}): {part}", timing, 150,
                 f"{what}; {until}")  # fmt: skip
    page.deleteLater()
    _settle(app, runner)

    # (b) The engraftment page with its chart, built for the engrafting subject.
    ref = FormRef(engrafting, "", "", "", stages[engrafting])
    built: list[EngraftmentPage] = []

    def drop() -> None:
        while built:
            built.pop().deleteLater()

    def build() -> None:
        widget = EngraftmentPage(context, ref, None)
        layout.addWidget(widget)
        built.append(widget)

    timing = case.measure(drop, build)
    rows = built[-1].model.rowCount() if built else 0
    _add(report, "ward ui: engraftment page with chart", timing, 200,
         f"{engrafting}: {rows} days in the grid and chart")  # fmt: skip
    drop()
    _settle(app, runner)

    # (c) The worklist: a reload (F5, or any change announced by the runner) refills the model.
    worklist = WorklistPage(context)
    layout.addWidget(worklist)
    started = time.perf_counter()
    _settle(app, runner, host)
    first = (time.perf_counter() - started) * 1000
    timing = case.measure(lambda: None, worklist.reload)
    _add(report, "ward ui: worklist reload", timing, 100,
         f"{worklist.model.rowCount()} active subjects; first build of the page "
         f"{first:.0f} ms")  # fmt: skip
    worklist.deleteLater()
    host.close()
    _settle(app, runner)


def _scenario(subject_key: str) -> str:
    """The demo scenario of a subject (app.services.demo_ward deals them out in turn)."""
    from app.services.demo_ward import SCENARIOS

    return SCENARIOS[(int(subject_key.rsplit("-", 1)[1]) - 1) % len(SCENARIOS)].name


def _add(report: Report, name: str, timing: _Timing, target: float, note: str) -> None:
    samples, base = timing.samples, timing.base
    baseline = statistics.median(base)
    report.add(
        name,
        statistics.median(samples),
        "ms",
        target=target,
        baseline=baseline,
        spread=max(samples) - min(samples),
        note=f"{note}; baseline = its {timing.calls_text()} run bare on the worker "
        f"({baseline:.0f} ms, spread {max(base) - min(base):.0f}); {len(samples)} runs each; "
        "2 cores shared with other work, noisy",
    )
