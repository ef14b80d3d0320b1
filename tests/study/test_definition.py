"""The shipped study definition: it loads, and its content is what the protocol and DOMAIN.md ask."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from app.domain.units import UnitParams, validate_ucum
from app.paths import resource
from app.study.checks import loinc_check_digit
from app.study.loader import default_study, load_study
from app.study.model import StudyDefinition

STUDY_DIR = resource("study")

# DOMAIN.md 8: the LOINC codes tagged [V] or [P]; no other code may appear on an item.
DOMAIN_LOINC = frozenset(
    [
        "1986-9",
        "13037-7",
        "42180-0",
        "20448-7",
        "27873-9",
        "14796-7",
        "59179-2",
        "1558-6",
        "14771-0",
        "4548-4",
        "59261-8",
        "17856-6",
        "2465-3",
        "2458-8",
        "2472-9",
        "8122-4",
        "8124-0",
        "24467-3",
        "8123-2",
        "14135-8",
        "8101-8",
        "54218-3",
        "8116-6",
        "8117-4",
        "20402-4",
        "18267-5",
        "8302-2",
        "29463-7",
        "39156-5",
        "751-8",
        "731-0",
        "777-3",
        "26515-7",
        "30247-1",
        "72493-0",
    ]
)
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study()


def _all_oids(study: StudyDefinition) -> list[str]:
    oids = [e.oid for e in study.events]
    oids += list(study.forms) + list(study.codelists)
    for form in study.forms.values():
        oids += [g.oid for g in form.groups]
    # an item listed in two groups would be two definitions of one OID
    oids += [i.oid for form in study.forms.values() for i in form.items()]
    return oids


def test_the_study_and_its_version_are_named(study: StudyDefinition) -> None:
    assert study.study_oid == "NCT03835312"
    assert study.protocol_name == "SeqTranUCBC&IC-001"
    assert study.mdv_oid == "MDV.SEQTX.1"
    assert "Islet" in study.title.en and "胰岛" in study.title.zh


def test_default_study_is_loaded_once() -> None:
    assert default_study() is default_study()
    assert default_study().mdv_oid == "MDV.SEQTX.1"


def test_every_oid_is_unique_and_follows_the_naming(study: StudyDefinition) -> None:
    oids = _all_oids(study)
    duplicates = [oid for oid, n in Counter(oids).items() if n > 1]
    assert duplicates == []
    prefixes = ("SE.", "F.", "CL.", "IG.", "IT.")
    assert all(oid.startswith(prefixes) for oid in oids)
    assert len(study.items()) == sum(len(f.items()) for f in study.forms.values())


def test_every_label_is_in_english_and_chinese(study: StudyDefinition) -> None:
    labels = [study.title] + [e.label for e in study.events]
    for form in study.forms.values():
        labels += [form.label] + [g.label for g in form.groups]
        for item in form.items():
            labels.append(item.label)
            if item.help is not None:
                labels.append(item.help)
    labels += [c.label for cl in study.codelists.values() for c in cl.items]
    missing = [lb for lb in labels if not lb.en.strip() or not CJK.search(lb.zh)]
    assert missing == []
    assert study.item("IT.LB.ANC").label.get("zh_CN") == "中性粒细胞绝对计数"


def test_loinc_codes_are_well_formed_checked_and_from_domain_md(study: StudyDefinition) -> None:
    coded = {i.oid: i.loinc for i in study.items().values() if i.loinc}
    for code in coded.values():
        number, check = code.split("-")
        assert loinc_check_digit(number) == int(check), code
    assert set(coded.values()) <= DOMAIN_LOINC
    assert coded["IT.LB.ANC"] == "751-8"
    assert coded["IT.LB.PLT"] == "777-3"
    assert coded["IT.LB.HBA1C"] == "4548-4"
    assert coded["IT.VS.HEIGHT"] == "8302-2"


def test_loinc_check_digit_matches_published_codes() -> None:
    assert [loinc_check_digit(n) for n in ("751", "1986", "24467", "59261")] == [8, 9, 3, 8]


def test_every_unit_is_valid_ucum(study: StudyDefinition) -> None:
    params = study.rules.params(UnitParams, "units")
    units = {u for i in study.items().values() for u in (i.unit, *i.alt_units) if u}
    units |= {r.unit for r in study.rule_inputs.values() if r.unit}
    invalid = {
        u: validate_ucum(u, params).code for u in units if not validate_ucum(u, params).valid
    }
    assert invalid == {}


def test_every_rule_input_item_exists_in_the_unit_the_rule_expects(study: StudyDefinition) -> None:
    for name, rule_input in study.rule_inputs.items():
        item = study.item(rule_input.item)
        assert rule_input.unit in {item.unit, *item.alt_units}, name
    expected = {
        "engraftment.anc": ("IT.LB.ANC", "10*9/L"),
        "engraftment.platelets": ("IT.LB.PLT", "10*9/L"),
        "gvhd.bilirubin": ("IT.LB.BILI", "umol/L"),
        "growth.height": ("IT.VS.HEIGHT", "cm"),
        "growth.weight": ("IT.VS.WEIGHT", "kg"),
        "conditioning.weight": ("IT.CP.WEIGHT", "kg"),
        "conditioning.height": ("IT.CP.HEIGHT", "cm"),
        "cordblood.tnc": ("IT.CB.TNC", "{cells}"),
        "cordblood.cd34": ("IT.CB.CD34", "{cells}"),
        "infusion.volume": ("IT.INF.UNIT_VOL", "mL"),
        "islet.cpeptide_fasting": ("IT.LB.CPEP_F", "nmol/L"),
        "islet.hba1c": ("IT.LB.HBA1C", "%"),
        "islet.glucose_fasting": ("IT.LB.GLUC_F", "mmol/L"),
        "islet.insulin_daily": ("IT.EX.INS_TOTAL", "[IU]/d"),
    }
    got = {k: (study.rule_input(k).item, study.rule_input(k).unit) for k in expected}
    assert got == expected


def test_rule_inputs_name_modules_that_have_rules(study: StudyDefinition) -> None:
    # rules/*.yaml module names, plus the rule modules whose thresholds live in another module file
    modules = set(study.rules.entries) | {"hla", "chimerism", "cgvhd", "mmtt"}
    assert {name.split(".")[0] for name in study.rule_inputs} <= modules


def test_every_form_used_by_an_event_exists_and_every_form_is_used(study: StudyDefinition) -> None:
    used = {f for e in study.events for f in e.forms}
    assert used <= set(study.forms)
    assert set(study.forms) - used == set()


def test_the_protocol_events_are_all_there(study: StudyDefinition) -> None:
    oids = [e.oid for e in study.events]
    for oid in ("SE.SCREEN", "SE.ENROL", "SE.CBU", "SE.CBUSEL", "SE.COND", "SE.DAY0", "SE.POST"):
        assert oid in oids
    assert [study.event(f"SE.ENG{d}").day for d in (14, 28, 42, 60, 100)] == [14, 28, 42, 60, 100]
    follow_up = [e for e in study.events if e.oid.startswith("SE.FU")]
    assert [e.month for e in follow_up] == list(range(3, 37, 3))
    assert [e.oid for e in follow_up] == [f"SE.FU{m:02d}" for m in range(3, 37, 3)]
    assert study.event("SE.COND").repeat == "study_day"
    assert study.event("SE.POST").repeat == "study_day"
    logs = {e.oid for e in study.events if e.kind == "unscheduled"}
    assert logs == {"SE.AE", "SE.INF", "SE.AGVHD", "SE.CGVHD", "SE.TRANSF", "SE.CM"}
    assert [e.order for e in study.events] == sorted(e.order for e in study.events)
    assert oids.index("SE.SCREEN") < oids.index("SE.DAY0") < oids.index("SE.FU03")
    assert oids.index("SE.FU36") < oids.index("SE.EOS")


def test_follow_up_visits_collect_every_registry_outcome(study: StudyDefinition) -> None:
    """Registry record outcome measures, at each of the 12 follow-up visits."""
    outcome_items = {
        "IT.LB.CPEP_F",  # serum C-peptide
        "IT.LB.CPEP_S",
        "IT.LB.INS_F",  # serum insulin
        "IT.LB.GLUC_F",  # fasting blood glucose
        "IT.LB.HBA1C",
        "IT.FU.INF_N",  # number of infections
        "IT.LB.IGG",  # immunoglobulins
        "IT.LB.CD4",  # T lymphocyte subsets
        "IT.LB.IL2",
        "IT.VS.HEIGHT",
        "IT.VS.WEIGHT",
        "IT.VS.TANNER_B",
        "IT.VS.TANNER_G",
        "IT.VS.TANNER_PH",
        "IT.VS.TESTVOL_L",
        "IT.FU.AGVHD",  # occurrence of GVHD
        "IT.FU.CGVHD",
        "IT.EX.INS_TOTAL",  # insulin per day
        "IT.HY.DTC",  # severe hypoglycaemia
        "IT.MT.CPEP",  # MMTT
    }
    for event in (e for e in study.events if e.month is not None):
        items = {i.oid for f in event.forms for i in study.form(f).items()}
        assert outcome_items <= items, event.oid


def test_eligibility_has_the_registry_criteria(study: StudyDefinition) -> None:
    elig = study.form("F.ELIG")
    organ = [
        i
        for i in elig.items()
        if re.fullmatch(r"IT\.IE\.OD_[A-Z]+", i.oid) and i.oid != "IT.IE.OD_RECUR"
    ]
    assert len(organ) == 11
    (excl,) = (g for g in elig.groups if g.oid == "IG.ELIG.EXCL")
    assert len(excl.items) == 6
    assert {"IT.IE.INCL1", "IT.IE.INCL2", "IT.IE.INCL3", "IT.IE.AGE"} <= {
        i.oid for i in elig.items()
    }


def test_phi_is_flagged_on_identity_only(study: StudyDefinition) -> None:
    phi = {i.oid for i in study.items().values() if i.phi}
    assert phi == {
        "IT.DM.NAME",
        "IT.DM.HOSPNO",
        "IT.DM.BRTHDTC",
        "IT.DM.GUARDIAN",
        "IT.DM.GUARDIAN_PHONE",
    }
    assert not study.item("IT.DM.SEX").phi


def test_signature_forms(study: StudyDefinition) -> None:
    signed = {f.oid: f.signature for f in study.forms.values() if f.signature}
    assert signed == {
        "F.ELIG": "eligibility",
        "F.CBUSEL": "unit_selection",
        "F.ISLELIG": "islet_decision",
        "F.TRTCOMP": "treatment_complete",
        "F.EOS": "end_of_study",
    }


def test_derived_results_are_derived_and_never_required(study: StudyDefinition) -> None:
    derived = {i.oid for i in study.items().values() if i.derived}
    for oid in (
        "IT.VS.BMI",
        "IT.VS.HEIGHT_Z",
        "IT.VS.WEIGHT_Z",
        "IT.VS.BMI_Z",
        "IT.EN.ANC_DAY",
        "IT.EN.PLT_DAY",
        "IT.GV.A_GRADE",
        "IT.GV.C_SEVERITY",
        "IT.IS.BSCORE",
        "IT.IS.BETA2",
        "IT.IS.IGLS",
        "IT.LB.HBA1C_IFCC",
        "IT.CB.TNC_KG",
        "IT.CB.CD34_KG",
        "IT.CB.MATCH6",
        "IT.CB.MATCH8",
        "IT.INF.DMSO_GKG",
        "IT.CP.BSA",
        "IT.CM.DOSE_CALC",
    ):
        assert oid in derived, oid
    assert not any(study.item(oid).required for oid in derived)


def test_items_carry_what_a_crf_box_needs(study: StudyDefinition) -> None:
    for item in study.items().values():
        if item.data_type == "choice":
            assert item.codelist in study.codelists, item.oid
        if item.data_type in ("integer", "float"):
            assert item.length is not None, item.oid
            assert item.derived or item.hard_range is not None, item.oid
        if item.data_type == "float":
            assert item.decimals is not None, item.oid
        if item.data_type == "text":
            assert item.length is not None, item.oid
        if item.soft_range is not None and item.hard_range is not None:
            for bound in (item.soft_range.low, item.soft_range.high):
                assert bound is None or item.hard_range.contains(bound), item.oid


def test_hla_typing_per_locus_with_resolution(study: StudyDefinition) -> None:
    for side in ("R", "U"):
        for locus in ("A", "B", "C", "DRB1"):
            sep = "_" if locus == "DRB1" else ""
            for n in (1, 2):
                assert study.has_item(f"IT.HLA.{side}_{locus}{sep}{n}")
            assert study.item(f"IT.HLA.{side}_{locus}_RES").codelist == "CL.HLARES"


def test_child_ranges_refuse_impossible_values(study: StudyDefinition) -> None:
    anc = study.item("IT.LB.ANC")
    assert anc.hard_range is not None and anc.hard_range.contains(0.0)
    assert not anc.hard_range.contains(-0.1)
    weight = study.item("IT.VS.WEIGHT")
    assert weight.hard_range is not None and not weight.hard_range.contains(250)
    assert weight.soft_range is not None and not weight.soft_range.contains(150)


def test_shipped_files_use_only_safe_yaml() -> None:
    for path in sorted(Path(STUDY_DIR).rglob("*.yaml")):
        yaml.safe_load(path.read_text(encoding="utf-8"))


def test_infection_criteria_offer_the_codes_of_the_grading_rule(study: StudyDefinition) -> None:
    tables = [
        v.value for k, v in study.rules.module("infections").items() if k.startswith("grade_table_")
    ]
    rule_codes = {code for table in tables for code in table}
    offered = {c.code for c in study.codelists["CL.INFCRIT"].items}
    assert offered == rule_codes
    assert study.item("IT.IN.CRITERION").codelist == "CL.INFCRIT"


def test_units_the_study_lists_cover_the_definition(study: StudyDefinition) -> None:
    """Units the study uses that rules/units.yaml does not list yet (kept short on purpose)."""
    params = study.rules.params(UnitParams, "units")
    units = {u for i in study.items().values() for u in (i.unit, *i.alt_units) if u}
    unlisted = {u for u in units if not validate_ucum(u, params).known_to_study}
    # annotations and per-kg-per-day forms the units owner is asked to add (see the issue note)
    assert unlisted <= {"{IEQ}", "{EU}", "{EU}/kg", "[IU]/kg/d", "nmol.min/L", "{cells}"}


def test_names_are_unique_so_exports_have_distinct_columns(study: StudyDefinition) -> None:
    for names in (
        [i.name for i in study.items().values()],
        [g.name for f in study.forms.values() for g in f.groups],
        [f.name for f in study.forms.values()],
        [e.name for e in study.events],
    ):
        assert [n for n, k in Counter(names).items() if k > 1] == []


def test_forms_come_in_visit_order(study: StudyDefinition) -> None:
    forms = list(study.forms)
    assert forms[:2] == ["F.ELIG", "F.DM"]
    assert (
        forms.index("F.CBU")
        < forms.index("F.INFUS")
        < forms.index("F.ISLPROD")
        < forms.index("F.EOS")
    )


def test_every_codelist_is_used(study: StudyDefinition) -> None:
    used = {i.codelist for i in study.items().values() if i.codelist}
    assert set(study.codelists) - used == set()
