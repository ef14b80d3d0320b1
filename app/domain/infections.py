"""Infection grade (BMT CTN, per organism class) and the count of episodes per follow-up interval.

Sources: BMT CTN Technical MOP v3.0 (2013) Appendix 4-A; Shahid et al., TCT 2024; DOMAIN.md 5.2.
The grade table (criterion code -> grade, per class) and the recurrence intervals are data in
resources/study/rules/infections.yaml; the viral and "other" rows and the intervals are to confirm.

Counting rule: positives are grouped per organism class and organism. A positive within the
class's recurrence interval of the previous positive of the same organism (an episode's last
positive, so chains extend) belongs to the same episode; the episode's grade is the highest
grade among its positives and it is counted in the interval holding its onset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.result import RuleRef

SOURCE = "BMT CTN Technical MOP v3.0 (2013) Appendix 4-A; DOMAIN.md 5.2"
CLASSES = ("bacterial", "fungal", "viral", "other")

Day = int | date


@dataclass(frozen=True)
class InfectionParams:
    version: str
    grade_table_bacterial: Mapping[str, int]
    grade_table_fungal: Mapping[str, int]
    grade_table_viral: Mapping[str, int]
    grade_table_other: Mapping[str, int]
    recurrence_interval_days: Mapping[str, int]
    cdiff_adult_volume_ml_day: float
    cdiff_child_volume_ml_kg_day: float
    cdiff_child_below_age_years: float
    organism_class_codes: Mapping[str, str]

    def table(self, organism_class: str) -> Mapping[str, int]:
        if organism_class not in CLASSES:
            raise ValueError(f"organism class must be one of {CLASSES}, not {organism_class!r}")
        table: Mapping[str, int] = getattr(self, f"grade_table_{organism_class}")
        return table


@dataclass(frozen=True)
class InfectionGrade:
    code: str  # "infection.grade_1" ... "infection.grade_3"
    organism_class: str
    criterion: str
    grade: int
    rule: RuleRef


@dataclass(frozen=True)
class Positive:
    """One recorded infection (a positive result or clinical diagnosis) on a day or date."""

    when: Day
    organism_class: str
    organism: str
    criterion: str | None = None  # a grade-table code; or give the investigator's grade
    grade: int | None = None


@dataclass(frozen=True)
class Episode:
    onset: Day
    last: Day
    organism_class: str
    organism: str
    grade: int
    positives: int


@dataclass(frozen=True)
class Interval:
    """A follow-up interval, start and end inclusive (e.g. the months 0-3 window)."""

    label: str
    start: Day
    end: Day


@dataclass(frozen=True)
class IntervalCount:
    code: str  # "infection.count"
    label: str
    total: int
    by_class_grade: Mapping[str, Mapping[int, int]]
    episodes: tuple[Episode, ...]
    rule: RuleRef


def infection_grade(organism_class: str, criterion: str, params: InfectionParams) -> InfectionGrade:
    """BMT CTN grade of one infection from its organism class and criterion code."""
    table = params.table(organism_class)
    if criterion not in table:
        raise ValueError(f"unknown {organism_class} infection criterion {criterion!r}")
    grade = int(table[criterion])
    rule = RuleRef(f"infection.grade.{organism_class}", SOURCE, params.version)
    return InfectionGrade(f"infection.grade_{grade}", organism_class, criterion, grade, rule)


def cdiff_criterion(
    stool_ml_per_day: float,
    weight_kg: float,
    age_years: float,
    abdominal_pain: bool,
    toxic_dilatation_or_renal_insufficiency: bool,
    params: InfectionParams,
) -> str:
    """The bacterial criterion code of a C. difficile infection (volume per kg for a child)."""
    if stool_ml_per_day < 0 or not weight_kg > 0:
        raise ValueError("stool volume must be >= 0 and weight > 0")
    if toxic_dilatation_or_renal_insufficiency:
        return "bact_cdiff_toxic_dilatation_or_renal"
    if age_years < params.cdiff_child_below_age_years:
        heavy = stool_ml_per_day / weight_kg >= params.cdiff_child_volume_ml_kg_day
    else:
        heavy = stool_ml_per_day >= params.cdiff_adult_volume_ml_day
    return "bact_cdiff_gt_1l_or_pain" if heavy or abdominal_pain else "bact_cdiff_lt_1l_no_pain"


def organism_class(code: str, params: InfectionParams) -> str:
    """The BMT CTN organism class of a CRF code (CL.ORGCLASS), e.g. PARASITIC -> other."""
    try:
        return params.organism_class_codes[code]
    except KeyError as exc:
        raise ValueError(f"unknown organism class code {code!r}") from exc


def _grade_of(p: Positive, params: InfectionParams) -> int:
    if p.criterion is not None:
        return infection_grade(p.organism_class, p.criterion, params).grade
    params.table(p.organism_class)  # validates the class
    if p.grade not in (1, 2, 3):
        raise ValueError("an infection needs a criterion code or a BMT CTN grade 1-3")
    return p.grade


def _ordinal(when: Day) -> int:
    return when.toordinal() if isinstance(when, date) else when


def episodes(positives: Iterable[Positive], params: InfectionParams) -> list[Episode]:
    """Group positives into episodes by class, organism and recurrence interval."""
    open_: dict[tuple[str, str], Episode] = {}
    done: list[Episode] = []
    for p in sorted(positives, key=lambda p: _ordinal(p.when)):
        grade = _grade_of(p, params)
        key = (p.organism_class, p.organism.strip().casefold())
        interval = params.recurrence_interval_days[p.organism_class]
        current = open_.get(key)
        if current is not None and _ordinal(p.when) - _ordinal(current.last) <= interval:
            open_[key] = Episode(
                current.onset,
                p.when,
                current.organism_class,
                current.organism,
                max(current.grade, grade),
                current.positives + 1,
            )
            continue
        if current is not None:
            done.append(current)
        open_[key] = Episode(p.when, p.when, p.organism_class, p.organism, grade, 1)
    done.extend(open_.values())
    return sorted(done, key=lambda e: (_ordinal(e.onset), e.organism_class, e.organism))


def count_by_interval(
    positives: Iterable[Positive], intervals: Sequence[Interval], params: InfectionParams
) -> list[IntervalCount]:
    """Episodes per interval (by onset), by organism class and grade."""
    all_episodes = episodes(positives, params)
    rule = RuleRef("infection.count", SOURCE, params.version)
    result = []
    for interval in intervals:
        lo, hi = _ordinal(interval.start), _ordinal(interval.end)
        inside = tuple(e for e in all_episodes if lo <= _ordinal(e.onset) <= hi)
        table: dict[str, dict[int, int]] = {c: {} for c in CLASSES}
        for e in inside:
            table[e.organism_class][e.grade] = table[e.organism_class].get(e.grade, 0) + 1
        result.append(
            IntervalCount("infection.count", interval.label, len(inside), table, inside, rule)
        )
    return result
