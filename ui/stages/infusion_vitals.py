"""The timed vital-sign grid of the Day 0 infusion: its schedule and its editable table model.

The rows are generated from the infusion's start and end times by the domain rule
(app.domain.infusion.vital_sign_schedule, intervals in resources/study/rules/infusion.yaml): a
baseline before the infusion, a row every 15 minutes during it and rows after it. Rows already stored
keep their place in IG.INFUS.VS (so a re-save changes no row number); new rows with a measurement
are appended. The model is plain data over text cells, tested without a view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
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

from app.domain.infusion import InfusionParams, vital_sign_schedule

Index = QModelIndex | QPersistentModelIndex

POINTS = ("BASELINE", "DURING", "AFTER")
# (field of VitalSignRow, integer?) in column order after the time column.
MEASURES = (
    ("temp", False),
    ("hr", True),
    ("sbp", True),
    ("dbp", True),
    ("rr", True),
    ("spo2", True),
)
TIME_COLUMN = 0


def _t(text: str) -> str:
    return QCoreApplication.translate("InfusionPage", text)


@dataclass(frozen=True)
class GridRow:
    """One time point as typed: the HH:MM time and the measurements as text."""

    point: str  # CL.VSPOINT code
    minute: int  # minutes from the start of the infusion
    time: str  # HH:MM
    values: tuple[str, ...] = field(default=("",) * len(MEASURES))
    stored: int | None = None  # 1-based IG.INFUS.VS row, None when not saved yet

    def has_measurement(self) -> bool:
        return any(v.strip() for v in self.values)


def schedule(
    start: datetime, end: datetime | None, now: datetime | None, params: InfusionParams
) -> list[GridRow]:
    """The grid's time points (app.domain.infusion.vital_sign_schedule) as HH:MM rows."""
    if end is not None and end < start:
        end = start
    duration = None if end is None else int((end - start).total_seconds() // 60)
    elapsed = 0 if now is None or now <= start else int((now - start).total_seconds() // 60)
    return [
        GridRow(t.point, t.minute, _hhmm(start, t.minute))
        for t in vital_sign_schedule(duration, elapsed, params)
    ]


def _hhmm(start: datetime, minute: int) -> str:
    return (start + timedelta(minutes=minute)).strftime("%H:%M")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def from_stored(rows: Sequence[Any]) -> list[GridRow]:
    """Stored VitalSignRow values (in IG.INFUS.VS order) as grid rows."""
    out = []
    for n, r in enumerate(rows, start=1):
        time = ""
        if r.time:
            try:
                time = datetime.fromisoformat(r.time).strftime("%H:%M")
            except ValueError:
                time = r.time
        values = tuple(_text(getattr(r, name)) for name, _ in MEASURES)
        out.append(GridRow(r.point, r.minute, time, values, n))
    return out


def merge(stored: Sequence[GridRow], generated: Sequence[GridRow]) -> list[GridRow]:
    """The stored rows plus the generated time points not stored yet, in time order."""
    have = {(r.point, r.minute) for r in stored}
    rows = list(stored) + [g for g in generated if (g.point, g.minute) not in have]
    return sorted(rows, key=lambda r: (POINTS.index(r.point) if r.point in POINTS else 9, r.minute))


def point_text(row: GridRow) -> str:
    """The row header: which time point, in words and minutes."""
    if row.point == "BASELINE":
        return _t("Baseline")
    if row.point == "DURING":
        return _t("+%1 min").replace("%1", str(row.minute))
    return _t("After, +%1 min").replace("%1", str(row.minute))


class VitalGridModel(QAbstractTableModel):
    """Rows are time points; columns the time and six measurements; cells edit as text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[GridRow] = []
        self._original: list[GridRow] = []
        self.read_only = False

    def headers(self) -> list[str]:
        return [
            _t("Time"),
            _t("Temp.\n°C"),
            _t("Heart rate\n/min"),
            _t("Systolic BP\nmmHg"),
            _t("Diastolic BP\nmmHg"),
            _t("Resp. rate\n/min"),
            _t("SpO₂\n%"),
        ]

    def set_rows(self, rows: Sequence[GridRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._original = list(rows)
        self.endResetModel()

    def extend_schedule(self, generated: Sequence[GridRow]) -> None:
        """New time points (start/end typed or changed) without losing what was typed."""
        kept = [r for r in self._rows if r.stored is not None or r.has_measurement()]
        original = {(r.point, r.minute): r for r in self._original}
        rows = merge(kept, generated)
        self.beginResetModel()
        self._rows = rows
        self._original = [original.get((r.point, r.minute), _blank(r)) for r in rows]
        self.endResetModel()

    def rows(self) -> list[GridRow]:
        return list(self._rows)

    def edited_rows(self) -> list[GridRow]:
        return [r for r, o in zip(self._rows, self._original, strict=True) if r != o]

    def is_dirty(self) -> bool:
        return bool(self.edited_rows())

    def rows_to_save(self) -> list[GridRow]:
        """Stored rows in their stored order, then new rows with a measurement in time order."""
        stored = sorted(
            (r for r in self._rows if r.stored is not None), key=lambda r: r.stored or 0
        )
        new = [r for r in self._rows if r.stored is None and r.has_measurement()]
        return stored + new

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(MEASURES)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == TIME_COLUMN:
                return row.time
            return row.values[index.column() - 1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row != self._original[index.row()]:
                return QColor("#fff6d5")  # typed, not saved yet (the page says so too)
            if row.point == "BASELINE":
                return QColor("#eef3f8")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.read_only:
            return False
        row = self._rows[index.row()]
        text = str(value).strip()
        if index.column() == TIME_COLUMN:
            new = replace(row, time=text)
        else:
            values = list(row.values)
            values[index.column() - 1] = text.replace(",", ".")
            new = replace(row, values=tuple(values))
        if new == row:
            return False
        self._rows[index.row()] = new
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base if self.read_only else base | Qt.ItemFlag.ItemIsEditable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return point_text(self._rows[section])


def _blank(row: GridRow) -> GridRow:
    return GridRow(row.point, row.minute, row.time)


class GridProblem(ValueError):
    """A cell that is not a number or not a time: `row` (the GridRow) and `column` say where."""

    def __init__(self, row: GridRow, column: int) -> None:
        super().__init__(f"{row.point} {row.minute} column {column}")
        self.row, self.column = row, column


def to_vital_rows(rows: Sequence[GridRow], start: datetime) -> list[Any]:
    """VitalSignRow values for stage_infusion.save_vital_signs; raises GridProblem on a bad cell.

    A row's time is its HH:MM on the day of its scheduled time (start + minute).
    """
    from app.services.stage_infusion import VitalSignRow

    out = []
    for row in rows:
        where = row
        scheduled = start + timedelta(minutes=row.minute)
        try:
            hh, mm = _parse_hhmm(row.time)
        except ValueError:
            raise GridProblem(where, TIME_COLUMN) from None
        when = scheduled.replace(hour=hh, minute=mm, second=0, microsecond=0)
        numbers: dict[str, Any] = {}
        for column, ((name, integer), text) in enumerate(zip(MEASURES, row.values, strict=True)):
            if not text.strip():
                continue
            try:
                numbers[name] = int(text) if integer else float(text)
            except ValueError:
                raise GridProblem(where, column + 1) from None
        out.append(VitalSignRow(row.point, row.minute, when.isoformat(), **numbers))
    return out


def _parse_hhmm(text: str) -> tuple[int, int]:
    """ "10:30", "10.30" or "1030" -> (10, 30); ValueError otherwise."""
    digits = text.strip().replace(".", ":")
    if ":" in digits:
        hh, _, mm = digits.partition(":")
    elif len(digits) in (3, 4) and digits.isdigit():
        hh, mm = digits[:-2], digits[-2:]
    else:
        raise ValueError(text)
    h, m = int(hh), int(mm)
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(text)
    return h, m


def parse_hhmm(text: str) -> tuple[int, int] | None:
    """The typed time, or None when it is not one."""
    try:
        return _parse_hhmm(text)
    except ValueError:
        return None


def item_column(item_oid: str) -> int:
    """The grid column of an IG.INFUS.VS item (the time column for the others)."""
    from app.services.stage_infusion import VITAL_SIGN_ITEMS

    names = [name for name, _ in MEASURES]
    for name, oid in VITAL_SIGN_ITEMS.items():
        if oid == item_oid and name in names:
            return names.index(name) + 1
    return TIME_COLUMN
