"""A damaged copy of the study definition gives an error that names the file, form and item."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.paths import resource
from app.study.errors import StudyDefinitionError
from app.study.loader import load_study


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    """A private copy of resources/study to damage."""
    target = tmp_path / "study"
    shutil.copytree(resource("study"), target)
    return target


def damage(study_dir: Path, file: str, old: str, new: str, count: int = 1) -> None:
    path = study_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}: the test is out of date"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def load_error(study_dir: Path) -> StudyDefinitionError:
    with pytest.raises(StudyDefinitionError) as info:
        load_study(study_dir)
    return info.value


def test_the_undamaged_copy_loads(study_dir: Path) -> None:
    assert load_study(study_dir).has_item("IT.LB.ANC")


def test_unknown_item_key_names_file_form_group_and_item(study_dir: Path) -> None:
    damage(
        study_dir, "forms/measures.yaml", "name: LBORRES_NEUT,", "name: LBORRES_NEUT, colour: red,"
    )
    err = load_error(study_dir)
    assert (err.file, err.form, err.group, err.item) == (
        "forms/measures.yaml",
        "F.FBC",
        "IG.FBC",
        "IT.LB.ANC",
    )
    assert "unknown key(s) colour" in str(err)
    assert str(err).startswith("forms/measures.yaml: form F.FBC: group IG.FBC: item IT.LB.ANC: ")


def test_missing_chinese_label(study_dir: Path) -> None:
    damage(
        study_dir,
        "forms/measures.yaml",
        "label: {en: Platelet count, zh: 血小板计数}",
        "label: {en: Platelet count}",
    )
    err = load_error(study_dir)
    assert (err.file, err.form, err.item) == ("forms/measures.yaml", "F.FBC", "IT.LB.PLT")
    assert "Simplified Chinese" in err.problem


def test_missing_english_label(study_dir: Path) -> None:
    damage(
        study_dir,
        "forms/measures.yaml",
        "label: {en: Platelet count, zh: 血小板计数}",
        "label: {zh: 血小板计数}",
    )
    assert "English" in load_error(study_dir).problem


def test_chinese_label_that_is_not_chinese(study_dir: Path) -> None:
    damage(study_dir, "forms/measures.yaml", "zh: 血小板计数}", "zh: Platelet count}")
    err = load_error(study_dir)
    assert err.item == "IT.LB.PLT" and "no Chinese characters" in err.problem


def test_missing_label_of_a_code(study_dir: Path) -> None:
    damage(
        study_dir,
        "codelists.yaml",
        "{code: MOTHER, label: {en: Mother, zh: 母亲}}",
        "{code: MOTHER, label: {en: Mother}}",
    )
    err = load_error(study_dir)
    assert (err.file, err.codelist) == ("codelists.yaml", "CL.GUARDREL")
    assert "code MOTHER" in err.problem


def test_duplicate_item_oid_names_both_places(study_dir: Path) -> None:
    damage(study_dir, "forms/measures.yaml", "oid: IT.LB.PLT,", "oid: IT.LB.ANC,")
    err = load_error(study_dir)
    assert (err.form, err.item) == ("F.FBC", "IT.LB.ANC")
    assert "duplicate item OID" in err.problem and "IG.FBC" in err.problem


def test_duplicate_item_oid_across_files(study_dir: Path) -> None:
    damage(study_dir, "forms/screening.yaml", "oid: IT.DM.ETHNIC,", "oid: IT.LB.ANC,")
    err = load_error(study_dir)
    # forms/measures.yaml sorts before forms/screening.yaml, so the second one is reported
    assert (err.file, err.form, err.item) == ("forms/screening.yaml", "F.DM", "IT.LB.ANC")
    assert "forms/measures.yaml" in err.problem


def test_duplicate_form_and_group_oids(study_dir: Path) -> None:
    damage(study_dir, "forms/followup.yaml", "oid: F.EOS", "oid: F.FU")
    err = load_error(study_dir)
    assert (err.file, err.form) == (
        "forms/followup.yaml",
        "F.FU",
    ) and "duplicate form" in err.problem


def test_duplicate_group_oid(study_dir: Path) -> None:
    damage(study_dir, "forms/followup.yaml", "oid: IG.EOS", "oid: IG.FU")
    err = load_error(study_dir)
    assert (err.form, err.group) == ("F.EOS", "IG.FU") and "duplicate item group" in err.problem


def test_unknown_codelist(study_dir: Path) -> None:
    damage(study_dir, "forms/screening.yaml", "codelist: CL.SEX", "codelist: CL.GENDER")
    err = load_error(study_dir)
    assert (err.file, err.form, err.item) == ("forms/screening.yaml", "F.DM", "IT.DM.SEX")
    assert "unknown codelist 'CL.GENDER'" in err.problem


def test_choice_without_codelist(study_dir: Path) -> None:
    damage(study_dir, "forms/screening.yaml", "type: choice, codelist: CL.SEX,", "type: choice,")
    assert "needs a codelist" in load_error(study_dir).problem


def test_bad_data_type(study_dir: Path) -> None:
    damage(
        study_dir,
        "forms/measures.yaml",
        "oid: IT.LB.ANC, name: LBORRES_NEUT, type: float",
        "oid: IT.LB.ANC, name: LBORRES_NEUT, type: real",
    )
    err = load_error(study_dir)
    assert err.item == "IT.LB.ANC" and "unknown data type 'real'" in err.problem


def test_range_low_above_high(study_dir: Path) -> None:
    damage(
        study_dir,
        "forms/measures.yaml",
        "hard: [30, 220], soft: [45, 200]",
        "hard: [220, 30], soft: [45, 200]",
    )
    err = load_error(study_dir)
    assert (err.form, err.item) == ("F.VS", "IT.VS.HEIGHT")
    assert "hard range low 220 > high 30" in err.problem


def test_soft_range_outside_hard_range(study_dir: Path) -> None:
    damage(
        study_dir,
        "forms/measures.yaml",
        "hard: [30, 220], soft: [45, 200]",
        "hard: [30, 220], soft: [45, 240]",
    )
    err = load_error(study_dir)
    assert (
        err.item == "IT.VS.HEIGHT"
        and "soft range high 240 is outside the hard range" in err.problem
    )


def test_range_on_a_text_item(study_dir: Path) -> None:
    damage(
        study_dir,
        "forms/screening.yaml",
        "name: GFLAB, type: text,",
        "name: GFLAB, type: text, hard: [0, 1],",
    )
    assert "ranges need a numeric item" in load_error(study_dir).problem


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("751-9", "wrong check digit (expected 8)"),
        ("7518", "malformed"),
        ("LP751-8", "malformed"),
        ("751-", "malformed"),
    ],
)
def test_malformed_loinc(study_dir: Path, code: str, problem: str) -> None:
    damage(study_dir, "forms/measures.yaml", "loinc: 751-8", f"loinc: {code}")
    err = load_error(study_dir)
    assert (err.file, err.form, err.item) == ("forms/measures.yaml", "F.FBC", "IT.LB.ANC")
    assert problem in err.problem


def test_unbalanced_unit(study_dir: Path) -> None:
    damage(study_dir, "forms/measures.yaml", 'unit: "mm[Hg]"', 'unit: "mm[Hg"')
    err = load_error(study_dir)
    assert err.item == "IT.VS.SBP" and "unbalanced" in err.problem


def test_event_refers_to_an_unknown_form(study_dir: Path) -> None:
    damage(
        study_dir, "events.yaml", "forms: [F.CBUSEL, F.CBUREC]", "forms: [F.CBUSEL, F.CBURECEIPT]"
    )
    err = load_error(study_dir)
    assert (err.file, err.event, err.form) == ("events.yaml", "SE.CBUSEL", "F.CBURECEIPT")
    assert "unknown form" in err.problem


def test_event_with_unknown_stage_and_repeat(study_dir: Path) -> None:
    damage(study_dir, "events.yaml", "stage: unit_selected", "stage: selected")
    assert "unknown treatment stage 'selected'" in load_error(study_dir).problem


def test_duplicate_event(study_dir: Path) -> None:
    damage(study_dir, "events.yaml", "oid: SE.FU06,", "oid: SE.FU03,")
    err = load_error(study_dir)
    assert err.event == "SE.FU03" and "duplicate event" in err.problem


def test_rule_input_points_at_a_missing_item(study_dir: Path) -> None:
    damage(
        study_dir,
        "rule_inputs.yaml",
        "{item: IT.LB.ANC, unit: 10*9/L}",
        "{item: IT.LB.NEUT, unit: 10*9/L}",
    )
    err = load_error(study_dir)
    assert (err.file, err.rule_input, err.item) == (
        "rule_inputs.yaml",
        "engraftment.anc",
        "IT.LB.NEUT",
    )
    assert "missing item" in err.problem


def test_rule_input_in_a_unit_the_item_cannot_give(study_dir: Path) -> None:
    damage(
        study_dir,
        "rule_inputs.yaml",
        "{item: IT.LB.BILI, unit: umol/L}",
        "{item: IT.LB.BILI, unit: g/L}",
    )
    err = load_error(study_dir)
    assert (err.rule_input, err.item) == ("gvhd.bilirubin", "IT.LB.BILI")
    assert (
        "expects unit 'g/L'" in err.problem and "umol/L" in err.problem and "mg/dL" in err.problem
    )


def test_rule_input_in_an_alternative_unit_is_accepted(study_dir: Path) -> None:
    damage(
        study_dir,
        "rule_inputs.yaml",
        "{item: IT.LB.BILI, unit: umol/L}",
        "{item: IT.LB.BILI, unit: mg/dL}",
    )
    assert load_study(study_dir).rule_input("gvhd.bilirubin").unit == "mg/dL"


def test_invalid_yaml_names_file_and_line(study_dir: Path) -> None:
    damage(study_dir, "forms/gvhd.yaml", "forms:\n", "forms:\n  - {oid: [\n")
    err = load_error(study_dir)
    assert err.file == "forms/gvhd.yaml" and "not valid YAML at line" in err.problem


def test_missing_file(study_dir: Path) -> None:
    (study_dir / "rule_inputs.yaml").unlink()
    err = load_error(study_dir)
    assert (err.file, err.problem) == ("rule_inputs.yaml", "file is missing")


def test_no_form_files(study_dir: Path) -> None:
    shutil.rmtree(study_dir / "forms")
    assert load_error(study_dir).file == "forms/"


def test_unquoted_yes_no_code(study_dir: Path) -> None:
    damage(study_dir, "codelists.yaml", '{code: "OFF",', "{code: OFF,")
    err = load_error(study_dir)
    assert err.codelist == "CL.OKFAIL" and "quote" in err.problem


def test_derived_item_cannot_be_required(study_dir: Path) -> None:
    damage(
        study_dir,
        "forms/measures.yaml",
        "decimals: 1, derived: true,",
        "decimals: 1, derived: true, required: true,",
    )
    err = load_error(study_dir)
    assert err.item == "IT.VS.BMI" and "derived" in err.problem


def test_bad_oid_prefix(study_dir: Path) -> None:
    damage(study_dir, "forms/followup.yaml", "oid: IT.FU.COMMENT", "oid: FU.COMMENT")
    err = load_error(study_dir)
    assert err.form == "F.FU" and "item OID 'FU.COMMENT'" in err.problem


def test_unknown_top_level_key(study_dir: Path) -> None:
    damage(study_dir, "study.yaml", "study:\n", "studies:\n")
    err = load_error(study_dir)
    assert err.file == "study.yaml" and "unknown key(s) studies" in err.problem


def test_broken_rules_file_is_reported_as_a_study_error(study_dir: Path) -> None:
    (study_dir / "rules" / "zz_broken.yaml").write_text(
        "module: zz\nparams:\n  x: {value: 1}\n", encoding="utf-8"
    )
    err = load_error(study_dir)
    assert err.file == "rules/" and "zz_broken.yaml" in err.problem and "source" in err.problem


def test_rows_on_a_group_that_does_not_repeat(study_dir: Path) -> None:
    damage(
        study_dir,
        "forms/followup.yaml",
        "label: {en: End of study, zh: 研究结束}\n        items:",
        "label: {en: End of study, zh: 研究结束}\n        rows: 3\n        items:",
    )
    err = load_error(study_dir)
    assert (err.form, err.group) == ("F.EOS", "IG.EOS") and "repeating" in err.problem


def test_decimals_that_fill_the_whole_box(study_dir: Path) -> None:
    damage(
        study_dir,
        "forms/measures.yaml",
        "length: 6, decimals: 2, required: true,",
        "length: 2, decimals: 2, required: true,",
    )
    err = load_error(study_dir)
    assert err.item == "IT.LB.ANC" and "decimals 2" in err.problem
