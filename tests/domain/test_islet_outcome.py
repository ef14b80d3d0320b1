"""Beta-score (every band edge and both special rules), BETA-2, Igls 2018 and the MMTT."""

from __future__ import annotations

import math

import pytest

from app.domain.islet_outcome import Glycaemia, IsletOutcomeParams, beta2, beta_score, igls
from app.domain.mmtt import MmttParams, mmtt_summary
from app.study.rules import RuleBook


@pytest.fixture(scope="module")
def params(rulebook: RuleBook) -> IsletOutcomeParams:
    return rulebook.params(IsletOutcomeParams, "islet")


@pytest.fixture(scope="module")
def mmtt(rulebook: RuleBook) -> MmttParams:
    return rulebook.params(MmttParams, "islet")


def points(params: IsletOutcomeParams, **kw: float) -> dict[str, int]:
    values = {"fpg": 5.0, "hba1c": 5.5, "insulin": 0.0, "stim": 0.5}
    values.update(kw)
    result = beta_score(
        values["fpg"], values["hba1c"], values["insulin"], False, params, values["stim"]
    )
    return dict(result.points)


@pytest.mark.parametrize(
    ("fpg", "pts"), [(5.5, 2), (5.51, 1), (5.6, 1), (6.9, 1), (6.99, 1), (7.0, 0), (9.0, 0)]
)
def test_beta_fasting_glucose_bands(params: IsletOutcomeParams, fpg: float, pts: int) -> None:
    assert points(params, fpg=fpg)["fpg"] == pts


@pytest.mark.parametrize(
    ("hba1c", "pts"), [(6.1, 2), (6.11, 1), (6.2, 1), (6.9, 1), (6.99, 1), (7.0, 0)]
)
def test_beta_hba1c_bands(params: IsletOutcomeParams, hba1c: float, pts: int) -> None:
    assert points(params, hba1c=hba1c)["hba1c"] == pts


@pytest.mark.parametrize(
    ("insulin", "pts"), [(0.0, 2), (0.01, 1), (0.24, 1), (0.249, 1), (0.25, 0), (0.5, 0)]
)
def test_beta_insulin_bands(params: IsletOutcomeParams, insulin: float, pts: int) -> None:
    assert points(params, insulin=insulin)["insulin"] == pts


def test_beta_oral_agent_without_insulin_scores_one(params: IsletOutcomeParams) -> None:
    result = beta_score(5.0, 5.5, 0.0, True, params, 0.5)
    assert result.points["insulin"] == 1 and result.score == 7


@pytest.mark.parametrize(("stim", "pts"), [(0.3, 2), (0.29, 1), (0.1, 1), (0.5, 2)])
def test_beta_stimulated_cpeptide_bands(params: IsletOutcomeParams, stim: float, pts: int) -> None:
    assert points(params, stim=stim)["cpeptide"] == pts


def test_beta_full_and_typical_scores(params: IsletOutcomeParams) -> None:
    best = beta_score(5.0, 5.5, 0.0, False, params, 0.5)
    assert best.score == 8 and best.code == "islet.beta_score" and best.special_rule is None
    mid = beta_score(6.0, 6.5, 0.1, False, params, 0.2)
    assert mid.score == 4
    worst_nonzero = beta_score(8.0, 8.0, 0.5, False, params, 0.1)
    assert worst_nonzero.score == 1 and worst_nonzero.rule.version == "MDV.SEQTX.1"


def test_beta_stimulated_below_0_1_makes_the_whole_score_zero(params: IsletOutcomeParams) -> None:
    result = beta_score(5.0, 5.5, 0.0, False, params, 0.09)
    assert result.score == 0 and result.code == "islet.beta_score.zero_cpeptide"
    assert result.special_rule == "stimulated_cpeptide_below_min"


def test_beta_fasting_0_3_counts_as_stimulated_0_3(params: IsletOutcomeParams) -> None:
    result = beta_score(5.0, 5.5, 0.0, False, params, fasting_cpeptide_nmol_l=0.3)
    assert result.score == 8 and result.special_rule == "fasting_cpeptide_implies_stimulated"
    # The fasting rule is applied first, so a low stimulated value cannot zero the score.
    assert beta_score(5.0, 5.5, 0.0, False, params, 0.05, 0.3).score == 8
    # Below 0.3 fasting the stimulated value decides.
    assert beta_score(5.0, 5.5, 0.0, False, params, 0.2, 0.29).points["cpeptide"] == 1
    with pytest.raises(ValueError, match="stimulated"):
        beta_score(5.0, 5.5, 0.0, False, params, fasting_cpeptide_nmol_l=0.29)


def test_beta_rejects_negative_values(params: IsletOutcomeParams) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        beta_score(-1, 5.5, 0.0, False, params, 0.5)


@pytest.mark.parametrize(
    ("cpep", "insulin", "fpg", "hba1c", "value", "code"),
    [
        (1.0, 0.0, 5.0, 10.0, 20.0, "islet.beta2.ngt_likely"),
        (0.5625, 0.0, 5.0, 10.0, 15.0, "islet.beta2.insulin_independence_likely"),
        (0.5, 0.0, 5.0, 10.0, 14.142, "islet.beta2.insulin_needed"),
        (0.5, 0.0, 5.0, 5.5, 25.713, "islet.beta2.ngt_likely"),
        (0.5, 1.2, 5.0, 5.5, 0.0, "islet.beta2.insulin_needed"),  # insulin >= 1 U/kg/d
    ],
)
def test_beta2(
    params: IsletOutcomeParams,
    cpep: float,
    insulin: float,
    fpg: float,
    hba1c: float,
    value: float,
    code: str,
) -> None:
    result = beta2(cpep, insulin, fpg, hba1c, params)
    assert result.value == pytest.approx(value, abs=1e-3) and result.code == code
    assert result.rule.rule == "islet.beta2"


