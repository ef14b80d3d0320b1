"""Table models of the islet screen: the eligibility checklist and the product's release checks.

Both are read-only RowTableModels over the service's plain rows (stage_islet.CriterionRow and the
(name, met, value, limit) release tuples); every cell is words and symbols in the current language,
never colour alone. The criterion texts take their limits from the rows (the rule parameters of
resources/study/rules/islet.yaml), so no threshold is written here. Tested without a view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt

from app.study.model import StudyDefinition
from ui.table_model import Column, Index, RowTableModel

MET, NOT_MET, MISSING = "✓", "✗", "?"
ROMAN = {0: "0", 1: "I", 2: "II", 3: "III", 4: "IV"}

# Where the value of each criterion is recorded (named when it is missing).
WHERE = {
    "neutrophil_engrafted": ("SE.POST", "F.FBC"),
    "platelet_engrafted": ("SE.POST", "F.FBC"),
    "donor_chimerism": ("", "F.CHIM"),
    "acute_gvhd": ("SE.ISLELIG", "F.ISLELIG"),
    "chronic_gvhd": ("SE.ISLELIG", "F.ISLELIG"),
    "no_active_infection": ("SE.ISLELIG", "F.ISLELIG"),
    "steroids_stopped": ("SE.ISLELIG", "F.ISLELIG"),
    "cd4": ("", "F.IMMUNE"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("IsletPage", text)


def _num(value: Any) -> str:
    try:
        return f"{float(value):,.0f}" if float(value) >= 1000 else f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


def severity_text(severity: str) -> str:
    texts = {
        "none": _t("none"),
        "mild": _t("mild"),
        "moderate": _t("moderate"),
        "severe": _t("severe"),
    }
    return texts.get(severity, severity)


def criterion_text(name: str, limit: Any) -> str:
    """The criterion in words, with its limit from the rule parameters."""
    if name == "donor_chimerism":
        return _t("Latest donor chimerism above %1%").replace("%1", _num(limit))
    if name == "acute_gvhd":
        # The limit is the highest grade allowed; the criterion names the first grade refused.
        grade = int(limit) + 1
        return _t("No active acute GVHD of grade %1 or higher").replace(
            "%1", ROMAN.get(grade, str(grade))
        )
    if name == "chronic_gvhd":
        allowed = limit if isinstance(limit, list | tuple) else (limit,)
        return _t("Chronic GVHD at most: %1").replace(
            "%1", ", ".join(severity_text(str(s)) for s in allowed)
        )
    if name == "cd4":
        return _t("CD4+ T cells at least %1/µL").replace("%1", _num(limit))
    texts = {
        "neutrophil_engrafted": _t("Neutrophil engraftment reached"),
        "platelet_engrafted": _t("Platelet engraftment reached"),
        "no_active_infection": _t("No active infection"),
        "steroids_stopped": _t("Systemic steroids stopped"),
        "investigator_signoff": _t("Investigator decision signed"),
    }
    return texts.get(name, name)


def result_text(met: bool | None) -> str:
    if met is None:
        return f"{MISSING} " + _t("missing")
    return f"{MET} " + _t("met") if met else f"{NOT_MET} " + _t("not met")


def value_text(row: Any) -> str:
    """The value that decided the criterion, in words; a dash when nothing is recorded."""
    value, name = row.value, row.name
    if row.met is None or value is None:
        return "—"
    if name in ("neutrophil_engrafted", "platelet_engrafted"):
        day = getattr(row.source, "repeat_key", "")
        if value and day:
            return _t("reached on Day +%1").replace("%1", str(day))
        return _t("reached") if value else _t("not reached")
    if name == "donor_chimerism":
        return f"{_num(value)}%"
    if name == "acute_gvhd":
        grade = int(value)
        return _t("none active") if grade == 0 else _t("grade %1").replace("%1", ROMAN[grade])
    if name == "chronic_gvhd":
        return severity_text(str(value))
    if name == "no_active_infection":
        return _t("active infection") if value else _t("no active infection")
    if name == "steroids_stopped":
        return _t("stopped") if value else _t("not stopped")
    if name == "cd4":
        return f"{_num(value)}/µL"
    if name == "investigator_signoff":
        return _t("signed") if value else _t("not signed")
    return str(value)


def _event_text(study: StudyDefinition, event_oid: str, repeat: str, language: str) -> str:
    try:
        label = study.event(event_oid).label.get(language)
    except StopIteration:
        label = event_oid
    if event_oid == "SE.POST" and repeat:
        return _t("Day +%1").replace("%1", repeat)
    return f"{label} [{repeat}]" if repeat else label


def _form_text(study: StudyDefinition, form_oid: str, language: str) -> str:
    form = study.forms.get(form_oid)
    return form.label.get(language) if form is not None else form_oid


def source_text(source: Any, study: StudyDefinition, language: str) -> str:
    """Where the deciding value came from: event · form · date."""
    if source is None:
        return ""
    event = _event_text(study, source.event_oid, source.repeat_key, language)
    form = _form_text(study, source.form_oid, language)
    parts = [event] if form == event else [event, form]
    if source.when is not None:
        parts.append(source.when.isoformat())
    return " · ".join(parts)


def source_detail(source: Any, study: StudyDefinition, language: str) -> str:
    """The full record path with the item, for the tooltip (what a monitor checks against)."""
    if source is None:
        return ""
    item = source.item_oid
    if study.has_item(item):
        item = f"{study.item(item).label.get(language)} ({source.item_oid})"
    path = f"{source.event_oid}[{source.repeat_key}]/{source.form_oid}"
    return f"{source_text(source, study, language)}\n{item}\n{path}"


def missing_text(name: str, study: StudyDefinition, language: str) -> str:
    """What is missing and where to record it."""
    if name == "investigator_signoff":
        return _t("needs the investigator's signed decision")
    where = WHERE.get(name)
    if where is None:
        return _t("not recorded")
    event_oid, form_oid = where
    form = _form_text(study, form_oid, language)
    if event_oid and event_oid != "SE.POST":
        form = f"{_event_text(study, event_oid, '', language)} · {form}"
    return _t("not recorded: enter it in %1").replace("%1", form)


class CriterionModel(RowTableModel[Any]):
    """One row per eligibility criterion: criterion, result, deciding value, source."""

    def __init__(
        self, study: StudyDefinition, language: str = "en", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.study, self.language = study, language

    def columns(self) -> Sequence[Column[Any]]:
        return [
            Column("criterion", lambda: _t("Criterion"), lambda r: criterion_text(r.name, r.limit)),
            Column("result", lambda: _t("Result"), lambda r: result_text(r.met)),
            Column("value", lambda: _t("Deciding value"), value_text),
            Column("source", lambda: _t("Where it came from"), self._source),
        ]

    def _source(self, row: Any) -> str:
        if row.met is None:
            return missing_text(row.name, self.study, self.language)
        return source_text(row.source, self.study, self.language)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and index.isValid()
            and self.column_keys()[index.column()] == "source"
        ):
            row = self.row_at(index.row())
            if row.met is not None and row.source is not None:
                return source_detail(row.source, self.study, self.language)
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            from PySide6.QtGui import QColor

            met = self.row_at(index.row()).met
            if self.column_keys()[index.column()] == "result":
                return QColor("#1b7f3b" if met else "#b00020" if met is False else "#8a5a00")
        return super().data(index, role)

    def missing(self) -> list[str]:
        """The criteria without a value, in words."""
        return [criterion_text(r.name, r.limit) for r in self._rows if r.met is None]


def check_text(name: str) -> str:
    texts = {
        "dose": _t("Islet dose (IEQ/kg)"),
        "viability": _t("Viability (%)"),
        "endotoxin": _t("Endotoxin (EU/kg)"),
        "purity": _t("Purity (%)"),
        "tissue_volume": _t("Settled tissue volume (mL)"),
    }
    return texts.get(name, name)


def limit_text(name: str, limit: float) -> str:
    """The release limit with its direction (endotoxin and volume are maxima)."""
    sign = "≤" if name in ("endotoxin", "tissue_volume") else "≥"
    return f"{sign} {_num(limit)}"


class ReleaseCheckModel(RowTableModel[tuple[str, bool, float, float]]):
    """One row per release check: check, value, limit, result."""

    def columns(self) -> Sequence[Column[tuple[str, bool, float, float]]]:
        return [
            Column("check", lambda: _t("Release check"), lambda r: check_text(r[0])),
            Column("value", lambda: _t("Value"), lambda r: _num(round(r[2], 2)), True),
            Column("limit", lambda: _t("Limit"), lambda r: limit_text(r[0], r[3]), True),
            Column("result", lambda: _t("Result"), lambda r: result_text(r[1])),
        ]
