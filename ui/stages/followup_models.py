"""Table models of the follow-up screen: the 12 visits, the derived values of one visit, the trend
values by month. Read-only RowTableModels over the plain rows of app.services.stage_followup,
tested without a view.

A visit's status is said in words and with a symbol, the background colour only repeats it
(never colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ui.table_model import Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex

SYMBOLS = {
    "done": "✓",
    "open": "●",
    "due": "→",
    "overdue": "!",
    "missed": "✗",
    "not_yet_due": "○",
}
BACKGROUNDS = {
    "done": "#e3f1e6",
    "open": "#d6e4f5",
    "due": "#fff3cd",
    "overdue": "#f8e1e1",
    "missed": "#eeeeee",
}
DASH = "—"


def _t(text: str) -> str:
    return QCoreApplication.translate("FollowUpPage", text)


def status_words(status: str) -> str:
    texts = {
        "done": _t("done"),
        "open": _t("window open"),
        "due": _t("due"),
        "overdue": _t("overdue"),
        "missed": _t("missed"),
        "not_yet_due": _t("not yet due"),
    }
    return texts.get(status, status)


def status_text(status: str) -> str:
    """The status with its symbol, e.g. "✓ done"."""
    return f"{SYMBOLS.get(status, '?')} {status_words(status)}"


def visit_name(month: int) -> str:
    return _t("Month %1").replace("%1", str(month))


def timing_text(row: Any) -> str:
    """When it was done (in or out of window), or how far the target date is."""
    if row.done_on is not None:
        where = _t("in window") if row.done_in_window else _t("out of window")
        return f"{row.done_on.isoformat()} ({where})"
    days = row.days_to_target
    if days == 0:
        return _t("target today")
    if days > 0:
        return _t("target in %1 day(s)").replace("%1", str(days))
    return _t("target %1 day(s) ago").replace("%1", str(-days))


class VisitTableModel(RowTableModel[Any]):
    """One row per follow-up visit (stage_followup.VisitRow)."""

    def columns(self) -> Sequence[Column[Any]]:
        return (
            Column("visit", lambda: _t("Visit"), lambda r: visit_name(r.month)),
            Column("target", lambda: _t("Target date"), lambda r: r.target.isoformat()),
            Column(
                "window",
                lambda: _t("Window"),
                lambda r: f"{r.window_open.isoformat()} – {r.window_close.isoformat()}",
            ),
            Column("status", lambda: _t("Status"), lambda r: status_text(r.status)),
            Column("timing", lambda: _t("Done / target"), timing_text),
        )

    def row_of_event(self, event_oid: str) -> int:
        for n, row in enumerate(self._rows):
            if row.event_oid == event_oid:
                return n
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            colour = BACKGROUNDS.get(self._rows[index.row()].status)
            return QColor(colour) if colour else None
        return super().data(index, role)


# --- derived values ------------------------------------------------------------------------

DERIVED_ORDER = (
    "bmi",
    "height_z",
    "weight_z",
    "bmi_z",
    "hba1c_pct",
    "hba1c_ifcc",
    "beta_score",
    "beta2",
    "igls",
)


def derived_name(name: str) -> str:
    texts = {
        "bmi": _t("BMI"),
        "height_z": _t("Height z-score"),
        "weight_z": _t("Weight z-score"),
        "bmi_z": _t("BMI z-score"),
        "hba1c_pct": _t("HbA1c (NGSP)"),
        "hba1c_ifcc": _t("HbA1c (IFCC)"),
        "beta_score": _t("β-score"),
        "beta2": _t("BETA-2"),
        "igls": _t("Igls class"),
    }
    return texts.get(name, name)


def result_text(code: str | None) -> str:
    """The meaning of a rule's result code (Igls class, BETA-2 reading, β-score special rule)."""
    texts = {
        "islet.igls.optimal": _t("optimal graft function"),
        "islet.igls.good": _t("good graft function"),
        "islet.igls.marginal": _t("marginal graft function"),
        "islet.igls.failure": _t("graft failure"),
        "islet.beta2.ngt_likely": _t("normal glucose tolerance likely"),
        "islet.beta2.insulin_independence_likely": _t("insulin independence likely"),
        "islet.beta2.insulin_needed": _t("insulin still needed"),
        "islet.beta_score": _t("points of 8"),
        "islet.beta_score.zero_cpeptide": _t("0 of 8: stimulated C-peptide below the minimum"),
    }
    return "" if code is None else texts.get(code, code)


