"""Mixed-meal tolerance test: C-peptide AUC (trapezoid), mean, peak and the 90-min flag.

Sources: CIT / TrialNet MMTT convention (samples at 0, 15, 30, 60, 90, 120 min); Besser et al.,
Diabetes Care 2013;36:195 (90-min C-peptide >=0.2 nmol/L; fasting >=0.1 nmol/L); DOMAIN.md 6.4.
Thresholds: resources/study/rules/islet.yaml (module "islet"). C-peptide in nmol/L (convert with
app.domain.units first). Basal samples before `mmtt_auc_start_min` are not in the AUC or peak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from app.domain.result import RuleRef

SOURCE = "CIT/TrialNet MMTT; Besser et al., Diabetes Care 2013;36:195; DOMAIN.md 6.4"


@dataclass(frozen=True)
class MmttParams:
    version: str
    mmtt_c90_time_min: float
    mmtt_c90_min_nmol_l: float
    mmtt_fasting_min_nmol_l: float
    mmtt_auc_start_min: float


@dataclass(frozen=True)
class MmttResult:
    code: str  # "mmtt.c90_positive" | "mmtt.c90_negative" | "mmtt.c90_missing"
    auc_nmol_l_min: float
    mean_nmol_l: float
    peak_nmol_l: float
    peak_time_min: float
    c90_nmol_l: float | None
    c90_positive: bool | None
    fasting_nmol_l: float | None
    fasting_positive: bool | None
    rule: RuleRef


def mmtt_summary(samples: Iterable[tuple[float, float]], params: MmttParams) -> MmttResult:
    """AUC = sum (t[i+1]-t[i]) x (c[i]+c[i+1]) / 2; mean = AUC / (t_last - t_0); peak; 90-min flag.

    `samples` are (minutes, C-peptide nmol/L); the fasting value is the sample at the AUC start.
    """
    points = sorted((t, c) for t, c in samples if t >= params.mmtt_auc_start_min)
    times = [t for t, _ in points]
    if len(points) < 2 or len(set(times)) != len(times):
        raise ValueError("an MMTT needs at least two samples at distinct times from time 0")
    if any(c < 0 for _, c in points):
        raise ValueError("C-peptide must be >= 0")
    auc = sum((t1 - t0) * (c0 + c1) / 2 for (t0, c0), (t1, c1) in pairwise(points))
    mean = auc / (points[-1][0] - points[0][0])
    peak_time, peak = max(points, key=lambda p: (p[1], -p[0]))
    by_time = dict(points)
    c90 = by_time.get(params.mmtt_c90_time_min)
    c90_positive = None if c90 is None else c90 >= params.mmtt_c90_min_nmol_l
    fasting = by_time.get(params.mmtt_auc_start_min)
    fasting_positive = None if fasting is None else fasting >= params.mmtt_fasting_min_nmol_l
    code = {True: "mmtt.c90_positive", False: "mmtt.c90_negative", None: "mmtt.c90_missing"}[
        c90_positive
    ]
    rule = RuleRef("mmtt.summary", SOURCE, params.version)
    return MmttResult(
        code, auc, mean, peak, peak_time, c90, c90_positive, fasting, fasting_positive, rule
    )
