"""InfusionRecordWidget: the Day 0 infusion record as typed (thaw, start/end, volume, weight, DMSO).

Times are typed as HH:MM on the infusion date (Day 0), which is what the nurse reads off the clock
at the bedside; an end before the start is the next morning. The widget only collects text and
turns it into a stage_infusion.InfusionRecord; the DMSO dose per kg is computed by the domain rule
(app.domain.infusion.dmso_load) with the parameters the page loaded, never here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QObject,
    QRegularExpression,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ui.stages.infusion_i18n import Retranslator
from ui.stages.infusion_vitals import parse_hhmm

ItemKey = tuple[str, str, str]
TIME_RE = QRegularExpression(r"^([01]?\d|2[0-3])[:.]?[0-5]\d$")
NUMBER_RE = QRegularExpression(r"^\d{0,4}([.,]\d{0,2})?$")


def _t(text: str) -> str:
    return QCoreApplication.translate("InfusionPage", text)


class RecordProblem(ValueError):
    """A field that is missing or not readable; `field` is its object name."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class UnitRow:
    din: str
    thaw_start: QLineEdit
    thaw_end: QLineEdit
    volume: QLineEdit


def _time_edit(name: str, i18n: Retranslator) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    i18n.add(edit, QLineEdit.setPlaceholderText, lambda: _t("HH:MM"))
    edit.setValidator(QRegularExpressionValidator(TIME_RE, edit))
    edit.setMaximumWidth(90)
    return edit


def _number_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setValidator(QRegularExpressionValidator(NUMBER_RE, edit))
    edit.setMaximumWidth(110)
    return edit


def _with_unit(editor: QWidget, unit: str) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(editor)
    row.addWidget(QLabel(unit))
    row.addStretch(1)
    return box


def _hhmm(text: str | None) -> str:
    if not text:
        return ""
    try:
        return datetime.fromisoformat(text).strftime("%H:%M")
    except ValueError:
        return ""


def _thaw_label(din: str) -> str:
    return _t("Thaw of unit %1").replace("%1", din)