def test_beta2_rejects_impossible_input(params: IsletOutcomeParams) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        beta2(-0.1, 0, 5, 5, params)
    with pytest.raises(ValueError, match="> 0"):
        beta2(0.5, 0, 0, 5, params)


BASELINE = Glycaemia(
    hba1c_pct=8.5, severe_hypo_per_year=3, insulin_u_kg_day=0.8, cpeptide_nmol_l=0.0
)


@pytest.mark.parametrize(
    ("follow_up", "category"),
    [
        (Glycaemia(6.5, 0, 0.0, 0.5), "optimal"),
        (Glycaemia(6.6, 0, 0.0, 0.5), "good"),  # HbA1c above optimal
        (Glycaemia(6.5, 1, 0.0, 0.5), "marginal"),  # a severe hypo: not optimal or good
        (Glycaemia(6.9, 0, 0.39, 0.5), "good"),  # 49% of baseline insulin
        (Glycaemia(6.9, 0, 0.4, 0.5), "marginal"),  # 50% of baseline insulin
        (Glycaemia(7.0, 0, 0.1, 0.5), "marginal"),  # HbA1c at 7.0
        (Glycaemia(8.5, 1, 0.8, 0.5), "marginal"),  # fewer severe hypos only
        (Glycaemia(8.5, 3, 0.8, 0.5), "failure"),  # back to baseline
        (Glycaemia(6.5, 0, 0.0, 0.17), "failure"),  # C-peptide must exceed 0.17 nmol/L
        (Glycaemia(6.5, 0, 0.0, 0.18), "optimal"),
    ],
)
def test_igls_categories(params: IsletOutcomeParams, follow_up: Glycaemia, category: str) -> None:
    result = igls(BASELINE, follow_up, params)
    assert result.category == category and result.code == f"islet.igls.{category}"
    assert result.treatment_success is (category in ("optimal", "good"))


def test_igls_needs_cpeptide_above_baseline(params: IsletOutcomeParams) -> None:
    baseline = Glycaemia(8.5, 3, 0.8, 0.3)
    assert igls(baseline, Glycaemia(6.0, 0, 0.0, 0.3), params).category == "failure"


def test_igls_good_also_needs_insulin_below_0_5_u_per_kg(params: IsletOutcomeParams) -> None:
    baseline = Glycaemia(8.5, 3, 2.0, 0.0)
    result = igls(baseline, Glycaemia(6.8, 0, 0.6, 0.5), params)  # 30% of baseline but 0.6 U/kg
    assert result.category == "marginal"
    assert result.values["insulin_fraction_of_baseline"] == pytest.approx(0.3)


def test_igls_zero_hypo_baseline_cannot_be_marginal(params: IsletOutcomeParams) -> None:
    baseline = Glycaemia(8.5, 0, 0.8, 0.0)
    assert igls(baseline, Glycaemia(7.5, 0, 0.7, 0.5), params).category == "failure"


def test_igls_without_baseline_insulin(params: IsletOutcomeParams) -> None:
    baseline = Glycaemia(8.5, 3, 0.0, 0.0)
    result = igls(baseline, Glycaemia(6.8, 0, 0.1, 0.5), params)
    assert math.isinf(result.values["insulin_fraction_of_baseline"])
    assert result.category == "marginal"


MMTT = [(-10, 0.2), (0, 0.2), (15, 0.4), (30, 0.6), (60, 0.8), (90, 0.6), (120, 0.4)]


def test_mmtt_auc_mean_peak(mmtt: MmttParams) -> None:
    result = mmtt_summary(MMTT, mmtt)
    assert result.auc_nmol_l_min == pytest.approx(69.0)
    assert result.mean_nmol_l == pytest.approx(69.0 / 120)
    assert (result.peak_nmol_l, result.peak_time_min) == (0.8, 60)
    assert result.c90_nmol_l == 0.6 and result.c90_positive is True
    assert result.fasting_nmol_l == 0.2 and result.fasting_positive is True
    assert result.code == "mmtt.c90_positive" and result.rule.version == "MDV.SEQTX.1"


@pytest.mark.parametrize(("c90", "code"), [(0.2, "mmtt.c90_positive"), (0.19, "mmtt.c90_negative")])
def test_mmtt_90_minute_boundary(mmtt: MmttParams, c90: float, code: str) -> None:
    samples = [(0, 0.05), (30, 0.1), (90, c90), (120, 0.1)]
    result = mmtt_summary(samples, mmtt)
    assert result.code == code and result.fasting_positive is False


def test_mmtt_without_90_or_fasting_sample(mmtt: MmttParams) -> None:
    result = mmtt_summary([(15, 0.3), (60, 0.3)], mmtt)
    assert result.code == "mmtt.c90_missing" and result.c90_positive is None
    assert result.fasting_positive is None and result.auc_nmol_l_min == pytest.approx(13.5)


@pytest.mark.parametrize(
    "samples", [[(0, 0.2)], [(0, 0.2), (0, 0.3)], [(0, 0.2), (30, -0.1)], [(-10, 0.1), (0, 0.1)]]
)
def test_mmtt_rejects_unusable_samples(
    mmtt: MmttParams, samples: list[tuple[float, float]]
) -> None:
    with pytest.raises(ValueError):
        mmtt_summary(samples, mmtt)
