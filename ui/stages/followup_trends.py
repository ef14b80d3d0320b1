"""TrendsWidget: C-peptide, HbA1c, insulin dose and growth across the follow-up visits.

Three charts, the ward's ChartWidget (two series, one on each axis, told apart by marker shape
and legend as well as colour) with the month of follow-up on the x axis. ChartWidget's axes start
at zero, so growth is drawn as the percentile of the z-score (standard normal, as the LMS method
defines it) and the z-scores themselves are in the table under the charts. Stimulated C-peptide
is drawn in pmol/L because the right axis labels whole numbers. The dashed lines are the Igls
2018 thresholds of the rule parameters (app.domain.islet_outcome) and the growth median.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.stages.followup_models import TrendTableModel, trend_rows
from ui.ward.chart_widget import ChartPoint, ChartWidget

MEDIAN_PERCENTILE = 50.0
_NORMAL = NormalDist()


def _t(text: str) -> str:
    return QCoreApplication.translate("FollowUpPage", text)


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    points: list[ChartPoint]
    left_threshold: float
    right_threshold: float
    labels: tuple[str, str, str]
    note: str


def percentile(z: float) -> float:
    """The percentile of a z-score (LMS z-scores are standard normal by construction)."""
    return round(_NORMAL.cdf(z) * 100, 1)


def _merge(
    left: Sequence[Any], right: Sequence[Any], f_left: Any = None, f_right: Any = None
) -> list[ChartPoint]:
    """Points by month: `left` on the left axis ("anc" slot), `right` on the right one."""
    by_month: dict[int, list[float | None]] = {}
    for p in left:
        by_month.setdefault(p.month, [None, None])[0] = f_left(p.value) if f_left else p.value
    for p in right:
        by_month.setdefault(p.month, [None, None])[1] = f_right(p.value) if f_right else p.value
    return [ChartPoint(m, v[0], v[1]) for m, v in sorted(by_month.items())]


def chart_specs(trends: Any, params: Any) -> list[ChartSpec]:
    """The four charts of the trends tab, from stage_followup.Trends and IsletOutcomeParams."""
    month = _t("Month of follow-up")
    cpep_line = params.igls_cpeptide_above_nmol_l
    hba1c_line = params.igls_good_hba1c_below_pct
    return [
        ChartSpec(
            "cpeptide",
            _t("C-peptide"),
            _merge(trends.cpeptide_fasting, trends.cpeptide_stimulated, None, lambda v: v * 1000),
            cpep_line,
            0.0,
            (_t("Fasting (nmol/L)"), _t("Stimulated (pmol/L)"), month),
            _t("Dashed line: fasting C-peptide %1 nmol/L (Igls)").replace("%1", f"{cpep_line:g}"),
        ),
        ChartSpec(
            "glycaemia",
            _t("Insulin dose and HbA1c"),
            _merge(trends.insulin_u_kg_day, trends.hba1c),
            0.0,
            hba1c_line,
            (_t("Insulin (IU/kg/day)"), _t("HbA1c (%)"), month),
            _t("Dashed line: HbA1c %1% (Igls good control)").replace("%1", f"{hba1c_line:g}"),
        ),
        ChartSpec(
            "growth",
            _t("Growth: height and BMI"),
            _merge(trends.height_z, trends.bmi_z, percentile, percentile),
            MEDIAN_PERCENTILE,
            MEDIAN_PERCENTILE,
            (_t("Height (percentile)"), _t("BMI (percentile)"), month),
            _t("Percentiles of the z-scores (the z-scores are in the table); dashed line: median"),
        ),
    ]


def missing_series(spec: ChartSpec) -> list[str]:
    """Legend names of the chart's series that have no value at any visit."""
    out = []
    if all(p.anc is None for p in spec.points):
        out.append(spec.labels[0])
    if all(p.platelets is None for p in spec.points):
        out.append(spec.labels[1])
    return out


def _with_missing(spec: ChartSpec) -> str:
    missing = missing_series(spec)
    if not missing:
        return spec.note
    return spec.note + "\n" + _t("No values yet: %1").replace("%1", ", ".join(missing))


class TrendsWidget(QWidget):
    """Four charts in a grid above the table of the values they draw."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.charts: dict[str, ChartWidget] = {}
        self.boxes: dict[str, QGroupBox] = {}
        self.notes: dict[str, QLabel] = {}
        self.specs: list[ChartSpec] = []
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, key in enumerate(("cpeptide", "glycaemia", "growth")):
            box = QGroupBox()
            box.setObjectName(f"trend:{key}")
            chart = ChartWidget()
            chart.signed_x = False  # months of follow-up
            chart.setObjectName(f"chart:{key}")
            chart.setMinimumHeight(180)
            note = QLabel()
            note.setObjectName("hint")
            note.setWordWrap(True)
            inner = QVBoxLayout(box)
            inner.addWidget(chart, 1)
            inner.addWidget(note)
            grid.addWidget(box, n // 2, n % 2, 1, 2 if n == 2 else 1)
            self.charts[key], self.boxes[key], self.notes[key] = chart, box, note
        self.model = TrendTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("trendTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(grid_host)
        splitter.addWidget(self.table)
        splitter.setChildrenCollapsible(False)
        self.table.setMinimumHeight(110)
        splitter.setSizes([520, 140])
        # Charts keep a readable height: a short window scrolls instead of squeezing them.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def set_trends(self, trends: Any, params: Any) -> None:
        self.trends, self.params = trends, params
        self.specs = chart_specs(trends, params)
        for spec in self.specs:
            self.boxes[spec.key].setTitle(spec.title)
            self.notes[spec.key].setText(_with_missing(spec))
            self.charts[spec.key].set_data(
                spec.points, spec.left_threshold, spec.right_threshold, [], spec.labels
            )
        self.model.set_rows(trend_rows(trends))

    def retranslate(self) -> None:
        if self.specs:
            self.set_trends(self.trends, self.params)
        self.model.retranslate()
