"""The shared bench report: one row per figure, printed as a table and written to results.json."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results.json"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float | None
    better: str  # "lower" | "higher"
    baseline: float | None = None
    ratio: float | None = None
    spread: float | None = None  # (p95 - p5) or max-min where several runs were taken
    note: str = ""

    def meets(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.better == "lower" else self.value >= self.target


class Report:
    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def add(
        self,
        name: str,
        value: float,
        unit: str,
        target: float | None = None,
        better: str = "lower",
        baseline: float | None = None,
        spread: float | None = None,
        note: str = "",
    ) -> Figure:
        ratio = value / baseline if baseline else None
        fig = Figure(name, value, unit, target, better, baseline, ratio, spread, note)
        self.figures.append(fig)
        print(_row(fig), flush=True)
        return fig

    def write(self, path: Path = RESULTS) -> None:
        path.write_text(json.dumps([asdict(f) for f in self.figures], indent=2), encoding="utf-8")


def timed(
    fn: Callable[[], Any], runs: int = 7, warmup: int = 1
) -> tuple[float, float, list[float]]:
    """Median and spread (max - min) in milliseconds of `runs` calls after `warmup` calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples) - min(samples), samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def header() -> str:
    return (
        f"{'figure':58} {'value':>12} {'unit':8} {'target':>10} {'baseline':>10} {'ratio':>7}  ok"
    )


def _row(f: Figure) -> str:
    target = "" if f.target is None else f"{'<=' if f.better == 'lower' else '>='}{f.target:g}"
    base = "" if f.baseline is None else f"{f.baseline:.3g}"
    ratio = "" if f.ratio is None else f"{f.ratio:.2f}"
    ok = {True: "yes", False: "NO", None: ""}[f.meets()]
    return f"{f.name:58} {f.value:12.4g} {f.unit:8} {target:>10} {base:>10} {ratio:>7}  {ok}"
