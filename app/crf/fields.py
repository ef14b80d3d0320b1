"""How one item is answered on paper: write-in boxes for a blank form, formatted text for a filled one.

The number of boxes comes from the item's type, length/decimals or hard range, so a new item in the
study definition gets the right boxes without code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.pdfgen.canvas import Canvas

from app.crf.fonts import text_width, wrap
from app.crf.frame import BLACK, GREY, box_row, text
from app.study.model import CodeList, Item, Label

BOX_W = 12.0
BOX_H = 15.0
HINT = 5.5  # size of the DD MM YYYY hints under date boxes
TEXT_BOXES_MAX = 16  # longer free text gets ruled lines instead of boxes
LINE_GAP = 17.0

# UCUM codes as they are printed on paper
_UNIT_TEXT = {
    "Cel": "°C",
    "mm[Hg]": "mmHg",
    "10*9/L": "×10^9/L",
    "10*12/L": "×10^12/L",
    "ug": "µg",
    "ug/L": "µg/L",
    "ug/kg": "µg/kg",
    "/min": "/min",
    "{beats}/min": "次/min",
    "{breaths}/min": "次/min",
    "1": "",
}

_POWER = re.compile(r"10\*(-?\d+)")
_ANNOTATION = re.compile(r"\{[^}]*\}")

_NULL_FLAVORS = {
    "NA": "不适用 Not applicable",
    "NASK": "未询问 Not asked",
    "ASKU": "问而未知 Asked but unknown",
    "UNK": "未知 Unknown",
    "NI": "无信息 No information",
    "NAV": "暂无 Not available",
    "ND": "未做 Not done",
    "NP": "不存在 Not present",
    "OTH": "其他 Other",
}


def unit_text(unit: str | None) -> str:
    if not unit:
        return ""
    if unit in _UNIT_TEXT:
        return _UNIT_TEXT[unit]
    # UCUM powers of ten ("10*9/L") and curly annotations ("{cells}") as a reader expects them
    shown = _POWER.sub(lambda m: f"×10^{m[1]}", unit)
    return _ANNOTATION.sub("", shown) or unit


def null_flavor_text(code: str) -> str:
    return _NULL_FLAVORS.get(code, code)


def bilingual(label: Label) -> str:
    return label.zh if label.zh == label.en else f"{label.zh} {label.en}"


@dataclass(frozen=True)
class Digits:
    sign: bool
    whole: int
    decimals: int


def digits_of(item: Item) -> Digits:
    """Boxes of a number: from length/decimals if given, else from the hard range, else 4 (+1)."""
    decimals = 0
    if item.data_type == "float":
        decimals = item.decimals if item.decimals is not None else 1
    elif item.decimals:
        decimals = item.decimals
    rng = item.hard_range
    sign = bool(rng and rng.low is not None and rng.low < 0)
    if item.length:
        whole = max(1, item.length - decimals)
    elif rng and (rng.low is not None or rng.high is not None):
        bound = max(abs(rng.low or 0), abs(rng.high or 0))
        whole = max(1, len(str(math.floor(bound))))
    else:
        whole = 4
    return Digits(sign, whole, decimals)


def blank_width(item: Item) -> float:
    """Natural width of the write-in area of an item (without the unit)."""
    kind = item.data_type
    if kind in ("integer", "float"):
        d = digits_of(item)
        return (d.sign + d.whole + d.decimals) * BOX_W + (6 if d.decimals else 0)
    if kind == "date":
        return 8 * BOX_W + 16
    if kind == "datetime":
        return 12 * BOX_W + 16 + 22
    if kind == "time":
        return 4 * BOX_W + 8
    if kind == "text" and item.length and item.length <= TEXT_BOXES_MAX:
        return item.length * BOX_W
    return 0.0  # flows to the available width


def draw_boxes(canvas: Canvas, item: Item, x: float, y_top: float, width: float) -> float:
    """Draw the write-in area of a non-choice item; returns its height."""
    kind = item.data_type
    y = y_top - BOX_H
    if kind in ("integer", "float"):
        d = digits_of(item)
        count = d.sign + d.whole
        if d.sign:
            text(canvas, x + 3, y + 4, "±", 7, GREY)
        end = box_row(canvas, x, y, count, BOX_W, BOX_H)
        if d.decimals:
            text(canvas, end + 1.5, y + 1.5, ".", 11)
            box_row(canvas, end + 6, y, d.decimals, BOX_W, BOX_H)
        return BOX_H
    if kind in ("date", "datetime", "time"):
        return _draw_date_boxes(canvas, kind, x, y)
    if kind == "text" and item.length and item.length <= TEXT_BOXES_MAX:
        count = min(item.length, max(1, int(width // BOX_W)))
        box_row(canvas, x, y, count, BOX_W, BOX_H)
        return BOX_H
    lines = text_lines(item)
    canvas.setStrokeColorRGB(*BLACK)
    canvas.setLineWidth(0.5)
    for i in range(lines):
        ly = y_top - LINE_GAP * (i + 1) + 2
        canvas.line(x, ly, x + width, ly)
    return LINE_GAP * lines


def text_lines(item: Item) -> int:
    if item.length:
        return max(1, min(3, math.ceil(item.length / 40)))
    return 1


def blank_height(item: Item) -> float:
    kind = item.data_type
    if kind in ("date", "datetime", "time"):
        return BOX_H + HINT + 2
    if kind in ("integer", "float") or (
        kind == "text" and item.length and item.length <= TEXT_BOXES_MAX
    ):
        return BOX_H
    return LINE_GAP * text_lines(item)


def _draw_date_boxes(canvas: Canvas, kind: str, x: float, y: float) -> float:
    hints: list[tuple[float, str, float]] = []
    if kind in ("date", "datetime"):
        for count, hint in ((2, "DD 日"), (2, "MM 月"), (4, "YYYY 年")):
            start = x
            x = box_row(canvas, x, y, count, BOX_W, BOX_H)
            hints.append((start, hint, x))
            if hint != "YYYY 年":
                text(canvas, x + 2, y + 3, "/", 10, GREY)
                x += 8
        x += 14
    if kind in ("datetime", "time"):
        for count, hint in ((2, "hh 时"), (2, "mm 分")):
            start = x
            x = box_row(canvas, x, y, count, BOX_W, BOX_H)
            hints.append((start, hint, x))
            if hint == "hh 时":
                text(canvas, x + 2, y + 3, ":", 10, GREY)
                x += 8
    for start, hint, end in hints:
        text(canvas, (start + end) / 2, y - HINT - 0.5, hint, HINT, GREY, anchor="center")
    return BOX_H + HINT + 2


def choice_options(item: Item, codelists: dict[str, CodeList] | None) -> list[str]:
    if item.data_type == "boolean":
        return ["是 Yes", "否 No"]
    if item.codelist and codelists and item.codelist in codelists:
        return [bilingual(o.label) for o in codelists[item.codelist].items]
    return []


TICK = 8.0
TICK_GAP = 4.0
OPTION_SIZE = 8.5
OPTION_LINE = 13.0


def layout_options(
    options: list[str], width: float, size: float = OPTION_SIZE
) -> list[list[tuple[float, str]]]:
    """Place tick-box options left to right, wrapping; returns lines of (x offset, label)."""
    lines: list[list[tuple[float, str]]] = [[]]
    x = 0.0
    for option in options:
        label = option
        w = TICK + TICK_GAP + text_width(label, size) + 12
        if lines[-1] and x + w > width:
            lines.append([])
            x = 0.0
        if w > width:  # one option longer than the column: cut it to fit
            label = wrap(label, size, width - TICK - TICK_GAP)[0]
        lines[-1].append((x, label))
        x += w
    return lines


def draw_options(
    canvas: Canvas, lines: list[list[tuple[float, str]]], x: float, y_top: float
) -> None:
    canvas.setStrokeColorRGB(*BLACK)
    canvas.setLineWidth(0.7)
    for i, line in enumerate(lines):
        base = y_top - OPTION_LINE * i - TICK - 1
        for dx, label in line:
            canvas.rect(x + dx, base, TICK, TICK, stroke=1, fill=0)
            text(canvas, x + dx + TICK + TICK_GAP, base + 1, label, OPTION_SIZE)


def format_value(item: Item, raw: str, codelists: dict[str, CodeList] | None) -> str:
    """A stored value as a person reads it: dates DD/MM/YYYY, codes with their labels."""
    kind = item.data_type
    try:
        if kind == "date":
            return date.fromisoformat(raw).strftime("%d/%m/%Y")
        if kind == "datetime":
            return datetime.fromisoformat(raw).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return raw
    if kind == "boolean":
        truthy = raw.strip().lower() in ("1", "true", "y", "yes")
        return "是 Yes" if truthy else "否 No"
    if kind == "choice" and item.codelist and codelists and item.codelist in codelists:
        label = codelists[item.codelist].label_of(raw)
        return f"{raw} = {bilingual(label)}" if label else raw
    return raw
