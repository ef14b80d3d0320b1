"""Run every bench/bench_*.py module's `run(report)` and write bench/results.json."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from bench.report import Report, header


def main(argv: list[str]) -> int:
    only = set(argv)
    report = Report()
    print(header())
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        if only and path.stem not in only:
            continue
        module = importlib.import_module(f"bench.{path.stem}")
        module.run(report)
    report.write()
    print(f"\n{len(report.figures)} figures written to bench/results.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
