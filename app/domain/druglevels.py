"""GVHD prophylaxis drug levels: trough against the target range, next sample due, and who is on
prophylaxis (ciclosporin and tacrolimus).

Sources: DOMAIN.md 3.1 (CsA example protocol 150-350 ng/mL early post-HSCT [P]; tacrolimus
commonly 5-15 ng/mL [U]; trough rule: sample before the dose, flag levels outside the protocol
range) and Appendix B item 6 (the trial protocol's ranges are still to be obtained). Every range,
interval and day comes from resources/study/rules/druglevels.yaml; all are marked to confirm.

Documented choices:
- Boundaries are inclusive: a level equal to the lower or the upper limit is "within".
- Levels are whole-blood concentrations in ng/mL; ug/L is the same number. Other units are refused
  (no molar conversion: the lab reports ng/mL, DOMAIN.md 3.1 and the F.DLVL item).
- A level is due when at least the drug's sampling interval (whole days) has passed since the last
  sample; a sample dated after `today` is refused.
- On prophylaxis (the ward worklist's rule): from the first recorded level of a monitored drug
  until study day `prophylaxis_last_day` inclusive. The app holds no prescription record, so a
  recorded level is the evidence that the drug has started.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from app.domain.result import RuleRef

SOURCE = "DOMAIN.md 3.1 (prophylaxis drugs and levels; trough rule), Appendix B item 6"
CICLOSPORIN = "CSA"  # CL.PKDRUG codes
TACROLIMUS = "TAC"
DRUGS = (CICLOSPORIN, TACROLIMUS)
# Units of a whole-blood concentration taken as given (1 ng/mL = 1 ug/L).
NG_ML = ("ng/mL", "ug/L", "µg/L")

BELOW, WITHIN, ABOVE = "below", "within", "above"
DUE, NOT_DUE, NEVER_SAMPLED = "due", "not_due", "never_sampled"


@dataclass(frozen=True)
class DrugLevelParams:
    version: str
    ciclosporin_target_trough_ng_ml: Mapping[str, float]  # {low, high}
    tacrolimus_target_trough_ng_ml: Mapping[str, float]
    ciclosporin_sampling_interval_days: int
    tacrolimus_sampling_interval_days: int
    prophylaxis_last_day: int


@dataclass(frozen=True)
class LevelStatus:
    code: str  # "druglevels.status.below" | ".within" | ".above"
    drug: str
    status: str  # below | within | above
    value_ng_ml: float
    low: float
    high: float
    rule: RuleRef


@dataclass(frozen=True)
class LevelDue:
    code: str  # "druglevels.due.due" | ".not_due" | ".never_sampled"
    drug: str
    status: str  # due | not_due | never_sampled
    days_since: int | None  # whole days since the last sample (None: never sampled)
    interval_days: int
    rule: RuleRef


def monitored(drug: str | None) -> bool:
    """Whether the drug (CL.PKDRUG code) has a target trough range and sampling interval."""
    return drug in DRUGS


def _check_drug(drug: str) -> None:
    if drug not in DRUGS:
        raise ValueError(f"no target range for drug {drug!r}: expected one of {', '.join(DRUGS)}")


def target_range(drug: str, params: DrugLevelParams) -> tuple[float, float]:
    """The (low, high) target trough in ng/mL, both inclusive."""
    _check_drug(drug)
    limits = (
        params.ciclosporin_target_trough_ng_ml
        if drug == CICLOSPORIN
        else params.tacrolimus_target_trough_ng_ml
    )
    return float(limits["low"]), float(limits["high"])


def sampling_interval_days(drug: str, params: DrugLevelParams) -> int:
    """Days between trough samples (twice weekly by default)."""
    _check_drug(drug)
    if drug == CICLOSPORIN:
        return int(params.ciclosporin_sampling_interval_days)
    return int(params.tacrolimus_sampling_interval_days)


def level_status(drug: str, value: float, unit: str, params: DrugLevelParams) -> LevelStatus:
    """Below, within (limits inclusive) or above the drug's target trough range."""
    low, high = target_range(drug, params)
    if unit not in NG_ML:
        raise ValueError(f"drug level unit must be ng/mL, not {unit!r}")
    if not value >= 0:  # also refuses NaN
        raise ValueError("a drug level must be a number >= 0")
    status = BELOW if value < low else ABOVE if value > high else WITHIN
    rule = RuleRef("druglevels.status", SOURCE, params.version)
    return LevelStatus(f"druglevels.status.{status}", drug, status, value, low, high, rule)


def level_due(
    drug: str, last_sample_date: date | None, today: date, params: DrugLevelParams
) -> LevelDue:
    """Due when the sampling interval has passed since the last sample; never_sampled without one."""
    interval = sampling_interval_days(drug, params)
    rule = RuleRef("druglevels.due", SOURCE, params.version)
    if last_sample_date is None:
        return LevelDue(
            f"druglevels.due.{NEVER_SAMPLED}", drug, NEVER_SAMPLED, None, interval, rule
        )
    days = (today - last_sample_date).days
    if days < 0:
        raise ValueError("the last sample is dated after today")
    status = DUE if days >= interval else NOT_DUE
    return LevelDue(f"druglevels.due.{status}", drug, status, days, interval, rule)


def on_prophylaxis(study_day: int, level_recorded: bool, params: DrugLevelParams) -> bool:
    """From the first recorded level of a monitored drug until `prophylaxis_last_day` inclusive."""
    return level_recorded and study_day <= params.prophylaxis_last_day
