"""Acute GVHD: MAGIC organ staging (skin, liver, upper GI, lower GI) and the overall grade 0-IV.

Sources: Harris et al., BBMT 2016;22:4 (MAGIC), staging table as adapted in NCI PDQ NBK577669
Table 4; DOMAIN.md 3.2. Every cut-off and the grade table come from
resources/study/rules/gvhd.yaml; the grade table is marked to confirm (not read verbatim).

Documented choices:
- Liver boundary rule `<2.0 -> 0`: 2.0 mg/dL is stage 1; values between 3.0 and 3.1 are stage 2.
- Bilirubin in umol/L is divided by 17.1 and rounded (yaml `bilirubin_mg_dl_decimals`) before
  staging, so 34.2 / 51.3 / 102.6 / 256.5 umol/L stage exactly as 2 / 3 / 6 / 15 mg/dL.
  (DOMAIN.md prints 256.6 for 15 mg/dL; 15 x 17.1 = 256.5.)
- Lower GI: the adult volumes and episode counts apply above 50 kg, the per-kg child volumes at or
  below; the stage is the higher of the volume and episode stages; severe pain or grossly bloody
  stool gives stage 4. The caller passes 3-day averages (PDQ footnote).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.cutoffs import stage_from_cutoffs
from app.domain.result import RuleRef

SOURCE = "Harris et al., BBMT 2016;22:4 (MAGIC); NCI PDQ NBK577669 Table 4; DOMAIN.md 3.2"
SOURCE_GRADE = (
    "Harris et al., BBMT 2016;22:4 Table 2 (MAGIC overall grade; to confirm); DOMAIN.md 3.2"
)
ROMAN = ("0", "I", "II", "III", "IV")
MG_DL = "mg/dL"
UMOL_L = ("umol/L", "µmol/L")

Rows = tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class AcuteGvhdParams:
    version: str
    skin_bsa_stages: Rows
    skin_stage4_erythroderma_above_pct: float
    skin_stage4_bullae_above_pct: float
    liver_bilirubin_stages_mg_dl: Rows
    bilirubin_umol_l_per_mg_dl: float
    bilirubin_mg_dl_decimals: int
    lower_gi_adult_above_kg: float
    lower_gi_adult_ml_day_stages: Rows
    lower_gi_adult_episode_stages: Rows
    lower_gi_child_ml_kg_day_stages: Rows
    lower_gi_child_episode_stages: Rows
    lower_gi_mixed_stool_fraction: float
    lower_gi_average_days: int
    lower_gi_severe_stage: int
    overall_grade_rules: Rows
    worklist_alert_min_grade: int


@dataclass(frozen=True)
class OrganStage:
    code: str  # e.g. "gvhd.acute.liver.stage_2"
    organ: str  # skin | liver | upper_gi | lower_gi
    stage: int
    values: Mapping[str, Any]
    rule: RuleRef


@dataclass(frozen=True)
class AcuteGrade:
    code: str  # "gvhd.acute.grade_0" ... "gvhd.acute.grade_4"
    grade: int
    roman: str
    stages: Mapping[str, int]
    rule: RuleRef


def _organ(
    organ: str, stage: int, values: Mapping[str, Any], params: AcuteGvhdParams
) -> OrganStage:
    rule = RuleRef(f"gvhd.acute.{organ}", SOURCE, params.version)
    return OrganStage(f"gvhd.acute.{organ}.stage_{stage}", organ, stage, values, rule)


def skin_stage(
    rash_bsa_pct: float, bullae_desquamation_pct: float, params: AcuteGvhdParams
) -> OrganStage:
    """Stage by % BSA of active maculopapular rash; stage 4 = erythroderma plus bullae (>5%)."""
    if not (0 <= rash_bsa_pct <= 100 and 0 <= bullae_desquamation_pct <= 100):
        raise ValueError("skin BSA percentages must be from 0 to 100")
    stage = stage_from_cutoffs(rash_bsa_pct, params.skin_bsa_stages)
    if (
        rash_bsa_pct > params.skin_stage4_erythroderma_above_pct
        and bullae_desquamation_pct > params.skin_stage4_bullae_above_pct
    ):
        stage = 4
    values = {"rash_bsa_pct": rash_bsa_pct, "bullae_desquamation_pct": bullae_desquamation_pct}
    return _organ("skin", stage, values, params)


def bilirubin_mg_dl(value: float, unit: str, params: AcuteGvhdParams) -> float:
    """Total bilirubin in mg/dL from mg/dL or umol/L (1 mg/dL = 17.1 umol/L), rounded for staging."""
    if unit == MG_DL:
        return value
    if unit in UMOL_L:
        return round(value / params.bilirubin_umol_l_per_mg_dl, params.bilirubin_mg_dl_decimals)
    raise ValueError(f"bilirubin unit must be mg/dL or umol/L, not {unit!r}")


def liver_stage(bilirubin: float, unit: str, params: AcuteGvhdParams) -> OrganStage:
    """Stage by total bilirubin; not downgraded for other causes of hyperbilirubinaemia."""
    if bilirubin < 0:
        raise ValueError("bilirubin must be >= 0")
    mg_dl = bilirubin_mg_dl(bilirubin, unit, params)
    stage = stage_from_cutoffs(mg_dl, params.liver_bilirubin_stages_mg_dl)
    values = {"bilirubin": bilirubin, "unit": unit, "bilirubin_mg_dl": mg_dl}
    return _organ("liver", stage, values, params)


def upper_gi_stage(persistent_symptoms: bool, params: AcuteGvhdParams) -> OrganStage:
    """Stage 1 for persistent nausea, vomiting or anorexia; 0 for none or intermittent."""
    stage = 1 if persistent_symptoms else 0
    return _organ("upper_gi", stage, {"persistent_symptoms": persistent_symptoms}, params)


def stool_average_ml(daily_ml: Sequence[float], params: AcuteGvhdParams) -> float:
    """Mean stool output of the most recent `lower_gi_average_days` days (oldest first in input)."""
    recent = daily_ml[-params.lower_gi_average_days :]
    if not recent:
        raise ValueError("no stool volumes recorded")
    return sum(recent) / len(recent)


def lower_gi_stage(
    weight_kg: float,
    params: AcuteGvhdParams,
    stool_ml_per_day: float | None = None,
    episodes_per_day: float | None = None,
    severe_pain: bool = False,
    bloody_stool: bool = False,
    mixed_with_urine: bool = False,
) -> OrganStage:
    """Stage by stool volume (adult mL/day above 50 kg, child mL/kg/day at or below) or episodes.

    `mixed_with_urine`: the volume was stool and urine together; stool is taken as the
    configured fraction (50%) of it.
    """
    if not weight_kg > 0:
        raise ValueError("weight_kg must be > 0")
    if (stool_ml_per_day is not None and stool_ml_per_day < 0) or (
        episodes_per_day is not None and episodes_per_day < 0
    ):
        raise ValueError("stool volume and episodes must be >= 0")
    adult = weight_kg > params.lower_gi_adult_above_kg
    values: dict[str, Any] = {"weight_kg": weight_kg, "adult_criteria": adult}
    stage = 0
    if stool_ml_per_day is not None:
        if mixed_with_urine:
            stool_ml_per_day *= params.lower_gi_mixed_stool_fraction
            values["mixed_with_urine"] = True
        if adult:
            volume, rows = stool_ml_per_day, params.lower_gi_adult_ml_day_stages
        else:
            volume, rows = stool_ml_per_day / weight_kg, params.lower_gi_child_ml_kg_day_stages
        values["volume"] = volume
        values["volume_unit"] = "mL/d" if adult else "mL/kg/d"
        stage = stage_from_cutoffs(volume, rows)
    if episodes_per_day is not None:
        rows = (
            params.lower_gi_adult_episode_stages if adult else params.lower_gi_child_episode_stages
        )
        values["episodes_per_day"] = episodes_per_day
        stage = max(stage, stage_from_cutoffs(episodes_per_day, rows))
    if severe_pain or bloody_stool:
        values["severe_pain"], values["bloody_stool"] = severe_pain, bloody_stool
        stage = params.lower_gi_severe_stage
    return _organ("lower_gi", stage, values, params)


def acute_grade(
    skin: int, liver: int, upper_gi: int, lower_gi: int, params: AcuteGvhdParams
) -> AcuteGrade:
    """Overall grade: the first grade-table row (IV down to I) with any organ at its stage."""
    stages = {"skin": skin, "liver": liver, "upper_gi": upper_gi, "lower_gi": lower_gi}
    limits = {"skin": 4, "liver": 4, "upper_gi": 1, "lower_gi": 4}
    for organ, stage in stages.items():
        if not 0 <= stage <= limits[organ]:
            raise ValueError(f"{organ} stage must be from 0 to {limits[organ]}")
    grade = 0
    for row in params.overall_grade_rules:
        if any(stages[organ] >= least for organ, least in row["any_at_least"].items()):
            grade = int(row["grade"])
            break
    rule = RuleRef("gvhd.acute.grade", SOURCE_GRADE, params.version)
    return AcuteGrade(f"gvhd.acute.grade_{grade}", grade, ROMAN[grade], stages, rule)


def acute_grade_of(
    skin: OrganStage,
    liver: OrganStage,
    upper_gi: OrganStage,
    lower_gi: OrganStage,
    params: AcuteGvhdParams,
) -> AcuteGrade:
    """Overall grade from four organ-stage results."""
    return acute_grade(skin.stage, liver.stage, upper_gi.stage, lower_gi.stage, params)


def grade_alert(grade: int, params: AcuteGvhdParams) -> str | None:
    """Ward alert severity of an overall grade: None below `worklist_alert_min_grade`
    (clinically significant aGVHD, grade II-IV), "warning" at it, "alert" above it."""
    if grade < params.worklist_alert_min_grade:
        return None
    return "warning" if grade == params.worklist_alert_min_grade else "alert"
