"""The one database worker: service calls run on a single background thread, results return as signals.

Pattern of picard's `picard/util/thread.py` and anki's `CollectionOp`: a screen submits a plain
callable (a closure over a service call); the callable runs on the worker's QThread, never on the GUI
thread; its result or exception comes back through a queued signal and the screen's callback runs on
the GUI thread. One thread only, so SQLCipher connections never race each other and jobs run in the
order they were submitted. A job that writes names the topics it changes; `changed` is then emitted
and every screen showing that topic reloads itself, so screens never call each other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QObject,
    QThread,
    Signal,
    Slot,
)

log = logging.getLogger(__name__)

Success = Callable[[Any], None]
Failure = Callable[[Exception], None]

# Topics announced on ServiceRunner.changed after a successful write.
SUBJECTS = "subjects"
USERS = "users"
AUDIT = "audit"
SETTINGS = "settings"
FORMS = "forms"


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_success: Success | None
    on_failure: Failure | None
    owner: QObject | None
    changes: tuple[str, ...] = field(default_factory=tuple)


class _Worker(QObject):
    """Lives on the worker thread; runs one callable at a time."""

    succeeded = Signal(int, object)
    failed = Signal(int, object)

    @Slot(int, object)
    def execute(self, job_id: int, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except Exception as exc:  # every failure goes back to the screen, none is lost
            self.failed.emit(job_id, exc)
            return
        self.succeeded.emit(job_id, result)


class ServiceRunner(QObject):
    """Owns the worker thread. Create one per application; pass it to screens in their context."""

    changed = Signal(str)  # a topic from the constants above
    busy_changed = Signal(bool)
    unhandled_failed = Signal(object)  # an exception whose job gave no on_failure
    _submitted = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[int, _Job] = {}
        self._next_id = 0
        self._thread = QThread()
        self._thread.setObjectName("seqtx-db-worker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submitted.connect(self._worker.execute)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    @property
    def pending(self) -> int:
        """Jobs submitted whose callback has not run yet (tests wait for 0)."""
        return len(self._jobs)

    def submit(
        self,
        fn: Callable[[], Any],
        on_success: Success | None = None,
        on_failure: Failure | None = None,
        *,
        owner: QObject | None = None,
        changes: Iterable[str] = (),
    ) -> int:
        """Queue `fn` on the worker. Callbacks are skipped when `owner` was deleted meanwhile."""
        self._next_id += 1
        job_id = self._next_id
        self._jobs[job_id] = _Job(fn, on_success, on_failure, owner, tuple(changes))
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
        self._submitted.emit(job_id, fn)
        return job_id

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Let queued jobs finish (a logout must be recorded), then stop the thread."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._jobs and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    def _finish(self, job_id: int) -> _Job | None:
        job = self._jobs.pop(job_id, None)
        if not self._jobs:
            self.busy_changed.emit(False)
        if job is None or (job.owner is not None and not shiboken6.isValid(job.owner)):
            return None
        return job

    @Slot(int, object)
    def _on_succeeded(self, job_id: int, result: Any) -> None:
        job = self._finish(job_id)
        if job is None:
            return
        if job.on_success is not None:
            job.on_success(result)
        for topic in job.changes:
            self.changed.emit(topic)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: Exception) -> None:
        job = self._finish(job_id)
        if job is None:
            return
        if job.on_failure is not None:
            job.on_failure(exc)
        else:
            log.error("service call failed: %s", type(exc).__name__, exc_info=exc)
            self.unhandled_failed.emit(exc)
