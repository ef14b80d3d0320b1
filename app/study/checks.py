"""Field checks of the study-definition loader: labels, OIDs, LOINC codes, UCUM syntax, ranges.

Each check returns the typed value or raises StudyDefinitionError at the `Where` it was given,
so every message names the file, form, group and item.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.stages import Stage
from app.study.errors import StudyDefinitionError
from app.study.model import Label, Range

# The treatment stages of app.domain.stages; "any" is for the unscheduled logs.
STAGES: frozenset[str] = frozenset({*(s.value for s in Stage), "any"})

_OID = re.compile(r"[A-Z][A-Z0-9]*(\.[A-Z0-9][A-Z0-9_]*)+")
_LOINC = re.compile(r"(\d{1,7})-(\d)")
# CJK Unified Ideographs: a Chinese label must hold Chinese, not a copy of the English one.
_CJK = re.compile(r"[\u3400-\u9fff]")
_UCUM_CHARS = re.compile(r"[!-~]+")  # printable ASCII, no spaces (UCUM case-sensitive codes)


@dataclass(frozen=True)
class Where:
    """The place in the definition that a check is looking at."""

    file: str
    event: str | None = None
    codelist: str | None = None
    rule_input: str | None = None
    form: str | None = None
    group: str | None = None
    item: str | None = None

    def at(
        self,
        *,
        event: str | None = None,
        codelist: str | None = None,
        rule_input: str | None = None,
        form: str | None = None,
        group: str | None = None,
        item: str | None = None,
    ) -> Where:
        # A direct constructor call: dataclasses.replace was a tenth of the load time.
        return Where(
            self.file,
            event or self.event,
            codelist or self.codelist,
            rule_input or self.rule_input,
            form or self.form,
            group or self.group,
            item or self.item,
        )

    def error(self, problem: str) -> StudyDefinitionError:
        return StudyDefinitionError(problem, **dataclasses.asdict(self))

    def __str__(self) -> str:
        return str(self.error("")).rstrip(": ")


def mapping(value: Any, where: Where) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise where.error(f"expected a mapping, found {type(value).__name__}")
    return value


def seq(value: Any, where: Where, what: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise where.error(f"'{what}' must be a list, found {type(value).__name__}")
    return value


def keys(
    spec: Mapping[str, Any], where: Where, *, allowed: frozenset[str], required: Sequence[str]
) -> None:
    if not spec.keys() <= allowed:
        unknown = sorted(str(k) for k in spec if k not in allowed)
        raise where.error(
            f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )
    missing = [k for k in required if spec.get(k) is None]
    if missing:
        raise where.error(f"missing {', '.join(missing)}")


def text(value: Any, where: Where, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"'{what}' must be a non-empty text, found {value!r}")
    return value


def boolean(value: Any, where: Where, what: str) -> bool:
    if not isinstance(value, bool):
        raise where.error(f"'{what}' must be true or false, found {value!r}")
    return value


def integer(value: Any, where: Where, what: str, low: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or (low is not None and value < low):
        bound = "" if low is None else f" >= {low}"
        raise where.error(f"'{what}' must be an integer{bound}, found {value!r}")
    return value


def number(value: Any, where: Where, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(f"'{what}' must be a number or null, found {value!r}")
    return float(value)


def oid(value: Any, where: Where, prefix: str, what: str) -> str:
    if not isinstance(value, str) or not value.startswith(prefix) or not _OID.fullmatch(value):
        raise where.error(f"{what} OID {value!r} must look like '{prefix}NAME' (A-Z, 0-9, _, .)")
    return value


def label(value: Any, where: Where, what: str) -> Label:
    """A bilingual text: both `en` and `zh` present, and the Chinese text written in Chinese."""
    if not isinstance(value, dict):
        raise where.error(f"{what} must be {{en: ..., zh: ...}}, found {value!r}")
    unknown = sorted(str(k) for k in value if k not in ("en", "zh"))
    if unknown:
        raise where.error(f"{what} has unknown language(s) {', '.join(unknown)}")
    en, zh = value.get("en"), value.get("zh")
    if not isinstance(en, str) or not en.strip():
        raise where.error(f"{what} is missing its English text (en)")
    if not isinstance(zh, str) or not zh.strip():
        raise where.error(f"{what} is missing its Simplified Chinese text (zh)")
    if not _CJK.search(zh):
        raise where.error(f"{what}: the Chinese text (zh) {zh!r} holds no Chinese characters")
    return Label(en, zh)


def loinc_check_digit(number_part: str) -> int:
    """LOINC Mod 10 check digit (LOINC User's Guide, appendix "Calculating Mod 10 check digits")."""
    total = 0
    for position, char in enumerate(reversed(number_part), start=1):
        digit = int(char)
        if position % 2 == 1:  # odd positions from the right are doubled
            digit *= 2
            digit = digit // 10 + digit % 10
        total += digit
    return (10 - total % 10) % 10


def check_loinc(value: Any, where: Where) -> str:
    if not isinstance(value, str):
        raise where.error(f"LOINC code {value!r} is malformed (text NNNNN-N, e.g. '751-8')")
    match = _LOINC.fullmatch(value)
    if match is None:
        raise where.error(f"LOINC code '{value}' is malformed (NNNNN-N)")
    expected = loinc_check_digit(match.group(1))
    if int(match.group(2)) != expected:
        raise where.error(f"LOINC code '{value}' has a wrong check digit (expected {expected})")
    return value


def check_unit(value: Any, where: Where) -> str:
    """UCUM syntax sanity: printable ASCII without spaces, balanced [] and {} (DOMAIN.md 8)."""
    if not isinstance(value, str) or not _UCUM_CHARS.fullmatch(value):
        raise where.error(f"unit {value!r} is not a UCUM code (no spaces, ASCII only)")
    depth = {"[": 0, "{": 0}
    for char in value:
        if char in "[{":
            depth[char] += 1
        elif char == "]":
            depth["["] -= 1
        elif char == "}":
            depth["{"] -= 1
        if min(depth.values()) < 0:
            break
    if any(depth.values()):
        raise where.error(f"unit '{value}' has unbalanced brackets")
    return value


def _range(value: Any, where: Where, what: str) -> Range | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise where.error(f"{what} range must be [low, high], found {value!r}")
    low, high = number(value[0], where, f"{what} low"), number(value[1], where, f"{what} high")
    if low is None and high is None:
        raise where.error(f"{what} range has neither low nor high")
    if low is not None and high is not None and low > high:
        raise where.error(f"{what} range low {low:g} > high {high:g}")
    return Range(low, high)


def check_range_pair(hard: Any, soft: Any, where: Where) -> tuple[Range | None, Range | None]:
    """Hard and soft ranges; the soft (plausible) range must lie inside the hard (possible) one."""
    h, s = _range(hard, where, "hard"), _range(soft, where, "soft")
    # An open soft side (null) falls back to the hard bound, so only given sides are compared.
    if h is not None and s is not None:
        if s.low is not None and not h.contains(s.low):
            raise where.error(f"soft range low {s.low:g} is outside the hard range {_show(h)}")
        if s.high is not None and not h.contains(s.high):
            raise where.error(f"soft range high {s.high:g} is outside the hard range {_show(h)}")
    return h, s


def _show(r: Range) -> str:
    low = "" if r.low is None else f"{r.low:g}"
    high = "" if r.high is None else f"{r.high:g}"
    return f"{low}..{high}"
