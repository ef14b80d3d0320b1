"""Pauses Python's cyclic garbage collector for the duration of one bulk sync operation.

A full export or import handles a million values: rows, tuples and lists by the million, most of
them alive until the end (the import's per-value state and pending rows) or in 20,000-row batches
(the export's result buffers). None of them form cycles, yet every generation-0 overflow makes the
collector walk the survivors again; the import spent about half of its Python time there and the
export about a quarter. Reference counting still frees everything; the collector's previous state
is restored at the end, exception or not, and a cycle left behind is collected after that.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """`with cyclic_gc_paused(): ...` runs the block with gc disabled (re-enabled after if it was)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
