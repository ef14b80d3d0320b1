"""Paediatric growth: LMS z-scores and centiles, the WHO restricted method, BMI and age.

Sources: Cole & Green, Stat Med 1992;11:1305 (LMS method); WHO Child Growth Standards: Methods and
development (2006), "Computation of centiles and z-scores" (restricted method for |z| > 3, weight-
and BMI-based indicators); CDC 2000 growth charts (plain LMS); DOMAIN.md 7.1, 7.2 and Appendix C.
Reference choice and limits come from resources/study/rules/growth.yaml. LMS rows arrive as plain
data (age, L, M, S) from app.study.growth_reference; every result names the reference and version.

Z = ((X/M)^L - 1) / (L S) for L != 0, ln(X/M) / S for L = 0; X(z) = M (1 + L S z)^(1/L), or
M exp(S z). L, M and S are interpolated linearly between table rows.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.result import RuleRef

SOURCE = (
    "Cole & Green, Stat Med 1992;11:1305; WHO Child Growth Standards methods 2006; DOMAIN.md 7.1"
)
SOURCE_CHOICE = "DOMAIN.md 7.2 and Appendix C (WHO 2006 under 2 years, CDC 2000 from 2 to 20 years)"
WHO_2006 = "WHO 2006"
CDC_2000 = "CDC 2000"
INDICATORS = ("weight", "height", "bmi")

LmsRow = tuple[float, float, float, float]  # age, L, M, S

# Numerical, not clinical: below this |L| the power form loses all precision (x^L == 1.0 in
# floating point), so the L = 0 limit (the log form) is used instead.
_L_ZERO = 1e-9


@dataclass(frozen=True)
class GrowthParams:
    version: str
    who_before_age_months: float
    cdc_until_age_months: float
    days_per_year: float
    restricted_z_limit: float
    restricted_indicators: tuple[str, ...]
    restricted_references: tuple[str, ...]


@dataclass(frozen=True)
class LmsTable:
    """One sex and indicator of a growth reference, rows sorted by age."""

    reference: str  # WHO_2006 | CDC_2000
    version: str  # e.g. "anthro 1.1.1 data/day_wfa.json"
    indicator: str  # weight | height | bmi
    sex: str  # "M" | "F"
    age_unit: str  # "days" | "months"
    rows: tuple[LmsRow, ...]


@dataclass(frozen=True)
class GrowthZ:
    code: str  # "growth.z"
    indicator: str
    value: float
    age_days: int
    age_in_table_unit: float
    z: float
    centile: float
    restricted: bool  # True when the WHO restricted method changed the z-score
    l: float  # noqa: E741 - the LMS method's name for the Box-Cox power
    m: float
    s: float
    reference: str
    reference_version: str
    rule: RuleRef


def z_from_lms(x: float, l: float, m: float, s: float) -> float:  # noqa: E741
    """Cole & Green z-score of measurement x."""
    if not (x > 0 and m > 0 and s > 0):
        raise ValueError("measurement, M and S must be > 0")
    if abs(l) < _L_ZERO:
        return math.log(x / m) / s
    return (math.pow(x / m, l) - 1) / (l * s)


def x_from_z(z: float, l: float, m: float, s: float) -> float:  # noqa: E741
    """Measurement at z-score z (the centile curve)."""
    if abs(l) < _L_ZERO:
        return m * math.exp(s * z)
    base = 1 + l * s * z
    if base <= 0:
        raise ValueError("z-score outside the range the LMS curve defines")
    return m * math.pow(base, 1 / l)


def who_restricted_z(x: float, l: float, m: float, s: float, limit: float) -> float:  # noqa: E741
    """WHO restricted method: beyond +/-limit SD, z grows linearly by the limit-(limit-1) SD gap."""
    z = z_from_lms(x, l, m, s)
    if z > limit:
        sd_hi = x_from_z(limit, l, m, s)
        gap = sd_hi - x_from_z(limit - 1, l, m, s)
        return limit + (x - sd_hi) / gap
    if z < -limit:
        sd_lo = x_from_z(-limit, l, m, s)
        gap = x_from_z(-(limit - 1), l, m, s) - sd_lo
        return -limit + (x - sd_lo) / gap
    return z


def centile(z: float) -> float:
    """100 x standard normal CDF of z."""
    return 50 * (1 + math.erf(z / math.sqrt(2)))


def lms_at(rows: Sequence[LmsRow], age: float) -> tuple[float, float, float]:
    """L, M, S at `age`, linear between the two rows around it; rows sorted by age."""
    if not rows or not rows[0][0] <= age <= rows[-1][0]:
        raise ValueError("age outside the growth reference table")
    ages = [r[0] for r in rows]
    i = bisect_left(ages, age)
    if ages[i] == age:
        return rows[i][1], rows[i][2], rows[i][3]
    (a0, l0, m0, s0), (a1, l1, m1, s1) = rows[i - 1], rows[i]
    f = (age - a0) / (a1 - a0)
    return l0 + f * (l1 - l0), m0 + f * (m1 - m0), s0 + f * (s1 - s0)


def bmi(weight_kg: float, height_cm: float) -> float:
    """Body-mass index, kg/m^2."""
    if not (weight_kg > 0 and height_cm > 0):
        raise ValueError("weight and height must be > 0")
    return weight_kg / (height_cm / 100) ** 2


def age_days(birth: date, on: date) -> int:
    """Age in completed days on a date."""
    if on < birth:
        raise ValueError("the measurement date is before the date of birth")
    return (on - birth).days


def age_months(days: int, params: GrowthParams) -> float:
    """Decimal age in months: days / (days_per_year / 12)."""
    return days / (params.days_per_year / 12)


@dataclass(frozen=True)
class ReferenceChoice:
    code: str  # "growth.reference.who_2006" | "growth.reference.cdc_2000"
    reference: str
    age_months: float
    rule: RuleRef


def reference_for_age(days: int, params: GrowthParams) -> ReferenceChoice:
    """WHO 2006 under the WHO age limit, CDC 2000 up to the CDC limit; beyond it, no reference."""
    months = age_months(days, params)
    if months < params.who_before_age_months:
        reference = WHO_2006
    elif months <= params.cdc_until_age_months:
        reference = CDC_2000
    else:
        raise ValueError("no growth reference for ages above 20 years")
    code = "growth.reference." + reference.lower().replace(" ", "_")
    rule = RuleRef("growth.reference_choice", SOURCE_CHOICE, params.version)
    return ReferenceChoice(code, reference, months, rule)


def growth_z(value: float, days: int, table: LmsTable, params: GrowthParams) -> GrowthZ:
    """z-score and centile of `value` at age `days` against `table`, restricted where WHO says so."""
    age = days if table.age_unit == "days" else age_months(days, params)
    l, m, s = lms_at(table.rows, age)  # noqa: E741
    z = z_from_lms(value, l, m, s)
    restricted = False
    if (
        table.reference in params.restricted_references
        and table.indicator in params.restricted_indicators
        and abs(z) > params.restricted_z_limit
    ):
        z = who_restricted_z(value, l, m, s, params.restricted_z_limit)
        restricted = True
    rule = RuleRef(f"growth.{table.indicator}_z", SOURCE, params.version)
    return GrowthZ(
        "growth.z",
        table.indicator,
        value,
        days,
        age,
        z,
        centile(z),
        restricted,
        l,
        m,
        s,
        table.reference,
        table.version,
        rule,
    )
