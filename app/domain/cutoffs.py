"""Stage tables held as data: the highest stage whose cut-off row holds, else stage 0.

A row is a mapping ``{stage: int, op: ">=" | ">" | "<=" | "<", bound: number}`` read from a
resources/study/rules/*.yaml file, so a staging table (MAGIC, NIH 2014, ...) is configuration and the
comparison at the boundary is written next to the number it applies to.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


def stage_from_cutoffs(value: float, rows: Iterable[Mapping[str, Any]]) -> int:
    """The highest `stage` among rows where `value <op> bound` holds; 0 when none holds."""
    stage = 0
    for row in rows:
        try:
            compare = _OPS[row["op"]]
        except KeyError as exc:
            raise ValueError(f"cut-off row {dict(row)} needs op one of {sorted(_OPS)}") from exc
        if compare(value, row["bound"]):
            stage = max(stage, int(row["stage"]))
    return stage
