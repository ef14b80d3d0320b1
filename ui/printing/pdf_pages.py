"""PDF pages as images, and a PDF sent to a QPrinter, with PDFium (pypdfium2) and no outside tools.

PySide6-Essentials has no QtPdf, and the app may not call pdftoppm at run time, so pages are
rasterised by PDFium, which ships inside the pypdfium2 wheel (works offline, also frozen). PDFium
is not thread-safe: every call here runs as a job on the one service worker thread (ui.worker),
never on the GUI thread, so no two calls ever overlap. QImage and QPainter on a QPrinter may be
used outside the GUI thread (Qt's threading rules for paint devices).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPainter

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

POINTS_PER_INCH = 72.0
# Enough for hairlines, tick boxes and 7-point Chinese on paper, without huge page bitmaps.
MAX_PRINT_DPI = 300


def _open(data: bytes):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(data)


def page_sizes(data: bytes) -> list[QSizeF]:
    """The size of every page in points (1/72 inch)."""
    document = _open(data)
    try:
        return [QSizeF(*document[i].get_size()) for i in range(len(document))]
    finally:
        document.close()


def _image(page, scale: float) -> QImage:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as pdfium_c

    bitmap = page.render(scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_BGRx)
    # BGRx bytes are QImage's RGB32 on little-endian machines (every platform SeqTx ships for);
    # copy() detaches the image from PDFium's buffer, which is freed with the bitmap.
    image = QImage(
        bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32
    ).copy()
    bitmap.close()
    return image


def render_page(data: bytes, index: int, scale: float) -> QImage:
    """Page `index` (0-based) at `scale` pixels per point."""
    document = _open(data)
    try:
        return _image(document[index], scale)
    finally:
        document.close()


def print_pdf(data: bytes, printer: QPrinter, first: int = 1, last: int = 0) -> int:
    """Paint pages first..last (1-based, 0 = to the end) onto `printer`; returns pages printed.

    Each page is rasterised at the printer's resolution (at most MAX_PRINT_DPI) and scaled into
    the printable area keeping its proportions, so a CRF never prints stretched or cut off.
    """
    document = _open(data)
    painter = QPainter()
    printed = 0
    try:
        count = len(document)
        last = count if last <= 0 else min(last, count)
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        if not painter.begin(printer):
            raise OSError("the printer could not be opened")
        for number in range(max(first, 1), last + 1):
            if printed:
                printer.newPage()
            image = _image(document[number - 1], dpi / POINTS_PER_INCH)
            area = QRectF(painter.viewport())
            ratio = min(area.width() / image.width(), area.height() / image.height())
            size = QSizeF(image.width() * ratio, image.height() * ratio)
            target = QRectF(area.topLeft(), size)
            target.moveCenter(area.center())
            painter.drawImage(target, image)
            printed += 1
    finally:
        if painter.isActive():
            painter.end()
        document.close()
    return printed
