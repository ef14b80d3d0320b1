"""The data center's import on two cores: parse + validate in a reader process, apply here.

A large package spends about half of its import in lxml's schema-validating parse and the reader's
per-value Python, the other half in the applier and the database. A forked child runs the very
same `read_events` and streams its events (plain tuples, pickled in batches) through a pipe; the
parent hands them, in order, to the applier within its single transaction. The pipe's buffer is
the only queue: a reader ahead of the applier waits.

The outcome is the in-process one, rejection messages included:
- the child's error (a schema error, a damaged payload, odm.content ...) arrives after the events
  that preceded it, exactly where the in-process parse would raise it;
- when the applier refuses an event with a code the reader drains for (DRAIN_CODES), the
  in-process reader goes on parsing for a later schema error and raises that instead: here the
  child's final outcome decides the same way (its own DRAIN_CODES error means no schema error);
- the checks after the document (root, admin, ODM hash and size) run here with the child's figures.

Only on Linux, where fork is safe (the data center): no re-executed interpreter, so nothing to do for
the frozen build. Elsewhere, and for small packages, the import runs in-process as before. The
child is always terminated and joined, on errors and KeyboardInterrupt too.
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue
import signal
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from typing import Any

from app.sync.errors import SyncRejected
from app.sync.odm_reader import (
    DRAIN_CODES,
    DocumentHead,
    Handler,
    ItemTx,
    SignatureTx,
    finish_document,
    read_events,
)
from app.sync.payload import Inflater, Manifest

PARALLEL_MIN_ODM_BYTES = 8 * 1024**2  # ~20,000 values: smaller packages are read in-process
_BATCH = 2000  # events per pickled message
_QUEUED_BATCHES = 64  # the parse's lead over the applier, at most (~10 MB)
_GRACE_SECONDS = 5.0  # after terminate, before kill
_ITEM_FIELDS = len(ItemTx.__slots__)


def parallel_available() -> bool:
    # Linux only: fork is unsafe on macOS (system frameworks) and absent on Windows.
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def use_reader_process(manifest: Manifest) -> bool:
    return manifest.odm_bytes >= PARALLEL_MIN_ODM_BYTES and parallel_available()


def _fields(*fields: Any) -> tuple[Any, ...]:
    return fields


class _Forwarder:
    """The child's handler: batches events (an item is its ItemTx fields' tuple), pickles them and
    queues them for a sending thread. The queue lets the parse run ahead while the applier is
    busy (a flush of the applier's rows takes longer than the pipe's buffer lasts)."""

    def __init__(self, conn: Connection) -> None:
        self.batch: list[Any] = []
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUED_BATCHES)
        self.failed: BaseException | None = None
        self.thread = threading.Thread(target=self._send, args=(conn,), daemon=True)
        self.thread.start()

    def _send(self, conn: Connection) -> None:
        try:
            while (message := self.queue.get()) is not None:
                conn.send_bytes(message)
        except BaseException as exc:  # the parent is gone: the parse stops at the next put
            self.failed = exc
            while self.queue.get() is not None:
                pass

    def admin(self, head: DocumentHead) -> None:
        self.batch.append(head)

    def item(self, fields: tuple[Any, ...]) -> None:
        batch = self.batch
        batch.append(fields)
        if len(batch) >= _BATCH:
            self.flush()

    def signature(self, tx: SignatureTx) -> None:
        self.batch.append(("S", tx.form_key, tx.user_oid, tx.signature_oid, tx.ts))

    def flush(self) -> None:
        if self.failed is not None:
            raise self.failed
        if self.batch:
            self.queue.put(pickle.dumps(self.batch, pickle.HIGHEST_PROTOCOL))
            self.batch = []

    def close(self, final: tuple[Any, ...]) -> None:
        """Send what is left and the outcome, and wait until it is written."""
        self.batch.append(final)
        try:
            self.flush()
        finally:
            self.queue.put(None)
            self.thread.join()


def _child(conn: Connection, compressed: memoryview, manifest: Manifest) -> None:
    """Reader process: events, then ("done", head, admin_sent, sha256, bytes) or an error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's: it ends this child
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # whatever the parent installed
    forwarder = _Forwarder(conn)
    final: tuple[Any, ...]
    try:
        inflater = Inflater(compressed)
        head, admin_sent = read_events(inflater, manifest, forwarder, _fields)
        final = ("done", head, admin_sent, inflater.sha256.hexdigest(), inflater.total)
    except SyncRejected as exc:
        final = ("rejected", exc.code, exc.detail)
    except BaseException:  # reported to the parent, which raises
        final = ("crashed", traceback.format_exc(limit=20))
    try:
        forwarder.close(final)
    finally:
        conn.close()


class _ReaderGone(RuntimeError):
    pass


def read_document_parallel(
    compressed: memoryview, manifest: Manifest, handler: Handler
) -> DocumentHead:
    """`read_document(Inflater(compressed), manifest, handler)` with the parse in a child."""
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(sender, compressed, manifest), name="seqtx-odm-reader", daemon=True
    )
    try:
        proc.start()
        sender.close()
        return _consume(receiver, manifest, handler)
    finally:
        receiver.close()
        if proc.is_alive():
            proc.terminate()
            proc.join(_GRACE_SECONDS)
            if proc.is_alive():
                proc.kill()
        proc.join()


def _consume(receiver: Connection, manifest: Manifest, handler: Handler) -> DocumentHead:
    item, signature, admin = handler.item, handler.signature, handler.admin
    n_fields = _ITEM_FIELDS
    while True:
        for event in _receive(receiver):
            if type(event) is tuple:
                size = len(event)
                if size == n_fields:
                    try:
                        item(ItemTx(*event))
                    except SyncRejected as exc:
                        _drain(receiver, exc)
                    continue
                kind = event[0]
                if kind == "S":
                    try:
                        signature(SignatureTx(*event[1:]))
                    except SyncRejected as exc:
                        _drain(receiver, exc)
                    continue
                if kind == "done":
                    _, head, admin_sent, sha, total = event
                    return finish_document(head, admin_sent, handler, sha, total, manifest)
                raise _final_error(event)
            try:
                admin(event)
            except SyncRejected as exc:
                _drain(receiver, exc)


def _receive(receiver: Connection) -> list[Any]:
    try:
        batch: list[Any] = pickle.loads(receiver.recv_bytes())  # noqa: S301 - our own child's pickles
    except EOFError as exc:
        raise _ReaderGone("the ODM reader process ended without an outcome") from exc
    return batch


def _final_error(event: tuple[Any, ...]) -> BaseException:
    if event[0] == "rejected":
        return SyncRejected(event[1], event[2])
    return _ReaderGone(f"the ODM reader process failed:\n{event[1]}")


def _drain(receiver: Connection, exc: SyncRejected) -> None:
    """The applier refused an event: raise what the in-process reader would raise."""
    if exc.code not in DRAIN_CODES:
        raise exc
    while True:  # the in-process reader parses on, looking for a schema error
        for event in _receive(receiver):
            if type(event) is tuple and event and event[0] in ("done", "rejected", "crashed"):
                if event[0] == "done":
                    raise exc
                if event[0] == "rejected" and event[1] in DRAIN_CODES:
                    raise exc  # the reader's own content error: no schema error after it
                raise _final_error(event) from exc