def _number(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


class InfusionRecordWidget(QWidget):
    """The fields of IG.INFUS and the thaw of each unit (IG.INFUS.UNIT)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n = Retranslator()
        self.day0 = QDateEdit()
        self.day0.setObjectName("day0")
        self.day0.setDisplayFormat("yyyy-MM-dd")
        self.day0.setCalendarPopup(True)
        self.day0.setMaximumWidth(130)
        self.start = _time_edit("start", i18n)
        self.end = _time_edit("end", i18n)
        self.weight = _number_edit("weight", "1 – 200")
        self.volume = _number_edit("volume", "5 – 1000")
        self.dmso_pct = _number_edit("dmsoPercent", "0 – 20")
        i18n.add(
            self.dmso_pct,
            QWidget.setToolTip,
            lambda: _t("10% for an unwashed unit; lower after dilution or washing."),
        )
        self.rate = _number_edit("rate", "1 – 2000")
        self.dmso = QLabel()
        self.dmso.setObjectName("dmso")
        self.dmso.setWordWrap(True)
        self.units: list[UnitRow] = []
        self.form = form = QFormLayout()
        form.addRow(self._label(lambda: _t("Infusion date (Day 0)")), self.day0)  # units follow
        times = QWidget()
        times_row = QHBoxLayout(times)
        times_row.setContentsMargins(0, 0, 0, 0)
        times_row.addWidget(self.start)
        times_row.addWidget(self._label(lambda: _t("to")))
        times_row.addWidget(self.end)
        times_row.addStretch(1)
        form.addRow(self._label(lambda: _t("Infusion start / end")), times)
        form.addRow(
            self._label(lambda: _t("Recipient weight on Day 0")), _with_unit(self.weight, "kg")
        )
        form.addRow(self._label(lambda: _t("Total volume infused")), _with_unit(self.volume, "mL"))
        form.addRow(
            self._label(lambda: _t("DMSO concentration (v/v)")), _with_unit(self.dmso_pct, "%")
        )
        form.addRow(self._label(lambda: _t("Infusion rate")), _with_unit(self.rate, "mL/h"))
        form.addRow(self._label(lambda: _t("DMSO dose")), self.dmso)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form, 1)
        for edit in self._edits():
            edit.textChanged.connect(lambda _text: self.edited.emit())
            edit.installEventFilter(self)
        self.day0.dateChanged.connect(lambda _d: self.edited.emit())
        self._loaded = self._texts()  # nothing typed before the first load

    def _label(self, text: Callable[[], str]) -> QLabel:
        return self.i18n.add(QLabel(), QLabel.setText, text)

    def retranslate(self) -> None:
        self.i18n.apply()

    def _edits(self) -> list[QLineEdit]:
        edits = [self.start, self.end, self.weight, self.volume, self.dmso_pct, self.rate]
        for unit in self.units:
            edits += [unit.thaw_start, unit.thaw_end, unit.volume]
        return edits

    def _set_units(self, dins: Sequence[str]) -> None:
        """One form row per unit thawed: thaw start, thaw end and its volume."""
        if [u.din for u in self.units] == list(dins):
            return
        for _ in self.units:
            self.form.removeRow(1)  # deletes the row's widgets
        self.units = []
        for n, din in enumerate(dins, start=1):
            unit = UnitRow(
                din,
                _time_edit(f"thawStart{n}", self.i18n),
                _time_edit(f"thawEnd{n}", self.i18n),
                _number_edit(f"unitVolume{n}", "5 – 500"),
            )
            field = QWidget()
            row = QHBoxLayout(field)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(unit.thaw_start)
            row.addWidget(self._label(lambda: _t("to")))
            row.addWidget(unit.thaw_end)
            row.addSpacing(16)
            row.addWidget(self._label(lambda: _t("Volume")))
            row.addWidget(unit.volume)
            row.addWidget(QLabel("mL"))
            row.addStretch(1)
            label = self._label(functools.partial(_thaw_label, din))
            self.form.insertRow(n, label, field)
            for edit in (unit.thaw_start, unit.thaw_end, unit.volume):
                edit.textChanged.connect(lambda _text: self.edited.emit())
                edit.installEventFilter(self)
            self.units.append(unit)
        order: list[QWidget] = [self.day0]
        for unit in self.units:
            order += [unit.thaw_start, unit.thaw_end, unit.volume]
        order += [self.start, self.end, self.weight, self.volume, self.dmso_pct, self.rate]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- values ---------------------------------------------------------------------------
    def load(
        self,
        values: Mapping[ItemKey, str | None],
        dins: Sequence[str],
        today: date,
        weight_hint: str | None = None,
    ) -> None:
        """Show the stored record; units are the stored rows, else the selected units."""
        stored_units = sorted(
            {k[1] for k in values if k[0] == "IG.INFUS.UNIT" and k[2] == "IT.INF.DIN"},
            key=lambda r: int(r) if r.isdigit() else 0,
        )
        unit_dins = [values.get(("IG.INFUS.UNIT", r, "IT.INF.DIN")) or "" for r in stored_units]
        self._set_units(unit_dins or list(dins))
        widgets: list[QWidget] = [self, *self._edits(), self.day0]
        for w in widgets:
            w.blockSignals(True)

        def v(item: str, group: str = "IG.INFUS", row: str = "1") -> str | None:
            return values.get((group, row, item))

        start = v("IT.INF.START")
        day = datetime.fromisoformat(start).date() if start else today
        self.day0.setDate(QDate(day.year, day.month, day.day))
        self.start.setText(_hhmm(start))
        self.end.setText(_hhmm(v("IT.INF.END")))
        self.weight.setText(v("IT.INF.WEIGHT") or ("" if start else weight_hint or ""))
        self.volume.setText(v("IT.INF.VOLUME") or "")
        self.dmso_pct.setText(v("IT.INF.DMSO_PCT") or ("" if start else "10"))
        self.rate.setText(v("IT.INF.RATE") or "")
        for n, unit in enumerate(self.units, start=1):
            row = stored_units[n - 1] if n <= len(stored_units) else str(n)
            unit.thaw_start.setText(_hhmm(v("IT.INF.THAW_START", "IG.INFUS.UNIT", row)))
            unit.thaw_end.setText(_hhmm(v("IT.INF.THAW_END", "IG.INFUS.UNIT", row)))
            unit.volume.setText(v("IT.INF.UNIT_VOL", "IG.INFUS.UNIT", row) or "")
        for w in widgets:
            w.blockSignals(False)
        # A new record offers defaults (10% DMSO): shown, not typed, so not "unsaved".
        self._loaded = self._texts()

    def _texts(self) -> dict[str, str]:
        out = {e.objectName(): e.text().strip() for e in self._edits()}
        out["day0"] = self.day0.date().toString("yyyy-MM-dd")
        return out

    def is_dirty(self) -> bool:
        return self._texts() != self._loaded

    def mark_saved(self) -> None:
        self._loaded = self._texts()

    def day(self) -> date:
        d = self.day0.date()
        return date(d.year(), d.month(), d.day())

    def _at(self, edit: QLineEdit, base: date) -> datetime | None:
        hhmm = parse_hhmm(edit.text())
        if edit.text().strip() and hhmm is None:
            raise RecordProblem(edit.objectName())
        return None if hhmm is None else datetime.combine(base, time(*hhmm))

    def times(self) -> tuple[datetime | None, datetime | None]:
        """Start and end as typed (the end the next day when it is before the start)."""
        start = self._at(self.start, self.day())
        end = self._at(self.end, self.day())
        if start is not None and end is not None and end < start:
            end += timedelta(days=1)
        return start, end

    def safe_times(self) -> tuple[datetime | None, datetime | None]:
        try:
            return self.times()
        except RecordProblem:
            return None, None

    def numbers(self) -> tuple[float | None, float | None, float | None]:
        """(volume mL, DMSO %, weight kg) as typed, None where not a number."""
        return (
            _number(self.volume.text()),
            _number(self.dmso_pct.text()),
            _number(self.weight.text()),
        )

    def record(self) -> Any:
        """The InfusionRecord to save; RecordProblem names the first missing or bad field."""
        from app.services.stage_infusion import InfusionRecord

        start, end = self.times()
        if start is None:
            raise RecordProblem("start")
        volume, pct, weight = self.numbers()
        for value, name in ((weight, "weight"), (volume, "volume"), (pct, "dmsoPercent")):
            if value is None:
                raise RecordProblem(name)
        assert volume is not None and pct is not None and weight is not None
        rate = _number(self.rate.text())
        if self.rate.text().strip() and rate is None:
            raise RecordProblem("rate")
        units = []
        for unit in self.units:
            mapping = {"IT.INF.DIN": unit.din}
            for edit, item in (
                (unit.thaw_start, "IT.INF.THAW_START"),
                (unit.thaw_end, "IT.INF.THAW_END"),
            ):
                when = self._at(edit, self.day())
                if when is not None:
                    if when > start:  # thawed before the infusion: the evening before
                        when -= timedelta(days=1)
                    mapping[item] = when.isoformat()
            if unit.volume.text().strip():
                if _number(unit.volume.text()) is None:
                    raise RecordProblem(unit.volume.objectName())
                mapping["IT.INF.UNIT_VOL"] = unit.volume.text().strip().replace(",", ".")
            units.append(mapping)
        return InfusionRecord(
            start=start.isoformat(),
            end=None if end is None else end.isoformat(),
            weight_kg=weight,
            total_volume_ml=volume,
            dmso_percent=pct,
            units=units,
            rate_ml_h=rate,
        )

    def field_label(self, name: str) -> str:
        labels = {
            "start": _t("Infusion start"),
            "end": _t("Infusion end"),
            "weight": _t("Recipient weight on Day 0"),
            "volume": _t("Total volume infused"),
            "dmsoPercent": _t("DMSO concentration (v/v)"),
            "rate": _t("Infusion rate"),
        }
        if name.startswith(("thawStart", "thawEnd", "unitVolume")):
            n = int(name[len(name.rstrip("0123456789")) :])
            return _t("Thaw of unit %1").replace("%1", self.units[n - 1].din)
        return labels.get(name, name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter moves to the next field, as everywhere in the ward screens."""
        if (
            isinstance(watched, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.focusNextChild()
            return True
        return super().eventFilter(watched, event)
