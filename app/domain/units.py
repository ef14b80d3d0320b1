"""Laboratory unit conversions keyed by UCUM code, and a strict validator of UCUM unit codes.

Sources: DOMAIN.md 6.5 (conversion factors: C-peptide 0.331, glucose 18.016, NGSP/IFCC HbA1c
master equation, insulin factor 6 [configurable], bilirubin 17.1, immunoglobulins, cell counts) and
DOMAIN.md 8 (UCUM codes of the trial items); UCUM 2.1 (unitsofmeasure.org) for the grammar, prefixes
and atoms. Every factor comes from resources/study/rules/units.yaml; the tables here are the UCUM
specification (which atoms exist, which take a prefix), not clinical thresholds.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.domain.result import RuleRef

SOURCE_CONVERSION = (
    "DOMAIN.md 6.5 unit conversions (NGSP/IFCC master equation; SPINA Carb insulin factor)"
)
SOURCE_UCUM = "UCUM 2.1, unitsofmeasure.org; DOMAIN.md 8"


@dataclass(frozen=True)
class UnitParams:
    version: str
    cpeptide_nmol_l_per_ng_ml: float
    cpeptide_pmol_l_per_nmol_l: float
    glucose_mg_dl_per_mmol_l: float
    hba1c_ifcc_slope: float
    hba1c_ifcc_ngsp_offset: float
    hba1c_ngsp_slope: float
    hba1c_ngsp_intercept: float
    insulin_pmol_l_per_uiu_ml: float
    bilirubin_umol_l_per_mg_dl: float
    ig_mg_dl_per_g_l: float
    count_per_ul_per_e9_l: float
    study_units: tuple[str, ...]


ANALYTES = ("cpeptide", "glucose", "hba1c", "insulin", "bilirubin", "immunoglobulin", "cell_count")


class UnitConversionError(ValueError):
    """A conversion the rules do not define; `code` is stable for translation."""

    def __init__(self, code: str, analyte: str, from_unit: str, to_unit: str) -> None:
        super().__init__(f"{code}: {analyte} {from_unit} -> {to_unit}")
        self.code = code


@dataclass(frozen=True)
class Conversion:
    code: str  # "units.converted" | "units.same_unit"
    analyte: str
    value: float
    unit: str
    from_value: float
    from_unit: str
    rule: RuleRef


Step = Callable[[float], float]


def _times(factor: float) -> Step:
    return lambda x: x * factor


def _edges(analyte: str, p: UnitParams) -> dict[str, dict[str, Step]]:
    """Directed conversion steps of one analyte: {from_unit: {to_unit: fn}}."""
    linear: list[tuple[str, str, float]] = []
    if analyte == "cpeptide":
        linear = [
            ("ng/mL", "nmol/L", p.cpeptide_nmol_l_per_ng_ml),
            ("nmol/L", "pmol/L", p.cpeptide_pmol_l_per_nmol_l),
        ]
    elif analyte == "glucose":
        linear = [("mmol/L", "mg/dL", p.glucose_mg_dl_per_mmol_l)]
    elif analyte == "insulin":
        linear = [("u[IU]/mL", "pmol/L", p.insulin_pmol_l_per_uiu_ml), ("m[IU]/L", "u[IU]/mL", 1.0)]
    elif analyte == "bilirubin":
        linear = [("mg/dL", "umol/L", p.bilirubin_umol_l_per_mg_dl)]
    elif analyte == "immunoglobulin":
        linear = [("g/L", "mg/dL", p.ig_mg_dl_per_g_l)]
    elif analyte == "cell_count":
        linear = [("10*9/L", "/uL", p.count_per_ul_per_e9_l), ("10*3/uL", "10*9/L", 1.0)]
    graph: dict[str, dict[str, Step]] = {}
    for a, b, f in linear:
        graph.setdefault(a, {})[b] = _times(f)
        graph.setdefault(b, {})[a] = _times(1 / f)
    if analyte == "hba1c":
        # The NGSP/IFCC master equation is affine, and its published inverse is its own pair.
        graph["%"] = {"mmol/mol": lambda x: p.hba1c_ifcc_slope * (x - p.hba1c_ifcc_ngsp_offset)}
        graph["mmol/mol"] = {"%": lambda x: p.hba1c_ngsp_slope * x + p.hba1c_ngsp_intercept}
    return graph


def _strip_count_annotation(unit: str) -> str:
    # "{cells}/uL" is the annotated form of "/uL" (DOMAIN.md 8): annotations carry no dimension.
    return "/uL" if unit == "{cells}/uL" else unit


def convert(
    value: float, from_unit: str, to_unit: str, analyte: str, params: UnitParams
) -> Conversion:
    """Convert `value` of `analyte` from one UCUM unit to another (DOMAIN.md 6.5)."""
    rule = RuleRef(f"units.{analyte}", SOURCE_CONVERSION, params.version)
    if analyte not in ANALYTES:
        raise UnitConversionError("units.unknown_analyte", analyte, from_unit, to_unit)
    src, dst = _strip_count_annotation(from_unit), _strip_count_annotation(to_unit)
    if src == dst:
        return Conversion("units.same_unit", analyte, value, to_unit, value, from_unit, rule)
    graph = _edges(analyte, params)
    # Breadth-first over the analyte's steps: the shortest chain of published factors.
    reached: dict[str, float] = {src: value} if src in graph else {}
    queue = deque(reached)
    while queue:
        unit = queue.popleft()
        for nxt, step in graph[unit].items():
            if nxt not in reached:
                reached[nxt] = step(reached[unit])
                queue.append(nxt)
    if dst not in reached:
        raise UnitConversionError("units.unsupported_unit", analyte, from_unit, to_unit)
    return Conversion("units.converted", analyte, reached[dst], to_unit, value, from_unit, rule)


# --- UCUM validation -------------------------------------------------------------------------

# UCUM 2.1 prefixes (case-sensitive codes).
PREFIXES = (
    "da", "Y", "Z", "E", "P", "T", "G", "M", "k", "h", "d", "c", "m", "u", "n", "p", "f", "a", "z", "y",
)  # fmt: skip
# Metric atoms take a prefix; the non-metric ones never do (UCUM 2.1, "isMetric").
METRIC_ATOMS = frozenset(
    {"g", "L", "l", "mol", "m", "s", "Pa", "Gy", "Cel", "[IU]", "U", "eq", "m[Hg]", "Hz", "Bq"}
)
NONMETRIC_ATOMS = frozenset({"min", "h", "d", "wk", "mo", "a", "%", "[iU]", "[in_i]", "[lb_av]"})

_COMPONENT = re.compile(
    r"^(?:(?P<factor>\d+(?:[*^][+-]?\d+)?)|(?P<unit>[A-Za-z%\[\]_]+?)(?P<exp>[+-]?\d+)?)"
    r"(?P<ann>\{[!-z|~]*\})?$"
)
_ANNOTATION = re.compile(r"^\{[!-z|~]*\}$")


@dataclass(frozen=True)
class UcumCheck:
    code: str  # "ucum.valid" | "ucum.empty" | "ucum.syntax" | "ucum.unknown_atom" | "ucum.prefix_not_allowed"
    unit: str
    valid: bool
    detail: str
    known_to_study: bool
    rule: RuleRef


def _atom_problem(symbol: str) -> str | None:
    """None when `symbol` is an atom or a prefixed metric atom, else the error code."""
    if symbol in METRIC_ATOMS or symbol in NONMETRIC_ATOMS:
        return None
    for prefix in PREFIXES:
        rest = symbol[len(prefix) :]
        if symbol.startswith(prefix) and rest:
            if rest in METRIC_ATOMS:
                return None
            if rest in NONMETRIC_ATOMS:
                return "ucum.prefix_not_allowed"
    return "ucum.unknown_atom"


def _component_problem(text: str) -> tuple[str, str] | None:
    if _ANNOTATION.match(text):
        return None
    m = _COMPONENT.match(text)
    if m is None:
        return "ucum.syntax", text
    symbol = m.group("unit")
    if symbol is None:
        return None  # an integer factor such as 1 or 10*9
    problem = _atom_problem(symbol)
    return None if problem is None else (problem, symbol)


def _split_components(body: str) -> list[str] | None:
    """Split at "." and "/" outside annotations; None when braces do not balance."""
    parts, current, depth = [], "", 0
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if depth == 0 and ch in "./":
            parts.append(current)
            current = ""
        else:
            current += ch
        if depth not in (0, 1):
            return None
    return None if depth else [*parts, current]


def validate_ucum(unit: str, params: UnitParams) -> UcumCheck:
    """Check a UCUM code strictly: grammar, atoms, prefixes; and whether the study lists it.

    Grammar (UCUM 2.1 subset the study needs): an optional leading "/", then components joined by
    "." or "/"; a component is an integer factor (1, 10*9), an annotation ({cells}), or an optionally
    prefixed atom with an optional integer exponent and optional annotation. Parentheses, spaces and
    unknown atoms are rejected.
    """
    rule = RuleRef("units.ucum", SOURCE_UCUM, params.version)
    known = unit in params.study_units

    def result(code: str, detail: str = "") -> UcumCheck:
        return UcumCheck(code, unit, code == "ucum.valid", detail, known, rule)

    if not unit:
        return result("ucum.empty")
    body = unit[1:] if unit.startswith("/") else unit
    if not body or any(ch.isspace() or ch in "()" for ch in body):
        return result("ucum.syntax", unit)
    components = _split_components(body)
    if components is None:
        return result("ucum.syntax", unit)
    for component in components:
        if not component:
            return result("ucum.syntax", unit)
        problem = _component_problem(component)
        if problem is not None:
            return result(*problem)
    return result("ucum.valid")


def unknown_study_units(params: UnitParams) -> Sequence[UcumCheck]:
    """The study's own unit list, checked: a configuration review shows any that fail."""
    return [c for c in (validate_ucum(u, params) for u in params.study_units) if not c.valid]
