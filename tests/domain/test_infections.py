"""BMT CTN infection grade per organism class and episode counts per follow-up interval."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.infections import InfectionParams as Params
from app.domain.infections import (
    Interval,
    Positive,
    cdiff_criterion,
    count_by_interval,
    episodes,
    infection_grade,
)
from app.domain.infections import organism_class as class_of
from app.study.rules import RuleBook


@pytest.fixture(scope="module")
def params(rulebook: RuleBook) -> Params:
    return rulebook.params(Params, "infections")


@pytest.mark.parametrize(
    ("organism_class", "criterion", "grade"),
    [
        ("bacterial", "bact_cons_coryne_propioni_bacteraemia", 1),
        ("bacterial", "bact_pneumonia", 2),
        ("bacterial", "bact_pneumonia_intubation", 3),
        ("fungal", "fung_superficial_candida", 1),
        ("fungal", "fung_candida_oesophagitis_biopsy", 2),
        ("fungal", "fung_invasive_mould", 3),
        ("viral", "vir_cmv_end_organ", 3),
        ("other", "oth_pneumocystis_pneumonia", 3),
    ],
)
def test_grade_from_criterion(
    params: Params, organism_class: str, criterion: str, grade: int
) -> None:
    result = infection_grade(organism_class, criterion, params)
    assert result.grade == grade and result.code == f"infection.grade_{grade}"
    assert result.rule.rule == f"infection.grade.{organism_class}"


def test_every_grade_table_holds_grades_1_to_3(params: Params) -> None:
    for organism_class in ("bacterial", "fungal", "viral", "other"):
        assert set(params.table(organism_class).values()) == {1, 2, 3}


def test_unknown_class_or_criterion_is_rejected(params: Params) -> None:
    with pytest.raises(ValueError, match="organism class"):
        infection_grade("prion", "x", params)
    with pytest.raises(ValueError, match="criterion"):
        infection_grade("fungal", "bact_pneumonia", params)


@pytest.mark.parametrize(
    ("ml", "kg", "age", "pain", "toxic", "grade"),
    [
        (399, 20, 8, False, False, 1),  # 19.95 mL/kg/day
        (400, 20, 8, False, False, 2),  # 20 mL/kg/day
        (100, 20, 8, True, False, 2),  # pain
        (100, 20, 8, False, True, 3),  # toxic dilatation or renal insufficiency
        (999, 70, 18, False, False, 1),  # adult volumes from 18 years
        (1000, 70, 18, False, False, 2),
    ],
)
def test_cdiff_criterion(
    params: Params, ml: float, kg: float, age: float, pain: bool, toxic: bool, grade: int
) -> None:
    criterion = cdiff_criterion(ml, kg, age, pain, toxic, params)
    assert infection_grade("bacterial", criterion, params).grade == grade


def test_cdiff_rejects_bad_input(params: Params) -> None:
    with pytest.raises(ValueError, match="weight"):
        cdiff_criterion(100, 0, 8, False, False, params)


@pytest.mark.parametrize(
    ("code", "organism_class"),
    [("BACTERIAL", "bacterial"), ("VIRAL", "viral"), ("PARASITIC", "other"), ("UNKNOWN", "other")],
)
def test_crf_organism_class_codes(params: Params, code: str, organism_class: str) -> None:
    assert class_of(code, params) == organism_class


def test_unknown_crf_organism_class_code(params: Params) -> None:
    with pytest.raises(ValueError, match="PRION"):
        class_of("PRION", params)


def test_investigator_grade_when_no_criterion_code(params: Params) -> None:
    items = [
        Positive(1, "viral", "CMV", grade=2),
        Positive(5, "viral", "CMV", criterion="vir_cmv_end_organ"),
    ]
    (episode,) = episodes(items, params)
    assert episode.grade == 3
    with pytest.raises(ValueError, match="grade 1-3"):
        episodes([Positive(1, "viral", "CMV")], params)
    with pytest.raises(ValueError, match="organism class"):
        episodes([Positive(1, "prion", "x", grade=1)], params)


def test_recurrence_interval_boundary(params: Params) -> None:
    # Bacterial interval is 7 days: day 8 after the last positive is the same episode at 7, new at 8.
    same = [
        Positive(1, "bacterial", "E. coli", "bact_focus_le_14d"),
        Positive(8, "bacterial", "e. coli ", "bact_bacteraemia_no_severe_sepsis"),
    ]
    result = episodes(same, params)
    assert len(result) == 1 and result[0].grade == 2 and result[0].positives == 2
    assert (result[0].onset, result[0].last) == (1, 8)
    new = [same[0], Positive(9, "bacterial", "E. coli", "bact_focus_le_14d")]
    assert [e.onset for e in episodes(new, params)] == [1, 9]


def test_chained_positives_extend_one_episode(params: Params) -> None:
    chain = [Positive(d, "viral", "CMV", "vir_cmv_viraemia_treated") for d in (1, 14, 28)]
    result = episodes(chain, params)
    assert len(result) == 1 and result[0].last == 28


def test_different_organisms_and_classes_are_separate(params: Params) -> None:
    items = [
        Positive(1, "bacterial", "E. coli", "bact_focus_le_14d"),
        Positive(2, "bacterial", "Klebsiella", "bact_pneumonia"),
        Positive(3, "fungal", "Candida", "fung_fungaemia"),
    ]
    assert len(episodes(items, params)) == 3


def test_count_per_interval_by_class_and_grade(params: Params) -> None:
    items = [
        Positive(date(2027, 1, 5), "bacterial", "E. coli", "bact_focus_le_14d"),
        Positive(date(2027, 1, 10), "bacterial", "E. coli", "bact_pneumonia"),
        Positive(date(2027, 2, 20), "fungal", "Aspergillus", "fung_invasive_mould"),
        Positive(date(2027, 4, 2), "viral", "CMV", "vir_cmv_viraemia_treated"),
        Positive(date(2027, 4, 10), "viral", "CMV", "vir_cmv_end_organ"),
    ]
    intervals = [
        Interval("M0-3", date(2027, 1, 1), date(2027, 3, 31)),
        Interval("M3-6", date(2027, 4, 1), date(2027, 6, 30)),
        Interval("M6-9", date(2027, 7, 1), date(2027, 9, 30)),
    ]
    first, second, third = count_by_interval(items, intervals, params)
    assert (first.label, first.total) == ("M0-3", 2)
    assert first.by_class_grade["bacterial"] == {2: 1}
    assert first.by_class_grade["fungal"] == {3: 1}
    assert second.total == 1 and second.by_class_grade["viral"] == {3: 1}
    assert third.total == 0 and third.by_class_grade["viral"] == {}
    assert first.code == "infection.count" and first.rule.version == "MDV.SEQTX.1"