def _unit(unit: str | None) -> str:
    return {"kg/m2": "kg/m²"}.get(unit or "", unit or "")


def value_text(row: Any) -> str:
    if row.value is None:
        return DASH
    if row.name == "igls":
        return result_text(row.code)
    unit = _unit(row.unit)
    return f"{row.value} {unit}".strip()


@dataclass(frozen=True)
class DerivedRow:
    name: str
    value: str | None
    unit: str | None
    code: str | None
    rule: str | None


def derived_rows(values: Sequence[Any]) -> list[DerivedRow]:
    """Every derived measure in a fixed order; one the service could not compute shows "—"."""
    by_name = {v.name: v for v in values}
    rows = []
    for name in DERIVED_ORDER + tuple(n for n in by_name if n not in DERIVED_ORDER):
        v = by_name.get(name)
        rows.append(
            DerivedRow(name, None, None, None, None)
            if v is None
            else DerivedRow(v.name, v.value, v.unit, v.code, v.rule)
        )
    return rows


def _meaning(row: DerivedRow) -> str:
    """Blank when not computed (the value says "—"; the note under the table explains it)."""
    if row.value is None or row.name == "igls":
        return ""
    return result_text(row.code)


def _value_and_meaning(row: DerivedRow) -> str:
    """The value, and under it what it means (a narrow panel beside the form)."""
    meaning = _meaning(row)
    return f"{value_text(row)}\n{meaning}" if meaning else value_text(row)


class DerivedModel(RowTableModel[DerivedRow]):
    """The derived values of one visit (stage_followup.DerivedValue, filled to DERIVED_ORDER)."""

    def columns(self) -> Sequence[Column[DerivedRow]]:
        return (
            Column("name", lambda: _t("Measure"), lambda r: derived_name(r.name)),
            Column("value", lambda: _t("Value"), _value_and_meaning),
        )

    def _row(self, name: str) -> DerivedRow | None:
        return next((row for row in self._rows if row.name == name), None)

    def value_of(self, name: str) -> str:
        row = self._row(name)
        return DASH if row is None else value_text(row)

    def meaning_of(self, name: str) -> str:
        row = self._row(name)
        return "" if row is None else _meaning(row)


# --- trends --------------------------------------------------------------------------------

SERIES = (
    "cpeptide_fasting",
    "cpeptide_stimulated",
    "hba1c",
    "insulin_u_kg_day",
    "height_z",
    "weight_z",
    "bmi_z",
)


@dataclass(frozen=True)
class TrendRow:
    month: int
    values: dict[str, float]


def trend_rows(trends: Any) -> list[TrendRow]:
    """One row per month that has any value, months ascending."""
    by_month: dict[int, dict[str, float]] = {}
    for name in SERIES:
        for point in getattr(trends, name):
            by_month.setdefault(point.month, {})[name] = point.value
    return [TrendRow(m, by_month[m]) for m in sorted(by_month)]


DECIMALS = {"hba1c": 1}


def _num(row: TrendRow, name: str) -> str:
    value = row.values.get(name)
    return "" if value is None else f"{value:.{DECIMALS.get(name, 2)}f}"


class TrendTableModel(RowTableModel[TrendRow]):
    """The numbers behind the trend charts, month by month (the charts' accessible twin)."""

    def columns(self) -> Sequence[Column[TrendRow]]:
        def col(key: str, header: Any) -> Column[TrendRow]:
            return Column(key, header, lambda r: _num(r, key), align_right=True)

        return (
            Column("month", lambda: _t("Visit"), lambda r: visit_name(r.month)),
            col("cpeptide_fasting", lambda: _t("Fasting C-peptide (nmol/L)")),
            col("cpeptide_stimulated", lambda: _t("Stimulated C-peptide (nmol/L)")),
            col("hba1c", lambda: _t("HbA1c (%)")),
            col("insulin_u_kg_day", lambda: _t("Insulin (IU/kg/day)")),
            col("height_z", lambda: _t("Height z")),
            col("weight_z", lambda: _t("Weight z")),
            col("bmi_z", lambda: _t("BMI z")),
        )
