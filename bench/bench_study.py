"""Study definition load time: read and validate every resources/study file (target < 200 ms).

Figures: the whole load_study() (YAML parsing, validation, RuleBook), the parse of the definition
files alone, and the rule-parameter files alone, so a regression shows where it comes from.
"""

from __future__ import annotations

from app.paths import resource
from app.study.loader import load_study
from app.study.rules import load_rulebook
from app.study.yamlread import load_yaml
from bench.report import Report, timed


def run(report: Report) -> None:
    root = resource("study")
    study = load_study(root)
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "forms").glob("*.yaml"))]

    median, spread, _ = timed(lambda: load_study(root), runs=15, warmup=2)
    report.add(
        "study: load + validate whole definition",
        median,
        "ms",
        target=200,
        spread=spread,
        note=f"{len(study.events)} events, {len(study.forms)} forms, {len(study.items())} items",
    )
    median, spread, _ = timed(lambda: [load_yaml(t) for t in texts], runs=15)
    report.add("study: parse definition YAML only", median, "ms", spread=spread)
    median, spread, _ = timed(lambda: load_rulebook(root / "rules", study.mdv_oid), runs=15)
    report.add("study: rule parameters (rules/*.yaml) only", median, "ms", spread=spread)
