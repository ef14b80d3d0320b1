"""Acute GVHD MAGIC staging and grade, chronic GVHD NIH 2014 global severity, cut-off tables."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.cgvhd import (
    ORGANS,
    ChronicGvhdParams,
    global_severity,
    lung_score_from_fev1,
    skin_score,
)
from app.domain.cutoffs import stage_from_cutoffs
from app.domain.gvhd import (
    AcuteGvhdParams,
    acute_grade,
    acute_grade_of,
    bilirubin_mg_dl,
    grade_alert,
    liver_stage,
    lower_gi_stage,
    skin_stage,
    stool_average_ml,
    upper_gi_stage,
)
from app.study.rules import RuleBook


@pytest.fixture(scope="module")
def acute(rulebook: RuleBook) -> AcuteGvhdParams:
    return rulebook.params(AcuteGvhdParams, "gvhd")


@pytest.fixture(scope="module")
def chronic(rulebook: RuleBook) -> ChronicGvhdParams:
    return rulebook.params(ChronicGvhdParams, "gvhd")


@pytest.mark.parametrize(
    ("bsa", "bullae", "stage"),
    [
        (0, 0, 0),
        (1, 0, 1),
        (24.9, 0, 1),
        (25, 0, 2),
        (50, 0, 2),
        (50.1, 0, 3),
        (100, 5, 3),  # bullae must exceed 5%
        (100, 5.1, 4),
        (50, 10, 2),  # erythroderma must exceed 50%
        (51, 10, 4),
    ],
)
def test_skin_stage(acute: AcuteGvhdParams, bsa: float, bullae: float, stage: int) -> None:
    result = skin_stage(bsa, bullae, acute)
    assert result.stage == stage and result.code == f"gvhd.acute.skin.stage_{stage}"
    assert result.rule.rule == "gvhd.acute.skin" and result.rule.version == "MDV.SEQTX.1"


def test_skin_rejects_impossible_bsa(acute: AcuteGvhdParams) -> None:
    with pytest.raises(ValueError, match="0 to 100"):
        skin_stage(101, 0, acute)


@pytest.mark.parametrize(
    ("mg_dl", "umol_l", "stage"),
    [
        (1.99, 34.0, 0),
        (2.0, 34.2, 1),  # boundary rule <2.0 -> 0
        (3.0, 51.3, 1),
        (3.01, 51.5, 2),
        (6.0, 102.6, 2),
        (6.01, 102.8, 3),
        (15.0, 256.5, 3),  # 15 x 17.1 = 256.5
        (15.01, 256.6, 4),
    ],
)
def test_liver_stage_in_both_units(
    acute: AcuteGvhdParams, mg_dl: float, umol_l: float, stage: int
) -> None:
    assert liver_stage(mg_dl, "mg/dL", acute).stage == stage
    result = liver_stage(umol_l, "umol/L", acute)
    assert result.stage == stage and result.values["unit"] == "umol/L"
    assert liver_stage(umol_l, "µmol/L", acute).stage == stage


def test_bilirubin_conversion(acute: AcuteGvhdParams) -> None:
    assert bilirubin_mg_dl(34.2, "umol/L", acute) == 2.0
    assert bilirubin_mg_dl(2.5, "mg/dL", acute) == 2.5
    with pytest.raises(ValueError, match="unit"):
        bilirubin_mg_dl(2.5, "mmol/L", acute)
    with pytest.raises(ValueError, match=">= 0"):
        liver_stage(-1, "mg/dL", acute)


def test_upper_gi_stage(acute: AcuteGvhdParams) -> None:
    assert upper_gi_stage(True, acute).stage == 1
    assert upper_gi_stage(False, acute).code == "gvhd.acute.upper_gi.stage_0"


@pytest.mark.parametrize(
    ("ml", "stage"), [(499, 0), (500, 1), (999, 1), (1000, 2), (1500, 2), (1501, 3)]
)
def test_lower_gi_adult_volume(acute: AcuteGvhdParams, ml: float, stage: int) -> None:
    result = lower_gi_stage(50.1, acute, stool_ml_per_day=ml)
    assert result.stage == stage and result.values["adult_criteria"] is True


@pytest.mark.parametrize(("episodes", "stage"), [(2, 0), (3, 1), (4, 1), (5, 2), (7, 2), (8, 3)])
def test_lower_gi_adult_episodes(acute: AcuteGvhdParams, episodes: float, stage: int) -> None:
    assert lower_gi_stage(70, acute, episodes_per_day=episodes).stage == stage


@pytest.mark.parametrize(
    ("ml_per_kg", "stage"),
    [(9.9, 0), (10, 1), (19.9, 1), (20, 2), (30, 2), (30.1, 3)],
)
def test_lower_gi_child_volume_per_kg(acute: AcuteGvhdParams, ml_per_kg: float, stage: int) -> None:
    # 50 kg exactly is a child: volumes per kg.
    result = lower_gi_stage(50, acute, stool_ml_per_day=ml_per_kg * 50)
    assert result.stage == stage and result.values["volume_unit"] == "mL/kg/d"


@pytest.mark.parametrize(("episodes", "stage"), [(3, 0), (4, 1), (6, 1), (7, 2), (10, 2), (11, 3)])
def test_lower_gi_child_episodes(acute: AcuteGvhdParams, episodes: float, stage: int) -> None:
    assert lower_gi_stage(20, acute, episodes_per_day=episodes).stage == stage


def test_lower_gi_takes_the_higher_of_volume_and_episodes(acute: AcuteGvhdParams) -> None:
    assert lower_gi_stage(20, acute, stool_ml_per_day=100, episodes_per_day=11).stage == 3
    assert lower_gi_stage(20, acute, stool_ml_per_day=700, episodes_per_day=0).stage == 3


def test_lower_gi_mixed_with_urine_counts_half_as_stool(acute: AcuteGvhdParams) -> None:
    # 1,000 mL of stool and urine together in an adult = 500 mL stool = stage 1, not 2.
    result = lower_gi_stage(70, acute, stool_ml_per_day=1000, mixed_with_urine=True)
    assert result.stage == 1 and result.values["volume"] == 500


def test_stool_three_day_average(acute: AcuteGvhdParams) -> None:
    assert stool_average_ml([2000, 300, 600, 900], acute) == 600
    assert stool_average_ml([400], acute) == 400
    with pytest.raises(ValueError, match="no stool"):
        stool_average_ml([], acute)


def test_lower_gi_pain_or_blood_is_stage_4(acute: AcuteGvhdParams) -> None:
    assert lower_gi_stage(20, acute, stool_ml_per_day=0, severe_pain=True).stage == 4
    assert lower_gi_stage(80, acute, bloody_stool=True).stage == 4
    assert lower_gi_stage(80, acute).stage == 0


def test_lower_gi_rejects_bad_input(acute: AcuteGvhdParams) -> None:
    with pytest.raises(ValueError, match="weight"):
        lower_gi_stage(0, acute, stool_ml_per_day=100)
    with pytest.raises(ValueError, match=">= 0"):
        lower_gi_stage(20, acute, stool_ml_per_day=-1)
    with pytest.raises(ValueError, match=">= 0"):
        lower_gi_stage(20, acute, episodes_per_day=-1)


@pytest.mark.parametrize(
    ("skin", "liver", "upper", "lower", "grade", "roman"),
    [
        (0, 0, 0, 0, 0, "0"),
        (1, 0, 0, 0, 1, "I"),
        (2, 0, 0, 0, 1, "I"),
        (3, 0, 0, 0, 2, "II"),
        (0, 1, 0, 0, 2, "II"),
        (0, 0, 1, 0, 2, "II"),
        (2, 0, 0, 1, 2, "II"),
        (0, 2, 0, 0, 3, "III"),
        (3, 0, 1, 3, 3, "III"),
        (0, 0, 0, 2, 3, "III"),
        (4, 0, 0, 0, 4, "IV"),
        (0, 4, 1, 0, 4, "IV"),
        (0, 0, 0, 4, 4, "IV"),
    ],
)
def test_overall_grade(
    acute: AcuteGvhdParams, skin: int, liver: int, upper: int, lower: int, grade: int, roman: str
) -> None:
    result = acute_grade(skin, liver, upper, lower, acute)
    assert (result.grade, result.roman) == (grade, roman)
    assert result.code == f"gvhd.acute.grade_{grade}"
    assert result.rule.rule == "gvhd.acute.grade"


def test_grade_from_organ_results(acute: AcuteGvhdParams) -> None:
    result = acute_grade_of(
        skin_stage(30, 0, acute),
        liver_stage(40, "umol/L", acute),
        upper_gi_stage(False, acute),
        lower_gi_stage(20, acute, stool_ml_per_day=100),
        acute,
    )
    assert result.grade == 2 and result.stages == {
        "skin": 2,
        "liver": 1,
        "upper_gi": 0,
        "lower_gi": 0,
    }


def test_grade_rejects_impossible_stage(acute: AcuteGvhdParams) -> None:
    with pytest.raises(ValueError, match="upper_gi"):
        acute_grade(0, 0, 2, 0, acute)


stage4 = st.integers(min_value=0, max_value=4)


@given(stage4, stage4, st.integers(min_value=0, max_value=1), stage4, st.sampled_from(range(4)))
def test_grade_never_lower_when_a_stage_rises(
    acute: AcuteGvhdParams, skin: int, liver: int, upper: int, lower: int, organ: int
) -> None:
    params = acute
    stages = [skin, liver, upper, lower]
    limits = [4, 4, 1, 4]
    before = acute_grade(*stages, params).grade
    if stages[organ] < limits[organ]:
        stages[organ] += 1
    assert acute_grade(*stages, params).grade >= before


# Chronic GVHD ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "excluded", "severity", "deciding"),
    [
        ({}, (), "none", "organ_count"),
        ({"skin": 1}, (), "mild", "organ_count"),
        ({"skin": 1, "mouth": 1}, (), "mild", "organ_count"),
        ({"skin": 1, "mouth": 1, "eyes": 1}, (), "moderate", "organ_count"),
        ({"liver": 2}, (), "moderate", "organ_score"),
        ({"lungs": 1}, (), "moderate", "lung_score"),
        ({"lungs": 2}, (), "severe", "lung_score"),
        ({"lungs": 3}, (), "severe", "lung_score"),
        ({"joints_fascia": 3}, (), "severe", "organ_score"),
        ({"skin": 1, "mouth": 1, "eyes": 1}, ("eyes",), "mild", "organ_count"),
        ({"genital": 3}, ("genital",), "none", "organ_count"),
    ],
)
def test_global_severity(
    chronic: ChronicGvhdParams,
    scores: dict[str, int],
    excluded: tuple[str, ...],
    severity: str,
    deciding: str,
) -> None:
    result = global_severity(scores, chronic, excluded)
    assert (result.severity, result.deciding) == (severity, deciding)
    assert result.code == f"gvhd.chronic.{severity}" and result.excluded == tuple(sorted(excluded))
    assert set(result.scores) == set(ORGANS) - set(excluded)


def test_global_severity_rejects_bad_input(chronic: ChronicGvhdParams) -> None:
    with pytest.raises(ValueError, match="unknown"):
        global_severity({"heart": 1}, chronic)
    with pytest.raises(ValueError, match="0 to 3"):
        global_severity({"skin": 4}, chronic)


@pytest.mark.parametrize(
    ("bsa", "sclerotic", "score"),
    [(0, 0, 0), (1, 0, 1), (18, 0, 1), (19, 0, 2), (50, 0, 2), (51, 0, 3), (5, 3, 3)],
)
def test_skin_score_is_higher_of_subscores(
    chronic: ChronicGvhdParams, bsa: float, sclerotic: int, score: int
) -> None:
    result = skin_score(bsa, sclerotic, chronic)
    assert result.score == score and result.code == f"gvhd.chronic.skin.score_{score}"
    assert result.rule.rule == "gvhd.chronic.skin_score"


@pytest.mark.parametrize(
    ("fev1", "score"), [(100, 0), (80, 0), (79, 1), (60, 1), (59, 2), (40, 2), (39, 3)]
)
def test_lung_score_from_fev1(chronic: ChronicGvhdParams, fev1: float, score: int) -> None:
    result = lung_score_from_fev1(fev1, chronic)
    assert result.score == score and result.values["fev1_pct_predicted"] == fev1
    assert result.code == f"gvhd.chronic.lungs.score_{score}"


def test_chronic_helpers_reject_bad_input(chronic: ChronicGvhdParams) -> None:
    with pytest.raises(ValueError, match="0 to 100"):
        skin_score(120, 0, chronic)
    with pytest.raises(ValueError, match="sclerotic"):
        skin_score(10, 4, chronic)
    with pytest.raises(ValueError, match=">= 0"):
        lung_score_from_fev1(-1, chronic)


@given(
    st.fixed_dictionaries({o: st.integers(min_value=0, max_value=3) for o in ORGANS}),
    st.sampled_from(ORGANS),
)
def test_severity_never_lower_when_a_score_rises(
    chronic: ChronicGvhdParams, scores: dict[str, int], organ: str
) -> None:
    params = chronic
    order = ["none", "mild", "moderate", "severe"]
    before = order.index(global_severity(scores, params).severity)
    raised = dict(scores)
    raised[organ] = min(3, raised[organ] + 1)
    assert order.index(global_severity(raised, params).severity) >= before


def test_cutoff_rows_need_a_known_operator() -> None:
    assert stage_from_cutoffs(5, [{"stage": 1, "op": "<=", "bound": 5}]) == 1
    with pytest.raises(ValueError, match="op"):
        stage_from_cutoffs(5, [{"stage": 1, "op": "=>", "bound": 5}])


@pytest.mark.parametrize(
    ("grade", "severity"), [(0, None), (1, None), (2, "warning"), (3, "alert"), (4, "alert")]
)
def test_ward_alert_from_grade_ii_read_from_the_rule_file(
    acute: AcuteGvhdParams, grade: int, severity: str | None
) -> None:
    assert acute.worklist_alert_min_grade == 2  # grade II-IV is clinically significant (3.2)
    assert grade_alert(grade, acute) == severity
