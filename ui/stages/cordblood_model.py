"""CandidateUnitModel: the candidate cord blood units as a read-only table (tested without a view).

One row per candidate: bank, DIN with its check character, product code, cell counts, the HLA
typing per locus and ABO as stored; match x/6 and x/8, doses per kg and warnings as the service
assessed them (app.services.stage_cordblood.unit_matches). Nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from app.study.model import StudyDefinition
from ui.stages.cordblood_data import CandidateRow, assessment_warnings, number, warning_texts
from ui.table_model import Column, Index, RowTableModel

WARNING_COLOUR = "#b00020"
SELECTED_COLOUR = "#e3f1e6"


def _t(text: str) -> str:
    return QCoreApplication.translate("CordBloodPage", text)


class CandidateUnitModel(RowTableModel[CandidateRow]):
    def __init__(
        self,
        study: StudyDefinition,
        language: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.study, self.language = study, language
        self.dose_params: Any = None
        self._columns: list[Column[CandidateRow]] = [
            Column("din", lambda: _t("DIN"), self._din),
            Column("bank", lambda: _t("Bank"), lambda r: r.value("IT.CB.BANK")),
            Column("product", lambda: _t("Product code"), lambda r: r.value("IT.CB.PRODCODE")),
            Column("abo", lambda: _t("ABO"), self._abo),
            Column("tnc", lambda: _t("TNC\n×10⁷"), lambda r: r.value("IT.CB.TNC"), True),
            Column("cd34", lambda: _t("CD34+\n×10⁵"), lambda r: r.value("IT.CB.CD34"), True),
            Column("match6", lambda: _t("Match\n/6"), lambda r: r.assessment.match6, True),
            Column("match8", lambda: _t("Match\n/8"), lambda r: r.assessment.match8, True),
            Column(
                "tnc_kg",
                lambda: _t("TNC\n×10⁷/kg"),
                lambda r: number(r.assessment.tnc_e7_per_kg),
                True,
            ),
            Column(
                "cd34_kg",
                lambda: _t("CD34+\n×10⁵/kg"),
                lambda r: number(r.assessment.cd34_e5_per_kg),
                True,
            ),
            Column(
                "warnings",
                lambda: _t("Warnings"),
                lambda r: warning_texts(assessment_warnings(r.assessment), self.dose_params),
            ),
            Column("status", lambda: _t("Status"), self._status),
            # The typings last: long, and read after the match they explain.
            Column("hla_a", lambda: "HLA-A", lambda r: r.typing("A")),
            Column("hla_b", lambda: "HLA-B", lambda r: r.typing("B")),
            Column("hla_c", lambda: "HLA-C", lambda r: r.typing("C")),
            Column("hla_drb1", lambda: "HLA-DRB1", lambda r: r.typing("DRB1")),
        ]

    def columns(self) -> Sequence[Column[CandidateRow]]:
        return self._columns

    def _din(self, row: CandidateRow) -> str:
        din, check = row.value("IT.CB.DIN") or "", row.value("IT.CB.DIN_CHECK") or ""
        return f"{din} {check}".strip()

    def _abo(self, row: CandidateRow) -> str:
        code = row.value("IT.CB.ABO")
        if code is None:
            return ""
        label = self.study.codelists["CL.ABO"].label_of(code)
        return code if label is None else label.get(self.language())

    def _status(self, row: CandidateRow) -> str:
        if not row.assessment.selected:
            return ""
        return _t("Selected, received") if row.received else _t("Selected")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < self.rowCount():
            row = self.row_at(index.row())
            key = self._columns[index.column()].key
            if role == Qt.ItemDataRole.ForegroundRole and key == "warnings":
                return QColor(WARNING_COLOUR)
            if role == Qt.ItemDataRole.BackgroundRole and row.assessment.selected:
                return QColor(SELECTED_COLOUR)
        return super().data(index, role)
