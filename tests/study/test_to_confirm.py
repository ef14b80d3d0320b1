"""The configuration review lists the [U] rule values ("confirm: true") of the study definition."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from app.paths import resource
from app.study.loader import load_study

RULES = """\
module: demo
params:
  verified_cutoff: {value: 0.5, unit: "10*9/L", source: "ASTCT 2021 [V]", confirm: false}
  unverified_window: {value: 14, unit: d, source: "site choice [U]", confirm: true}
  unverified_table:
    value: {full: 95, mixed: 5}
    unit: "%"
    source: "DOMAIN.md 4.1 [P/U]"
    confirm: true
"""


def test_to_confirm_lists_exactly_the_unverified_values(tmp_path: Path) -> None:
    study_dir = tmp_path / "study"
    shutil.copytree(resource("study"), study_dir)
    shutil.rmtree(study_dir / "rules")
    (study_dir / "rules").mkdir()
    (study_dir / "rules" / "demo.yaml").write_text(RULES, encoding="utf-8")

    study = load_study(study_dir)

    listed = [(p.module, p.name, p.value, p.source, p.file) for p in study.to_confirm()]
    assert sorted(listed) == [
        ("demo", "unverified_table", {"full": 95, "mixed": 5}, "DOMAIN.md 4.1 [P/U]", "demo.yaml"),
        ("demo", "unverified_window", 14, "site choice [U]", "demo.yaml"),
    ]
    assert study.rules.version == study.mdv_oid == "MDV.SEQTX.1"


def test_empty_rules_directory_has_nothing_to_confirm(tmp_path: Path) -> None:
    study_dir = tmp_path / "study"
    shutil.copytree(resource("study"), study_dir)
    shutil.rmtree(study_dir / "rules")
    (study_dir / "rules").mkdir()
    assert load_study(study_dir).to_confirm() == []


def test_shipped_rules_list_every_value_marked_to_confirm() -> None:
    expected = set()
    for path in sorted(resource("study", "rules").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected |= {(doc["module"], n) for n, p in doc["params"].items() if p.get("confirm")}
    listed = {(p.module, p.name) for p in load_study().to_confirm()}
    assert listed == expected
    assert all(p.source for p in load_study().to_confirm())
