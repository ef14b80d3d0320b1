"""ChartWidget: ANC and platelets by study day, threshold lines and engraftment days, by QPainter.

QtCharts is not part of PySide6-Essentials, so the chart is drawn by hand: two series on their
own log-free linear axes (ANC left, platelets right), dashed threshold lines, and a vertical
marker on the neutrophil and platelet engraftment days. Series are told apart by colour AND
marker shape AND legend text (never colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

ANC_COLOUR = QColor("#1f5fa8")
PLT_COLOUR = QColor("#b35900")


@dataclass(frozen=True)
class ChartPoint:
    day: int
    anc: float | None
    platelets: float | None


@dataclass(frozen=True)
class ChartMarker:
    day: int
    label: str


class ChartWidget(QWidget):
    """Two series against study day; set_data() then it repaints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[ChartPoint] = []
        self.anc_threshold = 0.5
        self.plt_threshold = 20.0
        self.markers: list[ChartMarker] = []
        self.labels = ("ANC", "Platelets", "Study day")
        self.signed_x = True  # study days read +7 / -3; months of follow-up read 3, 6, ...
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(640, 280)

    def set_data(
        self,
        points: Sequence[ChartPoint],
        anc_threshold: float,
        plt_threshold: float,
        markers: Sequence[ChartMarker],
        labels: tuple[str, str, str],
    ) -> None:
        self.points = list(points)
        self.anc_threshold, self.plt_threshold = anc_threshold, plt_threshold
        self.markers = list(markers)
        self.labels = labels
        self.update()

    def ranges(self) -> tuple[int, int, float, float]:
        """Day range and the top of the ANC and platelet axes (threshold always visible)."""
        days = [p.day for p in self.points] + [m.day for m in self.markers]
        first, last = (min(days), max(days)) if days else (0, 28)
        if last - first < 7:
            last = first + 7
        anc = [p.anc for p in self.points if p.anc is not None]
        plt = [p.platelets for p in self.points if p.platelets is not None]
        anc_top = max([*anc, self.anc_threshold * 2, 1.0]) * 1.1
        plt_top = max([*plt, self.plt_threshold * 2, 10.0]) * 1.1
        return first, last, anc_top, plt_top

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = painter.fontMetrics()
        left, right = 56, 64
        top, bottom = 28, 36
        area = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        first, last, anc_top, plt_top = self.ranges()

        def x(day: float) -> float:
            return area.left() + (day - first) / (last - first) * area.width()

        def y(value: float, top_value: float) -> float:
            return area.bottom() - value / top_value * area.height()

        painter.setPen(QPen(QColor("#444444"), 1))
        painter.drawRect(area)
        # Day ticks: about eight labels whatever the span.
        step = max(1, round((last - first) / 8))
        for day in range(first, last + 1, step):
            px = x(day)
            painter.drawLine(QPointF(px, area.bottom()), QPointF(px, area.bottom() + 4))
            text = f"{day:+d}" if day and self.signed_x else str(day)
            painter.drawText(
                QPointF(px - metrics.horizontalAdvance(text) / 2, area.bottom() + 16), text
            )
        painter.drawText(QPointF(area.center().x() - 30, self.height() - 4), self.labels[2])
        for i in range(5):
            value = anc_top * i / 4
            painter.drawText(QPointF(4, y(value, anc_top) + 4), f"{value:.1f}")
            value_p = plt_top * i / 4
            painter.drawText(QPointF(area.right() + 6, y(value_p, plt_top) + 4), f"{value_p:.0f}")
        # Threshold lines.
        for threshold, top_value, colour in (
            (self.anc_threshold, anc_top, ANC_COLOUR),
            (self.plt_threshold, plt_top, PLT_COLOUR),
        ):
            pen = QPen(colour, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            py = y(threshold, top_value)
            painter.drawLine(QPointF(area.left(), py), QPointF(area.right(), py))
        # Engraftment markers.
        bold = QFont(painter.font())
        bold.setBold(True)
        for n, marker in enumerate(self.markers):
            px = x(marker.day)
            painter.setPen(QPen(QColor("#1b7f3b"), 2))
            painter.drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()))
            painter.setFont(bold)
            painter.drawText(QPointF(px + 4, area.top() + 14 + 14 * n), marker.label)
            painter.setFont(self.font())
        # Series: ANC circles + solid line, platelets squares + dotted line.
        for attr, top_value, colour, style in (
            ("anc", anc_top, ANC_COLOUR, Qt.PenStyle.SolidLine),
            ("platelets", plt_top, PLT_COLOUR, Qt.PenStyle.DotLine),
        ):
            pts = [
                QPointF(x(p.day), y(float(v), top_value))
                for p in self.points
                if (v := getattr(p, attr)) is not None
            ]
            painter.setPen(QPen(colour, 2, style))
            if len(pts) > 1:
                painter.drawPolyline(QPolygonF(pts))
            painter.setBrush(colour)
            for pt in pts:
                if attr == "anc":
                    painter.drawEllipse(pt, 3, 3)
                else:
                    painter.drawRect(QRectF(pt.x() - 3, pt.y() - 3, 6, 6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        # Legend.
        painter.setPen(QPen(ANC_COLOUR, 2))
        painter.drawEllipse(QPointF(left + 6, 12), 3, 3)
        painter.drawText(QPointF(left + 14, 16), self.labels[0])
        offset = left + 24 + metrics.horizontalAdvance(self.labels[0])
        painter.setPen(QPen(PLT_COLOUR, 2))
        painter.drawRect(QRectF(offset, 9, 6, 6))
        painter.drawText(QPointF(offset + 10, 16), self.labels[1])
        painter.end()
