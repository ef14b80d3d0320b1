"""Table models of the conditioning screen: the editable regimen plan, the day's doses, busulfan AUCs.

The plan model holds the physician's edits as typed text and computes each drug's daily dose live
from the dosing weight and height with the domain rule (app.domain.conditioning.calculated_dose,
Mosteller BSA; DOMAIN.md 2.2, Appendix C), so the result is visible before saving. The dose and
busulfan models are read-only views of what the service returned. All three are tested without a
view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.domain import conditioning as rules
from app.services.stage_conditioning import PlanDrug
from app.study.model import StudyDefinition
from ui.table_model import Column, RowTableModel
from ui.ward.codes import code_text

Index = QModelIndex | QPersistentModelIndex
DOSE_BASES = ("mg/m2", "mg/kg")
PLAN_FIELDS = ("drug", "dose_basis", "dose_per", "day_from", "day_to", "calculated")
EDITED = QColor("#fff6d5")  # typed, not saved yet
WARN = QColor("#f8e1e1")


def _t(text: str) -> str:
    return QCoreApplication.translate("ConditioningPage", text)


def number(text: str | None) -> float | None:
    """A typed number (a decimal comma accepted); None when empty or not a number."""
    if text is None or not text.strip():
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def whole(text: str | None) -> int | None:
    value = number(text)
    return int(value) if value is not None and value.is_integer() else None


def fmt(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return ""
    text = f"{value:.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text  # a rounding to zero has no sign


def basis_text(basis: str | None) -> str:
    return {"mg/m2": "mg/m²", "mg/kg": "mg/kg"}.get(basis or "", basis or "")


class DrugNames:
    """CL.CONDDRUG labels in the current language (a code not in the list is shown as itself)."""

    def __init__(self, study: StudyDefinition, language: Callable[[], str]) -> None:
        self.codelist = study.codelists["CL.CONDDRUG"]
        self.language = language

    def codes(self) -> list[str]:
        return [item.code for item in self.codelist.items]

    def name(self, code: str | None) -> str:
        if not code:
            return ""
        label = self.codelist.label_of(code)
        return code if label is None else label.get(self.language())

    def code_of(self, text: str) -> str | None:
        """A typed drug back to its code: the code itself or its label, any case."""
        wanted = text.strip().casefold()
        for code in self.codes():
            if wanted in (code.casefold(), self.name(code).casefold()):
                return code
        return None


@dataclass(frozen=True)
class PlanRow:
    """One planned drug as typed: numbers stay text until saved, so nothing typed is lost."""

    drug: str
    route: str
    dose_basis: str
    dose_per: str
    day_from: str
    day_to: str

    @staticmethod
    def of(drug: PlanDrug) -> PlanRow:
        per = "" if drug.dose_per_basis is None else fmt(drug.dose_per_basis, 3)
        return PlanRow(drug.drug, drug.route, drug.dose_basis, per, str(drug.day_from),
                       str(drug.day_to))  # fmt: skip

    def problems(self) -> list[str]:
        """Why this row cannot be saved, in words (empty when it can)."""
        out = []
        per = number(self.dose_per)
        if per is None or per <= 0:
            out.append(_t("enter the dose per m² or per kg"))
        first, last = whole(self.day_from), whole(self.day_to)
        if first is None or last is None:
            out.append(_t("enter the first and last day as whole numbers"))
        elif not (first <= last <= -1):
            out.append(_t("days run from the first to the last day, both before Day 0"))
        return out

    def to_plan_drug(self) -> PlanDrug:
        per = number(self.dose_per)
        first, last = whole(self.day_from), whole(self.day_to)
        assert first is not None and last is not None  # problems() was empty
        return PlanDrug(self.drug, self.route or "IV", self.dose_basis, per, first, last)


class PlanModel(QAbstractTableModel):
    """The regimen plan being edited; `is_dirty()` compares with what was loaded."""

    def __init__(
        self, names: DrugNames, params: rules.ConditioningParams, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.names, self.params = names, params
        self._rows: list[PlanRow] = []
        self._loaded: list[PlanRow] = []
        self.weight: float | None = None
        self.height: float | None = None
        self.editable = True

    def headers(self) -> list[str]:
        return [
            _t("Drug"),
            _t("Dose basis"),
            _t("Dose per m² or kg"),
            _t("First day"),
            _t("Last day"),
            _t("Daily dose (mg)"),
        ]

    # --- contents ----------------------------------------------------------------------------
    def load(self, drugs: Sequence[PlanDrug]) -> None:
        self.beginResetModel()
        self._rows = [PlanRow.of(d) for d in drugs]
        self._loaded = list(self._rows)
        self.endResetModel()

    def replace_rows(self, drugs: Sequence[PlanDrug]) -> None:
        """A template applied: the rows change, what was saved stays the reference."""
        self.beginResetModel()
        self._rows = [PlanRow.of(d) for d in drugs]
        self.endResetModel()

    def rows(self) -> list[PlanRow]:
        return list(self._rows)

    def is_dirty(self) -> bool:
        return self._rows != self._loaded

    def add_row(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(PlanRow("FLU", "IV", "mg/m2", "", "-1", "-1"))
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def set_measures(self, weight: float | None, height: float | None) -> None:
        """Dosing weight (kg) and height (cm) as typed: the calculated column follows."""
        self.weight, self.height = weight, height
        if self._rows:
            column = PLAN_FIELDS.index("calculated")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def calculated(self, row: PlanRow) -> float | None:
        """The daily dose in mg from the typed prescription, None while an input is missing."""
        per = number(row.dose_per)
        weight, height = self.weight, self.height
        if per is None or weight is None or weight <= 0 or row.dose_basis not in DOSE_BASES:
            return None
        if row.dose_basis == "mg/m2" and (height is None or height <= 0):
            return None
        return rules.calculated_dose(per, row.dose_basis, weight, height, self.params).dose

    def bsa(self) -> float | None:
        if self.weight is None or self.height is None or self.weight <= 0 or self.height <= 0:
            return None
        return rules.bsa_mosteller(self.height, self.weight, self.params).m2

    def retranslate(self) -> None:
        """Headers and drug names changed language: repaint everything."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(PLAN_FIELDS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(PLAN_FIELDS) - 1)
            )

    # --- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PLAN_FIELDS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        field = PLAN_FIELDS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if field == "drug":
                return self.names.name(row.drug)
            if field == "dose_basis":
                return basis_text(row.dose_basis)
            if field == "calculated":
                return fmt(self.calculated(row), 2)
            return str(getattr(row, field))
        if role == Qt.ItemDataRole.EditRole:
            return str(getattr(row, field)) if field != "calculated" else None
        if role == Qt.ItemDataRole.ToolTipRole and field == "calculated":
            return _t("Calculated from the dosing weight and height (BSA by Mosteller)")
        if role == Qt.ItemDataRole.TextAlignmentRole and field not in ("drug", "dose_basis"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if field != "calculated" and row.problems() and field in ("dose_per", "day_from",
                                                                      "day_to"):  # fmt: skip
                return WARN
            loaded = self._loaded[index.row()] if index.row() < len(self._loaded) else None
            if loaded is None or getattr(loaded, field, None) != getattr(row, field, None):
                return EDITED
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        field = PLAN_FIELDS[index.column()]
        text = "" if value is None else str(value).strip()
        if field == "calculated":
            return False
        if field == "drug":
            code = self.names.code_of(text)
            if code is None:
                return False
            text = code
        if field == "dose_basis":
            text = text.replace("²", "2")
            if text not in DOSE_BASES:
                return False
        old = self._rows[index.row()]
        self._rows[index.row()] = replace(old, **{field: text})
        last = self.index(index.row(), len(PLAN_FIELDS) - 1)
        self.dataChanged.emit(self.index(index.row(), 0), last)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.editable and PLAN_FIELDS[index.column()] != "calculated":
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return str(section + 1)


def signed(value: float, decimals: int = 1) -> str:
    """+12, -3.5, 0: the sign of what is shown (a rounding to zero has none)."""
    text = fmt(value, decimals)
    return text if text.startswith("-") or text == "0" else "+" + text


def deviation_text(row: Any) -> str:
    if row.deviation_percent is None:
        return ""
    return f"{signed(row.deviation_percent)} % · {code_text(row.deviation_code or '')}"


def time_text(value: str | None) -> str:
    """A stored ISO datetime as the ward reads it: YYYY-MM-DD HH:MM."""
    return "" if not value else value.replace("T", " ")[:16]


def hours_text(start: str | None, end: str | None) -> str:
    """'09:00 – 11:00' (the date is the study day's; the entry below shows it in full)."""
    times = [time_text(t)[11:] for t in (start, end) if t]
    return " – ".join(times)


class DoseModel(RowTableModel[Any]):
    """The doses of one day (stage_conditioning.DoseRow): planned, calculated, given, checked."""

    def __init__(self, names: DrugNames, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names = names

    def columns(self) -> Sequence[Column[Any]]:
        return [
            Column("drug", lambda: _t("Drug"), lambda r: self.names.name(r.drug)),
            Column(
                "prescribed",
                lambda: _t("Prescribed"),
                lambda r: (
                    ""
                    if r.dose_per_basis is None
                    else f"{fmt(r.dose_per_basis, 3)} {basis_text(r.dose_basis)}"
                ),
            ),
            Column(
                "calculated",
                lambda: _t("Calculated (mg)"),
                lambda r: fmt(r.calculated_mg, 2),
                True,
            ),
            Column("given", lambda: _t("Given (mg)"), lambda r: fmt(r.given_mg, 2), True),
            Column("deviation", lambda: _t("Deviation"), deviation_text),
            Column("time", lambda: _t("Time"), lambda r: hours_text(r.start, r.end)),
            Column("given_by", lambda: _t("Given by"), lambda r: r.given_by or ""),
            Column(
                "checked_by",
                lambda: _t("Checked by"),
                lambda r: r.checked_by or _t("not given yet"),
            ),
        ]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            row = self.row_at(index.row())
            if row.deviation_code == "conditioning.deviation.warn":
                return WARN
            return None
        return super().data(index, role)


def busulfan_status_text(code: str | None) -> str:
    texts = {
        "conditioning.busulfan.below": _t("below the target range"),
        "conditioning.busulfan.within": _t("within the target range"),
        "conditioning.busulfan.above": _t("above the target range"),
    }
    return texts.get(code or "", code or "")


def busulfan_summary(view: Any, params: rules.ConditioningParams) -> str:
    """Cumulative exposure against the target, in words (never colour alone)."""
    target = (
        _t("target %1 – %2 mg·h/L")
        .replace("%1", fmt(view.target_low))
        .replace("%2", fmt(view.target_high))
    )
    if view.cumulative_mg_h_l is None:
        return _t("Cumulative busulfan exposure: no AUC entered yet") + f" ({target})"
    return (
        _t("Cumulative busulfan exposure: %1 mg·h/L after %2 dose(s)")
        .replace("%1", fmt(view.cumulative_mg_h_l, 1))
        .replace("%2", str(len(view.doses)))
        + f" — {busulfan_status_text(view.code)} ({target})"
    )


class BusulfanModel(RowTableModel[tuple[int, float]]):
    """(dose number, AUC µM·min) with each dose also in mg·h/L and the running total."""

    def __init__(self, params: rules.ConditioningParams, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.params = params

    def _running(self, row: tuple[int, float]) -> str:
        total = 0.0
        for other in self._rows:
            total += rules.umol_min_to_mg_h_per_l(other[1], self.params)
            if other is row:
                break
        return fmt(total, 1)

    def columns(self) -> Sequence[Column[tuple[int, float]]]:
        return [
            Column("dose", lambda: _t("Dose number"), lambda r: str(r[0]), True),
            Column("auc", lambda: _t("AUC (µM·min)"), lambda r: fmt(r[1], 0), True),
            Column(
                "mg_h_l",
                lambda: _t("AUC (mg·h/L)"),
                lambda r: fmt(rules.umol_min_to_mg_h_per_l(r[1], self.params), 1),
                True,
            ),
            Column("cumulative", lambda: _t("Cumulative (mg·h/L)"), self._running, True),
        ]
