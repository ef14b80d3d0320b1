"""Time to evaluate the part-B clinical rules for one subject with a complete record.

Engraftment (60 days of counts, transfusions), chimerism, 10 acute GVHD assessments, 4 chronic GVHD
assessments, infections over 12 follow-up intervals, islet eligibility, release, beta-score, BETA-2,
Igls, MMTT, and height/weight/BMI z-scores at 12 visits. Part of the "< 20 ms for all rules" target
(issue 3); growth tables are loaded once beforehand and their load time is reported separately.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.cgvhd import ChronicGvhdParams, global_severity
from app.domain.chimerism import ChimerismParams, chimerism_category
from app.domain.engraftment import (
    PLATELETS,
    RED_CELLS,
    Count,
    EngraftmentParams,
    Transfusion,
    engraftment_status,
)
from app.domain.growth import GrowthParams, age_days, bmi, growth_z
from app.domain.gvhd import (
    AcuteGvhdParams,
    acute_grade_of,
    liver_stage,
    lower_gi_stage,
    skin_stage,
    upper_gi_stage,
)
from app.domain.infections import InfectionParams, Interval, Positive, count_by_interval
from app.domain.islet import (
    EligibilityFacts,
    Evidence,
    IsletEligibilityParams,
    IsletReleaseParams,
    eligibility_checklist,
    product_release,
)
from app.domain.islet_outcome import Glycaemia, IsletOutcomeParams, beta2, beta_score, igls
from app.domain.mmtt import MmttParams, mmtt_summary
from app.paths import resource
from app.study.growth_reference import load_table, table_for_age
from app.study.rules import load_rulebook
from bench.report import Report, timed

BIRTH = date(2017, 5, 1)
DAY0 = date(2027, 3, 1)


@dataclass(frozen=True)
class Record:
    anc: list[Count]
    plt: list[Count]
    tx: list[Transfusion]
    positives: list[Positive]
    intervals: list[Interval]
    visits: list[date]


def _record() -> Record:
    anc = [Count(d, 0.1 if d < 18 else 2.0) for d in range(1, 61)]
    plt = [Count(d, 8 if d < 30 else 60) for d in range(1, 61)]
    tx = [Transfusion(d, PLATELETS) for d in range(2, 22, 3)] + [Transfusion(10, RED_CELLS)]
    positives = [
        Positive(d, cls, org, crit)
        for d, cls, org, crit in [
            (12, "bacterial", "E. coli", "bact_bacteraemia_no_severe_sepsis"),
            (15, "bacterial", "E. coli", "bact_focus_le_14d"),
            (40, "viral", "CMV", "vir_cmv_viraemia_treated"),
            (50, "viral", "CMV", "vir_cmv_viraemia_treated"),
            (120, "fungal", "Candida", "fung_superficial_candida"),
            (300, "viral", "RSV", "vir_respiratory_upper_tract"),
            (500, "bacterial", "S. aureus", "bact_cellulitis_responding_14d"),
        ]
    ]
    intervals = [Interval(f"M{3 * i}", 91 * (i - 1), 91 * i - 1) for i in range(1, 13)]
    visits = [DAY0 + timedelta(days=91 * i) for i in range(1, 13)]
    return Record(anc, plt, tx, positives, intervals, visits)


def run(report: Report) -> None:
    rulebook = load_rulebook(resource("study", "rules"), "MDV.SEQTX.1")
    eng = rulebook.params(EngraftmentParams, "engraftment")
    chim = rulebook.params(ChimerismParams, "engraftment")
    agvhd = rulebook.params(AcuteGvhdParams, "gvhd")
    cgvhd = rulebook.params(ChronicGvhdParams, "gvhd")
    inf = rulebook.params(InfectionParams, "infections")
    elig = rulebook.params(IsletEligibilityParams, "islet")
    rel = rulebook.params(IsletReleaseParams, "islet")
    out = rulebook.params(IsletOutcomeParams, "islet")
    mm = rulebook.params(MmttParams, "islet")
    gro = rulebook.params(GrowthParams, "growth")

    start = time.perf_counter()
    for reference in ("WHO 2006", "CDC 2000"):
        for indicator in ("weight", "height", "bmi"):
            for sex in ("M", "F"):
                load_table(reference, indicator, sex)
    report.add("rules B: load growth tables (12, once)", (time.perf_counter() - start) * 1000, "ms")

    rec = _record()
    facts = EligibilityFacts(
        Evidence(True, "bench"),
        Evidence(True, "bench"),
        Evidence(98.0, "bench"),
        Evidence(0, "bench"),
        Evidence("none", "bench"),
        Evidence(False, "bench"),
        Evidence(True, "bench"),
        Evidence(260.0, "bench"),
        Evidence(True, "bench"),
    )

    def evaluate() -> None:
        engraftment_status(rec.anc, rec.plt, rec.tx, 60, eng)
        chimerism_category(97.0, chim)
        for i in range(10):
            acute_grade_of(
                skin_stage(10.0 * i, 0, agvhd),
                liver_stage(20.0 + 10 * i, "umol/L", agvhd),
                upper_gi_stage(i % 2 == 0, agvhd),
                lower_gi_stage(25, agvhd, stool_ml_per_day=100.0 * i, episodes_per_day=i),
                agvhd,
            )
        for i in range(4):
            global_severity({"skin": i % 4, "mouth": 1, "lungs": i % 2}, cgvhd)
        count_by_interval(rec.positives, rec.intervals, inf)
        eligibility_checklist(facts, elig)
        product_release(160_000, 30, 85, 60, 50, 1, rel)
        beta_score(5.2, 6.0, 0.0, False, out, 0.6)
        beta2(0.5, 0.0, 5.2, 6.0, out)
        igls(Glycaemia(8.5, 2, 0.8, 0.0), Glycaemia(6.4, 0, 0.0, 0.5), out)
        mmtt_summary([(0, 0.3), (15, 0.5), (30, 0.8), (60, 1.0), (90, 0.8), (120, 0.6)], mm)
        for n, visit in enumerate(rec.visits):
            days = age_days(BIRTH, visit)
            height, weight = 135.0 + n, 30.0 + n / 2
            for indicator, value in (
                ("height", height),
                ("weight", weight),
                ("bmi", bmi(weight, height)),
            ):
                growth_z(value, days, table_for_age(indicator, "M", days, gro), gro)

    median, spread, _ = timed(evaluate, runs=21, warmup=3)
    report.add("rules B: evaluate for one complete subject", median, "ms", target=20, spread=spread)
