"""Time to evaluate the part-A domain rules for one subject with a complete record.

Part A = eligibility, schedule (study days, conditioning plan, 12 follow-up visits with status),
cord blood (HLA x/6 and x/8 for 5 candidate units, doses, post-thaw, unit suggestion), ISBT 128 DIN
parsing, conditioning (BSA, 6 days x 3 drugs of dose checks, busulfan AUC), infusion, unit
conversions and UCUM checks, and the treatment-stage guards. The rule parameters are loaded once
(as the app does) and not counted; their load time is reported separately. Contributes to the
"< 20 ms all rules" figure of issue 3 together with part B (engraftment, GVHD, infections, islet,
growth).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.domain import (
    conditioning,
    cordblood,
    eligibility,
    hla,
    infusion,
    isbt128,
    schedule,
    stages,
)
from app.domain import units as unitconv
from app.paths import resource
from app.study.rules import RuleBook, load_rulebook
from bench.report import Report, timed

TARGET_MS = 20.0  # issue 3: every rule for one subject, parts A and B together

RECIPIENT = {
    "A": ("A*02:01", "A*24:02"),
    "B": ("B*46:01", "B*58:01"),
    "C": ("C*01:02", "C*03:02"),
    "DRB1": ("DRB1*09:01", "DRB1*03:01"),
}
UNITS = [
    ({**RECIPIENT, "A": ("A*02:06", "A*24:02")}, 1.1e9, "G123498654321"),
    ({**RECIPIENT, "C": ("C*01:02", "C*08:01")}, 0.9e9, "W000015123456"),
    (RECIPIENT, 0.7e9, "G123498654322"),
    ({**RECIPIENT, "B": ("B*07:02", "B*58:01")}, 1.3e9, "G123498654323"),
    ({**RECIPIENT, "DRB1": ("DRB1*15:01", "DRB1*03:01")}, 0.5e9, "G123498654324"),
]


def _params(book: RuleBook) -> dict[str, Any]:
    return {
        "elig": book.params(eligibility.EligibilityParams, "eligibility"),
        "sched": book.params(schedule.ScheduleParams, "schedule"),
        "hla": book.params(hla.HlaParams, "cordblood"),
        "cb": book.params(cordblood.CordBloodParams, "cordblood"),
        "din": book.params(isbt128.Isbt128Params, "cordblood"),
        "cond": book.params(conditioning.ConditioningParams, "conditioning"),
        "inf": book.params(infusion.InfusionParams, "infusion"),
        "units": book.params(unitconv.UnitParams, "units"),
        "stages": book.params(stages.StageParams, "stages"),
    }


def evaluate_subject(p: dict[str, Any], today: date) -> list[object]:
    """Every part-A rule over one complete, synthetic record (no PHI)."""
    out: list[object] = []
    answers = eligibility.EligibilityAnswers(
        date_of_birth=date(2016, 5, 1),
        t1dm_confirmed=True,
        organ_damage={
            **dict.fromkeys(eligibility.ORGAN_DAMAGE_ITEMS, False),
            "immune_hepatitis": True,
        },
        organ_damage_recurring=True,
        pathogenic_variant_confirmed=True,
        exclusions=dict.fromkeys(eligibility.EXCLUSION, False),
    )
    out.append(eligibility.evaluate(answers, date(2025, 9, 1), p["elig"]))
    weight, height = 24.0, 125.0
    for typing, tnc, din in UNITS:
        out.append(hla.match_six_locus(RECIPIENT, typing, p["hla"]))
        out.append(hla.match_eight_allele(RECIPIENT, typing, p["hla"]))
        out.append(cordblood.cell_dose(tnc, tnc * 0.004, weight, p["cb"]))
        out.append(isbt128.parse_din(din, p["din"]))
    candidates = [cordblood.CandidateUnit(d, tnc) for _, tnc, d in UNITS]
    out.append(cordblood.suggest_units(candidates, weight, p["cb"]))
    out.append(cordblood.postthaw_viability(91.0, p["cb"]))
    out.append(cordblood.cd34_tnc_ratio(4.4e6, 1.1e9, p["cb"]))
    day_zero = schedule.day0([date(2025, 11, 10)], p["sched"])
    plan = schedule.conditioning_plan("flu_bu_atg_example", day_zero, p["sched"])
    out.append(plan)
    bsa = conditioning.bsa_mosteller(height, weight, p["cond"])
    for day in plan.days:
        for _drug in day.drugs:
            calc = conditioning.calculated_dose(40, "mg/m2", weight, height, p["cond"])
            out.append(conditioning.dose_deviation(calc.dose * 1.02, calc.dose, p["cond"]))
        out.append(schedule.study_day(day.date or day_zero, day_zero))
    out.append(bsa)
    out.append(conditioning.busulfan_cumulative_auc([(22.0, "mg.h/L")] * 4, p["cond"]))
    out.append(conditioning.busulfan_adjusted_dose(30, 1125, 1000, p["cond"]))
    out.append(infusion.dmso_load(25, 0.10, weight, p["inf"]))
    out.append(infusion.infused_viable_cd34(4.0e6, 91.0, weight, p["inf"]))
    out.append(infusion.tnc_recovery(0.9e9, 1.1e9, p["inf"].version))
    anchor = schedule.follow_up_anchor(date(2026, 3, 2), None, p["sched"]).anchor
    assert anchor is not None
    for i, visit in enumerate(schedule.follow_up_plan(anchor, p["sched"])):
        done = visit.target + timedelta(days=3) if i < 3 else None
        out.append(schedule.visit_status(visit, today, done, p["sched"]))
    for value, src, dst, analyte in [
        (0.5, "ng/mL", "nmol/L", "cpeptide"),
        (6.5, "%", "mmol/mol", "hba1c"),
        (99.0, "mg/dL", "mmol/L", "glucose"),
        (8.0, "u[IU]/mL", "pmol/L", "insulin"),
        (1.2, "mg/dL", "umol/L", "bilirubin"),
        (7.5, "g/L", "mg/dL", "immunoglobulin"),
        (0.45, "10*9/L", "/uL", "cell_count"),
    ]:
        out.append(unitconv.convert(value, src, dst, analyte, p["units"]))
        out.append(unitconv.validate_ucum(src, p["units"]))
    facts = stages.SubjectFacts(
        consent_signed=True, eligibility="eligible", eligibility_signed=True
    )
    for stage in stages.Stage:
        out.extend(stages.available(stage, facts, p["stages"]))
    return out


def run(report: Report) -> None:
    directory = resource("study", "rules")
    load_ms, load_spread, _ = timed(lambda: _params(load_rulebook(directory, "MDV.SEQTX.1")))
    report.add("rules A: load rule YAML + build params", load_ms, "ms", spread=load_spread)
    params = _params(load_rulebook(directory, "MDV.SEQTX.1"))
    today = date(2026, 11, 24)
    median, spread, _ = timed(lambda: evaluate_subject(params, today), runs=51, warmup=5)
    count = len(evaluate_subject(params, today))
    report.add(
        "rules A: evaluate all part-A rules, one subject",
        median,
        "ms",
        target=TARGET_MS,
        spread=spread,
        note=f"{count} results",
    )
