"""PrintPreviewDialog: a CRF's pages on screen, then Print… (Qt's print dialog) or Save PDF….

The dialog is given a callable that renders the document (an app.services.crf_print function with
its arguments bound); it runs on the service worker like every other service call. Pages are
rasterised lazily, only those the list view asks for, also on the worker (ui.printing.pdf_pages).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ui.messages import error_text
from ui.worker import ServiceRunner

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)  # screen pixels per PDF point (1.0 = 96 dpi-ish)
DEFAULT_ZOOM = 1.0
PAGE_GAP = 12

Index = QModelIndex | QPersistentModelIndex


class PdfPageModel(QAbstractListModel):
    """One row per page; the decoration is the page image, rendered on the worker when first shown."""

    page_rendered = Signal(int)

    def __init__(self, runner: ServiceRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._data = b""
        self._sizes: list[Any] = []  # QSizeF per page, in points
        self._images: dict[int, QPixmap] = {}
        self._pending: set[int] = set()
        self.zoom = DEFAULT_ZOOM
        self.device_ratio = 1.0  # screen pixels per logical pixel: sharp pages on HiDPI screens

    def set_document(self, data: bytes, sizes: list[Any]) -> None:
        self.beginResetModel()
        self._data, self._sizes = data, sizes
        self._images.clear()
        self._pending.clear()
        self.endResetModel()

    def set_zoom(self, zoom: float) -> None:
        self.beginResetModel()
        self.zoom = zoom
        self._images.clear()  # jobs still pending for the old zoom are dropped when they return
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sizes)

    def page_size(self, row: int) -> QSize:
        size = self._sizes[row]
        return QSize(round(size.width() * self.zoom), round(size.height() * self.zoom))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DecorationRole:
            image = self._images.get(row)
            if image is None:
                self._request(row)
                blank = QPixmap(self.page_size(row))
                blank.fill(QColor("white"))
                return blank
            return image
        if role == Qt.ItemDataRole.SizeHintRole:
            return self.page_size(row) + QSize(PAGE_GAP, PAGE_GAP)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                self.tr("Page %1 of %2")
                .replace("%1", str(row + 1))
                .replace("%2", str(len(self._sizes)))
            )
        return None

    def is_rendered(self, row: int) -> bool:
        return row in self._images

    def _request(self, row: int) -> None:
        if row in self._pending:
            return
        self._pending.add(row)
        data, zoom, ratio = self._data, self.zoom, self.device_ratio

        def render() -> QImage:
            from ui.printing.pdf_pages import render_page

            return render_page(data, row, zoom * ratio)

        def done(image: QImage) -> None:
            self._pending.discard(row)
            if zoom != self.zoom or data is not self._data:
                return  # rendered for a zoom or document no longer shown
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            self._images[row] = pixmap
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
            self.page_rendered.emit(row)

        def failed(_exc: Exception) -> None:
            self._pending.discard(row)

        self._runner.submit(render, done, failed, owner=self)


class PageDelegate(QStyledItemDelegate):
    """Draws a page centred in its row with a thin edge, like paper on a desk."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if not isinstance(pixmap, QPixmap):
            return
        rect: QRect = option.rect
        size = pixmap.deviceIndependentSize().toSize()
        x = rect.x() + max(0, (rect.width() - size.width()) // 2)
        y = rect.y() + PAGE_GAP // 2
        painter.drawPixmap(x, y, pixmap)
        painter.setPen(QColor("#5f646b"))
        painter.drawRect(x - 1, y - 1, size.width() + 1, size.height() + 1)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = index.data(Qt.ItemDataRole.SizeHintRole)
        return hint if isinstance(hint, QSize) else super().sizeHint(option, index)


class PrintPreviewDialog(QDialog):
    """Shows the document's pages; Print… and Save PDF… once it is rendered."""

    document_ready = Signal(int)  # the number of pages
    failed = Signal(str)  # the message shown
    saved = Signal(str)  # the path written
    printed = Signal(int)  # pages sent to the printer

    def __init__(
        self,
        runner: ServiceRunner,
        produce: Callable[[], Any],
        parent: QWidget | None = None,
        *,
        save_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printPreviewDialog")
        self.runner = runner
        self.document: Any = None  # app.services.crf_print.PrintedDocument once rendered
        self.save_dir = save_dir or Path.home()
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.model = PdfPageModel(runner, self)
        self.pages = QListView()
        self.pages.setObjectName("previewPages")
        self.pages.setModel(self.model)
        self.pages.setUniformItemSizes(False)
        self.pages.setFlow(QListView.Flow.TopToBottom)
        self.pages.setSpacing(PAGE_GAP // 2)
        self.pages.setSelectionMode(QListView.SelectionMode.NoSelection)
        self.pages.setStyleSheet("QListView#previewPages { background: #8a8f96; }")
        self.pages.setItemDelegate(PageDelegate(self.pages))
        self.pages.setResizeMode(QListView.ResizeMode.Adjust)
        self.zoom_out = QPushButton()
        self.zoom_out.clicked.connect(lambda: self._step_zoom(-1))
        self.zoom_in = QPushButton()
        self.zoom_in.clicked.connect(lambda: self._step_zoom(1))
        self.zoom_label = QLabel()
        for button in (self.zoom_out, self.zoom_in):
            button.setAutoDefault(False)  # Enter in the preview never zooms
        self.buttons = QDialogButtonBox()
        self.print_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("printButton")
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setObjectName("savePdfButton")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        self.buttons.rejected.connect(self.reject)
        tools = QHBoxLayout()
        tools.addWidget(self.status, 1)
        tools.addWidget(self.zoom_out)
        tools.addWidget(self.zoom_label)
        tools.addWidget(self.zoom_in)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)
        self._set_ready(False)
        self._message = ""
        self.retranslate()
        self.resize(720, 860)
        self.status.setText(self.tr("Preparing the document…"))
        runner.submit(produce, self._produced, self._failed, owner=self)

    # --- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Print preview"))
        self.print_button.setText(self.tr("&Print…"))
        self.save_button.setText(self.tr("&Save PDF…"))
        self.zoom_out.setText(self.tr("Zoom out"))
        self.zoom_in.setText(self.tr("Zoom in"))
        self.zoom_label.setText(f"{round(self.model.zoom * 100)} %")
        if self.document is not None:
            self._show_count()

    def _show_count(self) -> None:
        title = self.document.title
        self.setWindowTitle(self.tr("Print preview · %1").replace("%1", title))
        self.status.setText(self.tr("%n page(s)", "", self.document.pages))

    def _set_ready(self, ready: bool) -> None:
        for button in (self.print_button, self.save_button, self.zoom_in, self.zoom_out):
            button.setEnabled(ready)

    # --- rendering ------------------------------------------------------------------------
    def _produced(self, document: Any) -> None:
        self.document = document
        if document.pages == 0:
            self.status.setText(self.tr("Nothing to print."))
            self.document_ready.emit(0)
            return
        data = document.data

        def measure() -> list[Any]:
            from ui.printing.pdf_pages import page_sizes

            return page_sizes(data)

        self.runner.submit(measure, self._measured, self._failed, owner=self)

    def _measured(self, sizes: list[Any]) -> None:
        self.model.device_ratio = max(1.0, self.pages.devicePixelRatioF())
        self.model.set_document(self.document.data, sizes)
        self._set_ready(True)
        self._show_count()
        self.document_ready.emit(len(sizes))

    def _failed(self, exc: Exception) -> None:
        self._message = error_text(exc)
        self.status.setText(self._message)
        self.failed.emit(self._message)

    def _step_zoom(self, step: int) -> None:
        current = min(range(len(ZOOMS)), key=lambda i: abs(ZOOMS[i] - self.model.zoom))
        target = max(0, min(len(ZOOMS) - 1, current + step))
        self.model.set_zoom(ZOOMS[target])
        self.zoom_label.setText(f"{round(self.model.zoom * 100)} %")

    # --- print and save -------------------------------------------------------------------
    def print_document(self) -> None:
        if self.document is None or not self.document.pages:
            return
        # Qt's print support loads on first use, not with the main window (cold start).
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.document.title)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.document.pages)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        first, last = 1, 0
        if printer.printRange() == QPrinter.PrintRange.PageRange:
            first, last = printer.fromPage(), printer.toPage()
        data = self.document.data
        self._printer = printer  # kept alive until the job is done

        def paint() -> int:
            from ui.printing.pdf_pages import print_pdf

            return print_pdf(data, printer, first, last)

        self._set_ready(False)
        self.status.setText(self.tr("Sending to the printer…"))
        self.runner.submit(paint, self._printed, self._print_failed, owner=self)

    def _printed(self, count: int) -> None:
        self._set_ready(True)
        self.status.setText(self.tr("%n page(s) sent to the printer.", "", count))
        self.printed.emit(count)

    def _print_failed(self, exc: Exception) -> None:
        self._set_ready(True)
        self._failed(exc)

    def save_pdf(self) -> None:
        if self.document is None or not self.document.pages:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save PDF"),
            str(self.save_dir / self.document.file_name),
            self.tr("PDF files (*.pdf)"),
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        document = self.document

        def save() -> Path:
            from app.services.crf_print import save_document

            return save_document(document, target)

        self.runner.submit(save, self._saved, self._failed, owner=self)

    def _saved(self, path: Path) -> None:
        self.status.setText(self.tr("Saved as %1").replace("%1", str(path)))
        self.saved.emit(str(path))


def open_preview(
    runner: ServiceRunner, produce: Callable[[], Any], parent: QWidget | None = None
) -> PrintPreviewDialog:
    """Open a (non-blocking, window-modal) preview; the caller may connect its signals."""
    dialog = PrintPreviewDialog(runner, produce, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
