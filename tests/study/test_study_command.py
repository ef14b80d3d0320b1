"""`seqtx study check|to-confirm` on the shipped definition and on a damaged copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.paths import resource


def test_check_prints_what_the_definition_holds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["study", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("NCT03835312 SeqTranUCBC&IC-001 MDV.SEQTX.1: 35 events,")
    assert "rule values to confirm" in out


def test_check_of_a_damaged_copy_names_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study_dir = tmp_path / "study"
    shutil.copytree(resource("study"), study_dir)
    path = study_dir / "forms" / "measures.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("loinc: 751-8", "loinc: 751-9"), "utf-8"
    )
    assert main(["study", "check", "--dir", str(study_dir)]) == 2
    err = capsys.readouterr().err
    assert "forms/measures.yaml: form F.FBC: group IG.FBC: item IT.LB.ANC:" in err
    assert "check digit" in err


def test_to_confirm_lists_one_value_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    from app.study.loader import load_study

    assert main(["study", "to-confirm"]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = {f"{p.module}.{p.name}" for p in load_study().to_confirm()}
    assert {line.split("\t")[0] for line in lines} == expected
    assert all(len(line.split("\t")) == 5 for line in lines)
