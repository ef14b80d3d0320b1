"""Chronic GVHD: NIH 2014 global severity (none, mild, moderate, severe) from 8 organ scores.

Sources: Jagasia et al., BBMT 2015;21:389 (NIH 2014 consensus); global severity wording from Arai et
al., Blood 2011;118:4242 and NCI Thesaurus C225388; DOMAIN.md 3.3. Numbers come from
resources/study/rules/gvhd.yaml (module "gvhd").

Scoring rules applied: performance status is not part of the global score; skin uses the higher
of its two sub-scores (`skin_score`); lung uses the FEV1-based score (`lung_score_from_fev1`); an
organ whose abnormality is fully explained by a documented non-GVHD cause is excluded; multifactorial
abnormalities count at full score.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.cutoffs import stage_from_cutoffs
from app.domain.result import RuleRef

SOURCE = (
    "Jagasia et al., BBMT 2015;21:389 (NIH 2014); Arai et al., Blood 2011;118:4242; DOMAIN.md 3.3"
)
SOURCE_CUTOFFS = "Jagasia et al., BBMT 2015;21:389 Table 2 (to confirm); DOMAIN.md 3.3"
ORGANS = ("skin", "mouth", "eyes", "gi", "liver", "lungs", "joints_fascia", "genital")
LUNG = "lungs"

Rows = tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class ChronicGvhdParams:
    version: str
    cgvhd_severe_any_organ_score: int
    cgvhd_severe_lung_score: int
    cgvhd_moderate_organ_count: int
    cgvhd_moderate_non_lung_score: int
    cgvhd_moderate_lung_score: int
    cgvhd_skin_bsa_scores: Rows
    cgvhd_lung_fev1_scores: Rows


@dataclass(frozen=True)
class ChronicSeverity:
    code: str  # "gvhd.chronic.none" | ".mild" | ".moderate" | ".severe"
    severity: str
    scores: Mapping[str, int]  # the scores that counted (excluded organs left out)
    excluded: tuple[str, ...]
    deciding: str  # which rule decided, e.g. "lung_score", "organ_score_3", "organ_count"
    rule: RuleRef


@dataclass(frozen=True)
class OrganScore:
    code: str  # "gvhd.chronic.skin.score_2", "gvhd.chronic.lungs.score_1"
    organ: str
    score: int
    values: Mapping[str, float]
    rule: RuleRef


def skin_score(bsa_pct: float, sclerotic_score: int, params: ChronicGvhdParams) -> OrganScore:
    """Higher of the BSA-based score and the sclerotic-features score (NIH 2014)."""
    if not 0 <= bsa_pct <= 100:
        raise ValueError("skin BSA must be a percentage from 0 to 100")
    if not 0 <= sclerotic_score <= 3:
        raise ValueError("the sclerotic-features score must be from 0 to 3")
    bsa_score = stage_from_cutoffs(bsa_pct, params.cgvhd_skin_bsa_scores)
    score = max(bsa_score, sclerotic_score)
    values = {"bsa_pct": bsa_pct, "bsa_score": bsa_score, "sclerotic_score": sclerotic_score}
    rule = RuleRef("gvhd.chronic.skin_score", SOURCE_CUTOFFS, params.version)
    return OrganScore(f"gvhd.chronic.skin.score_{score}", "skin", score, values, rule)


def lung_score_from_fev1(fev1_pct_predicted: float, params: ChronicGvhdParams) -> OrganScore:
    """FEV1-based lung score (not the clinical score), per the configured cut-offs."""
    if fev1_pct_predicted < 0:
        raise ValueError("FEV1 % predicted must be >= 0")
    score = stage_from_cutoffs(fev1_pct_predicted, params.cgvhd_lung_fev1_scores)
    rule = RuleRef("gvhd.chronic.lung_score", SOURCE_CUTOFFS, params.version)
    values = {"fev1_pct_predicted": fev1_pct_predicted}
    return OrganScore(f"gvhd.chronic.lungs.score_{score}", LUNG, score, values, rule)


def global_severity(
    scores: Mapping[str, int], params: ChronicGvhdParams, excluded: Collection[str] = ()
) -> ChronicSeverity:
    """NIH 2014 global severity from organ scores 0-3 (missing organs count as 0)."""
    unknown = (set(scores) | set(excluded)) - set(ORGANS)
    if unknown:
        raise ValueError(f"unknown chronic GVHD organs: {sorted(unknown)}")
    for organ, score in scores.items():
        if not 0 <= score <= 3:
            raise ValueError(f"{organ} score must be from 0 to 3")
    counted = {o: scores.get(o, 0) for o in ORGANS if o not in excluded}
    lung = counted.get(LUNG, 0)
    involved = [o for o, s in counted.items() if s > 0]
    non_lung_max = max((s for o, s in counted.items() if o != LUNG), default=0)
    p = params
    if non_lung_max >= p.cgvhd_severe_any_organ_score:
        severity, deciding = "severe", "organ_score"
    elif lung >= p.cgvhd_severe_lung_score:
        severity, deciding = "severe", "lung_score"
    elif non_lung_max >= p.cgvhd_moderate_non_lung_score:
        severity, deciding = "moderate", "organ_score"
    elif lung >= p.cgvhd_moderate_lung_score:
        severity, deciding = "moderate", "lung_score"
    elif len(involved) >= p.cgvhd_moderate_organ_count:
        severity, deciding = "moderate", "organ_count"
    elif involved:
        severity, deciding = "mild", "organ_count"
    else:
        severity, deciding = "none", "organ_count"
    rule = RuleRef("gvhd.chronic.global_severity", SOURCE, params.version)
    return ChronicSeverity(
        f"gvhd.chronic.{severity}",
        severity,
        counted,
        tuple(sorted(excluded)),
        deciding,
        rule,
    )
